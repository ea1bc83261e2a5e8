"""Cases name their State: treaty rules bind from that State's own dates; Kazakh law binds only Kazakhstan."""
from __future__ import annotations

import json

import pytest

from engine.compile.plan import compile_rules
from engine.evaluate.report import build_report
from engine.evaluate.run import NativeEngine
from engine.io.load import default_treaties, load_rules
from engine.model.case import Case
from engine.model.treaties import BOUND
from tests.helpers import ROOT, run_cli


@pytest.fixture(scope="module")
def plan():
    return compile_rules(load_rules())


def _case(state: str, day: str, case_id: str = "t") -> Case:
    """Held 78 hours without seeing a judge, on a criminal charge, on `day`; facts from a court record."""
    return Case.model_validate({
        "id": case_id, "state": state,
        "defaults": {"status": "established"},
        "people": [{"id": "p", "name": "A. Person"}],
        "proceedings": [{
            "id": "arrest", "kind": "criminal", "person": "p",
            "custody": [{"basis": "suspect_detention", "start": f"{day}T10:00", "before_judge": f"{day[:8]}{int(day[8:]) + 3:02d}T16:00"}],
        }],
    })


def _findings(plan, case: Case, include_all: bool = False):
    report = build_report(plan, [(f"{case.id}.yaml", case)], NativeEngine(), include_all=include_all)
    return report.cases[0], report.cases[0].proceedings[0].findings


def _one(findings, rule_id):
    return next(f for f in findings if f.rule == rule_id)


# ------------------------------------------------------------------ the table itself

def test_every_entry_into_force_follows_its_treaty_clause():
    """A typo in a deposit date or an entry into force fails here: both must fit the treaty's own clause."""
    table = default_treaties()
    wrong = []
    for row in table.rows:
        if not (row.bound and row.deposited):
            continue
        instrument = table.instruments[row.instrument]
        expected = instrument.period.after(row.deposited)
        if instrument.general_entry_into_force and expected < instrument.general_entry_into_force:
            expected = instrument.general_entry_into_force  # deposited before the treaty itself entered into force
        if row.in_force != expected:
            wrong.append(f"{row.state} {row.instrument}: deposited {row.deposited}, in force {row.in_force}, "
                         f"clause gives {expected}")
    assert not wrong, "\n".join(wrong)


def test_every_row_names_its_source_and_kazakh_rows_match_the_legal_review():
    table = default_treaties()
    assert all(row.source.strip() for row in table.rows)
    kz = {r.instrument: r.in_force for r in table.rows if r.state == "KZ" and r.bound}
    assert str(kz["ICCPR"]) == "2006-04-24" and str(kz["ICCPR-OP1"]) == "2009-09-30"
    assert str(kz["CAT"]) == "1998-09-25"
    assert str(kz["ILO-C87"]) == "2001-12-13" and str(kz["ILO-C98"]) == "2002-05-18"
    assert table.row("BY", "ICCPR-OP1").denunciation_effective.isoformat() == "2023-02-08"
    assert {r.act for r in table.rows} <= set(BOUND) | {"not made", "unknown"}


KZ_DATED_RULE = """\
id: test.iccpr-kz-dated
title: {en: Held over 48 hours before a judge, ru: Более 48 часов до суда}
citation: {instrument: ICCPR, article: "9", part: "3"}
in_force: {from: 2006-04-24}
act_date: dates.detention
applies_to: [criminal]
layer: international
kind: presumptive
right: liberty
applies_if: count(custody) > 0
when: |
  any c in custody: c.hours_before_judge > 48
explanation: {en: "over 48 h", ru: "более 48 ч"}
ask: {en: "When was the person brought before a judge?", ru: "Когда лицо доставили к судье?"}
"""


def test_a_rule_written_with_kazakhstans_date_still_binds_each_state_from_its_own(tmp_path):
    """Rules written before States were added start on Kazakhstan's date: the table's, read as the treaty's."""
    (tmp_path / "rule.yaml").write_text(KZ_DATED_RULE, encoding="utf-8")
    plan = compile_rules(load_rules([str(tmp_path)]))
    _, by = _findings(plan, _case("BY", "1999-05-03"))
    assert _one(by, "test.iccpr-kz-dated").status == "violation"
    _, kz = _findings(plan, _case("KZ", "1999-05-03"), include_all=True)
    assert "entered into force for Kazakhstan on 2006-04-24" in _one(kz, "test.iccpr-kz-dated").explanation


# ------------------------------------------------------------------ Belarus

