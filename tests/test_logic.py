import itertools

import pytest

from engine.model.logic import EvaluationError, arith, compare, member, tri_and, tri_not, tri_or
from engine.model.values import Span
from engine.model.when import parse_moment

T, F, U = True, False, None


def test_kleene_tables():
    for a, b in itertools.product([T, F, U], repeat=2):
        expected_and = F if F in (a, b) else U if U in (a, b) else T
        expected_or = T if T in (a, b) else U if U in (a, b) else F
        assert tri_and([a, b]) is expected_and
        assert tri_or([a, b]) is expected_or
    assert tri_not(U) is U and tri_not(T) is F


def test_interval_comparisons_are_three_valued():
    assert compare(">", Span(80, 100), 72) is T
    assert compare(">", Span(24, 71.9), 72) is F
    assert compare(">", Span(60, 90), 72) is U
    assert compare(">=", Span(72, 72), 72) is T
    assert compare("==", Span(1, 2), 5) is F
    assert compare("==", 3, 3) is T
    assert compare(">", None, 1) is U


def test_moments_of_a_day_overlap():
    day, minute = parse_moment("2011-09-08"), parse_moment("2011-09-08T10:00")
    assert compare("<", minute, day) is U
    assert compare("<", day, parse_moment("2011-09-09")) is T
    assert arith("-", parse_moment("2011-09-11T16:00"), parse_moment("2011-09-08T10:00")) == Span(78.0, 78.0)


def test_type_errors_are_rule_bugs():
    with pytest.raises(EvaluationError):
        compare(">", "a", 1)
    with pytest.raises(EvaluationError):
        compare(">", parse_moment("2011"), 3)


def test_member_and_division_by_maybe_zero():
    assert member("a", ("a", "b")) is T and member("c", ("a",)) is F and member(None, ("a",)) is U
    assert arith("/", 10, Span(0, 2)) is None
    assert arith("+", 1, 2) == 3
