from datetime import date, datetime

import pytest

from engine.lang import ast
from engine.lang.parse import ConditionSyntaxError, parse_condition
from engine.model.logic import compare
from engine.model.when import parse_moment


def test_precedence_and_or_not():
    node = parse_condition("a.x > 1 and not b.y == 2 or c.z")
    assert isinstance(node, ast.Or)
    assert isinstance(node.operands[0], ast.And)
    assert isinstance(node.operands[0].operands[1], ast.Not)


def test_quantifier_count_member_known():
    node = parse_condition('any c in custody: c.hours > limit and c.basis in ["a", "b"]')
    assert isinstance(node, ast.Quantifier) and node.var == "c" and node.collection.root == "custody"
    assert isinstance(parse_condition("count(h in hearings: h.public == false) >= 1").left, ast.Count)
    assert parse_condition("x.y is unknown") == ast.Known(ast.Path("x", ("y",), 1, 1), negated=True)
    assert parse_condition('x.y not in ["a"]').negated is True


def test_keywords_do_not_swallow_names():
    node = parse_condition("anyone.x == 1 and allowed.y == 2")
    assert [o.left.root for o in node.operands] == ["anyone", "allowed"]


def test_arithmetic_and_dates():
    node = parse_condition("c.end - c.start > 72 * 2")
    assert isinstance(node.left, ast.Arith) and node.left.op == "-"
    boundary = parse_condition("dates.conduct >= @2011-12-16").right.value
    assert boundary.earliest == boundary.latest == datetime(2011, 12, 16)


@pytest.mark.parametrize("text, minute", [
    ("x >= @2015-01-01", datetime(2015, 1, 1)), ("x < @2015-01-01", datetime(2015, 1, 1)),
    ("x > @2014-12-31", datetime(2014, 12, 31, 23, 59)), ("x <= @2014-12-31", datetime(2014, 12, 31, 23, 59)),
    ("@2015-01-01 <= x", datetime(2015, 1, 1)), ("@2014-12-31 >= x", datetime(2014, 12, 31, 23, 59)),
])
def test_a_day_in_an_ordering_is_a_calendar_boundary(text, minute):
    """A day written in a rule is where the law changes, so a time at noon that day is on one side of it,
    not 'unknown' as a day-long interval would make it."""
    node = parse_condition(text)
    literal = node.right if isinstance(node.right, ast.Literal) else node.left
    assert literal.value.earliest == literal.value.latest == minute
    noon = parse_moment("2015-01-01T12:00")
    x, d = (noon, literal.value) if literal is node.right else (literal.value, noon)
    expected = {"x >= @2015-01-01": True, "x < @2015-01-01": False, "x > @2014-12-31": True,
                "x <= @2014-12-31": False, "@2015-01-01 <= x": True, "@2014-12-31 >= x": False}[text]
    assert compare(node.op, x, d) is expected
    # a day-only time is on one side too
    assert compare(node.op, *((parse_moment("2015-01-01"), literal.value) if literal is node.right
                              else (literal.value, parse_moment("2015-01-01")))) is expected


def test_equality_with_a_day_keeps_the_whole_day():
    assert parse_condition("x == @2015-01-01").right.value == date(2015, 1, 1)


BOUNDARY_RULE = """\
id: test.from-2015
title: {en: From 2015, ru: С 2015 года}
citation: {instrument: KZ-CPC-2014, article: "131", part: "4"}
in_force: {from: 2010-01-01}
act_date: dates.detention
applies_to: [criminal]
layer: domestic
kind: bright-line
right: liberty
applies_if: count(custody) > 0 and dates.detention >= @2015-01-01
when: "any c in custody: c.hours > 72"
explanation: {en: "held {c.hours} h", ru: "{c.hours} ч"}
ask: {en: "How long was the person held?", ru: "Сколько длилось задержание?"}
examples:
  - name: noon on the first day counts as from that day
    facts: {custody: [{start: 2015-01-01T12:00, end: 2015-01-05T12:00}]}
    expect: violation
  - name: the day before does not
    facts: {custody: [{start: 2014-12-31T12:00, end: 2015-01-05T12:00}]}
    expect: not applicable
sources: [{title: test}]
"""


def test_the_boundary_holds_on_both_engines(tmp_path):
    from tests.helpers import run_cli, write_rule

    folder = write_rule(tmp_path / "rules", BOUNDARY_RULE)
    result = run_cli("rules", "test", "--rules", folder, "--engine", "native", "--engine", "durable")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout


@pytest.mark.parametrize("text, line, column", [
    ("a >", 1, 3),
    ("a = b", 1, 3),
    ("__import__('os').system('x')", 1, 11),
    ("a.b and\n  (c.d >", 2, 8),
])
def test_syntax_errors_have_positions(text, line, column):
    with pytest.raises(ConditionSyntaxError) as err:
        parse_condition(text)
    assert (err.value.line, err.value.column) == (line, column)


def test_impossible_date_literal():
    with pytest.raises(ConditionSyntaxError, match="not a real date"):
        parse_condition("dates.conduct > @2011-02-30")
