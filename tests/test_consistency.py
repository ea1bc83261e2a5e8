"""`trialcheck rules check`: the rule base is consistent, and each kind of inconsistency is found and named."""
from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from engine.tools.consistency import check_rule_base, contradictions, register
from tests.helpers import CUSTODY_RULE, write_rule


def _rule(rule_id="t.a", derive=None, when="any c in custody: c.hours > limit_hours", params="limit_hours: {2015-01-01: 48}",
          article="131", part="4", applies_if="count(custody) > 0", examples=None, kind="bright-line"):
    head = f"kind: derivation\nderive: {derive}\n" if derive else f"kind: {kind}\nright: liberty\n"
    examples = examples if examples is not None else """\
  - facts: {custody: [{start: 2016-03-01T10:00, end: 2016-03-04T10:00}]}
    expect: violation
  - facts: {custody: [{start: 2016-03-01T10:00, end: 2016-03-01T12:00}]}
    expect: no violation
  - facts: {custody: [{start: 2016-03-01T10:00}]}
    expect: needs information
  - facts: {hearings: [{date: 2016-03-01}]}
    expect: not applicable
"""
    return f"""\
id: {rule_id}
title: {{en: T, ru: Т}}
citation: {{instrument: KZ-CPC-2014, article: "{article}", part: "{part}"}}
in_force: {{from: 2015-01-01}}
act_date: dates.detention
parameters:
  {params}
applies_to: [criminal]
layer: domestic
{head}applies_if: {applies_if}
when: |
  {when}
explanation: {{en: "x", ru: "x"}}
ask: {{en: "q?", ru: "в?"}}
examples:
{examples}sources: [{{title: test}}]
"""


def _check(tmp_path, *texts):
    folder = tmp_path / "rules"
    for i, text in enumerate(texts):
        write_rule(folder, text, f"r{i}.yaml")
    return check_rule_base([str(folder)], ("native",))


def test_the_bundled_rule_base_is_consistent():
    report = check_rule_base(None, ("native",))
    assert report.rules > 0 and report.examples > 0
    assert not report.problems, "\n".join(map(str, report.problems))


def test_the_bundled_examples_pass_on_the_durable_engine_too():
    pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")
    report = check_rule_base(None, ("native", "durable"))
    assert not report.problems, "\n".join(map(str, report.problems))
    assert report.engines == ("native", "durable")


def test_a_consistent_small_base_passes(tmp_path):
    report = _check(tmp_path, CUSTODY_RULE, _rule())
    assert report.problems == [] and report.rules == 2 and report.examples == 9


def test_a_derivation_cycle_is_named_rule_by_rule(tmp_path):
    a = _rule("t.one", derive="one", when="derived.two == true", examples="  []\n")
    b = _rule("t.two", derive="two", when="derived.one == true", examples="  []\n")
    report = _check(tmp_path, a, b)
    cycle = [p for p in report.problems if "cycle" in p.message]
    assert len(cycle) == 1
    assert "t.one -> t.two -> t.one" in cycle[0].message and cycle[0].file.endswith("r0.yaml") and cycle[0].line == 13


def test_an_unknown_fact_is_named_with_file_and_line(tmp_path):
    report = _check(tmp_path, _rule(when="any c in custody: c.hours > limit_hours and decision.arest_days > 0"))
    assert len(report.problems) == 1
    p = report.problems[0]
    assert p.file.endswith("r0.yaml") and p.line == 14 and "decision.arest_days" in p.message
    assert "did you mean 'decision.arrest_days'" in p.message


def test_an_unknown_item_field_is_found(tmp_path):
    report = _check(tmp_path, _rule(when="any c in custody: c.hourz > limit_hours"))
    # refused when the rule loads, at the line of the condition itself (the line after `when: |`)
    assert any("c.hourz" in p.message and "did you mean 'c.hours'" in p.message and p.line == 14 for p in report.problems)


