"""Compile condition trees into durable-rules rule definitions (pure Python; durable is never imported here).

Three-valued logic on a two-valued Rete engine: every condition is compiled twice, T(φ) "known and
true" and F(φ) "known and false"; when neither rule fires the value is unknown.

The unit of evaluation is a *unit*: a boolean formula evaluated on one flat message per *binding*
(an assignment of items to the quantifier variables in scope). durable-rules cannot compare two
attributes of one array item, so a quantifier body is never evaluated inside ``$iany``; it is its
own unit, evaluated on one message per item (with every value it reads copied into the message),
and the quantifier in the enclosing unit reads the body's verdicts through ``$iany`` / ``$iall``.
Units are evaluated leaves first (by height). A formula too large for durable's expression limit is
split the same way: a sub-formula becomes a unit of the same scope whose verdict is a field.

Message fields are short generated names (``f3__lo``) because durable hashes property names to 32
bits; names are checked for collisions here. See docs/durable-rules.md for every limit and probe.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from engine.model.logic import EvaluationError, arith as py_arith, compare as py_compare
from engine.model.logic import literal_value, member as py_member
from engine.lang import ast
from engine.model.values import Moment, Span


class DurableCompileError(Exception):
    """A construct the durable engine cannot express (names the construct)."""


# ---------------------------------------------------------------- boolean IR with simplification
TRUE = ("T",)
FALSE = ("F",)


def atom(expr: dict):
    return ("atom", expr)


def mk_and(parts):
    out, seen = [], set()
    for p in parts:
        if p == FALSE:
            return FALSE
        if p == TRUE:
            continue
        for q in (p[1] if p[0] == "and" else [p]):
            key = _key(q)
            if key not in seen:
                seen.add(key)
                out.append(q)
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else ("and", out)


def mk_or(parts):
    out, seen = [], set()
    for p in parts:
        if p == TRUE:
            return TRUE
        if p == FALSE:
            continue
        for q in (p[1] if p[0] == "or" else [p]):
            key = _key(q)
            if key not in seen:
                seen.add(key)
                out.append(q)
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else ("or", out)


def _key(ir) -> str:
    return json.dumps(ir, sort_keys=True, default=str)


def to_json(ir) -> dict:
    if ir == TRUE:
        return {"__t": 1}
    if ir == FALSE:
        return {"__t": 0}
    if ir[0] == "atom":
        return ir[1]
    return {"$and" if ir[0] == "and" else "$or": [to_json(p) for p in ir[1]]}


def dnf_size(ir) -> tuple[int, int]:
    """(number of DNF terms, total atoms over the terms): durable expands $or into alternatives."""
    if ir in (TRUE, FALSE) or ir[0] == "atom":
        return 1, 1
    sizes = [dnf_size(p) for p in ir[1]]
    if ir[0] == "or":
        return sum(t for t, _ in sizes), sum(a for _, a in sizes)
    terms = 1
    for t, _ in sizes:
        terms *= t
    atoms = sum(a * terms // t for t, a in sizes)
    return terms, atoms


def nesting(ir) -> int:
    if ir in (TRUE, FALSE) or ir[0] == "atom":
        return 0
    return 1 + max(nesting(p) for p in ir[1])


# Empirical limits of durable-rules 2.0.28 (docs/durable-rules.md): at most 64 rule matches per
# message (error 303), a bounded expression sequence per rule (error 113) reached by nesting.
MAX_LIST_ITEMS = 32  # items of a list literal after `in` (the bundled rules use at most 10)
MAX_TERMS = 12
MAX_ATOMS = 48
MAX_NESTING = 3
# The cost of a message grows with the number of rules testing ``__u`` in one ruleset, and a ruleset
# whose alpha node tests 511 or more distinct values of one attribute hangs on assert: shard.
UNITS_PER_RULESET = 48


def fits(ir) -> bool:
    terms, atoms = dnf_size(ir)
    return terms <= MAX_TERMS and atoms <= MAX_ATOMS and nesting(ir) <= MAX_NESTING


# ---------------------------------------------------------------- linear numeric expressions
@dataclass(frozen=True)
class Lin:
    const: float = 0
    terms: tuple = ()  # ((coef, field name), ...)

    def __add__(self, other: "Lin") -> "Lin":
        acc = dict(self.terms_dict())
        for name, coef in other.terms_dict().items():
            acc[name] = acc.get(name, 0) + coef
        return Lin(self.const + other.const, tuple((c, n) for n, c in acc.items() if c != 0))

    def scale(self, k: float) -> "Lin":
        return Lin(self.const * k, tuple((c * k, n) for c, n in self.terms if c * k != 0))

    def __sub__(self, other: "Lin") -> "Lin":
        return self + other.scale(-1)

    def terms_dict(self) -> dict:
        out: dict = {}
        for c, n in self.terms:
            out[n] = out.get(n, 0) + c
        return out

    def fields(self):
        return [n for _, n in self.terms]


def lin_field(name: str) -> Lin:
    return Lin(0, ((1, name),))


_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
_DOP = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte", "!=": "$neq"}


def _const_cmp(op: str, a: float, b: float) -> bool:
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b, "==": a == b, "!=": a != b}[op]


def _rhs(lin: Lin):
    """A durable arithmetic expression over the message's own attributes."""
    expr = None
    for coef, name in lin.terms:
        ref = {"$m": name}
        if expr is None:
            expr = ref if coef == 1 else {"$mul": {"$l": ref, "$r": coef}}
        elif coef == 1:
            expr = {"$add": {"$l": expr, "$r": ref}}
        elif coef == -1:
            expr = {"$sub": {"$l": expr, "$r": ref}}
        else:
            expr = {"$add": {"$l": expr, "$r": {"$mul": {"$l": ref, "$r": coef}}}}
    if expr is None:
        return _num(lin.const)
    if lin.const:
        expr = {"$add": {"$l": expr, "$r": _num(lin.const)}}
    return expr


