"""Generated Python for each rule: one function per period and condition, and one giving the status of a firing.

The source is generated from the syntax tree, never from rule text: every name in it is the
generator's own (``v1``, ``h2``, ...), every fact root, attribute and string literal is written with
``repr``, and every other constant (dates, times, lists, non-finite numbers) is passed in a table.
Fact paths are resolved when the rule is compiled (a bound variable, a parameter, which is then a
constant of the period, or a root of the fact tree), and three-valued logic is written out inline
with short-circuits, so evaluating a condition is a few attribute reads and comparisons.

For each period ``i`` of a rule:
- ``applies_i(tree)`` and ``when_i(tree)`` give True, False or None, exactly as the closures in
  ``closures.py`` do (the reference, with ``evaluate/trace.py``; ``tests/test_codegen.py`` checks
  that they agree on every rule and sub-condition);
- ``status_i(tree)`` gives the rank of the weakest provenance status among the facts that decide
  ``when`` (the facts ``trace.evaluate`` would report), or -1 when no fact has a status. It is called
  only when a rule fires, to choose between a violation and a probable violation.

A rule the generator cannot express (a construct lint refuses) gets no generated code; the engine then
uses its closures.
"""
from __future__ import annotations

import ast as pyast
import math
import re
from dataclasses import dataclass
from typing import Callable

from engine.lang import ast
from engine.model.logic import arith, compare, literal_value, member
from engine.model.values import Span, Status

RANK = {s: s.rank for s in Status}
_OPS = {"==", "!=", "<", "<=", ">", ">="}
_LOCAL = re.compile(r"[a-z]\d+")  # the generator's own locals: v1, f2, h3, k4 ...


def _literal(expr: str):
    """The value of a constant written by ``_Function.const`` (a table entry stands for a non-scalar)."""
    return object() if expr.startswith("K[") else pyast.literal_eval(expr)


class Unsupported(Exception):
    """A construct the generator does not express; the rule keeps its closures."""


@dataclass
class GeneratedRule:
    source: str
    applies: list[Callable | None]  # per period; None when the rule has no applies_if
    when: list[Callable]
    status: list[Callable]


def _run(source: str, constants: list, label: str) -> dict:
    """Compile generated source in a namespace holding only the helpers it calls (no builtins)."""
    namespace = {"__builtins__": {}, "K": tuple(constants), "_compare": compare, "_arith": arith,
                 "_member": member, "_Span": Span, "_RANK": RANK, "_len": len, "_type": type,
                 "_int": int, "_str": str, "_bool": bool}
    exec(compile(source, label, "exec"), namespace)  # source generated from the syntax tree only
    return namespace