def test_a_failing_example_points_at_its_line(tmp_path):
    examples = """\
  - facts: {custody: [{start: 2016-03-01T10:00, end: 2016-03-01T12:00}]}
    expect: violation
"""
    report = _check(tmp_path, _rule(examples=examples))
    p, = [p for p in report.problems if "subject gate" not in p.message]
    assert p.line == 18 and "expected 'violation', got 'no violation'" in p.message and "native" in p.message


def test_same_provision_different_limits_contradict(tmp_path):
    report = _check(tmp_path, _rule("t.a"), _rule("t.b", params="limit_hours: {2015-01-01: 72}"))
    # t.b's own first example (72 h) does not exceed 72 h: reported as a failing example too
    messages = [str(p) for p in report.problems]
    assert any("parameter 'limit_hours' is 48 here and 72 there" in m for m in messages)
    assert any("same test" in m and "'violation'" in m and "'no violation'" in m for m in messages), messages


def test_same_provision_different_tests_do_not_contradict(tmp_path):
    other = _rule("t.b", when="any c in custody: c.hours_to_protocol > limit_hours", params="limit_hours: {2015-01-01: 3}",
                  examples="""\
  - facts: {custody: [{start: 2016-03-01T10:00, protocol_at: 2016-03-01T18:00}]}
    expect: violation
  - facts: {custody: [{start: 2016-03-01T10:00, protocol_at: 2016-03-01T11:00}]}
    expect: no violation
  - facts: {custody: [{start: 2016-03-01T10:00}]}
    expect: needs information
  - facts: {hearings: [{date: 2016-03-01}]}
    expect: not applicable
""")
    assert _check(tmp_path, _rule("t.a"), other).problems == []


def test_different_provisions_or_periods_do_not_contradict(tmp_path):
    later = _rule("t.b", params="limit_hours: {2010-01-01: 72}").replace(
        "{from: 2015-01-01}", "{from: 2010-01-01, until: 2014-12-31}").replace("2016-03-0", "2012-03-0")
    assert not [p for p in _check(tmp_path, _rule("t.a"), _rule("t.c", part="5", params="limit_hours: {2015-01-01: 72}"),
                                  later).problems if "contradicts" in p.message]


def test_contradictions_of_the_bundled_base_are_none():
    from engine.compile.plan import compile_rules
    from engine.io.load import load_rules

    assert contradictions(compile_rules(load_rules())) == []


def test_the_command_prints_plain_words_and_sets_the_exit_code(tmp_path):
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a group needs two commands to keep the sub-command name
    runner = CliRunner()
    good = runner.invoke(app, ["check", "--rules", str(write_rule(tmp_path / "good")), "--native-only"])
    assert good.exit_code == 0 and "1 rules consistent" in good.output
    bad_folder = write_rule(tmp_path / "bad", _rule("t.a") + "\n", "a.yaml")
    write_rule(bad_folder, _rule("t.b", params="limit_hours: {2015-01-01: 72}"), "b.yaml")
    bad = runner.invoke(app, ["check", "--rules", str(bad_folder), "--native-only"])
    assert bad.exit_code == 1 and "a.yaml:6: t.a: contradicts t.b" in bad.output and "3 problem(s) in 2 rules" in bad.output
    broken = write_rule(tmp_path / "broken", "id: [unclosed\n", "x.yaml")
    result = runner.invoke(app, ["check", "--rules", str(broken), "--native-only"])
    assert result.exit_code == 2 and "x.yaml:2" in result.output and "Traceback" not in result.output


def test_a_subject_gate_needs_an_example_where_the_subject_is_absent(tmp_path):
    """Issue 10 s.4: a rule gated on its subject (here: custody) must show, by an example, that a proceeding
    without it gets `not applicable`; an example excluded only by its date does not show the gate."""
    only_date = """\
  - facts: {custody: [{start: 2016-03-01T10:00, end: 2016-03-04T10:00}]}
    expect: violation
  - facts: {custody: [{start: 2010-03-01T10:00, end: 2010-03-04T10:00}]}
    expect: not applicable
"""
    report = _check(tmp_path, _rule(examples=only_date))
    assert any("subject gate" in p.message and p.rule == "t.a" for p in report.problems)
    assert not any("subject gate" in p.message for p in _check(tmp_path / "ok", _rule()).problems)
