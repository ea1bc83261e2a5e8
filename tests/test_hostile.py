"""Hostile and broken input, through the CLI in a subprocess.

Every bad file gets exit code 2, a message naming the file and the line, no traceback, a bounded run
time and no output file (`-o`). Files written by other editors (byte-order mark, CRLF, tabs inside
strings) load and give the same report as the plain file.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.helpers import run_cli, write_rule

BASE = "id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"
GOOD = BASE + "    custody: [{start: 2016-05-01T08:00, before_judge: 2016-05-09T08:00}]\n"
LIMIT_SECONDS = 30


def _bomb() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
    return "id: t\n" + "\n".join(lines) + "\n"


# name -> (file name, content (str or bytes), line expected in the message, words expected)
CASES = {
    "invalid yaml": ("c.yaml", "id: t\npeople: [{id: p, name: P}\n", 3, "invalid YAML"),
    "unquoted colon": ("c.yaml", BASE + "    court: Zhanaozen: city court\n", 7, "must be quoted"),
    "wrong type: mapping for list": ("c.yaml", "id: t\npeople: {id: p, name: P}\n", 2, "valid list"),
    "wrong type: text for truth": ("c.yaml", BASE + "    hearings: [{public: maybe}]\n", 7, "valid boolean"),
    "wrong type: top-level list": ("c.yaml", "- id: t\n", 1, "must be a mapping"),
    "misspelt field": ("c.yaml", BASE + "    custdy: []\n", 7, "did you mean 'custody'"),
    "misspelt nested field": ("c.yaml", BASE + "    custody: [{start: 2016-05-01, befor_judge: 2016-05-02}]\n", 7,
                              "did you mean 'before_judge'"),
    "unknown field in long form": ("c.yaml", BASE + "    role: {value: organiser, sauce: s1}\n", 7, "role"),
    "30 February": ("c.yaml", BASE + "    custody: [{start: 2011-02-30}]\n", 7, "not a real date"),
    "hour 25": ("c.yaml", BASE + "    custody: [{start: 2011-02-03T25:00}]\n", 7, "not a real date"),
    "year 0": ("c.yaml", BASE + "    custody: [{start: 0000-01-01}]\n", 7, "not a real date"),
    "not a date": ("c.yaml", BASE + "    opened: last tuesday\n", 7, "not a date"),
    "end before start": ("c.yaml", BASE + "    custody: [{start: 2011-05-02T10:00, end: 2011-05-01T10:00}]\n", 7,
                         "ends before it starts"),
    "judge before custody": ("c.yaml", BASE + "    custody: [{start: 2011-05-02, before_judge: 2011-04-01}]\n", 7,
                             "before custody began"),
    "appeal heard before filed": ("c.yaml", BASE + "    appeals: [{filed: 2011-05-02, heard: 2011-04-01}]\n", 7,
                                  "heard before it was filed"),
    "negative arrest days": ("c.yaml", BASE + "    decision: {sanctions: [{kind: arrest, days: -5}]}\n", 7,
                             "greater than or equal to 0"),
    "negative hearing minutes": ("c.yaml", BASE + "    hearings: [{duration_minutes: -10}]\n", 7,
                                 "greater than or equal to 0"),
    "not a number": ("c.yaml", BASE + "    decision: {sanctions: [{kind: arrest, days: .nan}]}\n", 7, "days"),
    "missing person": ("c.yaml", BASE.replace("person: p", "person: q"), 6, "not in `people`"),
    "missing incident": ("c.yaml", BASE + "    incident: strike\n", 7, "not in `incidents`"),
    "undeclared source": ("c.yaml", BASE + "    role: {value: organiser, source: s9}\n", 7, "not in `sources`"),
    "duplicate person id": ("c.yaml", BASE.replace("[{id: p, name: P}]", "[{id: p, name: P}, {id: p, name: Q}]"), 2,
                            "duplicate person id"),
    "duplicate proceeding id": ("c.yaml", BASE + "  - {id: a, kind: criminal, person: p}\n", 7,
                                "duplicate proceeding id"),
    "duplicate key": ("c.yaml", BASE + "    kind: civil\n", 7, "duplicate key"),
    "bad status": ("c.yaml", BASE + "    role: {value: organiser, status: rumoured}\n", 7, "status"),
    "deep nesting, flow": ("c.yaml", "id: t\nnotes: " + "[" * 20000 + "]" * 20000 + "\n", 2, "nested more than"),
    # the mapping 65 levels deep is the one holding k64, on line 66
    "deep nesting, block": ("c.yaml", "id: t\nx:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 120)), 66,
                            "nested more than"),
    "alias bomb": ("c.yaml", _bomb(), 2, "alias bomb"),
    "python object tag": ("c.yaml", "id: t\nnotes: !!python/object/apply:os.system [echo owned]\n", 2, "not allowed"),
    "python name tag as key": ("c.yaml", "id: t\n!!python/name:os.system : 1\n", 2, "not allowed"),
    "binary tag": ("c.yaml", "id: t\ntitle: !!binary aGVsbG8=\n", 2, "not allowed"),
    "custom tag": ("c.yaml", "id: t\ntitle: !Ref x\n", 2, "not allowed"),
    "set tag": ("c.yaml", "id: t\nnotes: !!set {a, b}\n", 2, "not allowed"),
    "merge key": ("c.yaml", "id: t\nx: &x {title: a}\ny: {<<: *x}\n", 3, "merge keys"),
    "binary junk": ("c.yaml", bytes(range(256)) * 40, 1, "binary data"),
    "non-UTF-8 (cp1251)": ("c.yaml", "id: t\ntitle: Кузнецов\n".encode("cp1251"), 2, "not UTF-8"),
    "empty file": ("c.yaml", b"", 1, "empty"),
    "only comments": ("c.yaml", "# nothing here\n", 1, "empty"),
    "invalid JSON": ("c.json", '{"id": "t",\n "people": [}\n', 2, "invalid JSON"),
    "deep JSON": ("c.json", "[" * 100000 + "]" * 100000, 1, "nested"),
    "50 MB": ("c.yaml", None, 1, "the limit is"),
    # numbers that are no numbers, and terms the calendar cannot hold
    "integer past Python's digit limit": ("c.yaml", BASE + "    decision: {sanctions: [{kind: arrest, days: " + "9" * 5000
                                          + "}]}\n", 7, "too long"),
    ".inf where a number is expected": ("c.yaml", BASE + "    decision: {sanctions: [{kind: arrest, days: .inf}]}\n", 7,
                                        "finite number"),
    ".nan minutes": ("c.yaml", BASE + "    hearings: [{duration_minutes: .NaN}]\n", 7, "finite number"),
    "Infinity in JSON": ("c.json", '{"id": "t",\n "people": [],\n "summary": Infinity}\n', 3, "not a JSON number"),
    "NaN in JSON": ("c.json", '{"id": "t",\n "proceedings": [{"id": "a", "kind": "criminal", "person": "p",\n'
                    ' "hearings": [{"duration_minutes": NaN}]}]}\n', 3, "not a JSON number"),
    "huge integer in JSON": ("c.json", '{"id": "t",\n "x": ' + "1" * 5000 + "}\n", 2, "too long"),
    "1e9 days of arrest": ("c.yaml", BASE + "    custody: [{start: 2011-01-01, basis: administrative_arrest}]\n"
                           "    decision: {sanctions: [{kind: arrest, days: 1000000000}]}\n", 8, "runs past the year 9999"),
    "9999-12-31 plus a term": ("c.yaml", BASE + "    custody: [{start: 9999-12-31, basis: administrative_arrest}]\n"
                               "    decision: {sanctions: [{kind: arrest, days: 15}]}\n", 8, "runs past the year 9999"),
    "lone surrogate in YAML": ("c.yaml", BASE + '    court: "\\ud800"\n', 7, "surrogate"),
    "lone surrogate in JSON": ("c.json", '{"id": "t",\n "title": "\\ud800 x"}\n', 2, "lone surrogate"),
    # silent changes of meaning, now refused with what the user wrote
    "23:59:60": ("c.yaml", BASE + "    custody: [{start: 2011-02-03T23:59:60}]\n", 7, "not a real date"),
    "10:00:99": ("c.yaml", BASE + "    custody: [{start: 2011-02-03T10:00:99}]\n", 7, "not a real date"),
    "unknown charge code": ("c.yaml", BASE + "    charges: [{code: KZ-CAO2001, article: 373}]\n", 7,
                            "did you mean 'KZ-CAO-2001'"),
    "yes is not a boolean": ("c.yaml", BASE + "    hearings: [{public: yes}]\n", 7, "write true or false"),
    "on as a key": ("c.yaml", "id: t\non: 1\n", 2, "unknown field 'on'"),
    "a number where an id is expected": ("c.yaml", "id: 2011\n", 1, "valid string"),
    "JSON case errors name their line": ("c.json", '{"id": "t",\n "people": [{"id": "p", "name": "P"}],\n "custdy": []}\n',
                                         3, "unknown field 'custdy'"),
    # bounded time and memory
    "a 10^6-item flow sequence": ("c.yaml", "id: t\nnotes: [" + ",".join(["1"] * 1_000_000) + "]\n", 2,
                                  "more than 50,000 values"),
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return write_rule(tmp_path_factory.mktemp("rules"))


def _contract(result, out: Path, name: str, line: int, words: str, seconds: float):
    assert result.returncode == 2, (result.returncode, result.stdout[:500], result.stderr[:2000])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert f"{name}:{line}" in result.stderr, result.stderr[:2000]
    assert words in result.stderr, result.stderr[:2000]
    assert result.stdout == ""
    assert not out.exists() and not [p for p in out.parent.iterdir() if p.name.startswith(".trialcheck-")]
    assert seconds < LIMIT_SECONDS


@pytest.mark.parametrize("label", list(CASES))
def test_bad_case_file(tmp_path, rules, label):
    name, content, line, words = CASES[label]
    path = tmp_path / name
    if content is None:  # 50 MB of valid-looking YAML
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(BASE)
            chunk = "    # " + "x" * 1000 + "\n"
            for _ in range(50 * 1024):
                handle.write(chunk)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    started = time.monotonic()
    result = run_cli("check", path, "--rules", rules, "-f", "json", "-o", out, timeout=120)
    _contract(result, out, name, line, words, time.monotonic() - started)


def test_a_bad_file_among_good_ones_fails_the_run_and_names_itself(tmp_path, rules):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("id: t", "id: u").replace("2016-05-01T08:00,", "2016-05-41T08:00,"))
    out = tmp_path / "out.json"
    result = run_cli("check", tmp_path, "--rules", rules, "-f", "json", "-o", out)
    assert result.returncode == 2 and "b.yaml:7" in result.stderr and not out.exists()


def test_duplicate_case_ids_across_files(tmp_path, rules):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    out = tmp_path / "o" / "r.json"
    out.parent.mkdir()
    result = run_cli("check", tmp_path / "a.yaml", tmp_path / "b.yaml", "--rules", rules, "-f", "json", "-o", out)
    _contract(result, out, "b.yaml", 1, "also used by", 0)


def test_directory_with_no_cases(tmp_path, rules):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a case")
    out = tmp_path / "r.json"
    result = run_cli("check", tmp_path / "empty", "--rules", rules, "-o", out)
    assert result.returncode == 2 and "empty" in result.stderr and "no case files" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_missing_path(tmp_path, rules):
    result = run_cli("check", tmp_path / "nowhere.yaml", "--rules", rules)
    assert result.returncode == 2 and "nowhere.yaml" in result.stderr and "no such file" in result.stderr


@pytest.mark.parametrize("when, line, words", [
    ("any c in custody: c.hours_before_judge >> limit_hours", "14:41", "unexpected '>'"),
    ("any c in custody: c.hours_before_judge > limit_hours and decision.arest_days > 0", "14:58",
     "did you mean 'decision.arrest_days'"),
    ("any c in custody: c.hours_before_judge > limit_hours and (", "14", "unexpected the end"),
    ("import os", "14:8", "unexpected 'os'"),
    ("__import__('os').system('echo owned')", "14", "in `when`"),
])
def test_bad_rule(tmp_path, when, line, words):
    from tests.helpers import CUSTODY_RULE

    text = CUSTODY_RULE.replace("any c in custody: c.hours_before_judge > limit_hours", when)
    folder = write_rule(tmp_path / "rules", text)
    (tmp_path / "c.yaml").write_text(GOOD)
    out = tmp_path / "out.json"
    result = run_cli("check", tmp_path / "c.yaml", "--rules", folder, "-o", out, env={"TRIALCHECK_CACHE": "off"})
    assert result.returncode == 2, result.stderr
    assert f"rule.yaml:{line}" in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


_WHEN = "any c in custody: c.hours_before_judge > limit_hours"
BAD_RULES = {
    # name -> (replace this, with that, line:col expected, words expected)
    "1,500 nots": (_WHEN, "not " * 1500 + "count(custody) > 0", "14:", "nested more than"),
    "1 MB condition": (_WHEN, "count(custody) > 0" + " and count(custody) > 0" * 45000, "14:1", "the limit is 10,000"),
    "path too deep through a variable": (_WHEN, "any c in custody: c.start.year > 2000", "14:19", "too deep"),
    "bare variable compared": (_WHEN, "any c in custody: c > 3", "14:19", "is an item of 'custody'"),
    "unknown item field": (_WHEN, "any c in custody: c.hours_befor_judge > 3", "14:19", "did you mean 'c.hours_before_judge'"),
    "date compared with a number": (_WHEN, "dates.detention > 5", "14:1", "compares a time with a number"),
    "time plus a number": (_WHEN, "dates.detention + 5 > dates.hearing", "14:1", "only time - time"),
    "quantifiers nested 3 deep": (_WHEN, "any a in custody: any b in custody: any c in custody: c.hours > a.hours",
                                  "14:46", "nested more than 2 deep"),
    "parameter named like a collection": ("  limit_hours: {2015-01-01: 72, 2018-01-01: 48}\n",
                                          "  limit_hours: {2015-01-01: 72, 2018-01-01: 48}\n  custody: {2015-01-01: 1}\n",
                                          "8:3", "name of a fact collection"),
    "in_force ends before it starts": ("in_force: {from: 2015-01-01}", "in_force: {from: 2015-01-01, until: 2014-01-01}",
                                       "4:", "ends (2014-01-01) before it starts"),
}


@pytest.mark.parametrize("label", list(BAD_RULES))
def test_rules_refused_at_load_time(tmp_path, label):
    """Each is refused by `rules lint` and by `check` when the rules load, never at check time."""
    from tests.helpers import CUSTODY_RULE

    old, new, where, words = BAD_RULES[label]
    assert old in CUSTODY_RULE
    folder = write_rule(tmp_path / "rules", CUSTODY_RULE.replace(old, new))
    (tmp_path / "c.yaml").write_text(GOOD)
    out = tmp_path / "out.json"
    for args in (["rules", "lint", "--rules", folder], ["check", tmp_path / "c.yaml", "--rules", folder, "-o", out]):
        result = run_cli(*args, env={"TRIALCHECK_CACHE": "off"}, timeout=60)
        assert result.returncode == 2, (label, result.returncode, result.stderr[-2000:])
        assert f"rule.yaml:{where}" in result.stderr and words in result.stderr, result.stderr[-2000:]
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not out.exists()


def test_1500_chained_derivations_are_refused_at_load_time(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for i in range(1500):
        when = "count(custody) > 0" if i == 0 else f"derived.f{i - 1}"
        (folder / f"d{i}.yaml").write_text(
            f"id: d{i}\ntitle: {{en: d, ru: d}}\ncitation: {{instrument: ICCPR, article: \"9\"}}\n"
            f"in_force: {{from: 2000-01-01}}\nact_date: dates.first\napplies_to: [criminal]\nlayer: international\n"
            f"kind: derivation\nderive: f{i}\nwhen: {when}\nexplanation: {{en: x, ru: x}}\nask: {{en: x, ru: x}}\n"
            "sources: [{title: t}]\n")
    result = run_cli("rules", "lint", "--rules", folder, env={"TRIALCHECK_CACHE": "off"}, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "d32.yaml:9:1" in result.stderr and "chained more than 32 deep" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("transform", [
    pytest.param(lambda t: ("\ufeff" + t).encode("utf-8"), id="utf-8 BOM"),
    pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="CRLF"),
    pytest.param(lambda t: ("\ufeff" + t.replace("\n", "\r\n")).encode("utf-8"), id="BOM and CRLF"),
])
def test_files_from_other_editors_load_the_same(tmp_path, rules, transform):
    plain, other = tmp_path / "plain", tmp_path / "other"
    plain.mkdir(), other.mkdir()
    text = GOOD + '    notes: [{text: "tab\there"}]\n    court: "Aktau\tcity court"\n'
    (plain / "c.yaml").write_text(text, encoding="utf-8")
    (other / "c.yaml").write_bytes(transform(text))
    first = run_cli("check", plain / "c.yaml", "--rules", rules, "-f", "json")
    second = run_cli("check", other / "c.yaml", "--rules", rules, "-f", "json")
    assert first.returncode == second.returncode == 1, second.stderr
    assert json.loads(first.stdout)["cases"][0]["proceedings"] == json.loads(second.stdout)["cases"][0]["proceedings"]


def test_errors_point_at_the_right_line_with_crlf_and_bom(tmp_path, rules):
    path = tmp_path / "c.yaml"
    path.write_bytes(("\ufeff" + BASE + "    custody: [{start: 2011-02-30}]\n").replace("\n", "\r\n").encode("utf-8"))
    result = run_cli("check", path, "--rules", rules)
    assert result.returncode == 2 and "c.yaml:7" in result.stderr and "not a real date" in result.stderr


def test_jsonl_bad_line_names_the_line(tmp_path, rules):
    good = json.dumps({"id": "t", "people": [{"id": "p", "name": "P"}],
                       "proceedings": [{"id": "a", "kind": "criminal", "person": "p"}]})
    path = tmp_path / "cases.jsonl"
    path.write_text(good + "\n" + '{"id": "u", "people": [}\n')
    out = tmp_path / "out.jsonl"
    result = run_cli("check", path, "--input-format", "jsonl", "--rules", rules, "-f", "jsonl", "-o", out)
    assert result.returncode == 2 and "cases.jsonl:2" in result.stderr and not out.exists()
    assert "Traceback" not in result.stderr


def test_jsonl_invalid_utf8_names_the_line(tmp_path, rules):
    good = json.dumps({"id": "t", "people": [{"id": "p", "name": "P"}],
                       "proceedings": [{"id": "a", "kind": "criminal", "person": "p"}]})
    path = tmp_path / "cases.jsonl"
    path.write_bytes(good.encode() + b"\n" + good.replace('"t"', '"u"').encode().replace(b'"P"', b'"\xff"') + b"\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("check", path, "--input-format", "jsonl", "--rules", rules, "-f", "jsonl", "-o", out, timeout=60)
    _contract(result, out, "cases.jsonl", 2, "not UTF-8", 0)


def test_jsonl_line_nested_100000_deep(tmp_path, rules):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("check", path, "--input-format", "jsonl", "--rules", rules, "-f", "jsonl", "-o", out, timeout=60)
    _contract(result, out, "deep.jsonl", 1, "nested too deeply", 0)


def test_closed_standard_input(tmp_path, rules):
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "engine", "check", "--input-format", "jsonl", "-", "--rules",
                             str(rules)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
                            stdin=None, preexec_fn=lambda: os.close(0))
    assert result.returncode == 2, result.stderr
    assert "<stdin>" in result.stderr and "standard input is closed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["yaml link to /dev/zero", "json link to /dev/zero", "1 GB sparse json",
                                  "jsonl link to /dev/zero"])
def test_input_that_never_ends_is_read_with_a_bound(tmp_path, rules, kind):
    import os

    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    name = {"yaml link to /dev/zero": "c.yaml", "jsonl link to /dev/zero": "c.jsonl"}.get(kind, "c.json")
    path = tmp_path / name
    if kind == "1 GB sparse json":
        with open(path, "wb") as handle:
            handle.truncate(1 << 30)
    else:
        path.symlink_to("/dev/zero")
    extra = ["--input-format", "jsonl"] if name.endswith("jsonl") else []
    out = tmp_path / "out" / "r.json"
    out.parent.mkdir()
    result = run_cli("check", path, *extra, "--rules", rules, "-f", "json", "-o", out, timeout=20)
    words = {"c.yaml": "too large", "c.json": "too large", "c.jsonl": "longer than"}[name]
    _contract(result, out, name, 1, words, 0)


def test_fifo_and_device_as_case_paths(tmp_path, rules):
    import os
    import threading

    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(GOOD))
    writer.start()
    result = run_cli("check", fifo, "--rules", rules, "-f", "json", timeout=60)
    writer.join(10)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["cases"][0]["id"] == "t"
    if os.path.exists("/dev/null"):
        device = run_cli("check", "/dev/null", "--rules", rules, timeout=60)
        assert device.returncode == 2 and "/dev/null:1: the file is empty" in device.stderr, device.stderr


def _in_process_with_unreadable(args, locked, monkeypatch):
    import os
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from engine.cli.main import app

    real = os.scandir

    def scandir(path="."):
        if os.path.abspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        result = CliRunner().invoke(app, args)
    finally:
        monkeypatch.setattr(os, "scandir", real)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def test_unreadable_sub_folder_fails_unless_skipped(tmp_path, rules, monkeypatch):
    """A folder that cannot be read is said, and fails the run unless --skip-unreadable."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    from tests.helpers import ROOT

    base = Path(tempfile.mkdtemp(prefix="trialcheck-unreadable-"))
    try:
        base.chmod(0o755)
        (base / "cases" / "locked").mkdir(parents=True)
        (base / "cases" / "a.yaml").write_text(GOOD)
        (base / "cases" / "locked" / "b.yaml").write_text(GOOD.replace("id: t", "id: u"))
        shutil.copytree(rules, base / "rules")
        for p in base.rglob("*"):
            p.chmod(0o755 if p.is_dir() else 0o644)
        (base / "cases" / "locked").chmod(0o000)
        as_nobody = None
        if os.geteuid() == 0:  # root reads every folder: run as nobody to see what a user sees
            as_nobody = lambda: (os.setgid(65534), os.setuid(65534))  # noqa: E731
        env = dict(os.environ, PYTHONPATH=str(ROOT), TRIALCHECK_CACHE="off", HOME=str(base))
        runs = {}
        for extra in ([], ["--skip-unreadable"]):
            args = ["check", str(base / "cases"), "--rules", str(base / "rules"), "-f", "json", *extra]
            try:
                runs[bool(extra)] = subprocess.run([sys.executable, "-m", "engine", *args], cwd=str(base), env=env,
                                                   capture_output=True, text=True, timeout=120, preexec_fn=as_nobody)
            except PermissionError:  # nobody may not run this Python: the same run in-process, the folder refused
                runs[bool(extra)] = _in_process_with_unreadable(args, base / "cases" / "locked", monkeypatch)
        refused, skipped = runs[False], runs[True]
        assert refused.returncode == 2, refused.stderr
        assert "locked" in refused.stderr and "--skip-unreadable" in refused.stderr and "Traceback" not in refused.stderr
        assert skipped.returncode == 1, skipped.stderr
        assert "skipped" in skipped.stderr and "locked" in skipped.stderr
        assert [c["id"] for c in json.loads(skipped.stdout)["cases"]] == ["t"]
    finally:
        (base / "cases" / "locked").chmod(0o755)
        shutil.rmtree(base)


