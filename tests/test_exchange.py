"""CSV import into case files, and the HURIDOCS Events Standard Formats export."""
import csv
import io

from tests.helpers import run_cli, write_rule
from tests.test_render_html import CASE, TWICE_RULE

GOOD = """\
case_id,case_title,source_id,source_title,status,person_id,person_name,person_name_ru,incident_id,incident_kind,incident_date,incident_place,proceeding_id,proceeding_kind,charge_code,charge_article,custody_start,custody_end,custody_basis,hearing_date,hearing_public,lawyer_present,decision_date,sanction_kind,sanction_days,note
ivanov,Ivanov case,s1,NGO report,reported,ivanov,Ivan Ivanov,Иван Иванов,rally,assembly,2011-06-05,Zhanaozen,admin-1,administrative,KZ-CAO-2001,373,2011-06-05T12:00,2011-06-08T12:00,administrative_detention,2011-06-06,no,no,2011-06-06,arrest,15,first
ivanov,,s1,,,ivanov,Ivan Ivanov,,rally,,,,admin-2,administrative,KZ-CAO-2001,373,,,,,,,2011-06-20,fine,,second
petrova,Petrova case,s2,Court record,established,,Anna Petrova,,,,,,,criminal,KZ-CC-1997;KZ-CC-1997,241;164,2011-12-17,,suspect_detention,,,,,,,
"""


def test_import_writes_cases_that_validate_and_check(tmp_path):
    (tmp_path / "in.csv").write_text(GOOD, encoding="utf-8")
    result = run_cli("import-csv", tmp_path / "in.csv", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ivanov.yaml", "petrova.yaml"]
    assert run_cli("validate", tmp_path / "out").stdout.strip() == "2 case file(s) valid"
    import yaml

    ivanov = yaml.safe_load((tmp_path / "out" / "ivanov.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in ivanov["proceedings"]] == ["admin-1", "admin-2"]
    first = ivanov["proceedings"][0]
    assert first["custody"][0]["basis"] == "administrative_detention" and first["hearings"][0]["public"] is False
    assert first["decision"]["sanctions"] == [{"kind": "arrest", "days": 15}]
    assert ivanov["people"] == [{"id": "ivanov", "name": "Ivan Ivanov", "name_ru": "Иван Иванов"}]
    petrova = yaml.safe_load((tmp_path / "out" / "petrova.yaml").read_text(encoding="utf-8"))
    assert petrova["defaults"] == {"source": "s2", "status": "established"}
    assert [c["article"] for c in petrova["proceedings"][0]["charges"]] == ["241", "164"]


def test_import_bad_value_names_the_line_and_writes_nothing(tmp_path):
    (tmp_path / "in.csv").write_text(GOOD.replace("suspect_detention", "jailed"), encoding="utf-8")
    result = run_cli("import-csv", tmp_path / "in.csv", "-o", tmp_path / "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "in.csv:4:" in result.stderr and "jailed" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_import_unknown_column_and_bad_boolean(tmp_path):
    (tmp_path / "a.csv").write_text(GOOD.replace("hearing_public", "hearing_publik"), encoding="utf-8")
    result = run_cli("import-csv", tmp_path / "a.csv", "-o", tmp_path / "out")
    assert result.returncode == 2 and "a.csv:1: unknown column 'hearing_publik' (did you mean 'hearing_public'?)" in result.stderr
    (tmp_path / "b.csv").write_text(GOOD.replace(",no,no,", ",perhaps,no,"), encoding="utf-8")
    result = run_cli("import-csv", tmp_path / "b.csv", "-o", tmp_path / "out")
    assert result.returncode == 2 and "b.csv:2: column hearing_public: 'perhaps' is not yes, no or unknown" in result.stderr


def test_import_refuses_to_overwrite(tmp_path):
    (tmp_path / "in.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "ivanov.yaml").write_text("mine")
    result = run_cli("import-csv", tmp_path / "in.csv", "-o", tmp_path / "out")
    assert result.returncode == 2 and "exists already" in result.stderr
    assert (tmp_path / "out" / "ivanov.yaml").read_text() == "mine" and not (tmp_path / "out" / "petrova.yaml").exists()


def _export(tmp_path, *extra):
    rules = write_rule(tmp_path / "rules")
    write_rule(rules, TWICE_RULE, "twice.yaml")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    result = run_cli("export", "huridocs", tmp_path / "case.yaml", "--rules", rules, *extra)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_huridocs_export_codes_acts_rights_and_perpetrators(tmp_path):
    rows = _export(tmp_path)
    assert len(rows) == 2  # the violations; the open question is not an act
    detention = next(r for r in rows if "crim-1" in r["2101 Act Record Number"])
    assert detention["2102 Victim Name"] == "Ivan Ivanov"
    assert detention["2109 Type of Act"] == "Detention, imprisonment" and detention["2109 Type of Act (code)"] == "03 01 02"
    assert detention["0153 Rights Affected"] == "Liberty of person (Right to)" and detention["0153 Rights Affected (code)"] == "01 08"
    assert detention["2412 Type of Perpetrator"] == "Executive"
    assert detention["2154 National Legislation"] == "KZ Code of Criminal Procedure 2014 art. 131(4)"
    assert detention["2112 Exact Location"] == "Zhanaozen" and detention["2111 Initial Date"].startswith("2016-05-01")
    twice = next(r for r in rows if "admin-2" in r["2101 Act Record Number"])
    assert twice["0153 Rights Affected (code)"] == "03 10 10" and twice["2412 Type of Perpetrator"] == "Judiciary"
    assert twice["2155 International Instruments"] == "ICCPR art. 14(7)" and twice["2154 National Legislation"] == ""
    assert twice["2502 Source Name"] == "Monitor's notes & <b>briefing</b>"


def test_huridocs_export_in_russian_and_unknown_export(tmp_path):
    rows = _export(tmp_path, "--lang", "ru")
    assert {r["0151 Violation Status"] for r in rows} == {"нарушение"}
    assert any(r["0153 Rights Affected"] == "Свобода личности (Право на)" for r in rows)
    bad = run_cli("export", "uwazi", tmp_path / "case.yaml")
    assert bad.returncode == 2 and "huridocs" in bad.stderr


def test_huridocs_export_names_the_victim_of_an_allegation_not_the_accused():
    """Legal review 2026-11-30, s.1 item 1: the police blow to Ongarbaeva's 12-year-old son is recorded in her
    proceeding; the export's victim is the son, and the finding's explanation names him."""
    result = run_cli("export", "huridocs", "cases/zhanaozen-2011/ongarbaeva.yaml")
    assert result.returncode == 0, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if "ill-treatment-not-investigated" in r["2101 Act Record Number"]]
    assert rows and {r["2102 Victim Name"] for r in rows} == {"Ongarbaeva's son (not named)"}
    assert all(r["2150 Remarks"].startswith("Ongarbaeva's son (not named) was allegedly subjected") for r in rows)