def _num(x):
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def exists(name: str):
    return atom({"$ex": {name: 1}})


def not_exists(name: str):
    return atom({"$nex": {name: 1}})


def lin_atom(op: str, left: Lin, right: Lin):
    """left op right, rearranged so that one attribute stands alone on the left (durable's form)."""
    diff = left - right
    if not diff.terms:
        return TRUE if _const_cmp(op, diff.const, 0) else FALSE
    guards = [exists(n) for n in sorted(set(diff.fields()))]  # a missing right-hand attribute matches anything
    pivot = next(((c, n) for c, n in diff.terms if c == 1), None) or \
        next(((c, n) for c, n in diff.terms if c == -1), None) or diff.terms[0]
    coef, name = pivot
    rest = diff - Lin(0, ((coef, name),))
    # coef*p + rest op 0  <=>  p op' -rest/coef
    bound = rest.scale(-1 / coef) if coef not in (1, -1) else (rest.scale(-1) if coef == 1 else rest)
    op2 = op if coef > 0 else _FLIP[op]
    rhs = _rhs(bound)
    test = {name: rhs} if op2 == "==" else {_DOP[op2]: {name: rhs}}
    return mk_and(guards + [atom(test)])


# ---------------------------------------------------------------- values
@dataclass
class Num:
    """A numeric (or time, in minutes) value known to lie in [lo, hi] when ``guards`` hold."""

    guards: tuple
    lo: Lin
    hi: Lin
    kind: str = "any"  # any | number | moment (a literal moment is "moment")


@dataclass
class Hours:
    """time - time: hours = round(minutes / 60, 2), interval from xlo to xhi minutes."""

    guards: tuple
    xlo: Lin
    xhi: Lin


@dataclass
class Value:
    const: object = None
    is_const: bool = False
    base: str | None = None  # a field-backed value (path or count)
    nums: list = field(default_factory=list)  # Num | Hours alternatives
    known_t: object = TRUE
    known_f: object = FALSE


def _hours_threshold(k: float, strict: bool) -> int:
    """The least whole number of minutes x with round(x/60, 2) > k (strict) or >= k."""
    x = math.floor(k * 60) - 3
    while not (round(x / 60, 2) > k if strict else round(x / 60, 2) >= k):
        x += 1
    return x


