"""The explaining evaluator: the same semantics as ``native.py``, plus why.

For every node it returns the value, the facts the value rests on (the deciding ones: the false
operand of a false ``and``, the witness of a true ``any``) and a trace for ``explain``. It is the
reference the fast closures are tested against, and it renders findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.model.logic import arith, compare, literal_value, member, tri_and, tri_not, tri_or
from engine.lang import ast
from engine.model.values import Fact, Span


@dataclass
class Trace:
    node: object  # the syntax-tree node, or a label for a quantifier's item
    value: object
    children: list["Trace"] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.node if isinstance(self.node, str) else show(self.node)


@dataclass
class Result:
    value: object
    facts: list[Fact]
    trace: Trace
    bindings: dict = field(default_factory=dict)  # quantifier variable -> the deciding item


def show(node: ast.Node) -> str:
    """The condition text of a node, for traces."""
    if isinstance(node, ast.Literal):
        v = node.value
        if isinstance(v, tuple):
            return "[" + ", ".join(show(ast.Literal(x)) for x in v) + "]"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return f'"{v}"'
        if hasattr(v, "isoformat"):
            return f"@{v.isoformat()}"
        return str(v)
    if isinstance(node, ast.Path):
        return node.dotted
    if isinstance(node, ast.Compare | ast.Arith):
        return f"{show(node.left)} {node.op} {show(node.right)}"
    if isinstance(node, ast.Member):
        return f"{show(node.item)} {'not in' if node.negated else 'in'} {show(node.options)}"
    if isinstance(node, ast.Known):
        return f"{show(node.operand)} is {'unknown' if node.negated else 'known'}"
    if isinstance(node, ast.Not):
        return f"not ({show(node.operand)})"
    if isinstance(node, ast.And | ast.Or):
        joiner = " and " if isinstance(node, ast.And) else " or "
        return joiner.join(f"({show(o)})" if isinstance(o, ast.And | ast.Or | ast.Quantifier) else show(o)
                           for o in node.operands)
    if isinstance(node, ast.Quantifier):
        return f"{node.kind} {node.var} in {show(node.collection)}: {show(node.body)}"
    if isinstance(node, ast.Count):
        if node.body is None:
            return f"count({show(node.collection)})"
        return f"count({node.var} in {show(node.collection)}: {show(node.body)})"
    return repr(node)


def evaluate(node: ast.Node, scope: dict, params: frozenset[str]) -> Result:
    text = node  # rendered only if someone reads the trace
    if isinstance(node, ast.Literal):
        return Result(literal_value(node.value), [], Trace(text, node.value))
    if isinstance(node, ast.Path):
        fact = _lookup(node, scope, params)
        value = fact.value if isinstance(fact, Fact) else fact
        return Result(value, [fact] if isinstance(fact, Fact) else [], Trace(text, value))
    if isinstance(node, ast.Compare | ast.Arith | ast.Member):
        a_node, b_node = (node.left, node.right) if not isinstance(node, ast.Member) else (node.item, node.options)
        a, b = evaluate(a_node, scope, params), evaluate(b_node, scope, params)
        if isinstance(node, ast.Compare):
            value = compare(node.op, a.value, b.value)
        elif isinstance(node, ast.Arith):
            value = arith(node.op, a.value, b.value)
        else:
            value = member(a.value, b.value)
            value = tri_not(value) if node.negated else value
        return Result(value, a.facts + b.facts, Trace(text, value, [a.trace, b.trace]), {**a.bindings, **b.bindings})
    if isinstance(node, ast.Known):
        a = evaluate(node.operand, scope, params)
        value = (a.value is None) if node.negated else (a.value is not None)
        return Result(value, a.facts, Trace(text, value, [a.trace]), a.bindings)
    if isinstance(node, ast.Not):
        a = evaluate(node.operand, scope, params)
        value = tri_not(a.value)
        return Result(value, a.facts, Trace(text, value, [a.trace]), a.bindings)
    if isinstance(node, ast.And | ast.Or):
        parts = [evaluate(o, scope, params) for o in node.operands]
        value = (tri_and if isinstance(node, ast.And) else tri_or)(p.value for p in parts)
        decisive = _decisive(parts, value, short=False if isinstance(node, ast.And) else True)
        return Result(value, [f for p in decisive for f in p.facts], Trace(text, value, [p.trace for p in parts]),
                      _merge(decisive))
    if isinstance(node, ast.Quantifier):
        items = scope.get(node.collection.root) or ()
        parts = []
        for item in items:
            r = evaluate(node.body, scope.bind(node.var, item), params)
            r.bindings = {**r.bindings, node.var: item}
            parts.append(r)
        value = (tri_or if node.kind == "any" else tri_and)(p.value for p in parts)
        decisive = _decisive(parts, value, short=node.kind == "any")
        trace = Trace(text, value, [Trace(f"{node.var} = {node.collection.root}[{i}]", p.value, [p.trace])
                                    for i, p in enumerate(parts)])
        return Result(value, [f for p in decisive for f in p.facts], trace, _merge(decisive))
    if isinstance(node, ast.Count):
        items = scope.get(node.collection.root) or ()
        if node.body is None:
            return Result(len(items), [], Trace(text, len(items)))
        parts = []
        for item in items:
            parts.append(evaluate(node.body, scope.bind(node.var, item), params))
        total = sum(p.value is True for p in parts)
        unsure = sum(p.value is None for p in parts)
        value = total if not unsure else Span(total, total + unsure)
        return Result(value, [f for p in parts for f in p.facts], Trace(text, value, [p.trace for p in parts]))
    raise TypeError(f"unknown node {node!r}")


def _decisive(parts: list[Result], value, short: bool) -> list[Result]:
    """The operands that decided the value: ``short`` is the value that settles it (True for or/any)."""
    if value is short:
        return [next(p for p in parts if p.value is short)]
    if value is None:
        return [p for p in parts if p.value is None]
    return parts


def _merge(results: list[Result]) -> dict:
    merged: dict = {}
    for r in results:
        merged.update(r.bindings)
    return merged


def _lookup(node: ast.Path, scope: dict, params):
    if node.root in params and not node.attrs:
        return scope[node.root]
    holder = scope.get(node.root)
    if not node.attrs:
        return holder if holder is not None else Fact(None, node.dotted)
    fact = holder.get(node.attrs[0]) if holder else None
    return fact if fact is not None else Fact(None, node.dotted)
