"""Reports a lawyer can file: each output that once misled a reader is pinned here (newcomer review
2026-11-30), with the human words, the reading guide, the report's provenance and the options around them."""
import json
import re
import textwrap

import pytest

from tests.helpers import ROOT, run_cli

CASES = ROOT / "cases" / "zhanaozen-2011"


def bundled(name: str):
    path = CASES / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"bundled case {name} is not here")
    return path


@pytest.fixture(scope="module")
def en(tmp_path_factory):
    out = tmp_path_factory.mktemp("en") / "report.html"
    paths = [bundled(n) for n in ("sokolova", "aminov", "azhigalieva", "sisenbaev")]
    result = run_cli("check", *paths, "-f", "html", "-o", out)
    assert result.returncode == 1, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ru(tmp_path_factory):
    out = tmp_path_factory.mktemp("ru") / "report.html"
    result = run_cli("check", bundled("sokolova"), bundled("aminov"), "-f", "html", "--lang", "ru", "-o", out)
    assert result.returncode == 1, result.stderr
    return out.read_text(encoding="utf-8")


def frozen_rules(tmp_path):
    """A copy of the bundled rules, so two runs compared byte for byte read the same rule base."""
    import shutil

    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def timeline(html: str, case: str) -> str:
    """The calendar of a case's first person (or of ``case-person``)."""
    return html.split(f'id="timeline-{case}', 1)[1].split("</svg>", 1)[0]


def texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg)


# --- nothing misleading --------------------------------------------------------------------------------

def test_punished_twice_lists_concerns_and_never_says_none_beside_them(en):
    twice = en.split('id="punished-twice"', 1)[1].split("</section>", 1)[0]
    assert "Kuanysh Sisenbaev" in twice and 'class="badge concern"' in twice
    assert "None" not in twice
    assert "Every violation, probable violation or concern" in twice  # it says what it counts


def test_markdown_punished_twice_says_what_it_counts(tmp_path):
    md = run_cli("check", bundled("sisenbaev"), "-f", "md").stdout
    section = md.split("**Punished twice for one act**", 1)[1].split("## ", 1)[0]
    assert "Kuanysh Sisenbaev" in section and "concern" in section


def test_rule_titles_say_what_the_condition_tests(tmp_path):
    """A lawyer absent (not refused) must not be reported as 'requested and refused'."""
    case = tmp_path / "absent.yaml"
    case.write_text(textwrap.dedent("""\
        id: absent-lawyer
        sources: [{id: s1, title: test}]
        defaults: {source: s1, status: established}
        people: [{id: p, name: Test Person}]
        proceedings:
          - id: pr
            kind: criminal
            person: p
            hearings: [{date: 2012-03-10, lawyer_requested: true, lawyer_present: false}]
        """), encoding="utf-8")
    report = json.loads(run_cli("check", case, "-f", "json").stdout)
    findings = {f["rule"]: f for c in report["cases"] for p in c["proceedings"] for f in p["findings"]}
    counsel = findings["iccpr.14-3-b.counsel-refused"]
    assert counsel["status"] == "violation"
    assert "absent" in counsel["title"] and "requested and refused" not in counsel["title"]


def test_six_year_sentence_is_drawn_for_its_term(en):
    svg = timeline(en, "sokolova")
    words = texts(svg)
    assert "sentence" in words and "term imposed: 6 years" in words
    assert "→ 8 August 2017" in words  # drawn to the edge with its end, not as "held 0–24 h"
    assert not any("0–24 h" in w and "held" in w for w in words)


def test_arrest_sanction_without_a_custody_row_is_drawn(en):
    svg = timeline(en, "azhigalieva")
    words = texts(svg)
    assert "administrative arrest" in words and "term imposed: 15 days" in words


def test_chained_custody_is_one_calendar_per_person(en):
    svg = timeline(en, "sokolova")
    words = texts(svg)
    # arrest -> pre-trial custody -> sentence on one dated axis
    rows = [w for w in words if w in ("administrative arrest", "pre-trial custody", "sentence")]
    assert rows == ["administrative arrest", "pre-trial custody", "sentence"]
    assert "Jun 2011" in words and "Aug 2011" in words
    assert en.count('id="timeline-sokolova-') == 1


