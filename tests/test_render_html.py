"""The HTML report: escaping, campaign summary, custody timelines against the limit, questions, print CSS."""
import re
import textwrap

import pytest

from tests.helpers import CUSTODY_RULE, run_cli, write_rule

# a ne-bis-in-idem rule (citation ICCPR art. 14(7)) over other proceedings for the same act
TWICE_RULE = textwrap.dedent("""\
    id: test.punished-twice
    title: {en: Punished twice for one act, ru: Наказан дважды за одно деяние}
    citation: {instrument: ICCPR, article: "14", part: "7"}
    in_force: {from: 2006-04-24}
    act_date: dates.decision
    applies_to: [administrative, criminal]
    layer: international
    kind: bright-line
    right: fair_trial
    applies_if: count(same_act) > 0
    when: |
      any o in same_act: o.before_this == true and o.sanctioned == true
    explanation: {en: "{person.name} was punished again after {o.id}", ru: "{person.name} наказан повторно после {o.id}"}
    ask: {en: "Was the other proceeding decided first?", ru: "Было ли другое производство разрешено раньше?"}
    sources: [{title: test}]
    """)

CASE = textwrap.dedent("""\
    id: demo
    title: "Strikers <script>alert('x')</script>"
    sources: [{id: s1, title: "Monitor's notes & <b>briefing</b>"}]
    defaults: {source: s1, status: established}
    people:
      - {id: ivanov, name: Ivan Ivanov, name_ru: Иван Иванов}
      - {id: petrova, name: Anna Petrova}
    incidents:
      - {id: rally, kind: assembly, date: 2016-05-01, place: Zhanaozen}
    proceedings:
      - id: crim-1
        kind: criminal
        person: ivanov
        incident: rally
        custody:
          - {start: 2016-05-01T08:00, end: 2016-05-09T08:00, before_judge: 2016-05-05T08:00}
        decision: {date: 2016-05-10, sanctions: [{kind: prison, months: 12}]}
      - id: admin-2
        kind: administrative
        person: ivanov
        incident: rally
        decision: {date: 2016-06-01, sanctions: [{kind: fine, mci: 10}]}
      - id: crim-2
        kind: criminal
        person: petrova
        custody:
          - {start: 2016-05-01T08:00}
    """)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    root = tmp_path_factory.mktemp("html")
    rules = write_rule(root / "rules")
    write_rule(rules, TWICE_RULE, "twice.yaml")
    (root / "case.yaml").write_text(CASE, encoding="utf-8")
    out = root / "report.html"
    result = run_cli("check", root / "case.yaml", "--rules", rules, "--format", "html", "-o", out)
    assert result.returncode == 1, result.stderr
    return out.read_text(encoding="utf-8")


def test_case_text_is_escaped(report_html):
    assert "<script>" not in report_html
    assert "&lt;script&gt;alert(" in report_html
    assert "&lt;b&gt;briefing&lt;/b&gt;" in report_html


def test_self_contained(report_html):
    assert "<style>" in report_html and "@media print" in report_html
    assert not re.search(r"""(src|href)=["']https?:""", report_html), "no network resources"
    assert "<link" not in report_html


def test_campaign_summary_counts_people_and_proceedings(report_html):
    summary = report_html.split('id="summary"', 1)[1].split("<nav", 1)[0]
    # Ivanov: liberty violated in crim-1, fair trial in admin-2; Petrova only needs information
    liberty = re.search(r"<td>Liberty and security</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", summary)
    assert liberty and liberty.groups() == ("1", "1")
    fair = re.search(r"<td>Fair trial</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", summary)
    assert fair and fair.groups() == ("1", "1")
    assert "ICCPR art. 14(7)" in summary and "KZ Code of Criminal Procedure 2014 art. 131(4)" in summary
    assert "<td>2016</td>" in summary


def test_punished_twice_lists_the_person(report_html):
    twice = report_html.split('id="punished-twice"', 1)[1].split("</table>", 1)[0]
    assert "Ivan Ivanov" in twice and "<code>admin-2</code>" in twice and "crim-1" in twice
    assert "Anna Petrova" not in twice


def test_timeline_draws_limit_and_overrun(report_html):
    timeline = report_html.split('id="timeline-demo-ivanov"', 1)[1].split("</svg>", 1)[0]
    assert "<svg" in timeline
    # held 8 days; 96 h before a judge against a limit of 72 h (the parameter in force in 2016): a violation
    assert 'class="limit"' in timeline and "72 h · judge" in timeline
    assert 'class="overrun violation"' in timeline
    limit_x = float(re.search(r'class="limit" x1="([\d.]+)"', timeline).group(1))
    over = re.search(r'class="overrun violation" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', timeline)
    assert abs(float(over.group(1)) - limit_x) < 0.2 and float(over.group(2)) > 0
    assert "judge: 96 h" in timeline and "8 days" in timeline  # marker in hours, the period in days


def test_person_without_known_end_is_drawn_open(report_html):
    timeline = report_html.split('id="timeline-demo-petrova"', 1)[1].split("</svg>", 1)[0]
    assert "end unknown" in timeline and 'class="fade"' in timeline


def test_findings_grouped_by_right_and_questions_checklist(report_html):
    assert 'id="case-demo-liberty"' in report_html and 'id="case-demo-fair_trial"' in report_html
    checklist = report_html.split('class="checklist"', 1)[1].split("</ul>", 1)[0]
    assert "When was the person brought before a judge?" in checklist
    # the fact asked for, in words: the recorded time that is missing, not the computed duration
    assert "custody period 1: first brought before a judge" in checklist
    assert "custody[0]" not in checklist


def test_russian_html_has_russian_labels(tmp_path):
    rules = write_rule(tmp_path / "rules")
    write_rule(rules, TWICE_RULE, "twice.yaml")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    result = run_cli("check", tmp_path / "case.yaml", "--rules", rules, "-f", "html", "--lang", "ru")
    assert result.returncode == 1, result.stderr
    html = result.stdout
    assert 'lang="ru"' in html and "Сводка по кампании" in html and "Наказаны дважды за одно деяние" in html
    for english in (">violation<", ">probable violation<", ">needs information<", "Campaign summary", "Custody timeline"):
        assert english not in html