def test_ascii_locale_prints_case_text(tmp_path, rules):
    """LC_ALL=C with no PYTHONIOENCODING (and without Python's UTF-8 rescue): no crash, the report is written."""
    import os

    path = tmp_path / "ru.yaml"
    path.write_text(GOOD.replace("name: P", "name: Кузнецов"), encoding="utf-8")
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    saved = os.environ.pop("PYTHONIOENCODING", None)
    try:
        for args in (["-f", "md"], ["-f", "md", "--lang", "ru"]):
            result = run_cli("check", path, "--rules", rules, *args, env=env, timeout=60)
            assert result.returncode == 1, result.stderr
            assert "Кузнецов" in result.stdout
        bad = run_cli("check", tmp_path / "нет.yaml", "--rules", rules, env=env, timeout=60)
        assert bad.returncode == 2 and "internal error" not in bad.stderr, bad.stderr
    finally:
        if saved is not None:
            os.environ["PYTHONIOENCODING"] = saved


def test_yaml_12_scalars_keep_what_was_written():
    """`article: 017`, `part: 1:30`, `paragraph: 1.10` are what the observer wrote, not 15, 90 and 1.1."""
    from engine.io.load import load_case_text

    case = load_case_text("c.yaml", BASE + "    charges: [{code: KZ-CAO-2001, article: 017, part: 1:30, paragraph: 1.10}]\n")
    charge = case.proceedings[0].charges[0]
    assert (charge.article, charge.part, charge.paragraph) == ("017", "1:30", "1.10")