def test_belarus_act_after_entry_into_force_gets_iccpr_findings_and_no_kazakh_ones(plan):
    case, findings = _findings(plan, _case("BY", "2011-09-08"))
    assert _one(findings, "iccpr.9-3.prompt-before-judge").status == "violation"
    assert not [f for f in findings if f.layer == "domestic"]
    assert case.state == "BY" and case.state_name == "Belarus" and case.domestic_law_encoded is False
    assert case.notices == ["domestic law of Belarus is not encoded; only treaty rules were applied"]


def test_the_same_facts_in_kazakhstan_also_get_kazakh_findings(plan):
    case, findings = _findings(plan, _case("KZ", "2011-09-08"))
    assert _one(findings, "iccpr.9-3.prompt-before-judge").status == "violation"
    assert [f for f in findings if f.layer == "domestic" and f.status == "violation"]
    assert case.domestic_law_encoded is True and case.notices == []


def test_belarus_act_before_the_covenant_bound_it_is_not_applicable_and_says_why(plan):
    _, findings = _findings(plan, _case("BY", "1975-06-10"), include_all=True)
    finding = _one(findings, "iccpr.9-3.prompt-before-judge")
    assert finding.status == "not applicable"
    assert finding.explanation == ("ICCPR entered into force for Belarus on 1976-03-23; "
                                   "the act of 1975-06-10 predates it.")


def test_a_later_accession_moves_the_start_for_that_state_only(plan):
    """Kyrgyzstan acceded in 1994 (in force 1995-01-07): a 1994 act is outside the Covenant for it."""
    _, kg = _findings(plan, _case("KG", "1994-11-02"), include_all=True)
    assert _one(kg, "iccpr.9-3.prompt-before-judge").explanation.startswith(
        "ICCPR entered into force for Kyrgyzstan on 1995-01-07")
    _, by = _findings(plan, _case("BY", "1994-11-02"))
    assert _one(by, "iccpr.9-3.prompt-before-judge").status == "violation"


def test_kazakhstan_before_2006_is_outside_the_covenant(plan):
    _, findings = _findings(plan, _case("KZ", "2005-03-01"), include_all=True)
    finding = _one(findings, "iccpr.9-3.prompt-before-judge")
    assert finding.status == "not applicable"
    assert "entered into force for Kazakhstan on 2006-04-24" in finding.explanation


def test_a_state_not_in_the_table_gets_no_rule_and_is_told(plan):
    case, findings = _findings(plan, _case("FR", "2011-09-08"), include_all=True)
    assert {f.status for f in findings} == {"not applicable"}
    assert case.notices == ["no treaty dates are recorded for FR; no treaty rule was applied"]
    assert "No treaty dates are recorded for FR" in _one(findings, "iccpr.9-3.prompt-before-judge").explanation


def test_reasons_are_said_in_russian_too(plan):
    report = build_report(plan, [("t.yaml", _case("BY", "1975-06-10"))], NativeEngine(), lang="ru", include_all=True)
    finding = _one(report.cases[0].proceedings[0].findings, "iccpr.9-3.prompt-before-judge")
    assert finding.explanation.startswith("ICCPR вступил в силу для Belarus 1976-03-23")
    assert report.cases[0].notices == ["право государства Belarus не закодировано; применены только нормы договоров"]


# ------------------------------------------------------------------ both engines, through the CLI

def test_both_engines_agree_on_other_states(tmp_path):
    pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")
    for state, day in (("BY", "2011-09-08"), ("BY", "1975-06-10"), ("KG", "1994-11-02"), ("FR", "2011-09-08")):
        (tmp_path / f"{state}-{day}.yaml").write_text(
            json.dumps(_case(state, day, f"{state.lower()}-{day}").model_dump(mode="json", exclude_none=True)))
    native = run_cli("check", tmp_path, "--format", "json", "--all")
    durable = run_cli("check", tmp_path, "--format", "json", "--all", "--engine", "durable")
    assert native.returncode in (0, 1), native.stderr
    assert native.stdout == durable.stdout
    cases = {c["id"]: c for c in json.loads(native.stdout)["cases"]}
    assert cases["by-2011-09-08"]["domestic_law_encoded"] is False


def test_the_report_schema_documents_the_state_fields():
    result = run_cli("schema", "report")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for field in ("state", "state_name", "domestic_law_encoded", "notices"):
        assert f'"{field}"' in text


def test_markdown_says_once_per_case_that_domestic_law_is_not_encoded(tmp_path):
    path = tmp_path / "by.yaml"
    path.write_text(json.dumps(_case("BY", "2011-09-08", "by").model_dump(mode="json", exclude_none=True)))
    out = run_cli("check", path, "--format", "md").stdout
    assert out.count("domestic law of Belarus is not encoded") == 1


def test_bundled_cases_are_kazakh():
    assert all("state:" not in p.read_text(encoding="utf-8") or "state: KZ" in p.read_text(encoding="utf-8")
               for p in (ROOT / "cases").rglob("*.yaml"))
