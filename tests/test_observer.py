"""`trialcheck new` writes a skeleton that validates; `questions` lists what is unknown as a checklist."""
import json

from tests.helpers import run_cli, write_rule
from tests.test_render_html import CASE


def test_new_writes_a_valid_skeleton_with_schema_header(tmp_path):
    target = tmp_path / "cases" / "ivanov-2011.yaml"
    result = run_cli("new", "ivanov-2011", "-o", target)
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=.trialcheck/case.schema.json"
    assert "id: ivanov-2011" in text
    schema = json.loads((tmp_path / "cases" / ".trialcheck" / "case.schema.json").read_text())
    assert "proceedings" in schema["properties"]
    assert run_cli("validate", target).returncode == 0
    # the hidden schema file is not taken for a case when the folder is checked
    assert "1 case file(s) valid" in run_cli("validate", tmp_path / "cases").stdout


def test_new_to_stdout_with_given_schema(tmp_path):
    result = run_cli("new", "x1", "--schema", "https://example.org/case.schema.json")
    assert result.returncode == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=https://example.org/case.schema.json\n")
    (tmp_path / "x1.yaml").write_text(result.stdout, encoding="utf-8")
    assert run_cli("validate", tmp_path / "x1.yaml").returncode == 0


def test_new_refuses_bad_id_and_existing_file(tmp_path):
    bad = run_cli("new", "Bad Id", "-o", tmp_path / "x.yaml")
    assert bad.returncode == 2 and "case id" in bad.stderr and not (tmp_path / "x.yaml").exists()
    (tmp_path / "x.yaml").write_text("keep me")
    again = run_cli("new", "x", "-o", tmp_path / "x.yaml")
    assert again.returncode == 2 and "exists already" in again.stderr
    assert (tmp_path / "x.yaml").read_text() == "keep me"


def test_questions_checklist_grouped_by_case_and_proceeding(tmp_path):
    rules = write_rule(tmp_path / "rules")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "demo.yaml").write_text(CASE, encoding="utf-8")
    result = run_cli("questions", tmp_path / "cases", "--rules", rules)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "## Case `demo`" in out and "### Proceeding `crim-2` — Anna Petrova" in out
    assert "- [ ] When was the person brought before a judge?" in out
    assert "custody[0]" not in out and "Missing: custody period 1:" in out  # facts in words, never a path
    assert "crim-1" not in out  # everything needed there is known
    ru = run_cli("questions", tmp_path / "cases", "--rules", rules, "--lang", "ru").stdout
    assert "- [ ] Когда лицо доставили к судье?" in ru and "Не хватает" in ru


def test_questions_bad_input_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x\nproceedings:\n  - id: p\n    kind: nonsense\n    person: q\n")
    result = run_cli("questions", tmp_path / "bad.yaml")
    assert result.returncode == 2 and "bad.yaml:4" in result.stderr and "Traceback" not in result.stderr


def test_skeleton_validates_against_the_json_schema_editors_use():
    import pytest

    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from engine.cli.observe import case_schema_text
    from engine.render.observer import skeleton

    schema = json.loads(case_schema_text())
    jsonschema.validate(yaml.safe_load(skeleton("x1")), schema)
