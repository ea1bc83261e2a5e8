"""The plan cache stores data, not code; refuses folders and entries others could have written; does not
depend on where the rules are; and never stops a check when it cannot be used."""
from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from engine.compile import cache
from engine.io.load import find_files
from tests.helpers import CUSTODY_RULE, write_rule

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rules(tmp_path):
    return write_rule(tmp_path / "rules", CUSTODY_RULE, "custody.yaml")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("TRIALCHECK_CACHE", str(where))
    monkeypatch.setattr(cache, "_warned", set())
    return where


def _entry(folder: Path, rules: Path) -> Path:
    files = find_files([str(rules)], suffixes=(".yaml", ".yml"))
    return folder / f"plan-{cache.plan_key(files)}.json"


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_at_the_key_does_not_run(rules, folder, tmp_path):
    marker = tmp_path / "pwned"
    folder.mkdir(mode=0o700)
    entry = _entry(folder, rules)
    entry.write_bytes(pickle.dumps(_Payload(marker)))
    (folder / entry.name.replace(".json", ".pickle")).write_bytes(pickle.dumps(_Payload(marker)))
    os.chmod(entry, 0o600)
    plan = cache.load_plan([str(rules)])
    assert not marker.exists()
    assert [r.id for r in plan.rules] == ["test.custody-limit"]
    assert json.loads(entry.read_text().split("\n")[0])["format"] == cache.FORMAT  # replaced by a fresh plan


def test_a_planted_json_naming_other_types_is_refused(rules, folder, tmp_path):
    cache.load_plan([str(rules)])
    entry = _entry(folder, rules)
    head, trees = entry.read_text().split("\n")  # the rules' models, then their conditions' syntax trees
    conditions = json.loads(trees)
    conditions[0][1] = {"_": "__import__", "name": "os"}  # the first rule's `when`
    entry.write_text(head + "\n" + json.dumps(conditions))
    plan = cache.load_plan([str(rules)])  # the damaged entry is recompiled, nothing is looked up by that name
    assert plan.rules[0].when.__class__.__name__ in ("Quantifier", "Compare", "And", "Or")


def test_folder_and_entry_are_private(rules, folder):
    cache.load_plan([str(rules)])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(_entry(folder, rules).stat().st_mode) == 0o600


def test_a_hit_gives_the_same_plan(rules, folder):
    first = cache.load_plan([str(rules)])
    second = cache.load_plan([str(rules)])
    assert [(r.id, r.rule, r.when, r.applies_if, r.periods, r.file) for r in first.rules] == \
           [(r.id, r.rule, r.when, r.applies_if, r.periods, r.file) for r in second.rules]


def test_an_entry_writable_by_others_is_ignored_with_a_warning(rules, folder, capsys, tmp_path):
    cache.load_plan([str(rules)])
    entry = _entry(folder, rules)
    head, trees = entry.read_text().split("\n")
    data = json.loads(head)
    data["rules"][0]["rule"]["title"]["en"] = "Planted title"
    entry.write_text(json.dumps(data) + "\n" + trees)
    os.chmod(entry, 0o666)
    plan = cache.load_plan([str(rules)])
    assert plan.rules[0].rule.title.en != "Planted title"
    err = capsys.readouterr().err
    assert "writable by group or others" in err and err.count("\n") == 1


def test_a_folder_writable_by_others_is_not_used(rules, folder, capsys):
    folder.mkdir()
    os.chmod(folder, 0o777)
    plan = cache.load_plan([str(rules)])
    assert plan.rules and list(folder.iterdir()) == []
    assert "writable by group or others" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="changing owners needs root")
def test_a_folder_or_entry_owned_by_someone_else_is_refused(rules, folder, capsys):
    cache.load_plan([str(rules)])
    entry = _entry(folder, rules)
    head, trees = entry.read_text().split("\n")
    data = json.loads(head)
    data["rules"][0]["rule"]["title"]["en"] = "Planted title"
    entry.write_text(json.dumps(data) + "\n" + trees)
    os.chown(entry, 4242, 4242)
    assert cache.load_plan([str(rules)]).rules[0].rule.title.en != "Planted title"
    assert "owned by another user" in capsys.readouterr().err
    os.chown(folder, 4242, 4242)
    assert cache.load_plan([str(rules)]).rules


