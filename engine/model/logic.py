"""Three-valued (Kleene) semantics shared by both engines.

Truth values are ``True``, ``False`` and ``None`` (unknown). Uncertain quantities (``Span``) and
moments (``Moment``) are intervals: an ordering holds when it holds for every reading of the
intervals, fails when it fails for every reading, and is unknown otherwise.
"""
from __future__ import annotations

from datetime import date

from engine.model.values import Moment, Span, hours_between

Tri = bool | None


class EvaluationError(Exception):
    """A condition applied an operator to values it cannot compare (a rule bug, caught by lint)."""


def tri_not(a: Tri) -> Tri:
    return None if a is None else not a


def tri_and(values) -> Tri:
    result: Tri = True
    for v in values:
        if v is False:
            return False
        if v is None:
            result = None
    return result


def tri_or(values) -> Tri:
    result: Tri = False
    for v in values:
        if v is True:
            return True
        if v is None:
            result = None
    return result


def bounds(x) -> tuple[float, float]:
    """The numeric interval a value stands for (minutes since 1970 for moments)."""
    if isinstance(x, Span | Moment):
        return x.lo, x.hi
    if isinstance(x, bool):
        raise EvaluationError(f"cannot order a truth value ({x})")
    if isinstance(x, int | float):
        return float(x), float(x)
    raise EvaluationError(f"cannot order {x!r}")


def is_orderable(x) -> bool:
    return isinstance(x, Span | Moment) or (isinstance(x, int | float) and not isinstance(x, bool))


def compare(op: str, a, b) -> Tri:
    if a is None or b is None:
        return None
    if op in ("==", "!="):
        eq = _equal(a, b)
        return eq if op == "==" or eq is None else not eq
    if isinstance(a, Moment) != isinstance(b, Moment):
        raise EvaluationError(f"cannot compare a time with a number ({a} {op} {b})")
    a_lo, a_hi = bounds(a)
    b_lo, b_hi = bounds(b)
    if op == ">":
        return True if a_lo > b_hi else False if a_hi <= b_lo else None
    if op == ">=":
        return True if a_lo >= b_hi else False if a_hi < b_lo else None
    if op == "<":
        return True if a_hi < b_lo else False if a_lo >= b_hi else None
    if op == "<=":
        return True if a_hi <= b_lo else False if a_lo > b_hi else None
    raise EvaluationError(f"unknown operator {op}")


def _equal(a, b) -> Tri:
    if is_orderable(a) and is_orderable(b):
        if isinstance(a, Moment) != isinstance(b, Moment):
            raise EvaluationError(f"cannot compare a time with a number ({a} == {b})")
        a_lo, a_hi = bounds(a)
        b_lo, b_hi = bounds(b)
        if a_lo == a_hi == b_lo == b_hi:
            return True
        if a_hi < b_lo or b_hi < a_lo:
            return False
        return None
    if type(a) is not type(b) and not (isinstance(a, str) and isinstance(b, str)):
        raise EvaluationError(f"cannot compare {a!r} with {b!r}")
    return a == b


def member(item, options) -> Tri:
    if item is None or options is None:
        return None
    if is_orderable(item):
        results = [_equal(item, o) for o in options if is_orderable(o)]
        return tri_or(results)
    return item in options


def arith(op: str, a, b):
    if a is None or b is None:
        return None
    if op == "-" and isinstance(a, Moment) and isinstance(b, Moment):
        return hours_between(b, a)
    if isinstance(a, Moment) or isinstance(b, Moment):
        raise EvaluationError(f"only time - time is defined on times ({a} {op} {b})")
    a_lo, a_hi = bounds(a)
    b_lo, b_hi = bounds(b)
    if op == "+":
        lo, hi = a_lo + b_lo, a_hi + b_hi
    elif op == "-":
        lo, hi = a_lo - b_hi, a_hi - b_lo
    elif op == "*":
        products = (a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi)
        lo, hi = min(products), max(products)
    elif op == "/":
        if b_lo <= 0 <= b_hi:
            return None  # the divisor may be zero: the quotient is unknown
        quotients = (a_lo / b_lo, a_lo / b_hi, a_hi / b_lo, a_hi / b_hi)
        lo, hi = min(quotients), max(quotients)
    else:
        raise EvaluationError(f"unknown operator {op}")
    if lo == hi and not isinstance(a, Span) and not isinstance(b, Span):
        return lo if not float(lo).is_integer() else int(lo)
    return Span(lo, hi)


def literal_value(value):
    """Turn a literal of the condition language into an engine value (a date becomes a day-long Moment)."""
    if isinstance(value, date):
        from engine.model.when import moment_of_day

        return moment_of_day(value)
    return value
