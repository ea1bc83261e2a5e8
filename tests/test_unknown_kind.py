"""A proceeding whose kind the source does not give (`kind: unknown`): rules written for some kinds only do not
flag it under a guessed kind, nor skip it; what would be a flag becomes one question, what kind it was."""
from __future__ import annotations

import json

import pytest

from engine.compile.plan import compile_rules
from engine.evaluate.report import build_report
from engine.evaluate.run import NativeEngine
from engine.io.load import load_rules
from engine.model.case import Case
from tests.helpers import run_cli

RULE = "iccpr.9-3.prompt-before-judge"  # applies to criminal and administrative proceedings only


@pytest.fixture(scope="module")
def plan():
    return compile_rules(load_rules())


def _case(kind: str, before_judge: str | None, end: str | None = None) -> Case:
    custody = {"basis": "suspect_detention", "start": "2009-04-01T16:00"}
    if before_judge:
        custody["before_judge"] = before_judge
    if end:
        custody["end"] = end
    return Case.model_validate({"id": "k", "state": "BY", "people": [{"id": "p", "name": "P"}],
                                "proceedings": [{"id": "a", "kind": kind, "person": "p", "custody": [custody]}]})


def _finding(plan, case: Case, rule: str = RULE):
    report = build_report(plan, [("k.yaml", case)], NativeEngine(), include_all=True)
    return next(f for f in report.cases[0].proceedings[0].findings if f.rule == rule)


def test_a_flag_on_an_unknown_kind_becomes_the_question_of_the_kind(plan):
    held_103_hours = "2009-04-05T23:00"
    assert _finding(plan, _case("criminal", held_103_hours)).status == "probable violation"
    assert _finding(plan, _case("civil", held_103_hours)).status == "not applicable"
    unknown = _finding(plan, _case("unknown", held_103_hours))
    assert unknown.status == "needs information"
    assert unknown.missing == ["proceeding.kind"]
    assert "kind of proceeding" in unknown.question


def test_an_answer_that_holds_whatever_the_kind_stands(plan):
    seven_hours = _case("unknown", None, end="2009-04-01T23:00")
    assert _finding(plan, seven_hours).status == "no violation"


def test_the_report_asks_once_and_the_engines_agree(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(json.dumps(_case("unknown", "2009-04-05T23:00").model_dump(mode="json", exclude_none=True)),
                    encoding="utf-8")
    native = run_cli("check", path, "--format", "json")
    durable = run_cli("check", path, "--format", "json", "--engine", "durable")
    assert native.returncode in (0, 1), native.stderr
    assert native.stdout == durable.stdout
    findings = json.loads(native.stdout)["cases"][0]["proceedings"][0]["findings"]
    asking = [f for f in findings if f["status"] == "needs information"]
    assert asking and all(f["missing"] == ["proceeding.kind"] for f in asking if f["rule"] == RULE)
    text = run_cli("check", path)
    assert text.stdout.count("- [ ] **kind of proceeding") == 1, text.stdout