# ---------------------------------------------------------------- units
@dataclass
class Unit:
    id: int
    scope: tuple  # ((var, collection), ...) outermost first
    node: object  # the boolean AST node (or a synthetic ast.And/Or for chunks)
    sources: list = field(default_factory=list)  # [(field base, source tuple)]
    same: list = field(default_factory=list)  # child unit ids of the same scope (verdict field u<id>)
    quants: list = field(default_factory=list)  # child body unit ids read as arrays (u<id>, u<id>__n)
    counts: list = field(default_factory=list)  # child body unit ids read as counts (u<id>__lo/hi)
    t: object = FALSE
    f: object = FALSE
    height: int = 0
    keys: set = field(default_factory=set)

    def plan(self) -> dict:
        return {"id": self.id, "scope": [c for _, c in self.scope], "sources": self.sources,
                "same": self.same, "quants": self.quants, "counts": self.counts, "height": self.height}


class Compiler:
    def __init__(self):
        self.units: list[Unit] = []
        self._by_node: dict = {}
        self.roots: dict[str, int] = {}
        self.needed_roots: set = set()  # (root, attr) pairs read anywhere
        self.needed_items: dict[str, set] = {}  # collection -> attrs read anywhere
        self.collections: set = set()
        # One field name per source across all units, so the caller can render a value's message text once per
        # proceeding: ("r", root, attr), ("v", collection, depth, attr) or ("n", collection) -> "f12".
        self.names: dict[tuple, str] = {}
        self._name_hashes: dict[int, str] = {fnv1a(n): n for n in ("id", "sid", "__u", "__t")}

    def field_name(self, key: tuple) -> str:
        """The field name of a source, chosen so that none of its typed attributes collides in durable's 32-bit hash
        with another field's (durable hashes property names, docs/durable-rules.md limit 8)."""
        name = self.names.get(key)
        if name is None:
            number = len(self.names)
            while True:
                name = f"f{number}"
                attrs = [f"{name}__{s}" for s in FIELD_SUFFIXES]
                hashes = [fnv1a(a) for a in attrs]
                if len(set(hashes)) == len(hashes) and not any(h in self._name_hashes for h in hashes):
                    break
                number += 1000003  # a name outside the sequence, so later sources keep theirs
            self._name_hashes.update(zip(hashes, attrs))
            self.names[key] = name
        return name

    # -- entry point
    def add(self, key: str, node, split_all: bool = False):
        try:
            self.roots[key] = self._unit((), node, key, split_all).id
        except DurableCompileError as err:
            raise DurableCompileError(f"condition {key}: {err}") from None

    def rules(self) -> list[dict]:
        """One ruleset per shard of UNITS_PER_RULESET units (unit u lives in shard u // UNITS_PER_RULESET)."""
        shards: list[dict] = []
        for u in self.units:
            if u.id // UNITS_PER_RULESET >= len(shards):
                shards.append({"seen": {"all": [{"m": {"$ex": {"__u": 1}}}]}})
            out = shards[u.id // UNITS_PER_RULESET]
            for which, ir in (("T", u.t), ("F", u.f)):
                if ir == FALSE:
                    continue
                out[f"u{u.id}|{which}"] = {"all": [{"m": {"$and": [{"__u": u.id}, to_json(ir)]}}]}
        return shards

    # -- units
    def _unit(self, scope: tuple, node, key: str, split_all: bool) -> Unit:
        memo = (scope, node, split_all)
        if memo in self._by_node:
            unit = self._by_node[memo]
            self._mark(unit, key)
            return unit
        unit = Unit(len(self.units), scope, node)
        self.units.append(unit)
        self._by_node[memo] = unit
        ctx = _Ctx(self, unit, key, split_all)
        unit.t, unit.f = ctx.tf(node, top=True)
        unit.height = 1 + max((self.units[c].height for c in unit.same + unit.quants + unit.counts), default=-1)
        self._mark(unit, key)
        names = ["id", "sid", "__u", "__t"]
        for base, _ in unit.sources:
            names += [f"{base}__{s}" for s in FIELD_SUFFIXES]
        names += [f"u{c}" for c in unit.same + unit.quants] + [f"u{c}__n" for c in unit.quants]
        names += [f"u{c}__{s}" for c in unit.counts for s in ("lo", "hi")]
        if len(unit.sources) * 5 + len(unit.same) + 2 * len(unit.quants) + 2 * len(unit.counts) + 4 > 250:
            raise DurableCompileError("reads too many values for one durable message (limit 255 properties)")
        hashes = {}
        for n in names:
            h = fnv1a(n)
            if h in hashes and hashes[h] != n:
                raise DurableCompileError(f"attribute names {hashes[h]!r} and {n!r} collide in durable's 32-bit hash")
            hashes[h] = n
        return unit

    def _mark(self, unit: Unit, key: str):
        if key in unit.keys:
            return
        unit.keys.add(key)
        for c in unit.same + unit.quants + unit.counts:
            self._mark(self.units[c], key)


FIELD_SUFFIXES = ("lo", "hi", "m", "s", "b", "l", "ln", "k")  # the typed attributes of a field (encode_value)


def fnv1a(text: str) -> int:
    h = 2166136261
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


class _Ctx:
    """Compiles one unit's formula: resolves paths to message fields, values to T/F atoms."""

    def __init__(self, comp: Compiler, unit: Unit, key: str, split_all: bool):
        self.comp, self.unit, self.key, self.split_all = comp, unit, key, split_all
        self._fields: dict = {}

    # -- sources
    def field_for(self, path: ast.Path) -> str:
        scope = self.unit.scope
        for depth in range(len(scope) - 1, -1, -1):
            var, coll = scope[depth]
            if var == path.root:
                if len(path.attrs) != 1:
                    raise DurableCompileError(f"path {path.dotted!r}: an item is read as {var}.<field>")
                source = ("v", depth, path.attrs[0])
                self.comp.needed_items.setdefault(coll, set()).add(path.attrs[0])
                break
        else:
            if len(path.attrs) > 1:
                raise DurableCompileError(f"path {path.dotted!r} is too deep")
            source = ("r", path.root, path.attrs[0] if path.attrs else None)
            self.comp.needed_roots.add((path.root, source[2]))
        return self._source(source)

    def _source(self, source) -> str:
        source = tuple(source)
        if source not in self._fields:
            if source[0] == "v":  # an item's value is named by its collection and depth, not by the unit
                key = ("v", self.unit.scope[source[1]][1], source[1], source[2])
            else:
                key = source
            base = self.comp.field_name(key)
            self._fields[source] = base
            self.unit.sources.append([base, list(source)])
        return self._fields[source]

    # -- boolean nodes
    def tf(self, node, top: bool = False):
        if isinstance(node, ast.Not):
            t, f = self.tf(node.operand)
            return f, t
        if isinstance(node, ast.And | ast.Or):
            return self._junction(node, top)
        if isinstance(node, ast.Quantifier):
            return self._quantifier(node)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Member):
            t, f = self._member(node)
            return (f, t) if node.negated else (t, f)
        if isinstance(node, ast.Known):
            v = self.value(node.operand)
            return (v.known_f, v.known_t) if node.negated else (v.known_t, v.known_f)
        if isinstance(node, ast.Literal):
            if isinstance(node.value, bool):
                return (TRUE, FALSE) if node.value else (FALSE, TRUE)
            raise DurableCompileError(f"the literal {node.value!r} is not a condition")
        if isinstance(node, ast.Path):
            f = self.field_for(node)  # a truth-valued fact used as a condition
            return atom({f"{f}__b": True}), atom({f"{f}__b": False})
        raise DurableCompileError(f"{type(node).__name__} is not a condition")

    def _junction(self, node, top):
        is_and = isinstance(node, ast.And)
        saved = (list(self.unit.same), list(self.unit.quants), list(self.unit.counts))
        if not self.split_all:
            parts = [self.tf(o) for o in node.operands]
            t, f = self._combine(is_and, parts)
            if fits(t) and fits(f):
                return t, f
            self.unit.same[:], self.unit.quants[:], self.unit.counts[:] = saved
        # too large for one durable rule: compound operands become units of the same scope
        parts = []
        for o in node.operands:
            if isinstance(o, ast.And | ast.Or | ast.Not):
                parts.append(self._same_scope(o))
            else:
                parts.append(self.tf(o))
        t, f = self._combine(is_and, parts)
        if fits(t) and fits(f):
            return t, f
        ops = list(node.operands)
        if len(ops) > 2:  # many operands: group them
            self.unit.same[:], self.unit.quants[:], self.unit.counts[:] = saved
            half = (len(ops) + 1) // 2
            kind = ast.And if is_and else ast.Or
            return self._combine(is_and, [self._same_scope(kind(tuple(ops[:half]))),
                                          self._same_scope(kind(tuple(ops[half:])))])
        return t, f  # the ruleset build reports the rule if durable rejects it

    @staticmethod
    def _combine(is_and, parts):
        if is_and:
            return mk_and([t for t, _ in parts]), mk_or([f for _, f in parts])
        return mk_or([t for t, _ in parts]), mk_and([f for _, f in parts])

    def _same_scope(self, node):
        child = self.comp._unit(self.unit.scope, node, self.key, self.split_all)
        if child.id not in self.unit.same:
            self.unit.same.append(child.id)
        name = f"u{child.id}"
        return atom({name: "T"}), atom({name: "F"})

    def _quantifier(self, node: ast.Quantifier):
        coll = self._collection(node.collection)
        body = self.comp._unit(self.unit.scope + ((node.var, coll),), node.body, self.key, self.split_all)
        if body.id not in self.unit.quants:
            self.unit.quants.append(body.id)
        name = f"u{body.id}"
        some_t = atom({"$iany": {name: {"$i.v": "T"}}})
        some_f = atom({"$iany": {name: {"$i.v": "F"}}})
        empty = atom({f"{name}__n": 0})
        every_t = mk_or([empty, atom({"$iall": {name: {"$i.v": "T"}}})])  # $iall never matches []
        every_f = mk_or([empty, atom({"$iall": {name: {"$i.v": "F"}}})])
        return (some_t, every_f) if node.kind == "any" else (every_t, some_f)

    def _collection(self, path: ast.Path) -> str:
        if path.attrs:
            raise DurableCompileError(f"{path.dotted!r} is not a collection")
        self.comp.collections.add(path.root)
        return path.root

    # -- values
    def value(self, node) -> Value:
        if isinstance(node, ast.Literal):
            return Value(const=literal_value(node.value), is_const=True)
        if isinstance(node, ast.Path):
            base = self.field_for(node)
            return self._field_value(base)
        if isinstance(node, ast.Count):
            coll = self._collection(node.collection)
            if node.body is None:
                base = self._source(("n", coll))
                return Value(base=None, nums=[Num((), lin_field(f"{base}__lo"), lin_field(f"{base}__hi"), "number")])
            body = self.comp._unit(self.unit.scope + ((node.var, coll),), node.body, self.key, self.split_all)
            if body.id not in self.unit.counts:
                self.unit.counts.append(body.id)
            n = f"u{body.id}"
            return Value(nums=[Num((), lin_field(f"{n}__lo"), lin_field(f"{n}__hi"), "number")])
        if isinstance(node, ast.Arith):
            return self._arith(node)
        raise DurableCompileError(f"{type(node).__name__} is not a value")

    def _field_value(self, base: str) -> Value:
        return Value(base=base, nums=[Num((), lin_field(f"{base}__lo"), lin_field(f"{base}__hi"))],
                     known_t=exists(f"{base}__k"), known_f=not_exists(f"{base}__k"))

    def _typed(self, v: Value, want: str) -> list:
        """The numeric alternatives of ``v`` restricted to numbers or to moments (for arithmetic)."""
        if v.is_const:
            c = v.const
            if isinstance(c, Moment):
                return [Num((), Lin(c.lo), Lin(c.hi), "moment")] if want == "moment" else []
            if isinstance(c, Span):
                return [Num((), Lin(c.lo), Lin(c.hi), "number")] if want == "number" else []
            if isinstance(c, bool) or not isinstance(c, int | float):
                raise DurableCompileError(f"arithmetic on {c!r}")
            return [Num((), Lin(c), Lin(c), "number")] if want == "number" else []
        out = []
        for n in v.nums:
            if isinstance(n, Hours):
                raise DurableCompileError("a difference of two times can only be compared with a constant")
            if n.kind in (want, "any"):
                guards = n.guards
                if n.kind == "any" and v.base is not None:
                    guard = exists(f"{v.base}__m") if want == "moment" else not_exists(f"{v.base}__m")
                    guards = guards + (guard,)
                out.append(Num(guards, n.lo, n.hi, want))
        return out

    def _arith(self, node: ast.Arith) -> Value:
        a, b, op = self.value(node.left), self.value(node.right), node.op
        if a.is_const and b.is_const:
            try:
                return Value(const=py_arith(op, a.const, b.const), is_const=True)
            except EvaluationError as err:
                raise DurableCompileError(str(err)) from None
        known_t, known_f = mk_and([a.known_t, b.known_t]), mk_or([a.known_f, b.known_f])
        nums = []
        if op in ("+", "-"):
            for x in self._typed(a, "number"):
                for y in self._typed(b, "number"):
                    g = x.guards + y.guards
                    if op == "+":
                        nums.append(Num(g, x.lo + y.lo, x.hi + y.hi, "number"))
                    else:
                        nums.append(Num(g, x.lo - y.hi, x.hi - y.lo, "number"))
            if op == "-":
                for x in self._typed(a, "moment"):
                    for y in self._typed(b, "moment"):
                        nums.append(Hours(x.guards + y.guards, x.lo - y.hi, x.hi - y.lo))
        else:
            const, other = (b, a) if b.is_const else (a, b) if a.is_const else (None, None)
            if const is None or isinstance(const.const, Moment | Span):
                raise DurableCompileError(f"'{op}' needs a constant operand in the durable engine")
            k = const.const
            if isinstance(k, bool) or not isinstance(k, int | float):
                raise DurableCompileError(f"arithmetic on {k!r}")
            if op == "/" and const is a:
                raise DurableCompileError("division by a fact is not supported by the durable engine")
            if op == "/" and k == 0:
                return Value(nums=[], known_t=FALSE, known_f=TRUE)  # the quotient is unknown
            factor = k if op == "*" else 1 / k
            for x in self._typed(other, "number"):
                lo, hi = x.lo.scale(factor), x.hi.scale(factor)
                nums.append(Num(x.guards, lo, hi, "number") if factor >= 0 else Num(x.guards, hi, lo, "number"))
        return Value(nums=nums, known_t=known_t, known_f=known_f)

    # -- comparisons
    def _compare(self, node: ast.Compare):
        a, b, op = self.value(node.left), self.value(node.right), node.op
        if a.is_const and b.is_const:
            try:
                r = py_compare(op, a.const, b.const)
            except EvaluationError as err:
                raise DurableCompileError(str(err)) from None
            return (TRUE, FALSE) if r else (FALSE, TRUE) if r is False else (FALSE, FALSE)
        if a.is_const:  # keep the constant on the right
            a, b, op = b, a, _FLIP[op]
        if op in ("==", "!="):
            t, f = self._equal(a, b)
            return (t, f) if op == "==" else (f, t)
        return self._order(op, a, b)

    def _nums(self, v: Value) -> list:
        if v.is_const:
            c = v.const
            if isinstance(c, Moment | Span):
                return [Num((), Lin(c.lo), Lin(c.hi))]
            if isinstance(c, bool) or not isinstance(c, int | float):
                raise DurableCompileError(f"cannot order {c!r}")
            return [Num((), Lin(c), Lin(c))]
        return v.nums

    def _order(self, op, a: Value, b: Value):
        ts, fs = [], []
        for x in self._nums(a):
            for y in self._nums(b):
                if isinstance(x, Hours) or isinstance(y, Hours):
                    t, f = self._hours(op, x, y, b)
                else:
                    t, f = self._interval(op, x, y)
                    t, f = mk_and(list(x.guards + y.guards) + [t]), mk_and(list(x.guards + y.guards) + [f])
                ts.append(t)
                fs.append(f)
        return mk_or(ts), mk_or(fs)

    @staticmethod
    def _interval(op, x: Num, y: Num):
        if op == ">":
            return lin_atom(">", x.lo, y.hi), lin_atom("<=", x.hi, y.lo)
        if op == ">=":
            return lin_atom(">=", x.lo, y.hi), lin_atom("<", x.hi, y.lo)
        if op == "<":
            return lin_atom("<", x.hi, y.lo), lin_atom(">=", x.lo, y.hi)
        if op == "<=":
            return lin_atom("<=", x.hi, y.lo), lin_atom(">", x.lo, y.hi)
        raise DurableCompileError(f"unknown operator {op}")

    def _hours(self, op, x, y, b: Value):
        if not isinstance(x, Hours) or isinstance(y, Hours) or not b.is_const or y.lo.terms or y.lo.const != y.hi.const:
            raise DurableCompileError("a difference of two times can only be compared with a constant number")
        if isinstance(b.const, Moment):
            raise DurableCompileError("a difference of two times compared with a time")
        k = float(b.const)
        g, ge = Lin(_hours_threshold(k, True)), Lin(_hours_threshold(k, False))
        if op == ">":
            t, f = lin_atom(">=", x.xlo, g), lin_atom("<", x.xhi, g)
        elif op == ">=":
            t, f = lin_atom(">=", x.xlo, ge), lin_atom("<", x.xhi, ge)
        elif op == "<":
            t, f = lin_atom("<", x.xhi, ge), lin_atom(">=", x.xlo, ge)
        elif op == "<=":
            t, f = lin_atom("<", x.xhi, g), lin_atom(">=", x.xlo, g)
        elif op == "==":
            t = mk_and([lin_atom(">=", x.xlo, ge), lin_atom("<", x.xhi, g)])
            f = mk_or([lin_atom("<", x.xhi, ge), lin_atom(">=", x.xlo, g)])
        else:
            raise DurableCompileError(f"unknown operator {op}")
        return mk_and(list(x.guards) + [t]), mk_and(list(x.guards) + [f])

    def _equal(self, a: Value, b: Value):
        if b.is_const:
            c = b.const
            if a.base is not None:
                base = a.base
                if isinstance(c, bool):
                    return atom({f"{base}__b": c}), atom({f"{base}__b": not c})
                if isinstance(c, str):
                    s = f"{base}__s"
                    return atom({s: c}), mk_and([exists(s), atom({"$neq": {s: c}})])
                if isinstance(c, tuple):
                    raise DurableCompileError("comparing a fact with a list (use `in`)")
            if isinstance(c, str | bool):
                return FALSE, FALSE  # a computed number against a string or truth value: a type error
        ts, fs = [], []
        if a.base is not None and b.base is not None:
            for sub in ("s", "b"):
                x, y = f"{a.base}__{sub}", f"{b.base}__{sub}"
                both = [exists(x), exists(y)]
                ts.append(mk_and(both + [atom({x: {"$m": y}})]))
                fs.append(mk_and(both + [atom({"$neq": {x: {"$m": y}}})]))
        for x in self._nums(a):
            for y in self._nums(b):
                if isinstance(x, Hours) or isinstance(y, Hours):
                    t, f = self._hours("==", x, y, b)
                else:
                    g = list(x.guards + y.guards)
                    t = mk_and(g + [lin_atom("==", x.lo, x.hi), lin_atom("==", x.hi, y.lo), lin_atom("==", y.lo, y.hi)])
                    f = mk_and(g + [mk_or([lin_atom("<", x.hi, y.lo), lin_atom("<", y.hi, x.lo)])])
                ts.append(t)
                fs.append(f)
        return mk_or(ts), mk_or(fs)

    def _member(self, node: ast.Member):
        item, options = self.value(node.item), self.value(node.options)
        if item.is_const and options.is_const:
            r = py_member(item.const, options.const)
            return (TRUE, FALSE) if r else (FALSE, TRUE) if r is False else (FALSE, FALSE)
        if options.is_const:
            opts = options.const if isinstance(options.const, tuple) else (options.const,)
            if item.base is None:
                raise DurableCompileError("`in` on a computed value")
            return self._member_literal(item.base, opts)
        if options.base is None:
            raise DurableCompileError("`in` needs a list literal or a list-valued fact")
        lst, n = f"{options.base}__l", f"{options.base}__ln"
        if item.is_const:
            c = item.const
            if isinstance(c, str):
                return atom({"$iany": {lst: {"$i": c}}}), mk_and([exists(lst), mk_or([atom({n: 0}), atom({"$iall": {lst: {"$neq": {"$i": c}}}})])])
            return FALSE, exists(lst)  # only strings can be members of a list-valued fact
        s = f"{item.base}__s"
        t = mk_and([exists(s), exists(lst), atom({"$iany": {lst: {"$i": {"$m": s}}}})])
        f_str = mk_and([exists(s), exists(lst), mk_or([atom({n: 0}), atom({"$iall": {lst: {"$neq": {"$i": {"$m": s}}}}})])])
        f_other = mk_and([exists(lst), exists(f"{item.base}__k"), not_exists(s)])
        return t, mk_or([f_str, f_other])

    def _member_literal(self, base: str, opts: tuple):
        s, b, lo, hi, lst = (f"{base}__{x}" for x in ("s", "b", "lo", "hi", "l"))
        strs = [o for o in opts if isinstance(o, str)]
        bools = [o for o in opts if isinstance(o, bool)]
        nums = [o for o in opts if isinstance(o, int | float) and not isinstance(o, bool)]
        # Python's `in`: True == 1 and False == 0, so a truth value matches the numbers 1 and 0
        bool_like = sorted({bool(o) for o in bools} | {bool(o) for o in nums if o in (0, 1)})
        if len(opts) > MAX_LIST_ITEMS:  # each item is a test in one formula; 600 took durable over 60 s
            raise DurableCompileError(f"`in` with {len(opts)} items; the durable engine takes at most {MAX_LIST_ITEMS} "
                                      "(docs/durable-rules.md); use --engine native")
        if len(nums) > 4:
            raise DurableCompileError("`in` with more than four numbers")
        t = mk_or([atom({s: o}) for o in strs] + [atom({b: o}) for o in bool_like] +
                  [mk_and([atom({lo: _num(o)}), atom({hi: _num(o)})]) for o in nums])
        f_str = mk_and([exists(s)] + [atom({"$neq": {s: o}}) for o in strs])
        f_bool = mk_and([exists(b)] + [atom({"$neq": {b: o}}) for o in bool_like])
        f_num = mk_and([exists(lo)] + [mk_or([atom({"$lt": {hi: _num(o)}}), atom({"$gt": {lo: _num(o)}})]) for o in nums])
        return t, mk_or([f_str, f_bool, f_num, exists(lst)])


def compile_conditions(conditions: dict, split_all_keys=frozenset()) -> Compiler:
    comp = Compiler()
    for key in sorted(conditions):
        comp.add(key, conditions[key], split_all=key in split_all_keys)
    return comp


def encode_value(value):
    """A fact value as typed sub-attributes (durable compares "1" == 1 and true == 1, so types are kept apart)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"b": value}
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return {"lo": value, "hi": value}
    if isinstance(value, Span):
        return {"lo": value.lo, "hi": value.hi}
    if isinstance(value, Moment):
        return {"lo": _num(value.lo), "hi": _num(value.hi), "m": 1}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, tuple | list):
        if all(isinstance(x, str) for x in value):
            return {"l": list(value), "ln": len(value)}
        return None
    return None
