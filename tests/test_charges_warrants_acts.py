"""Dated charges, custody warrants and investigative acts: the case format holds them, bad values are refused with
file:line (exit 2), the engine derives what rules read, and the rules that read them decide."""
import textwrap

import pytest

from engine.derive.facts import derive_case
from engine.model.case import Case
from engine.model.values import Span
from tests.helpers import run_cli

BASE = {"id": "c", "people": [{"id": "p", "name": "P"}]}


def tree(proceeding: dict):
    data = {**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p", **proceeding}]}
    return derive_case(Case.model_validate(data))[0].tree


def case_file(tmp_path, proceeding_yaml: str):
    text = textwrap.dedent("""\
        id: c
        people: [{id: p, name: P}]
        proceedings:
          - id: a
            kind: criminal
            person: p
        """) + textwrap.indent(textwrap.dedent(proceeding_yaml), "    ")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- bad values: exit 2, file:line, nothing else -----------------------------------------------------------

@pytest.mark.parametrize("body, line, words", [
    ("custody:\n  - start: 2011-06-01\n    warrants:\n      - {at: 2011-06-02, by: judge}\n", 10, "by"),
    ("custody:\n  - start: 2011-06-01\n    warrants:\n      - {at: 2011-06-02, kind: sanction}\n", 10, "kind"),
    ("custody:\n  - start: 2011-06-01\n    exceptional_ground: homeless\n", 9, "exceptional_ground"),
    ("investigative_acts:\n  - {kind: interview, at: 2011-06-02}\n", 8, "kind"),
    ("investigative_acts:\n  - {kind: interrogation, lawyer_present: maybe}\n", 8, "lawyer_present"),
    ("investigative_acts:\n  - {kind: interrogation, custody: nowhere}\n", 8, "custody"),
    ("charges:\n  - {code: KZ-CC-1997, article: '334', charged_at: 2011-08-15, until: 2011-06-01}\n", 8, "until"),
    ("charges:\n  - {code: KZ-CC-1997, article: '334', charged_at: 2011-15-01}\n", 8, "charged_at"),
])
def test_bad_values_are_refused_with_file_and_line(tmp_path, body, line, words):
    path = case_file(tmp_path, body)
    result = run_cli("validate", path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"c.yaml:{line}" in result.stderr, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_the_new_fields_validate(tmp_path):
    path = case_file(tmp_path, """\
        charges:
          - {code: KZ-CC-1997, article: '164', part: '2', charged_at: 2011-06-01, until: 2011-08-15}
          - {code: KZ-CC-1997, article: '334', part: '2', charged_at: 2011-08-15}
        custody:
          - id: held
            start: 2011-06-01T10:00
            basis: pretrial_custody
            exceptional_ground: none
            warrants:
              - {at: 2011-06-01T12:00, by: prosecutor, kind: detention_order, hours: 72, shown: false}
              - {at: 2011-06-04T10:00, by: court, kind: custody_sanction}
        investigative_acts:
          - {kind: interrogation, at: 2011-06-01T21:59, by: investigator, as_role: suspect, custody: held,
             lawyer_requested: true, lawyer_present: false, lawyer_of_choice_refused: true}
        """)
    result = run_cli("validate", path)
    assert result.returncode == 0, result.stderr


# --- what the engine derives --------------------------------------------------------------------------------

def test_a_warrant_issued_after_the_arrest_is_no_warrant_at_the_arrest():
    c = tree({"custody": [{"start": "2011-06-30T10:00",
                           "warrants": [{"at": "2011-06-30T18:00", "by": "prosecutor"}]}]})["custody"][0]
    assert c["warrant_at_arrest"].value is False


def test_a_warrant_issued_before_the_arrest_is_one():
    c = tree({"custody": [{"start": "2011-06-30T10:00", "warrants": [
        {"at": "2011-07-01", "by": "prosecutor"}, {"at": "2011-06-29", "by": "court"}]}]})["custody"][0]
    assert c["warrant_at_arrest"].value is True


def test_a_warrant_the_same_day_without_the_hour_leaves_it_open():
    c = tree({"custody": [{"start": "2011-06-30T10:00", "warrants": [{"at": "2011-06-30"}]}]})["custody"][0]
    assert c["warrant_at_arrest"].value is None


def test_no_warrant_list_asks_for_the_recorded_warrant_fact():
    c = tree({"custody": [{"start": "2011-06-30T10:00"}]})["custody"][0]
    fact = c["warrant_at_arrest"]
    assert fact.value is None and any(i.path.endswith(".warrant") for i in fact.inputs)


def test_hours_to_the_first_court_sanction():
    c = tree({"custody": [{"start": "2011-09-08T10:00", "warrants": [
        {"at": "2011-09-08T12:00", "by": "prosecutor", "kind": "detention_order"},
        {"at": "2011-09-12T10:00", "by": "court", "kind": "extension"},
        {"at": "2011-09-11T12:00", "by": "court", "kind": "custody_sanction"}]}]})["custody"][0]
    assert c["hours_to_court_sanction"].value == Span(74, 74) or c["hours_to_court_sanction"].value == 74
    assert c["sanctioned_by"].value == "court"


def test_no_court_ever_sanctioned_counts_the_whole_period():
    c = tree({"custody": [{"start": "2011-09-08T10:00", "end": "2011-09-11T18:00", "court_order": False,
                           "warrants": [{"at": "2011-09-08T11:00", "by": "police"}]}]})["custody"][0]
    assert c["court_sanction_at"].value.text == "never"
    assert c["hours_to_court_sanction"].value in (80, Span(80, 80))


def test_an_unnamed_issuer_keeps_the_court_sanction_unknown():
    c = tree({"custody": [{"start": "2011-09-08T10:00", "end": "2011-09-11T18:00", "court_order": False,
                           "warrants": [{"at": "2011-09-09T11:00"}]}]})["custody"][0]
    assert c["court_sanction_at"].value is None


def test_a_custody_sanctioned_only_by_a_prosecutor():
    c = tree({"custody": [{"start": "2008-03-01", "basis": "pretrial_custody", "warrants": [
        {"at": "2008-03-03", "by": "prosecutor", "kind": "custody_sanction"}]}]})["custody"][0]
    assert c["sanctioned_by"].value == "prosecutor"


def test_charge_dates_and_investigative_acts_reach_the_rules():
    t = tree({"charges": [{"code": "KZ-CC-1997", "article": "334", "charged_at": "2011-08-15", "until": "never"}],
              "investigative_acts": [{"kind": "interrogation", "at": "2011-08-16T22:00", "lawyer_present": False}]})
    assert t["charges"][0]["charged_at"].value.text == "2011-08-15"
    assert t["charges"][0]["until"].value.text == "never"
    assert t["investigative_acts"][0]["lawyer_present"].value is False
    assert t["dates"]["investigation"].value.text == "2011-08-16T22:00"


# --- the rules that read them, on a whole case file -------------------------------------------------------

def outcomes(tmp_path, body: str) -> dict:
    import json

    path = case_file(tmp_path, body)
    result = run_cli("check", path, "--format", "json", "--all")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return {f["rule"]: f["status"] for c in report["cases"] for p in c["proceedings"] for f in p["findings"]}


def test_custody_kept_on_after_a_reclassification_and_custody_ordered_on_the_minor_charge(tmp_path):
    kept = outcomes(tmp_path, """\
        charges:
          - {code: KZ-CC-1997, article: '164', part: '2', charged_at: 2011-06-01, until: 2011-08-15}
          - {code: KZ-CC-1997, article: '334', part: '2', charged_at: 2011-08-15}
        custody: [{start: 2011-06-01, end: 2011-10-01, basis: pretrial_custody}]
        """)
    assert kept["kz-cpc-1997.150-1.custody-for-minor-offence"] == "concern"
    released = outcomes(tmp_path, """\
        charges:
          - {code: KZ-CC-1997, article: '164', part: '2', charged_at: 2011-06-01, until: 2011-08-15}
          - {code: KZ-CC-1997, article: '334', part: '2', charged_at: 2011-08-15}
        custody: [{start: 2011-06-01, end: 2011-08-01, basis: pretrial_custody}]
        """)
    assert released["kz-cpc-1997.150-1.custody-for-minor-offence"] == "no violation"
    ordered = outcomes(tmp_path, """\
        charges: [{code: KZ-CC-1997, article: '334', part: '2', charged_at: 2011-06-01}]
        custody: [{start: 2011-06-02, basis: pretrial_custody, exceptional_ground: none}]
        """)
    assert ordered["kz-cpc-1997.150-1.custody-without-exceptional-ground"] == "probable violation"
    assert ordered["kz-cpc-1997.150-1.custody-for-minor-offence"] == "no violation"


def test_interrogation_without_the_lawyer_asked_for(tmp_path):
    found = outcomes(tmp_path, """\
        investigative_acts:
          - {kind: interrogation, at: 2011-03-05T21:59, as_role: suspect, lawyer_requested: true, lawyer_present: false}
        """)
    assert found["iccpr.14-3-b.interrogated-without-counsel"] == "probable violation"
    assert found["kz-cpc-1997.71-1.interrogated-without-requested-defender"] == "probable violation"


# --- CSV import --------------------------------------------------------------------------------------------

def test_csv_import_carries_charge_dates_a_warrant_and_an_interrogation(tmp_path):
    header = ("case_id,person_name,proceeding_kind,charge_code,charge_article,charge_charged_at,charge_until,"
              "custody_start,custody_basis,custody_warrant_at,custody_warrant_by,custody_warrant_kind,"
              "custody_exceptional_ground,interrogation_at,interrogation_lawyer_requested,interrogation_lawyer_present")
    row = ("aminov,Aminov,criminal,KZ-CC-1997;KZ-CC-1997,164;334,2011-06-01;2011-08-15,2011-08-15;,"
           "2011-06-01,pretrial_custody,2011-06-03,court,custody_sanction,none,2011-06-01T22:00,yes,no")
    (tmp_path / "in.csv").write_text(header + "\n" + row + "\n", encoding="utf-8")
    result = run_cli("import-csv", tmp_path / "in.csv", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    data = Case.model_validate(__import__("yaml").safe_load((tmp_path / "out" / "aminov.yaml").read_text()))
    proc = data.proceedings[0]
    assert [c.charged_at.value for c in proc.charges] == ["2011-06-01", "2011-08-15"]
    assert proc.charges[0].until.value == "2011-08-15" and proc.charges[1].until is None
    warrant = proc.custody[0].warrants[0]
    assert (warrant.at.value, warrant.by.value, warrant.kind.value) == ("2011-06-03", "court", "custody_sanction")
    assert proc.custody[0].exceptional_ground.value == "none"
    act = proc.investigative_acts[0]
    assert (act.kind, act.lawyer_requested.value, act.lawyer_present.value) == ("interrogation", True, False)
    assert run_cli("validate", tmp_path / "out" / "aminov.yaml").returncode == 0


def test_csv_charge_dates_must_match_the_charges(tmp_path):
    text = ("case_id,person_name,proceeding_kind,charge_code,charge_article,charge_charged_at\n"
            "x,X,criminal,KZ-CC-1997;KZ-CC-1997,164;334,2011-06-01\n")
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    result = run_cli("import-csv", tmp_path / "in.csv", "-o", tmp_path / "out")
    assert result.returncode == 2 and "in.csv:2" in result.stderr and "charge_charged_at" in result.stderr
