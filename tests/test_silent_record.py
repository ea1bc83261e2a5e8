"""A presumption drawn from the record's silence is never more than a probable violation (issue 10).

A rule flagged `rests_on_silent_record` gives `probable violation` even on established facts, on both engines,
and its finding says it rests on the silence; the same rule without the flag gives `violation`. Lint refuses
the flag on a rule that is not presumptive.
"""
from __future__ import annotations

import json

import pytest

from tests.helpers import case_yaml, run_cli, write_rule

RULE = """\
id: test.closed-no-ground
title: {{en: Closed with no ground recorded, ru: Закрыто без основания}}
citation: {{instrument: ICCPR, article: "14", part: "1"}}
in_force: {{from: 1976-03-23}}
act_date: dates.hearing
applies_to: [criminal]
layer: international
kind: {kind}
right: fair_trial
{flag}applies_if: |
  any h in hearings: h.public == false
when: |
  any h in hearings: h.public == false and h.closure_ground == "none"
explanation: {{en: "Closed on {{h.date}}.", ru: "Закрыто {{h.date}}."}}
ask: {{en: "On what ground was the hearing closed?", ru: "На каком основании закрыто слушание?"}}
examples:
  - facts: {{hearings: [{{date: 2011-08-01, public: false, closure_ground: none}}]}}
    expect: {fires}
  - facts: {{hearings: [{{date: 2011-08-01, public: false, closure_ground: public_order}}]}}
    expect: no violation
  - facts: {{hearings: [{{date: 2011-08-01, public: true}}]}}
    expect: not applicable
  - facts: {{hearings: [{{date: 2011-08-01, public: false}}]}}
    expect: needs information
sources: [{{title: test}}]
"""

FLAG = """\
rests_on_silent_record: true
silent_record_why: {en: no ground for closing the hearing is recorded, ru: основание закрытия нигде не указано}
"""

HEARING = "    hearings: [{date: 2011-08-01, public: false, closure_ground: none}]\n"


def _rule(kind="presumptive", flagged=True, fires="probable violation") -> str:
    return RULE.format(kind=kind, flag=FLAG if flagged else "", fires=fires)


def _finding(tmp_path, rule_text: str, engine: str, status: str = "established") -> dict:
    rules = write_rule(tmp_path / "rules", rule_text)
    case = tmp_path / "case.yaml"
    case.write_text(case_yaml(hearings=HEARING, status=status), encoding="utf-8")
    result = run_cli("check", case, "--rules", rules, "--format", "json", "--all", "--engine", engine)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    findings = report["cases"][0]["proceedings"][0]["findings"]
    return next(f for f in findings if f["rule"] == "test.closed-no-ground")


ENGINES = ["native", "durable"]


@pytest.mark.parametrize("engine", ENGINES)
def test_flagged_rule_on_established_facts_is_probable_violation(tmp_path, engine):
    if engine == "durable":
        pytest.importorskip("durable", reason="durable-rules is not installed")
    finding = _finding(tmp_path, _rule(), engine)
    assert finding["status"] == "probable violation"
    assert finding["rests_on_silent_record"] is True
    assert "rests on the record's silence (no ground for closing the hearing is recorded)" in finding["explanation"]


@pytest.mark.parametrize("engine", ENGINES)
def test_same_rule_without_the_flag_is_a_violation(tmp_path, engine):
    if engine == "durable":
        pytest.importorskip("durable", reason="durable-rules is not installed")
    finding = _finding(tmp_path, _rule(flagged=False, fires="violation"), engine)
    assert finding["status"] == "violation"
    assert finding["rests_on_silent_record"] is False
    assert "silence" not in finding["explanation"]


def test_flagged_rule_on_reported_facts_stays_probable(tmp_path):
    finding = _finding(tmp_path, _rule(), "native", status="reported")
    assert finding["status"] == "probable violation"


def test_russian_explanation_says_so(tmp_path):
    rules = write_rule(tmp_path / "rules", _rule())
    case = tmp_path / "case.yaml"
    case.write_text(case_yaml(hearings=HEARING, status="established"), encoding="utf-8")
    result = run_cli("check", case, "--rules", rules, "--format", "json", "--lang", "ru")
    finding = json.loads(result.stdout)["cases"][0]["proceedings"][0]["findings"][0]
    assert "молчании материалов дела (основание закрытия нигде не указано)" in finding["explanation"]


def test_examples_of_a_flagged_rule_pass_on_both_engines(tmp_path):
    rules = write_rule(tmp_path / "rules", _rule())
    result = run_cli("rules", "test", "--rules", rules)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", ["evaluative", "bright-line"])
def test_lint_refuses_the_flag_on_a_rule_that_is_not_presumptive(tmp_path, kind):
    fires = "concern" if kind == "evaluative" else "violation"
    rules = write_rule(tmp_path / "rules", _rule(kind=kind, fires=fires))
    result = run_cli("rules", "lint", "--rules", rules)
    assert result.returncode != 0
    assert "rests_on_silent_record" in result.stdout + result.stderr


def test_lint_accepts_the_flag_on_a_presumptive_rule(tmp_path):
    rules = write_rule(tmp_path / "rules", _rule())
    result = run_cli("rules", "lint", "--rules", rules)
    assert result.returncode == 0, result.stdout + result.stderr


def test_flag_without_saying_what_is_silent_is_refused(tmp_path):
    text = _rule().replace(FLAG, "rests_on_silent_record: true\n")
    rules = write_rule(tmp_path / "rules", text)
    result = run_cli("rules", "lint", "--rules", rules)
    assert result.returncode == 2
    assert "silent_record_why" in result.stderr
    assert "Traceback" not in result.stderr