def test_a_read_only_cache_warns_once_and_checks_go_on(rules, folder, capsys):
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user can write a read-only folder (root)")
        for _ in range(3):
            assert cache.load_plan([str(rules)]).rules
    finally:
        os.chmod(folder, 0o700)
    err = capsys.readouterr().err
    assert err.count("cannot be written") == 1


def test_a_cache_that_cannot_be_created_warns_and_checks_go_on(rules, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TRIALCHECK_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(cache, "_warned", set())
    assert cache.load_plan([str(rules)]).rules
    assert cache.load_plan([str(rules)]).rules
    assert capsys.readouterr().err.count("warning") == 1


def test_off_is_silent(rules, monkeypatch, capsys):
    monkeypatch.setenv("TRIALCHECK_CACHE", "off")
    assert cache.load_plan([str(rules)]).rules
    assert capsys.readouterr().err == ""


def test_the_key_does_not_depend_on_where_the_rules_are(rules, tmp_path):
    elsewhere = tmp_path / "moved" / "deeper" / "rules"
    shutil.copytree(rules, elsewhere)
    here = cache.plan_key(find_files([str(rules)], suffixes=(".yaml",)))
    there = cache.plan_key(find_files([str(elsewhere)], suffixes=(".yaml",)))
    assert here == there
    (elsewhere / "custody.yaml").write_text(CUSTODY_RULE.replace("72", "96"), encoding="utf-8")
    assert cache.plan_key(find_files([str(elsewhere)], suffixes=(".yaml",))) != here


def test_a_hit_does_not_import_the_grammar(tmp_path):
    env = dict(os.environ, TRIALCHECK_CACHE=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    code = ("import sys; from engine.compile.cache import load_plan; load_plan(None); "
            "print('lark' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.strip() == "True" and second.stdout.strip() == "False"


def test_a_plan_shipped_with_the_package_is_a_hit_on_the_first_run(tmp_path, monkeypatch):
    """What hatch_build.py puts in the wheel: found when the user's cache is empty, without compiling."""
    shipped = tmp_path / "plans"
    shipped.mkdir()
    monkeypatch.delenv("TRIALCHECK_RULES", raising=False)
    name = cache.write_bundled_plan(str(shipped))
    monkeypatch.setattr(cache, "_BUNDLED", shipped)
    monkeypatch.setenv("TRIALCHECK_CACHE", str(tmp_path / "empty"))

    def refuse(*args, **kwargs):
        raise AssertionError("compiled although a plan was shipped")

    import engine.compile.plan

    monkeypatch.setattr(engine.compile.plan, "compile_rules", refuse)
    plan = cache.load_plan(None)
    assert len(plan.rules) > 50 and name.startswith("plan-")
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_planted_node_with_fields_missing_or_added_is_refused(rules, folder):
    fresh = cache.load_plan([str(rules)])
    entry = _entry(folder, rules)
    head, trees = entry.read_text().split("\n")
    for planted in ({"_": "Path", "root": "proceeding"},  # line, column and attrs missing
                    {"_": "Not", "operand": {"_": "Literal", "value": True}, "code": "x"}):
        conditions = json.loads(trees)
        conditions[0][1] = planted
        entry.write_text(head + "\n" + json.dumps(conditions))
        plan = cache.load_plan([str(rules)])  # refused as damaged: compiled afresh and written again
        assert plan.rules[0].when == fresh.rules[0].when


def test_a_hit_on_the_bundled_rules_carries_their_treaty_table(folder):
    from engine.io.load import default_treaties

    assert cache.load_plan(None).treaties is None  # compiled: the table is read as before
    hit = cache.load_plan(None)
    assert hit.treaties == default_treaties()  # the same table, without reading its YAML again


def test_other_rules_leave_the_treaty_table_to_the_run(rules, folder):
    cache.load_plan([str(rules)])
    assert cache.load_plan([str(rules)]).treaties is None  # their files do not hold the bundled table