def test_two_months_of_custody_are_not_stretched_by_a_twelve_month_limit(en):
    svg = timeline(en, "aminov")
    words = texts(svg)
    assert not any("12 months" in w for w in words)
    assert not any("2012" in w for w in words), words  # the axis stays in 2011


def test_limits_are_in_the_unit_of_the_law(en):
    svg = timeline(en, "sokolova")
    assert "2 months" in texts(svg) and "12 h · relatives told" in texts(svg)
    assert "1488" not in svg and "1608" not in en


def test_red_only_for_a_violation_or_probable_violation(tmp_path):
    from tests.helpers import CUSTODY_RULE, write_rule

    # the same limit as a bright line (violation) and as a standard to weigh (concern), on two people
    rules = write_rule(tmp_path / "rules")
    write_rule(rules, CUSTODY_RULE.replace("id: test.custody-limit", "id: test.custody-weigh")
               .replace("kind: bright-line", "kind: evaluative").replace("applies_to: [criminal]",
                                                                         "applies_to: [administrative]"), "weigh.yaml")
    case = tmp_path / "c.yaml"
    case.write_text(textwrap.dedent("""        id: colours
        sources: [{id: s1, title: test}]
        defaults: {source: s1, status: established}
        people: [{id: a, name: A Person}, {id: b, name: B Person}]
        proceedings:
          - {id: crim, kind: criminal, person: a, custody: [{start: 2016-05-01T08:00, before_judge: 2016-05-05T08:00}]}
          - {id: adm, kind: administrative, person: b, custody: [{start: 2016-05-01T08:00, before_judge: 2016-05-05T08:00}]}
        """), encoding="utf-8")
    html = run_cli("check", case, "--rules", rules, "-f", "html").stdout
    red = re.search(r'<rect class="overrun violation"[^>]*>', timeline(html, "colours-a"))
    assert red and "#d92d20" in red.group(0)
    svg = html.split('id="timeline-colours-b"', 1)[1].split("</svg>", 1)[0]
    concern = re.search(r'<rect class="overrun concern"[^>]*>', svg)
    assert concern and "#d92d20" not in concern.group(0) and "#d92d20" not in svg


def test_structure_without_a_source_is_not_established(tmp_path):
    """Kinds, ids and codes take the file's default provenance: reported here, never 'established'."""
    report = json.loads(run_cli("check", bundled("aminov"), "-f", "json").stdout)
    facts = [fact for c in report["cases"] for p in c["proceedings"] for f in p["findings"] for fact in f["facts"]]
    kinds = [fact for fact in facts if fact["path"] == "incident.kind"]
    assert kinds and all(fact["status"] == "reported" and fact["source"] for fact in kinds)


def test_skeleton_has_no_placeholder_to_judge(tmp_path):
    path = tmp_path / "trap.yaml"
    assert run_cli("new", "trap-case", "-o", path).returncode == 0
    report = json.loads(run_cli("check", path, "-f", "json").stdout)
    statuses = {f["status"] for c in report["cases"] for p in c["proceedings"] for f in p["findings"]}
    assert statuses <= {"needs information"}, statuses
    assert "kind: assembly" not in path.read_text(encoding="utf-8")


def test_no_local_paths_or_internal_source_tags(en, tmp_path):
    assert "(seed 00" not in en and "cases/zhanaozen-2011" not in en and str(ROOT) not in en
    md = run_cli("check", bundled("sokolova"), "-f", "md").stdout
    assert "(seed 00" not in md and "cases/zhanaozen-2011" not in md


def test_redact_replaces_names_with_initials(tmp_path):
    out = tmp_path / "r.html"
    result = run_cli("check", bundled("sokolova"), "-f", "html", "--redact", "-o", out)
    assert result.returncode == 1, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Sokolova" not in html and "Natalia" not in html and "N. S." in html
    md = run_cli("check", bundled("sokolova"), "-f", "md", "--redact", "--lang", "ru").stdout
    assert "Sokolova" not in md


