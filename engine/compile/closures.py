"""The native engine: each condition compiled once into nested Python closures.

A closure takes a scope (fact roots, quantifier variables, parameters) and returns a value or a
truth value (True / False / None). No rule text is ever evaluated as Python.
"""
from __future__ import annotations

from typing import Callable

from engine.model.logic import arith, compare, literal_value, member, tri_and, tri_not, tri_or
from engine.lang import ast

Closure = Callable[[dict], object]


def compile_node(node: ast.Node, params: frozenset[str], bound: frozenset[str] = frozenset()) -> Closure:
    if isinstance(node, ast.Literal):
        value = literal_value(node.value)
        return lambda scope: value
    if isinstance(node, ast.Path):
        return _path(node, params, bound)
    if isinstance(node, ast.Compare):
        left, right, op = compile_node(node.left, params, bound), compile_node(node.right, params, bound), node.op
        return lambda scope: compare(op, left(scope), right(scope))
    if isinstance(node, ast.Arith):
        left, right, op = compile_node(node.left, params, bound), compile_node(node.right, params, bound), node.op
        return lambda scope: arith(op, left(scope), right(scope))
    if isinstance(node, ast.Member):
        item, options = compile_node(node.item, params, bound), compile_node(node.options, params, bound)
        if node.negated:
            return lambda scope: tri_not(member(item(scope), options(scope)))
        return lambda scope: member(item(scope), options(scope))
    if isinstance(node, ast.Known):
        operand, negated = compile_node(node.operand, params, bound), node.negated
        return lambda scope: (operand(scope) is None) if negated else (operand(scope) is not None)
    if isinstance(node, ast.Not):
        operand = compile_node(node.operand, params, bound)
        return lambda scope: tri_not(operand(scope))
    if isinstance(node, ast.And):
        parts = [compile_node(o, params, bound) for o in node.operands]
        return lambda scope: tri_and(p(scope) for p in parts)
    if isinstance(node, ast.Or):
        parts = [compile_node(o, params, bound) for o in node.operands]
        return lambda scope: tri_or(p(scope) for p in parts)
    if isinstance(node, ast.Quantifier):
        items = _items(node.collection, bound)
        body = compile_node(node.body, params, bound | {node.var})
        var, combine = node.var, (tri_or if node.kind == "any" else tri_and)

        def quantify(scope):
            return combine([body(scope.bind(var, item)) for item in items(scope)])

        return quantify
    if isinstance(node, ast.Count):
        items = _items(node.collection, bound)
        if node.body is None:
            return lambda scope: len(items(scope))
        body = compile_node(node.body, params, bound | {node.var})
        var = node.var

        def count(scope):
            total, unsure = 0, 0
            for item in items(scope):
                verdict = body(scope.bind(var, item))
                total += verdict is True
                unsure += verdict is None
            return total if not unsure else _span(total, total + unsure)

        return count
    raise TypeError(f"unknown node {node!r}")


def _span(lo, hi):
    from engine.model.values import Span

    return Span(lo, hi)


def _path(node: ast.Path, params, bound) -> Closure:
    root, attrs = node.root, node.attrs
    if root in params and not attrs:
        return lambda scope: scope[root]
    if len(attrs) == 0:
        def scalar(scope):
            fact = scope.get(root)
            return None if fact is None else fact.value
        return scalar
    if len(attrs) == 1:
        attr = attrs[0]

        def one(scope):
            holder = scope.get(root)
            fact = holder.get(attr) if holder else None
            return None if fact is None else fact.value
        return one
    raise ValueError(f"path {node.dotted} is too deep")


def _items(collection: ast.Path, bound) -> Closure:
    root = collection.root
    return lambda scope: scope.get(root) or ()
