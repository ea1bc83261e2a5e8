"""The exported JSON Schema and the loader accept the same files, with YAML read as editors read it.

Editors (yaml-language-server and others) read YAML 1.2: unquoted dates are text, `yes` is text, `017` is
the number 17. Every bundled case, every corpus case and every `trialcheck new` skeleton must validate
against `trialcheck schema case` read that way, and files that differ only in a field's type must be
accepted or refused by both. Cross-references (a person not in `people`, a date after another) are the
loader's alone; the schema cannot say them.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli

jsonschema = pytest.importorskip("jsonschema")
ruamel = pytest.importorskip("ruamel.yaml")

FILES = sorted((ROOT / "cases").rglob("*.yaml")) + sorted((ROOT / "corpus" / "un" / "cases").glob("*.yaml"))


def editor_reading(text: str):
    """The data as a YAML 1.2 editor sees it. ruamel still resolves YAML 1.1 timestamps; editors leave them text."""
    from ruamel.yaml import YAML

    def plain(x):
        if isinstance(x, dict):
            return {str(k): plain(v) for k, v in x.items()}
        if isinstance(x, list):
            return [plain(v) for v in x]
        if isinstance(x, datetime.date | datetime.datetime):
            return x.isoformat()
        return x

    return plain(YAML(typ="safe", pure=True).load(text))


@pytest.fixture(scope="module")
def validator():
    result = run_cli("schema", "case", timeout=120)
    assert result.returncode == 0, result.stderr
    return jsonschema.Draft202012Validator(json.loads(result.stdout))


def _schema_errors(validator, text: str) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}" for e in validator.iter_errors(editor_reading(text))]


def _loader_accepts(text: str) -> bool:
    from engine.io.errors import InputError, InputErrors
    from engine.io.load import load_case_text

    try:
        load_case_text("c.yaml", text)
    except (InputError, InputErrors):
        return False
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_and_corpus_case_validates_as_an_editor_reads_it(validator, path):
    text = path.read_text(encoding="utf-8-sig")
    assert _loader_accepts(text)
    assert _schema_errors(validator, text) == []


def test_new_skeletons_validate(validator, tmp_path):
    for case_id in ("a", "zhanaozen-2011-ivanov"):
        result = run_cli("new", case_id, timeout=60)
        assert result.returncode == 0, result.stderr
        assert _loader_accepts(result.stdout)
        assert _schema_errors(validator, result.stdout) == []


BASE = "id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"


@pytest.mark.parametrize("tail, accepted", [
    ("    incident: i\nincidents: [{id: i, kind: strike, date: {value: 2011}}]\n", True),  # a year as a number
    ("    charges: [{code: KZ-CAO-2001, article: 373, part: 1:30, paragraph: 1.10}]\n", True),
    ("    hearings: [{public: yes}]\n", False),  # YAML 1.2: `yes` is text, not a boolean
    ("    hearings: [{public: true}]\n", True),
    ("    hearings: [{duration_minutes: \"15\"}]\n", False),  # a number written as text
    ("    hearings: [{duration_minutes: 15}]\n", True),
    ("    hearings: [{duration_minutes: true}]\n", False),
    ("    custody: [{start: 2011-09-08}]\n", True),
    ("    custody: [{start: 20110908}]\n", False),  # a number that is no year
    ("    court: 42\n", True),  # free text takes a number, kept as written
    ("    court: true\n", False),
    ("    role: organizer\n", False),
], ids=lambda x: str(x).strip()[:40])
def test_schema_and_loader_agree_on_types(validator, tail, accepted):
    text = BASE + tail
    assert _loader_accepts(text) is accepted
    assert (_schema_errors(validator, text) == []) is accepted, _schema_errors(validator, text)


def test_a_case_id_written_as_a_number_is_refused_by_both(validator):
    text = "id: 2011\n"
    assert not _loader_accepts(text) and _schema_errors(validator, text)