# --- human words --------------------------------------------------------------------------------------

def test_facts_by_meaning_and_durations_in_days(en):
    sokolova = en.split('id="case-sokolova"', 1)[1].split('<section class="case', 1)[0]
    assert "custody period 1: kept on after an earlier term ended" in sokolova and "67–69 days" in sokolova
    assert "custody[0]" not in sokolova and "1608.02" not in sokolova and "2011-06-01" not in sokolova
    assert "1 June 2011" in sokolova


def test_reading_guide_and_report_provenance(tmp_path):
    out = tmp_path / "r.html"
    env = {"SOURCE_DATE_EPOCH": "1764460800"}  # 2025-11-30
    rules = frozen_rules(tmp_path)
    result = run_cli("check", bundled("sokolova"), "-f", "html", "--author", "Observer X", "-o", out, "--rules", rules,
                     env=env)
    assert result.returncode == 1, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'id="how-to-read"' in html and "probable violation" in html.split('id="how-to-read"')[1][:3000]
    head = html.split('id="provenance-of-report"', 1)[1].split("</div>", 1)[0]
    assert "30 November 2025" in head and "Observer X" in head and re.search(r"rules: \d+ rules, [0-9a-f]{12}", head)
    again = tmp_path / "again.html"
    run_cli("check", bundled("sokolova"), "-f", "html", "--author", "Observer X", "-o", again, "--rules", rules, env=env)
    assert again.read_bytes() == out.read_bytes()  # byte-identical: the date is not the clock's
    undated = run_cli("check", bundled("sokolova"), "-f", "html", env={"SOURCE_DATE_EPOCH": ""}).stdout
    assert "Generated on" not in undated


def test_date_option_is_checked(tmp_path):
    result = run_cli("check", bundled("sokolova"), "--date", "30.11.2026")
    assert result.returncode == 2 and "--date" in result.stderr and "Traceback" not in result.stderr


def test_status_filter_and_no_questions(tmp_path):
    only = json.loads(run_cli("check", bundled("sokolova"), "-f", "json", "--status", "concern").stdout)
    statuses = {f["status"] for c in only["cases"] for p in c["proceedings"] for f in p["findings"]}
    assert statuses == {"concern"}
    md = run_cli("check", bundled("sokolova"), "-f", "md", "--no-questions").stdout
    assert "needs information:" not in md and "Questions to answer" not in md
    bad = run_cli("check", bundled("sokolova"), "--status", "probable_violaton")
    assert bad.returncode == 2 and "did you mean 'probable violation'" in bad.stderr


def test_questions_apart_one_per_missing_fact_naming_the_imprecise_one(tmp_path):
    case = tmp_path / "lawyer.yaml"
    case.write_text(textwrap.dedent("""\
        id: lawyer-day
        sources: [{id: s1, title: test}]
        defaults: {source: s1, status: established}
        people: [{id: p, name: Test Person}]
        proceedings:
          - id: pr
            kind: criminal
            person: p
            custody:
              - {start: 2012-03-05T09:00, basis: suspect_detention, lawyer_requested: true, lawyer_access_at: 2012-03-06}
        """), encoding="utf-8")
    html = run_cli("check", case, "-f", "html").stdout
    checklist = html.split('class="checklist"', 1)[1].split("</ul>", 1)[0]
    assert "the hour — custody period 1: lawyer&#39;s first visit" in checklist
    assert "6 March 2012: 15–39 h" in checklist
    labels = re.findall(r"<li><strong>([^<]+)</strong>", checklist)
    assert len(labels) == len(set(labels)), "one question per missing fact"
    assert html.index('class="checklist"') > html.index("<h3>Findings</h3>")


def test_near_duplicate_findings_on_one_refusal_are_one_card(en):
    sokolova = en.split('id="case-sokolova"', 1)[1].split('<section class="case', 1)[0]
    cards = sokolova.split('<div class="finding ')[1:]
    witnesses = [c for c in cards if "ICCPR art. 14(3)(e)" in c]
    assert len(witnesses) == 1 and "art. 23(7)" in witnesses[0]


