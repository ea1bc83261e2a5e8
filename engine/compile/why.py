"""Closures that give a condition's value with the facts that decided it, for the findings a report prints.

The same answer as ``evaluate/trace.py`` (value, deciding facts, the quantifier items that decided)
without building the trace ``explain`` shows, and with names resolved once when the rule is
compiled: a quantifier variable, then a rule parameter, then a fact root, as ``Scope`` looks them up.
Operands after the one that decides an ``and``/``or``/``any``/``all`` are not read (the tracer
reads them but reports none of their facts). ``tests/test_codegen.py`` checks that both agree.

A closure takes ``(tree, params, env)``: the fact tree, the period's parameter values and the
bound quantifier variables (a dict changed in place while a quantifier walks its items), and
returns ``(value, facts, bindings)``.
"""
from __future__ import annotations

from typing import Callable

from engine.lang import ast
from engine.model.logic import arith, compare, literal_value, member, tri_not
from engine.model.values import Fact, Span

Why = Callable[[dict, dict, dict], tuple]
_NONE: dict = {}  # shared "no bindings": never changed


def compile_why(node: ast.Node, params: frozenset[str], bound: frozenset[str] = frozenset()) -> Why:
    if isinstance(node, ast.Literal):
        value = literal_value(node.value)
        return lambda tree, p, env: (value, [], _NONE)
    if isinstance(node, ast.Path):
        return _path(node, params, bound)
    if isinstance(node, ast.Compare | ast.Arith | ast.Member):
        return _binary(node, params, bound)
    if isinstance(node, ast.Known):
        operand, negated = compile_why(node.operand, params, bound), node.negated

        def known(tree, p, env):
            value, facts, bindings = operand(tree, p, env)
            return ((value is None) if negated else (value is not None)), facts, bindings
        return known
    if isinstance(node, ast.Not):
        operand = compile_why(node.operand, params, bound)

        def negate(tree, p, env):
            value, facts, bindings = operand(tree, p, env)
            return tri_not(value), facts, bindings
        return negate
    if isinstance(node, ast.And | ast.Or):
        return _junction([compile_why(o, params, bound) for o in node.operands], isinstance(node, ast.Or))
    if isinstance(node, ast.Quantifier):
        return _quantifier(node, params, bound)
    if isinstance(node, ast.Count):
        return _count(node, params, bound)
    raise TypeError(f"unknown node {node!r}")


def _resolver(root: str, params: frozenset[str], bound: frozenset[str]):
    """How ``Scope.get(root)`` finds a name: a bound variable, else a parameter, else a fact root."""
    if root in bound:
        return lambda tree, p, env: env.get(root)
    if root in params:
        return lambda tree, p, env: p[root]
    return lambda tree, p, env: tree.get(root)


def _path(node: ast.Path, params, bound) -> Why:
    root, attrs, dotted = node.root, node.attrs, node.dotted
    get = _resolver(root, params, bound)
    if root in params and not attrs:  # a parameter's value (a Fact only if a variable of that name holds one)
        def parameter(tree, p, env):
            value = get(tree, p, env)
            if isinstance(value, Fact):
                return value.value, [value], _NONE
            return value, [], _NONE
        return parameter
    if not attrs:
        def scalar(tree, p, env):
            holder = get(tree, p, env)
            fact = holder if holder is not None else Fact(None, dotted)
            if isinstance(fact, Fact):
                return fact.value, [fact], _NONE
            return fact, [], _NONE
        return scalar
    attr = attrs[0]  # as the tracer reads a path (lint refuses deeper ones)

    def attribute(tree, p, env):
        holder = get(tree, p, env)
        fact = holder.get(attr) if holder else None
        if fact is None:
            fact = Fact(None, dotted)
        if isinstance(fact, Fact):
            return fact.value, [fact], _NONE
        return fact, [], _NONE
    return attribute


def _binary(node, params, bound) -> Why:
    a_node, b_node = (node.left, node.right) if not isinstance(node, ast.Member) else (node.item, node.options)
    left, right = compile_why(a_node, params, bound), compile_why(b_node, params, bound)
    if isinstance(node, ast.Compare):
        op = node.op

        def apply(a, b):
            return compare(op, a, b)
    elif isinstance(node, ast.Arith):
        op = node.op

        def apply(a, b):
            return arith(op, a, b)
    elif node.negated:
        def apply(a, b):
            return tri_not(member(a, b))
    else:
        apply = member

    def binary(tree, p, env):
        a, fa, ba = left(tree, p, env)
        b, fb, bb = right(tree, p, env)
        return apply(a, b), fa + fb, ({**ba, **bb} if ba or bb else _NONE)
    return binary


def _junction(parts: list[Why], is_or: bool) -> Why:
    short = is_or  # the value that settles it: True for or, False for and

    def junction(tree, p, env):
        unknown = []
        everything = []
        for part in parts:
            result = part(tree, p, env)
            if result[0] is short:
                return result  # the first deciding operand alone
            if result[0] is None:
                unknown.append(result)
            everything.append(result)
        return _gather(unknown or everything, None if unknown else (not short))
    return junction


def _gather(results: list[tuple], value) -> tuple:
    """``value`` with the facts and the merged bindings of ``results``, in their order."""
    facts, bindings = [], None
    for _, f, b in results:
        facts += f
        if b:
            bindings = {**bindings, **b} if bindings else dict(b)
    return value, facts, bindings or _NONE


def _quantifier(node: ast.Quantifier, params, bound) -> Why:
    items_of = _resolver(node.collection.root, params, bound)
    body = compile_why(node.body, params, bound | {node.var})
    var, short = node.var, node.kind == "any"

    def quantify(tree, p, env):
        items = items_of(tree, p, env) or ()
        saved = env.get(var, _NONE)
        unknown, everything = [], []
        try:
            for item in items:
                env[var] = item
                value, facts, bindings = body(tree, p, env)
                result = (value, facts, {**bindings, var: item})
                if value is short:
                    return result
                if value is None:
                    unknown.append(result)
                everything.append(result)
        finally:
            if saved is _NONE:
                env.pop(var, None)
            else:
                env[var] = saved
        return _gather(unknown or everything, None if unknown else (not short))
    return quantify


def _count(node: ast.Count, params, bound) -> Why:
    items_of = _resolver(node.collection.root, params, bound)
    if node.body is None:
        return lambda tree, p, env: (len(items_of(tree, p, env) or ()), [], _NONE)
    body = compile_why(node.body, params, bound | {node.var})
    var = node.var

    def count(tree, p, env):
        items = items_of(tree, p, env) or ()
        saved = env.get(var, _NONE)
        total = unsure = 0
        facts: list = []
        try:
            for item in items:
                env[var] = item
                value, f, _ = body(tree, p, env)
                total += value is True
                unsure += value is None
                facts += f
        finally:
            if saved is _NONE:
                env.pop(var, None)
            else:
                env[var] = saved
        return (total if not unsure else Span(total, total + unsure)), facts, _NONE
    return count
