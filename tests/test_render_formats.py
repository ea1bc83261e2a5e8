"""Markdown, CSV, JSON (against its schema) and Russian, on a small case and on the bundled cases."""
import csv
import io
import json

import pytest

from tests.helpers import ROOT, run_cli, write_rule
from tests.test_render_html import CASE, TWICE_RULE

ENGLISH_STATUSES = ("probable violation", "needs information", "no violation", "not applicable", "violation",
                    "concern")


@pytest.fixture()
def demo(tmp_path):
    rules = write_rule(tmp_path / "rules")
    write_rule(rules, TWICE_RULE, "twice.yaml")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    return tmp_path / "case.yaml", rules


def bundled_cases():
    folder = ROOT / "cases"
    if not folder.is_dir() or not any(folder.rglob("*.yaml")):
        pytest.skip("no bundled cases under cases/ yet")
    return folder


def test_csv_one_row_per_finding(demo):
    case, rules = demo
    result = run_cli("check", case, "--rules", rules, "-f", "csv")
    assert result.returncode == 1, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    report = json.loads(run_cli("check", case, "--rules", rules, "-f", "json").stdout)
    findings = [f for c in report["cases"] for p in c["proceedings"] for f in p["findings"]]
    assert len(rows) == len(findings) == 3
    twice = next(r for r in rows if r["rule"] == "test.punished-twice")
    assert twice["case"] == "demo" and twice["person"] == "ivanov" and twice["proceeding"] == "admin-2"
    assert twice["status"] == "violation" and twice["citations"] == "ICCPR art. 14(7)"
    assert twice["layer"] == "international" and twice["right"] == "fair_trial" and twice["date"] == "2016-06-01"
    question = next(r for r in rows if r["status"] == "needs information")
    assert question["person_name"] == "Anna Petrova" and "custody[0].hours_before_judge" in question["missing"]


def test_csv_neutralises_formulas(tmp_path):
    from engine.render.csv_report import neutralise

    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)" and neutralise("Ivanov") == "Ivanov"


def test_markdown_for_letters(demo):
    case, rules = demo
    md = run_cli("check", case, "--rules", rules, "-f", "md").stdout
    assert md.startswith("# trialcheck report")
    assert "**violation** — Held too long before a judge [Liberty and security]" in md
    # facts by their meaning, not by machine paths; durations with their unit
    assert "ICCPR art. 14(7)" in md and "custody period 1: time until first seen by a judge — 96 h (established)" in md
    assert "custody[0]" not in md and "1 May 2016, 08:00" in md
    assert "**Punished twice for one act**" in md and "Ivan Ivanov — `demo/admin-2`" in md


def test_russian_markdown_and_csv_have_no_english_status(demo):
    case, rules = demo
    md = run_cli("check", case, "--rules", rules, "-f", "md", "--lang", "ru").stdout
    assert "**нарушение**" in md and "Наказан дважды за одно деяние" in md and "МПГПП ст. 14(7)" in md
    assert "(установлено, источник: Monitor's notes" in md and "— да (установлено)" in md
    lowered = md.lower()
    for word in ENGLISH_STATUSES + ("established", "reported", "missing", "question"):
        assert f"**{word}**" not in lowered and f"({word}," not in lowered
    rows = list(csv.DictReader(io.StringIO(run_cli("check", case, "--rules", rules, "-f", "csv", "--lang", "ru").stdout)))
    assert {r["status_label"] for r in rows} == {"нарушение", "нужна информация"}


def test_json_report_validates_against_its_schema(demo):
    jsonschema = pytest.importorskip("jsonschema")
    case, rules = demo
    schema = json.loads(run_cli("schema", "report").stdout)
    report = json.loads(run_cli("check", case, "--rules", rules, "-f", "json", "--all").stdout)
    jsonschema.validate(report, schema)
    report["cases"][0]["proceedings"][0]["findings"][0]["status"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, schema)


def test_jsonl_stays_someone_elses():
    from engine.io.errors import InputError
    from engine.render import extra

    with pytest.raises(InputError):
        extra.render(None, "jsonl")


def test_every_bundled_rule_has_russian_text():
    from engine.io.load import load_rules

    for rule, doc in load_rules():
        for text in (rule.title, rule.explanation, rule.ask):
            assert text.ru.strip(), f"{doc.path}: {rule.id} lacks Russian text"
            assert any("\u0400" <= ch <= "\u04ff" for ch in text.ru), f"{doc.path}: {rule.id}: ru is not Russian"


def test_bundled_cases_in_every_format():
    cases = bundled_cases()
    jsonschema = pytest.importorskip("jsonschema")
    result = run_cli("check", cases, "-f", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(run_cli("schema", "report").stdout))
    flagged = [f for c in report["cases"] for p in c["proceedings"] for f in p["findings"]]
    rows = list(csv.DictReader(io.StringIO(run_cli("check", cases, "-f", "csv").stdout)))
    assert len(rows) == len(flagged)
    md = run_cli("check", cases, "-f", "md").stdout
    assert all(f"## Case `{c['id']}`" in md for c in report["cases"])
    ru = run_cli("check", cases, "-f", "md", "--lang", "ru").stdout
    for status in ENGLISH_STATUSES:
        assert f"**{status}**" not in ru
    html = run_cli("check", cases, "-f", "html").stdout
    assert 'id="summary"' in html and all(f'id="case-{c["id"]}"' in html for c in report["cases"])