# --- Russian ------------------------------------------------------------------------------------------

def test_russian_grammar_values_and_units(ru):
    sokolova = ru.split('id="case-sokolova"', 1)[1].split('<section class="case', 1)[0]
    assert "Natalia Sokolova лишена свободы" in sokolova  # recorded as female: not "лишён(а)"
    assert "(а)" not in "".join(re.findall(r'<p class="expl">([^<]*)', sokolova))
    assert "Akzhanat Aminov" in ru
    # what the tool writes (not what the case file quotes): explanations, fact values, the calendar
    facts = [" ".join(pair) for pair in re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", ru)]
    tool_text = " ".join(re.findall(r'<p class="expl">([^<]*)', ru) + re.findall(r">([^<>]+)</text>", ru) + facts)
    assert "период содержания 1" in tool_text
    for english in ("pretrial_custody", "assembly", " d ", "days", " h ", "term imposed", "end unknown", "judge"):
        assert english not in tool_text, english


def test_russian_input_conventions(tmp_path):
    case = tmp_path / "ru.yaml"
    case.write_text(textwrap.dedent("""\
        id: ru-input
        sources: [{id: s1, title: test}]
        defaults: {source: s1, status: established}
        people: [{id: p, name: Тест, sex: female}]
        proceedings:
          - id: pr
            kind: criminal
            person: p
            custody:
              - {start: 05.03.2012 09:00, basis: suspect_detention, before_judge: 08.03.2012 15:00,
                 lawyer_requested: да, warrant: {value: нет, status: reported}}
        """), encoding="utf-8")
    result = run_cli("check", case, "-f", "json")
    assert result.returncode == 1, result.stderr
    facts = {fact["path"]: fact["value"] for c in json.loads(result.stdout)["cases"] for p in c["proceedings"]
             for f in p["findings"] for fact in f["facts"] + [i for x in f["facts"] for i in x["derived_from"]]}
    assert facts.get("custody[0].hours_before_judge") == "78"
    assert facts.get("custody[0].warrant") == "no"


def test_case_schema_takes_what_the_loader_takes():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run_cli("schema", "case").stdout)
    case = {"id": "x", "people": [{"id": "p", "name": "P"}], "proceedings": [
        {"id": "pr", "kind": "criminal", "person": "p", "custody": [{"lawyer_requested": "да", "start": "05.03.2012"}]}]}
    jsonschema.validate(case, schema)


# --- command line -------------------------------------------------------------------------------------

def test_version_help_and_the_written_line(tmp_path):
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("trialcheck ")
    helped = run_cli("check", "--help")
    assert "<bool>" not in helped.stdout and "Exit codes" in helped.stdout
    out = tmp_path / "r.md"
    written = run_cli("check", bundled("sokolova"), "-f", "md", "-o", out, "--exit-zero")
    assert written.returncode == 0
    assert re.fullmatch(rf"wrote {re.escape(str(out))} — \d+ of \d+ proceedings flagged \(violation or probable "
                        r"violation\)\n", written.stderr)


def test_did_you_mean_for_a_rule_id():
    result = run_cli("explain", bundled("sokolova"), "--rule", "kz-cpc-1997.14-2")
    assert result.returncode == 2 and "did you mean 'kz-cpc-1997.14-2." in result.stderr


def test_reports_from_worker_processes_keep_their_case(tmp_path):
    """Over 64 cases run in worker processes: the report (people, calendars) is the same as in one process."""
    import yaml

    data = yaml.safe_load(bundled("sokolova").read_text(encoding="utf-8"))
    lines = tmp_path / "many.jsonl"
    with lines.open("w", encoding="utf-8") as handle:
        for i in range(70):
            handle.write(json.dumps({**data, "id": f"c{i:02d}"}, default=str, ensure_ascii=False) + "\n")
    rules = frozen_rules(tmp_path)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.html"
        result = run_cli("check", lines, "--input-format", "jsonl", "-f", "html", "-j", jobs, "-o", out,
                         "--rules", rules)
        assert result.returncode == 1, result.stderr[-2000:]
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b'id="timeline-c69-sokolova"' in outs[1]
