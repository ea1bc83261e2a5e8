"""The CLI's contracts: exit codes, JSON shape, determinism, line-accurate errors, nothing half-written."""
import json

import pytest

from tests.helpers import CUSTODY_RULE, case_yaml, run_cli, write_rule

OVER = "    custody:\n      - {start: 2016-05-01T08:00, before_judge: 2016-05-09T08:00}\n"
WITHIN = "    custody:\n      - {start: 2016-05-01T08:00, before_judge: 2016-05-01T09:00}\n"


@pytest.fixture()
def rules(tmp_path):
    return write_rule(tmp_path / "rules")


def test_exit_1_with_findings_and_json_contract(tmp_path, rules):
    (tmp_path / "c.yaml").write_text(case_yaml(OVER))
    result = run_cli("check", tmp_path / "c.yaml", "--rules", rules, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    finding = report["cases"][0]["proceedings"][0]["findings"][0]
    assert report["cases"][0]["id"] == "t" and report["cases"][0]["proceedings"][0]["id"] == "pr"
    assert finding["rule"] == "test.custody-limit" and finding["status"] == "probable violation"
    assert finding["citations"] == ["KZ Code of Criminal Procedure 2014 art. 131(4)"]
    assert "192 h" in finding["explanation"]
    assert any(f["path"] == "custody[0].hours_before_judge" for f in finding["facts"])


def test_exit_0_when_nothing_flagged(tmp_path, rules):
    (tmp_path / "c.yaml").write_text(case_yaml(WITHIN))
    assert run_cli("check", tmp_path / "c.yaml", "--rules", rules).returncode == 0


def test_same_input_same_bytes(tmp_path, rules):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "c.yaml").write_text(case_yaml(OVER))
    first = run_cli("check", tmp_path / "cases", "--rules", rules, "-f", "json", env={"PYTHONHASHSEED": "1"})
    second = run_cli("check", tmp_path / "cases", "--rules", rules, "-f", "json", env={"PYTHONHASHSEED": "2"})
    assert first.stdout == second.stdout and first.stdout


@pytest.mark.parametrize("body, line, words", [
    ("id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - {id: a, kind: criminal, persn: p}\n", 4, "did you mean 'person'"),
    ("id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: q\n", 6, "not in `people`"),
    ("id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"
     "    custody: [{start: 2011-02-30}]\n", 7, "not a real date"),
    ("id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"
     "    decision: {sanctions: [{kind: arrest, days: -5}]}\n", 7, "greater than or equal to 0"),
    ("id: t\npeople: [{id: p, name: P}\n", 3, "invalid YAML"),
    ("id: t\nproceedings:\n  - id: a\n    person: p\n", 3, "kind"),
    ("id: t\npeople: [{id: p, name: P}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"
     "    custody: [{start: 2011-05-02, end: 2011-05-01}]\n", 7, "ends before it starts"),
])
def test_bad_case_file_exit_2_with_line(tmp_path, rules, body, line, words):
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    out = tmp_path / "out.json"
    result = run_cli("check", path, "--rules", rules, "-f", "json", "-o", out)
    assert result.returncode == 2
    assert f"bad.yaml:{line}" in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not out.exists() and result.stdout == ""


def test_output_file_is_written_whole(tmp_path, rules):
    (tmp_path / "c.yaml").write_text(case_yaml(OVER))
    out = tmp_path / "report.json"
    result = run_cli("check", tmp_path / "c.yaml", "--rules", rules, "-f", "json", "-o", out)
    assert result.returncode == 1 and json.loads(out.read_text())["cases"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".trialcheck-")]


def test_fail_on_and_quiet(tmp_path, rules):
    case = tmp_path / "c.yaml"
    case.write_text(case_yaml("    custody: [{start: 2016-05-01T08:00}]\n"))
    only_violations = run_cli("check", case, "--rules", rules, "--fail-on", "violation", "-q")
    assert only_violations.returncode == 0 and only_violations.stdout == ""
    assert run_cli("check", case, "--rules", rules, "--fail-on", "needs information", "-q").returncode == 1


def test_explain_shows_each_subcondition(tmp_path, rules):
    (tmp_path / "c.yaml").write_text(case_yaml(OVER))
    result = run_cli("explain", tmp_path / "c.yaml", "--rules", rules, "--rule", "test.custody-limit")
    assert result.returncode == 0, result.stderr
    assert "c.hours_before_judge > limit_hours  =>  TRUE" in result.stdout and "limit_hours = 72" in result.stdout


