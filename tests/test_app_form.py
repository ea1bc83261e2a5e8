"""The case form is generated from the case schema, and saving keeps what a person wrote."""
import pytest

pytest.importorskip("fastapi", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("ruamel.yaml", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("multipart", reason="the workbench extra is not installed: pip install '.[serve]'")

from engine.app import formschema, yamledit  # noqa: E402
from engine.io.yamlio import load_text  # noqa: E402
from tests.app_support import DEMO, client  # noqa: E402
from tests.formdata import form_pairs  # noqa: E402
from tests.helpers import ROOT  # noqa: E402


def _walk(field, schema, defs, path="case"):
    """Pairs (form field, schema properties) for every object the form shows."""
    props = schema.get("properties", {})
    yield path, field, props
    for sub in field.fields:
        if sub.kind in ("object", "list"):
            yield from _walk(sub, defs[sub.model], defs, f"{path}.{sub.key}")


def test_the_form_has_every_field_of_the_schema_with_its_type():
    from engine.model.case import Case

    schema = Case.model_json_schema()
    defs = schema["$defs"]
    seen = 0
    for path, field, props in _walk(formschema.form_tree(), schema, defs):
        assert [f.key for f in field.fields] == list(props), path
        seen += 1
    assert seen > 15
    tree = {f.key: f for f in formschema.form_tree().fields}
    proceeding = {f.key: f for f in tree["proceedings"].fields}
    hearing = {f.key: f for f in proceeding["hearings"].fields}
    custody = {f.key: f for f in proceeding["custody"].fields}
    assert (hearing["public"].kind, hearing["public"].value_kind) == ("fact", "bool")
    assert (custody["start"].kind, custody["start"].value_kind) == ("fact", "time")
    assert custody["basis"].value_kind == "choice" and "suspect_detention" in custody["basis"].choices
    assert proceeding["kind"].kind == "choice" and proceeding["kind"].required
    assert proceeding["person"].refers_to == "people"
    assert {f.key: f for f in tree["defaults"].fields}["status"].choices[0] == "established"
    decision = {f.key: f for f in proceeding["decision"].fields}
    assert decision["sanctions"].kind == "list"


@pytest.mark.parametrize("path", sorted((ROOT / "cases").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_case_comes_back_from_its_form_unchanged(tmp_path, path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / path.name).write_bytes(path.read_bytes())
    c, app = client(folder)
    data = load_text(path.name, path.read_text(encoding="utf-8")).data
    pairs = form_pairs(c.get(f"/cases/{data['id']}/edit").text, "caseform")
    parsed = formschema.parse_form(pairs, data)
    assert parsed.data == data
    assert yamledit.edited_text(path.read_text(encoding="utf-8"), data, parsed.data) == path.read_text(encoding="utf-8")


def test_text_the_engine_would_misread_is_quoted():
    data = load_text("demo", DEMO).data
    new = dict(data, title="yes", summary="1e3")
    text = yamledit.edited_text(DEMO, data, new)
    again = load_text("demo", text).data
    assert again["title"] == "yes" and again["summary"] == "1e3"
    assert "# A demo case written by hand" in text


def test_a_list_item_removed_in_the_form_is_removed_from_the_file():
    data = load_text("demo", DEMO).data
    new = dict(data, people=[])
    pairs = [("f.id", "demo"), ("f.people.0._present", "1"), ("f.people.0._remove", "1"), ("f.people.0.id", "p1")]
    parsed = formschema.parse_form(pairs, data)
    assert "people" not in parsed.data or parsed.data["people"] == []
    text = yamledit.edited_text(DEMO, data, new)
    assert "Test Person" not in text and "# detained at the square" in text


def test_a_time_known_by_bounds_comes_back_unchanged(tmp_path):
    text = DEMO.replace("        basis: suspect_detention\n",
                        "        basis: suspect_detention\n        before_judge: {after: 2011-09-10, before: 2011-09-12}\n")
    data = load_text("demo", text).data
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    c, _ = client(folder)
    page = c.get("/cases/demo/edit").text
    assert 'value="2011-09-10/2011-09-12"' in page
    parsed = formschema.parse_form(form_pairs(page, "caseform"), data)
    assert parsed.data == data


def test_a_value_the_form_has_no_choice_for_is_kept(tmp_path):
    """A yes/no written in Russian (`да`) or any value the select does not list stays as written."""
    text = DEMO.replace("      - date: 2011-09-08\n", "      - date: 2011-09-08\n        public: да\n")
    data = load_text("demo", text).data
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    c, _ = client(folder)
    parsed = formschema.parse_form(form_pairs(c.get("/cases/demo/edit").text, "caseform"), data)
    assert parsed.data == data
