"""The workbench's HTTP API and pages, through starlette's TestClient (no network, no browser)."""
import json
import re

import pytest

pytest.importorskip("fastapi", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("ruamel.yaml", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("multipart", reason="the workbench extra is not installed: pip install '.[serve]'")

from tests.app_support import (DEMO, answer, bundled_folder, client, csrf, demo_folder, encoded, field_errors,  # noqa: E402
                               form_pairs, replace, version_in)
from tests.helpers import ROOT, run_cli  # noqa: E402


@pytest.fixture()
def demo(tmp_path):
    folder = demo_folder(tmp_path)
    c, app = client(folder)
    return c, app, folder / "demo.yaml"


# --- API ---------------------------------------------------------------------------------------------

def test_check_returns_the_cli_json_report(tmp_path):
    case = ROOT / "cases" / "zhanaozen-2011" / "azhigalieva.yaml"
    c, _ = client(tmp_path)
    got = c.post("/api/check", content=case.read_bytes(), headers={"content-type": "application/yaml"})
    assert got.status_code == 200, got.text
    cli = run_cli("check", case, "--format", "json")
    assert cli.returncode == 1, cli.stderr
    expected = json.loads(cli.stdout)
    report = got.json()
    for item in (report, expected):
        for one in item["cases"]:
            one["file"] = "-"
    assert report == expected
    assert any(p["findings"] for p in report["cases"][0]["proceedings"])


def test_check_takes_json_and_russian(tmp_path):
    from engine.io.yamlio import load_text

    c, _ = client(tmp_path)
    data = load_text("demo", DEMO).data
    got = c.post("/api/check?lang=ru", json=data)
    assert got.status_code == 200, got.text
    report = got.json()
    assert report["lang"] == "ru" and report["cases"][0]["id"] == "demo"
    texts = " ".join(f["title"] for p in report["cases"][0]["proceedings"] for f in p["findings"])
    assert re.search("[а-яА-Я]", texts)


def test_bad_case_answers_422_with_line(tmp_path):
    c, _ = client(tmp_path)
    bad = DEMO.replace("kind: criminal", "kind: criminl")
    got = c.post("/api/check", content=bad.encode(), headers={"content-type": "text/plain"})
    assert got.status_code == 422
    errors = got.json()["errors"]
    assert errors and errors[0]["line"] == DEMO.splitlines().index("    kind: criminal") + 1
    assert "kind" in errors[0]["message"]
    broken = c.post("/api/check", content=b"id: [unclosed", headers={"content-type": "application/yaml"})
    assert broken.status_code == 422 and "invalid YAML" in broken.json()["errors"][0]["message"]
    assert broken.json()["errors"][0]["line"] in (1, 2)  # where the parser found the list unclosed


def test_explain_rules_and_schema(tmp_path):
    c, _ = client(tmp_path)
    rules = c.get("/api/rules").json()
    ids = {r["id"] for r in rules}
    assert "iccpr.9-3.prompt-before-judge" in ids and all(r["citations"] for r in rules)
    got = c.post("/api/explain?rule=iccpr.9-3.prompt-before-judge", content=DEMO.encode(),
                 headers={"content-type": "application/yaml"})
    assert got.status_code == 200, got.text
    assert got.json()["text"].startswith("iccpr.9-3.prompt-before-judge")
    assert "crim-1" in got.json()["text"]
    missing = c.post("/api/explain?rule=no.such.rule", content=DEMO.encode())
    assert missing.status_code == 404
    from engine.model.case import Case

    assert c.get("/api/schema/case").json() == Case.model_json_schema()
    assert c.get("/api/schema/nothing").status_code == 422


def test_openapi_documents_the_api_and_serves_no_remote_docs_page(tmp_path):
    c, _ = client(tmp_path)
    doc = c.get("/api/openapi.json").json()
    for path in ("/api/check", "/api/explain", "/api/rules", "/api/schema/{what}", "/api/cases"):
        assert path in doc["paths"], path
    body = doc["paths"]["/api/check"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/yaml"} <= set(body)
    assert "CaseInput" in doc["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(doc)))
    unresolved = [r for r in refs if r.split("/")[-1] not in doc["components"]["schemas"]]
    assert refs and unresolved == []
    assert c.get("/docs").status_code == 404  # the docs page would load scripts from the internet


# --- pages ---------------------------------------------------------------------------------------------

def test_case_list_counts_and_search(tmp_path):
    folder = bundled_folder(tmp_path, ("azhigalieva.yaml", "sokolova.yaml"))
    c, _ = client(folder)
    page = c.get("/")
    assert page.status_code == 200
    assert "/cases/azhigalieva" in page.text and "/cases/sokolova" in page.text
    only = c.get("/", params={"q": "Azhigalieva"}).text
    assert "/cases/azhigalieva" in only and "/cases/sokolova" not in only
    by_date = c.get("/", params={"since": "2011-09-01", "until": "2011-09-30"}).text
    assert "/cases/azhigalieva" in by_date
    none = c.get("/", params={"since": "1990-01-01", "until": "1990-12-31"}).text
    assert "/cases/azhigalieva" not in none and "No case matches" in none
    cases = c.get("/api/cases").json()
    assert {x["id"] for x in cases} == {"azhigalieva", "sokolova"}
    assert all(sum(x["counts"].values()) > 0 for x in cases)


def test_answering_a_question_records_the_fact_and_shows_what_changed(demo):
    c, app, path = demo
    page = c.get("/cases/demo").text
    assert 'data-key="proceedings.0.custody.0.before_judge"' in page
    got = answer(c, app, "demo", "proceedings.0.custody.0.before_judge", "2011-09-12T10:00",
                 source="s1", status="established", quote="brought to court on the fourth day")
    assert got.status_code == 303, got.text
    text = path.read_text(encoding="utf-8")
    assert ("        before_judge: {value: 2011-09-12T10:00, source: s1, status: established, "
            "quote: brought to court on the fourth day}\n") in text
    assert "# A demo case written by hand" in text and "# detained at the square" in text
    assert "# as the source spells it" in text
    after = c.get(got.headers["location"]).text
    assert 'id="changes"' in after
    changes = after[after.index('id="changes"'):after.index("</section>", after.index('id="changes"'))]
    assert "prompt-before-judge" in json.dumps(app.state.changes[("demo", version_in(after))])
    assert "violation" in changes and "crim-1" in changes
    report = c.get("/api/cases/demo").json()
    fired = {(f["rule"], f["status"]) for p in report["cases"][0]["proceedings"] for f in p["findings"]}
    assert ("iccpr.9-3.prompt-before-judge", "violation") in fired


def test_answer_refuses_a_field_that_is_not_a_fact(demo):
    c, app, path = demo
    before = path.read_bytes()
    got = answer(c, app, "demo", "proceedings.0.id", "x")
    assert got.status_code == 400 and path.read_bytes() == before


def test_unchanged_form_keeps_the_file_byte_for_byte(tmp_path):
    folder = bundled_folder(tmp_path, ("azhigalieva.yaml", "three-women-2011.yaml"))
    folder.joinpath("demo.yaml").write_text(DEMO, encoding="utf-8")
    c, _ = client(folder)
    for case_id, name in (("azhigalieva", "azhigalieva.yaml"), ("three-women-2011", "three-women-2011.yaml"),
                          ("demo", "demo.yaml")):
        before = folder.joinpath(name).read_bytes()
        pairs = form_pairs(c.get(f"/cases/{case_id}/edit").text, "caseform")
        got = c.post(f"/cases/{case_id}/edit", **encoded(pairs), follow_redirects=False)
        assert got.status_code == 303, field_errors(got.text)
        assert folder.joinpath(name).read_bytes() == before, name


def test_form_edit_changes_one_line_and_keeps_comments(demo):
    c, _, path = demo
    pairs = form_pairs(c.get("/cases/demo/edit").text, "caseform")
    pairs = replace(pairs, "f.proceedings.0.hearings.0.public.value", "no")
    pairs = replace(pairs, "f.proceedings.0.hearings.0.public.quote", "the judge sent everyone out")
    pairs = replace(pairs, "f.title", "Demo: a closed hearing")
    got = c.post("/cases/demo/edit", **encoded(pairs), follow_redirects=False)
    assert got.status_code == 303, field_errors(got.text)
    old, new = DEMO.splitlines(), path.read_text(encoding="utf-8").splitlines()
    assert new[0] == old[0]
    assert new[old.index("      - start: 2011-09-08T10:00   # detained at the square")].endswith("# detained at the square")
    assert "      - {code: KZ-CC-1997, article: 241, part: \"2\"}   # mass disorder" in new
    assert "title: 'Demo: a closed hearing'" in new or 'title: "Demo: a closed hearing"' in new
    assert new[-1].strip().startswith("public:") and "the judge sent everyone out" in new[-1]
    assert len(new) == len(old) + 1


def test_validation_errors_appear_on_their_field_and_nothing_is_written(demo):
    c, _, path = demo
    before = path.read_bytes()
    pairs = form_pairs(c.get("/cases/demo/edit").text, "caseform")
    pairs = replace(pairs, "f.proceedings.0.custody.0.start.value", "yesterday")
    pairs = replace(pairs, "f.proceedings.0.person", "nobody")
    got = c.post("/cases/demo/edit", **encoded(pairs), follow_redirects=False)
    assert got.status_code == 422
    errors = field_errors(got.text)
    assert "f.proceedings.0.custody.0.start" in errors, errors
    assert path.read_bytes() == before


def test_two_tabs_the_second_save_is_refused_and_shows_the_other_version(demo):
    c, _, path = demo
    tab1 = form_pairs(c.get("/cases/demo/edit").text, "caseform")
    tab2 = list(tab1)
    first = c.post("/cases/demo/edit", **encoded(replace(tab1, "f.title", "Title from tab one")), follow_redirects=False)
    assert first.status_code == 303
    saved = path.read_bytes()
    second = c.post("/cases/demo/edit", **encoded(replace(tab2, "f.title", "Title from tab two")), follow_redirects=False)
    assert second.status_code == 409
    assert path.read_bytes() == saved  # nothing overwritten
    assert "Title from tab one" in second.text and "Title from tab two" in second.text
    assert 'id="conflict"' in second.text


def test_a_change_on_disk_is_detected(demo):
    c, app, path = demo
    page = c.get("/cases/demo").text
    seen = version_in(page)
    assert c.get("/api/cases/demo/version").json()["version"] == seen
    path.write_text(DEMO.replace("Demo detention", "Changed in an editor"), encoding="utf-8")
    assert c.get("/api/cases/demo/version").json()["version"] != seen
    got = c.post("/cases/demo/answer", data={"csrf": csrf(app), "version": seen, "key": "proceedings.0.hearings.0.public",
                                             "value": "no"}, follow_redirects=False)
    assert got.status_code == 409 and "Changed in an editor" in path.read_text(encoding="utf-8")
    assert "public" not in path.read_text(encoding="utf-8")


def test_new_case_through_the_form(tmp_path):
    folder = demo_folder(tmp_path)
    c, _ = client(folder)
    pairs = form_pairs(c.get("/new").text, "caseform")
    pairs = replace(pairs, "f.id", "new-case")
    pairs = replace(pairs, "f.sources.0.title", "Notes of the hearing")
    pairs = replace(pairs, "f.people.0.name", "Ivan Ivanov")
    pairs = replace(pairs, "f.proceedings.0.kind", "administrative")
    got = c.post("/new", **encoded(pairs), follow_redirects=False)
    assert got.status_code == 303, field_errors(got.text)
    text = folder.joinpath("new-case.yaml").read_text(encoding="utf-8")
    assert "Ivan Ivanov" in text and text.startswith("# A trialcheck case file")
    assert run_cli("validate", folder / "new-case.yaml").returncode == 0
    assert c.get("/cases/new-case").status_code == 200
    again = c.post("/new", **encoded(pairs), follow_redirects=False)
    assert again.status_code == 422 and "already used" in again.text


def test_reports_for_a_selection(tmp_path):
    folder = bundled_folder(tmp_path, ("azhigalieva.yaml", "sokolova.yaml"))
    c, _ = client(folder)
    html = c.get("/reports/file", params={"format": "html", "case": "azhigalieva"})
    assert html.status_code == 200 and "<svg" in html.text and "Sokolova" not in html.text
    pdf = c.get("/reports/file", params={"format": "pdf", "case": "azhigalieva"})
    assert '<script src="/static/print.js"></script>' in pdf.text
    csv = c.get("/reports/file", params=[("format", "csv"), ("case", "azhigalieva"), ("case", "sokolova")])
    assert csv.headers["content-disposition"].startswith("attachment") and "azhigalieva" in csv.text and "sokolova" in csv.text
    huridocs = c.get("/reports/file", params={"format": "huridocs", "lang": "ru"})
    assert huridocs.status_code == 200 and huridocs.text.count("\n") > 1
    both = c.get("/reports/file", params={"format": "json"}).json()
    assert [x["id"] for x in both["cases"]] == ["azhigalieva", "sokolova"]
    assert c.get("/reports/file", params={"format": "exe"}).status_code == 400


def test_a_json_case_file_stays_json(tmp_path):
    from engine.io.yamlio import load_text

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "demo.json").write_text(json.dumps(load_text("demo", DEMO).data, indent=2), encoding="utf-8")
    c, app = client(folder)
    got = answer(c, app, "demo", "proceedings.0.hearings.0.public", "no", quote="closed")
    assert got.status_code == 303, got.text
    data = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
    assert data["proceedings"][0]["hearings"][0]["public"] == {"value": False, "quote": "closed"}