def test_schema_case_is_json_schema():
    result = run_cli("schema", "case")
    schema = json.loads(result.stdout)
    assert "proceedings" in schema["properties"]


def test_directory_without_cases_is_bad_input(tmp_path, rules):
    (tmp_path / "empty").mkdir()
    result = run_cli("check", tmp_path / "empty", "--rules", rules)
    assert result.returncode == 2 and "no case files" in result.stderr


def test_rules_check_passes_on_the_bundled_rules_and_fails_on_a_contradiction(tmp_path):
    ok = run_cli("rules", "check", "--engine", "native")
    assert ok.returncode == 0 and " 0 problem(s)" in ok.stdout, ok.stderr
    bad = write_rule(tmp_path / "r", CUSTODY_RULE.replace("expect: no violation", "expect: violation"))
    result = run_cli("rules", "check", "--rules", bad, "--engine", "native")
    assert result.returncode == 1 and "test.custody-limit" in result.stderr


def test_a_derivation_is_never_a_finding_and_has_its_own_place():
    """Legal review 2026-11-30, s.3.2: `engel.penal-in-nature` was printed with the status `violation` under
    --all. A derived fact carries a value (true/false/unknown), is listed apart, and is never counted."""
    import json

    result = run_cli("check", "cases/zhanaozen-2011/azhigalieva.yaml", "--format", "json", "--all")
    report = json.loads(result.stdout)
    derivation_ids = {"engel.penal-in-nature", "kz-lc-2007.303-1-1.strike-at-hazardous-facility"}
    for proc in report["cases"][0]["proceedings"]:
        assert not {f["rule"] for f in proc["findings"]} & derivation_ids
        derived = {d["rule"]: d for d in proc["derived"]}
        assert derived["engel.penal-in-nature"]["value"] == "true" and "status" not in derived["engel.penal-in-nature"]
    assert not set(report["summary"]["rule"]) & derivation_ids


def test_json_questions_ask_each_missing_fact_once_in_words():
    """Issue 10 s.4: the same missing fact is asked once per proceeding, in words, never a machine path."""
    import json

    result = run_cli("check", "cases/zhanaozen-2011/mamai.yaml", "--format", "json")
    report = json.loads(result.stdout)
    for proc in report["cases"][0]["proceedings"]:
        facts = [f for q in proc["questions"] for f in q["facts"]]
        assert len(facts) == len(set(facts))  # once per proceeding
        needed = {m for f in proc["findings"] if f["status"] == "needs information" for m in f["missing"]}
        assert needed and len(proc["questions"]) <= len([f for f in proc["findings"] if f["status"] == "needs information"])
        for q in proc["questions"]:
            assert q["question"].endswith("?") and not any("[" in words for words in q["about"])


DATE_ONLY_CASE = """\
id: date-question
sources: [{id: s, title: note}]
defaults: {source: s, status: established}
people: [{id: p, name: A. B.}]
incidents: [{id: rally, kind: assembly, peaceful: true}]
proceedings:
  - id: arrest
    kind: administrative
    person: p
    incident: rally
    decision: {outcome: penalised, sanctions: [{kind: arrest, days: 10}]}
"""


def test_a_missing_act_date_is_asked_as_a_date_not_with_the_rules_question(tmp_path):
    """Where only the date that picks the law is missing, the question asks for that date (bounds suffice)
    instead of repeating the rule's own question about facts already on file."""
    import json

    case = tmp_path / "date-question.yaml"
    case.write_text(DATE_ONLY_CASE, encoding="utf-8")
    for lang, words in (("en", "date of the detention"), ("ru", "дата задержания")):
        result = run_cli("check", str(case), "--format", "json", "--lang", lang)
        assert result.returncode in (0, 1), result.stderr
        questions = json.loads(result.stdout)["cases"][0]["proceedings"][0]["questions"]
        date_only = [q for q in questions if q["facts"] == ["dates.detention"]]
        assert date_only, questions
        assert date_only[0]["about"] == [words]
        assert words in date_only[0]["question"] and date_only[0]["question"].endswith("?")


def test_a_type_error_names_the_value_once(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nsources: [{id: s, title: t}]\npeople: [{id: p, name: A}]\nproceedings:\n"
                   "  - id: a\n    kind: criminal\n    person: p\n    appeals: [{filed: true}]\n", encoding="utf-8")
    result = run_cli("check", str(bad))
    assert result.returncode == 2
    assert "bad.yaml:8:" in result.stderr and result.stderr.count("True") == 1 and "Traceback" not in result.stderr
