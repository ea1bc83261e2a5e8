"""The native engine end to end on small rules: outcomes, law over time, provenance, explanations."""
import textwrap

import pytest

from engine.compile.plan import compile_rules
from engine.derive.facts import derive_case
from engine.io.errors import InputErrors
from engine.evaluate.run import NativeEngine, evaluate_all
from engine.io.load import load_case_text, load_rules
from engine.tools.rules import lint, run_examples
from tests.helpers import CUSTODY_RULE, write_rule


@pytest.fixture()
def plan(tmp_path):
    return compile_rules(load_rules([str(write_rule(tmp_path / "rules"))]))


def findings(plan, custody_yaml, include_all=True):
    case = load_case_text("c.yaml", textwrap.dedent(f"""\
        id: t
        sources: [{{id: s1, title: src}}]
        defaults: {{source: s1, status: reported}}
        people: [{{id: p, name: Test Person}}]
        proceedings:
          - id: pr
            kind: criminal
            person: p
            custody: {custody_yaml}
        """))
    return {f.rule: f for f in evaluate_all(plan, derive_case(case), NativeEngine(), include_all=include_all)[0]}


def test_examples_and_lint_pass(plan):
    assert all(r.ok for r in run_examples(plan, NativeEngine()))
    assert lint(plan) == []


def test_parameter_follows_the_date_of_the_act(plan):
    # 60 hours: within 72 h in 2016, beyond 48 h in 2019
    early = findings(plan, "[{start: 2016-05-01T08:00, before_judge: 2016-05-03T20:00}]")["test.custody-limit"]
    late = findings(plan, "[{start: 2019-05-01T08:00, before_judge: 2019-05-03T20:00}]")["test.custody-limit"]
    assert early.status == "no violation" and late.status == "probable violation"
    assert late.parameters == {"limit_hours": 48}
    assert late.explanation == "Test Person: 60 h, limit 48 h"


def test_before_entry_into_force_is_not_applicable(plan):
    f = findings(plan, "[{start: 2011-05-01T08:00, before_judge: 2011-05-09T20:00}]")["test.custody-limit"]
    assert f.status == "not applicable"


def test_unknown_date_of_act_across_a_change_needs_information(plan):
    f = findings(plan, "[{start: 2017, before_judge: 2018}]")["test.custody-limit"]
    assert f.status == "needs information"


def test_missing_fact_asks_the_question(plan):
    f = findings(plan, "[{start: 2016-05-01T08:00}]")["test.custody-limit"]
    assert f.status == "needs information"
    assert f.question == "When was the person brought before a judge?"
    assert "custody[0].before_judge" in f.missing or "custody[0].hours_before_judge" in f.missing


def test_firm_facts_give_violation_reported_give_probable(plan):
    firm = findings(plan, "[{start: {value: 2016-05-01T08:00, status: established}, "
                          "before_judge: {value: 2016-05-09T08:00, status: observed}}]")["test.custody-limit"]
    assert firm.status == "violation"
    facts = {f.path: f for f in firm.facts[0].derived_from}
    assert facts["custody[0].start"].status == "established" and facts["custody[0].start"].source == "s1"


def test_reported_status_hides_no_violation(plan):
    assert "test.custody-limit" not in findings(plan, "[{start: 2016-05-01T08:00, before_judge: 2016-05-01T09:00}]",
                                                include_all=False)


def test_unknown_fact_path_is_a_line_accurate_error(tmp_path):
    bad = CUSTODY_RULE.replace("c.hours_before_judge > limit_hours", "c.hours_before_jduge > limit_hours")
    bad = bad.replace("applies_if: count(custody) > 0", "applies_if: count(custody) > 0 and persn.name is known")
    folder = write_rule(tmp_path / "r", bad)
    with pytest.raises(InputErrors) as err:
        compile_rules(load_rules([str(folder)]))
    messages = [str(e) for e in err.value.errors]
    assert any(":12:36:" in m and "persn" in m and "did you mean 'person'" in m for m in messages), messages


def test_item_field_typos_are_refused_when_rules_load(tmp_path):
    bad = CUSTODY_RULE.replace("c.hours_before_judge > limit_hours", "c.hours_before_jduge > limit_hours")
    with pytest.raises(InputErrors, match="hours_before_jduge"):
        compile_rules(load_rules([str(write_rule(tmp_path / "r", bad))]))


def test_derivation_cycle_is_refused(tmp_path):
    base = CUSTODY_RULE.replace("kind: bright-line", "kind: derivation").replace("right: liberty\n", "")
    a = base.replace("id: test.custody-limit", "id: test.a") + "derive: a\n"
    a = a.replace("applies_if: count(custody) > 0", "applies_if: derived.b == true")
    b = base.replace("id: test.custody-limit", "id: test.b") + "derive: b\n"
    b = b.replace("applies_if: count(custody) > 0", "applies_if: derived.a == true")
    folder = tmp_path / "r"
    write_rule(folder, a, "a.yaml")
    write_rule(folder, b, "b.yaml")
    with pytest.raises(InputErrors, match="cycle"):
        compile_rules(load_rules([str(folder)]))


def test_evaluative_rules_only_raise_concerns(tmp_path):
    text = CUSTODY_RULE.replace("kind: bright-line", "kind: evaluative")
    plan = compile_rules(load_rules([str(write_rule(tmp_path / "r", text))]))
    f = findings(plan, "[{start: {value: 2016-05-01T08:00, status: established}, "
                       "before_judge: {value: 2016-05-09T08:00, status: established}}]")["test.custody-limit"]
    assert f.status == "concern"
