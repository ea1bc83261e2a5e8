import pytest

from engine.lang import ast
from engine.lang.parse import ConditionSyntaxError, parse_condition


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
    assert parse_condition("dates.conduct >= @2011-12-16").right.value.isoformat() == "2011-12-16"


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