def generate(rule) -> GeneratedRule | None:
    """The generated functions of a compiled rule, or None when some condition cannot be generated."""
    try:
        source, constants = rule_source(rule)
        namespace = _run(source, constants, f"<rule {rule.id}>")
    except (Unsupported, SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    n = len(rule.periods)
    return GeneratedRule(
        source=source,
        applies=[namespace.get(f"applies_{i}") for i in range(n)],
        when=[namespace[f"when_{i}"] for i in range(n)],
        status=[namespace[f"status_{i}"] for i in range(n)],
    )


def compile_condition(node: ast.Node, params: dict) -> tuple[Callable, Callable]:
    """(value(tree), rank(tree)) for one condition or sub-condition with the given parameter values."""
    constants: list = []
    source = (_Function("value", params, constants).value_function(node) + "\n"
              + _Function("rank", params, constants).status_function(node))
    namespace = _run(source, constants, "<condition>")
    return namespace["value"], namespace["rank"]


def rule_source(rule) -> tuple[str, list]:
    constants: list = []
    chunks = []
    for i, period in enumerate(rule.periods):
        params = {name: period.params[name] for name in rule.param_names}
        if rule.applies_if is not None:
            chunks.append(_Function(f"applies_{i}", params, constants).value_function(rule.applies_if))
        chunks.append(_Function(f"when_{i}", params, constants).value_function(rule.when))
        chunks.append(_Function(f"status_{i}", params, constants).status_function(rule.when))
    return "\n".join(chunks), constants


class _Function:
    """The source of one generated function: statements appended line by line, locals numbered."""

    def __init__(self, name: str, params: dict, constants: list):
        self.name, self.params, self.constants = name, params, constants
        self.lines: list[str] = []
        self.depth = 1
        self.count = 0

    # ------------------------------------------------------------------ plumbing
    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def local(self, prefix: str = "v") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, value) -> str:
        """A constant as source: plain scalars by repr, everything else through the table K."""
        if value is None or isinstance(value, bool | str) or (type(value) is int):
            return repr(value)
        if type(value) is float and math.isfinite(value):
            return repr(value)
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def indented(self):
        outer = self

        class _Block:
            def __enter__(self):
                outer.depth += 1

            def __exit__(self, *exc):
                outer.depth -= 1

        return _Block()

    def value_function(self, node: ast.Node) -> str:
        result = self.value(node, {})
        self.emit(f"return {result}")
        return f"def {self.name}(tree):\n" + "\n".join(self.lines) + "\n"

    def status_function(self, node: ast.Node) -> str:
        _, rank = self.ranked(node, {})
        self.emit(f"return {rank}")
        return f"def {self.name}(tree):\n" + "\n".join(self.lines) + "\n"

    # ------------------------------------------------------------------ reading facts
    def fact(self, node: ast.Path, bound: dict) -> tuple[str, str]:
        """('fact', local) when the path reads a Fact (or None), ('value', expression) for a parameter."""
        root, attrs = node.root, node.attrs
        if len(attrs) > 1:
            raise Unsupported(f"path {node.dotted} is too deep")
        if root in bound:
            if not attrs:
                raise Unsupported("a bare bound variable")
            holder = bound[root]
        elif root in self.params:
            if attrs:
                raise Unsupported("a parameter has no fields")
            return "value", self.const(self.params[root])
        else:
            holder = self.local("h")
            self.emit(f"{holder} = tree.get({root!r})")
            if not attrs:
                return "fact", holder
        fact = self.local("f")
        self.emit(f"{fact} = {holder}.get({attrs[0]!r}) if {holder} else None")
        return "fact", fact

    def collection(self, path: ast.Path, bound: dict) -> str:
        if path.attrs:
            raise Unsupported("a collection is a root")
        items = self.local("c")
        if path.root in bound:
            self.emit(f"{items} = {bound[path.root]} or ()")
        elif path.root in self.params:
            self.emit(f"{items} = {self.const(self.params[path.root])} or ()")
        else:
            self.emit(f"{items} = tree.get({path.root!r}) or ()")
        return items

    # ------------------------------------------------------------------ values (as closures.py)
    def value(self, node: ast.Node, bound: dict) -> str:
        """Emit statements computing ``node``; return the local holding its value."""
        return self.as_local(self.value_expr(node, bound))

    def value_expr(self, node: ast.Node, bound: dict) -> str:
        """As ``value``, but a literal or parameter stays a constant in the source."""
        if isinstance(node, ast.Literal):
            return self.const(literal_value(node.value))
        if isinstance(node, ast.Path):
            kind, where = self.fact(node, bound)
            if kind == "value":
                return where
            out = self.local()
            self.emit(f"{out} = None if {where} is None else {where}.value")
            return out
        if isinstance(node, ast.Compare):
            return self.compare(node.op, self.value_expr(node.left, bound), self.value_expr(node.right, bound))
        if isinstance(node, ast.Arith):
            a, b = self.value(node.left, bound), self.value(node.right, bound)
            out = self.local()
            self.emit(f"{out} = None if {a} is None or {b} is None else _arith({node.op!r}, {a}, {b})")
            return out
        if isinstance(node, ast.Member):
            a, b = self.value(node.item, bound), self.value(node.options, bound)
            out = self.local()
            self.emit(f"{out} = None if {a} is None or {b} is None else _member({a}, {b})")
            if node.negated:
                self.emit(f"{out} = None if {out} is None else not {out}")
            return out
        if isinstance(node, ast.Known):
            a = self.value(node.operand, bound)
            out = self.local()
            self.emit(f"{out} = {a} is None" if node.negated else f"{out} = {a} is not None")
            return out
        if isinstance(node, ast.Not):
            a = self.value(node.operand, bound)
            out = self.local()
            self.emit(f"{out} = None if {a} is None else not {a}")
            return out
        if isinstance(node, ast.And | ast.Or):
            return self.junction(node, bound)
        if isinstance(node, ast.Quantifier):
            return self.quantifier(node, bound)
        if isinstance(node, ast.Count):
            return self.count_items(node, bound)
        raise Unsupported(f"unknown node {node!r}")

    def as_local(self, expr: str) -> str:
        """``expr`` in a local, so that identity tests (``is None``) never apply to a literal."""
        if _LOCAL.fullmatch(expr):
            return expr
        out = self.local()
        self.emit(f"{out} = {expr}")
        return out

    def compare(self, op: str, a: str, b: str) -> str:
        if op not in _OPS:
            raise Unsupported(f"operator {op}")
        out = self.local()
        if "None" in (a, b):
            self.emit(f"{out} = None")
            return out
        locals_ = [x for x in (a, b) if _LOCAL.fullmatch(x)]
        if not locals_:
            a = self.as_local(a)
            locals_ = [a]
        self.emit(f"if {' or '.join(f'{x} is None' for x in locals_)}:")
        self.emit(f"    {out} = None")
        # plain integers compare exactly as the interval logic does (no NaN among them)
        ints = [f"_type({x}) is _int" for x in (a, b) if _LOCAL.fullmatch(x)]
        constant_kinds = {type(_literal(x)) for x in (a, b) if not _LOCAL.fullmatch(x)}
        if constant_kinds <= {int}:
            self.emit(f"elif {' and '.join(ints)}:")
            self.emit(f"    {out} = {a} {op} {b}")
        if op in ("==", "!=") and len(ints) == 2:  # texts and truth values of one type: plain equality
            self.emit(f"elif _type({a}) is _type({b}) and (_type({a}) is _str or _type({a}) is _bool):")
            self.emit(f"    {out} = {a} {op} {b}")
        elif op in ("==", "!=") and constant_kinds & {str, bool}:
            (kind,) = constant_kinds
            self.emit(f"elif _type({locals_[0]}) is {'_str' if kind is str else '_bool'}:")
            self.emit(f"    {out} = {a} {op} {b}")
        self.emit("else:")
        self.emit(f"    {out} = _compare({op!r}, {a}, {b})")
        return out

    def junction(self, node, bound: dict) -> str:
        """``and`` / ``or``: stop at the first deciding operand; unknown unless one decides."""
        decide = "False" if isinstance(node, ast.And) else "True"
        out = self.local()
        self.emit(f"{out} = {'True' if decide == 'False' else 'False'}")
        for i, operand in enumerate(node.operands):
            if i:
                self.emit(f"if {out} is not {decide}:")
                self.depth += 1
            v = self.value(operand, bound)
            self.emit(f"if {v} is {decide}:")
            self.emit(f"    {out} = {decide}")
            self.emit(f"elif {v} is None:")
            self.emit(f"    {out} = None")
            if i:
                self.depth -= 1
        return out

    def quantifier(self, node: ast.Quantifier, bound: dict) -> str:
        decide = "True" if node.kind == "any" else "False"
        items = self.collection(node.collection, bound)
        out, item = self.local(), self.local("x")
        self.emit(f"{out} = {'False' if decide == 'True' else 'True'}")
        self.emit(f"for {item} in {items}:")
        with self.indented():
            v = self.value(node.body, {**bound, node.var: item})
            self.emit(f"if {v} is {decide}:")
            self.emit(f"    {out} = {decide}")
            self.emit("    break")
            self.emit(f"if {v} is None:")
            self.emit(f"    {out} = None")
        return out

    def count_items(self, node: ast.Count, bound: dict) -> str:
        items = self.collection(node.collection, bound)
        out = self.local()
        if node.body is None:
            self.emit(f"{out} = _len({items})")
            return out
        total, unsure, item = self.local("n"), self.local("u"), self.local("x")
        self.emit(f"{total} = 0")
        self.emit(f"{unsure} = 0")
        self.emit(f"for {item} in {items}:")
        with self.indented():
            v = self.value(node.body, {**bound, node.var: item})
            self.emit(f"if {v} is True:")
            self.emit(f"    {total} += 1")
            self.emit(f"elif {v} is None:")
            self.emit(f"    {unsure} += 1")
        self.emit(f"{out} = {total} if not {unsure} else _Span({total}, {total} + {unsure})")
        return out

    # ------------------------------------------------------------------ values with the rank of their deciding facts
    def ranked(self, node: ast.Node, bound: dict) -> tuple[str, str]:
        """Emit statements computing ``node`` and the weakest status rank (-1: none) of the facts the
        explaining evaluator would give for it; return the local holding the value and the rank."""
        value, rank = self.ranked_expr(node, bound)
        return self.as_local(value), rank

    def ranked_expr(self, node: ast.Node, bound: dict) -> tuple[str, str]:
        if isinstance(node, ast.Literal):
            return self.const(literal_value(node.value)), "-1"
        if isinstance(node, ast.Path):
            kind, where = self.fact(node, bound)
            if kind == "value":
                return where, "-1"
            out, rank = self.local(), self.local("k")
            self.emit(f"if {where} is None or {where}.value is None:")
            self.emit(f"    {out} = None")
            self.emit(f"    {rank} = -1")
            self.emit("else:")
            self.emit(f"    {out} = {where}.value")
            self.emit(f"    {rank} = -1 if {where}.status is None else _RANK[{where}.status]")
            return out, rank
        if isinstance(node, ast.Compare | ast.Arith | ast.Member):
            left, right = (node.left, node.right) if not isinstance(node, ast.Member) else (node.item, node.options)
            compared = isinstance(node, ast.Compare)
            a, ka = (self.ranked_expr if compared else self.ranked)(left, bound)
            b, kb = (self.ranked_expr if compared else self.ranked)(right, bound)
            if compared:
                out = self.compare(node.op, a, b)
            else:
                out = self.local()
                fn = f"_arith({node.op!r}, {a}, {b})" if isinstance(node, ast.Arith) else f"_member({a}, {b})"
                self.emit(f"{out} = None if {a} is None or {b} is None else {fn}")
                if isinstance(node, ast.Member) and node.negated:
                    self.emit(f"{out} = None if {out} is None else not {out}")
            return out, self.max_rank(ka, kb)
        if isinstance(node, ast.Known | ast.Not):
            a, ka = self.ranked(node.operand, bound)
            out = self.local()
            if isinstance(node, ast.Not):
                self.emit(f"{out} = None if {a} is None else not {a}")
            else:
                self.emit(f"{out} = {a} is None" if node.negated else f"{out} = {a} is not None")
            return out, ka
        if isinstance(node, ast.And | ast.Or):
            return self.ranked_parts(node, bound, short="False" if isinstance(node, ast.And) else "True",
                                     parts=[(o, bound) for o in node.operands])
        if isinstance(node, ast.Quantifier):
            return self.ranked_quantifier(node, bound)
        if isinstance(node, ast.Count):
            items = self.collection(node.collection, bound)
            out, rank = self.local(), self.local("k")
            if node.body is None:
                self.emit(f"{out} = _len({items})")
                self.emit(f"{rank} = -1")
                return out, rank
            total, unsure, item = self.local("n"), self.local("u"), self.local("x")
            self.emit(f"{total} = 0")
            self.emit(f"{unsure} = 0")
            self.emit(f"{rank} = -1")
            self.emit(f"for {item} in {items}:")
            with self.indented():
                v, k = self.ranked(node.body, {**bound, node.var: item})
                self.emit(f"if {k} > {rank}:")
                self.emit(f"    {rank} = {k}")
                self.emit(f"if {v} is True:")
                self.emit(f"    {total} += 1")
                self.emit(f"elif {v} is None:")
                self.emit(f"    {unsure} += 1")
            self.emit(f"{out} = {total} if not {unsure} else _Span({total}, {total} + {unsure})")
            return out, rank
        raise Unsupported(f"unknown node {node!r}")

    def max_rank(self, a: str, b: str) -> str:
        if a == "-1":
            return b
        if b == "-1":
            return a
        out = self.local("k")
        self.emit(f"{out} = {a} if {a} > {b} else {b}")
        return out

    def _decisive_start(self, short: str) -> tuple[str, str, str, str]:
        out, k_short, k_none, k_all = self.local(), self.local("k"), self.local("k"), self.local("k")
        self.emit(f"{out} = {'True' if short == 'False' else 'False'}")
        self.emit(f"{k_short} = -1")
        self.emit(f"{k_none} = -1")
        self.emit(f"{k_all} = -1")
        return out, k_short, k_none, k_all

    def _decisive_step(self, out, k_short, k_none, k_all, v, k, short, stop: str) -> None:
        """One operand: the first one equal to ``short`` decides alone; otherwise unknown ones, or all."""
        self.emit(f"if {k} > {k_all}:")
        self.emit(f"    {k_all} = {k}")
        self.emit(f"if {v} is {short}:")
        self.emit(f"    {out} = {short}")
        self.emit(f"    {k_short} = {k}")
        if stop:
            self.emit(f"    {stop}")
        self.emit(f"elif {v} is None:")
        self.emit(f"    {out} = None")
        self.emit(f"    if {k} > {k_none}:")
        self.emit(f"        {k_none} = {k}")

    def _decisive_end(self, out, k_short, k_none, k_all, short) -> str:
        rank = self.local("k")
        self.emit(f"{rank} = {k_short} if {out} is {short} else {k_none} if {out} is None else {k_all}")
        return rank

    def ranked_parts(self, node, bound, short: str, parts) -> tuple[str, str]:
        out, k_short, k_none, k_all = self._decisive_start(short)
        for i, (operand, b) in enumerate(parts):
            if i:
                self.emit(f"if {out} is not {short}:")
                self.depth += 1
            v, k = self.ranked(operand, b)
            self._decisive_step(out, k_short, k_none, k_all, v, k, short, stop="")
            if i:
                self.depth -= 1
        return out, self._decisive_end(out, k_short, k_none, k_all, short)

    def ranked_quantifier(self, node: ast.Quantifier, bound: dict) -> tuple[str, str]:
        short = "True" if node.kind == "any" else "False"
        items = self.collection(node.collection, bound)
        out, k_short, k_none, k_all = self._decisive_start(short)
        item = self.local("x")
        self.emit(f"for {item} in {items}:")
        with self.indented():
            v, k = self.ranked(node.body, {**bound, node.var: item})
            self._decisive_step(out, k_short, k_none, k_all, v, k, short, stop="break")
        return out, self._decisive_end(out, k_short, k_none, k_all, short)