REGRESSIONS = Path(__file__).resolve().parent / "regressions"


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.bad.*")), ids=lambda p: p.name)
def test_regression_inputs_are_bad_input_with_a_line(path):
    from engine.io.errors import InputError, InputErrors
    from engine.io.load import load_cases

    with pytest.raises((InputError, InputErrors)) as caught:
        load_cases([str(path)])
    errors = caught.value.errors if isinstance(caught.value, InputErrors) else [caught.value]
    assert all(e.path == str(path) and e.line for e in errors), [str(e) for e in errors]


@pytest.mark.parametrize("folder", [p for p in sorted(REGRESSIONS.iterdir()) if p.is_dir()], ids=lambda p: p.name)
def test_regression_folders_fail_the_run(folder, rules, tmp_path):
    out = tmp_path / "r.json"
    result = run_cli("check", folder, "--rules", rules, "-f", "json", "-o", out)
    assert result.returncode == 2 and "Traceback" not in result.stderr and not out.exists(), result.stderr


def test_thousands_of_custody_periods_check_in_bounded_time(tmp_path):
    """Chained custody looks only at periods ending near a start (engine/derive/facts.py): 2,000 periods of one
    person used to take 35 s comparing every pair."""
    from datetime import datetime, timedelta

    lines = ["id: many", "people: [{id: p, name: P}]", "proceedings:", "  - id: a", "    kind: administrative",
             "    person: p", "    custody:"]
    start = datetime(2011, 1, 1, 8, 0)
    for i in range(2000):
        s = start + timedelta(hours=30 * i)
        lines.append(f"      - {{start: {s:%Y-%m-%dT%H:%M}, end: {s + timedelta(hours=26):%Y-%m-%dT%H:%M}, "
                     "basis: administrative_arrest}")
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("check", path, "-f", "json", timeout=60)  # a bound that proves "not hanging", not a benchmark
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert json.loads(result.stdout)["cases"][0]["id"] == "many"


def test_durable_engine_refuses_a_long_list_up_front(tmp_path):
    pytest.importorskip("durable")
    from tests.helpers import CUSTODY_RULE

    items = ", ".join(f'"v{i}"' for i in range(600))
    folder = write_rule(tmp_path / "rules", CUSTODY_RULE.replace(
        "any c in custody: c.hours_before_judge > limit_hours", f"any c in custody: c.basis in [{items}]"))
    (tmp_path / "c.yaml").write_text(GOOD)
    out = tmp_path / "r.json"
    result = run_cli("check", tmp_path / "c.yaml", "--rules", folder, "--engine", "durable", "-o", out,
                     env={"TRIALCHECK_CACHE": "off"}, timeout=30)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "600 items" in result.stderr and "at most 32" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
