"""Types for conditions: what a rule would get wrong at check time is refused when it is loaded.

Each fact path has a kind (time, number, text, truth value, list) read from the case models and the
derived facts. A condition is refused, with the position of the offending path, when it

- orders or equates values of different kinds (a date with a number, a truth value with text),
- does arithmetic on times other than time - time,
- reads a quantifier's item bare (`c > 3`), too deep (`c.start.year`) or by a field its items lack,
- nests quantifiers deeper than ``MAX_QUANTIFIER_NESTING`` (the work is the product of the collections).

A parameter may not be named like a fact root: the name would hide the fact in every condition.
"""
from __future__ import annotations

import typing
from datetime import date
from functools import lru_cache

from engine.derive.paths import LIST_ROOTS, base_schema
from engine.lang import ast

TIME, NUMBER, TEXT, TRUTH, LIST = "time", "number", "text", "truth value", "list"
MAX_QUANTIFIER_NESTING = 2

_DERIVED = {
    "custody": {"hours": NUMBER, "hours_before_judge": NUMBER, "hours_to_protocol": NUMBER, "hours_to_relatives": NUMBER,
                "hours_to_lawyer": NUMBER, "hours_unacknowledged": NUMBER, "follows_previous": TRUTH,
                "warrant_at_arrest": TRUTH, "court_sanction_at": TIME, "hours_to_court_sanction": NUMBER,
                "sanctioned_by": TEXT},
    "decision": {"arrest_days": NUMBER, "fine_amount": NUMBER, "fine_mci": NUMBER, "prison_months": NUMBER,
                 "prison_months_unsuspended": NUMBER, "public_works_hours": NUMBER, "restriction_months": NUMBER,
                 "ban_years": NUMBER, "suspended": TRUTH, "has_ban": TRUTH, "sanctioned": TRUTH, "recorded": TRUTH,
                 "sanction_kinds": LIST},
    "person": {"name": TEXT, "age_at_decision": NUMBER},
    "charges": {"code": TEXT, "article": TEXT, "part": TEXT, "paragraph": TEXT, "code_in_force": TRUTH,
                "charged_at": TIME, "until": TIME},
    "same_act": {"decision_date": TIME, "opened": TIME, "sanctioned": TRUTH, "final": TRUTH, "penal_in_nature": TRUTH,
                 "before_this": TRUTH, "opened_before_this": TRUTH, "arrest_days": NUMBER, "fine_mci": NUMBER,
                 "prison_months": NUMBER, "id": TEXT, "kind": TEXT},
    "dates": {name: TIME for name in ("conduct", "detention", "hearing", "decision", "investigation", "first")},
}
_MODELS = {"proceeding": "Proceeding", "person": "Person", "incident": "Incident", "custody": "Custody",
           "court_appearances": "CourtAppearance", "hearings": "Hearing", "sanctions": "Sanction", "decision": "Decision",
           "appeals": "Appeal", "evidence": "Evidence", "allegations": "Allegation", "employment": "Employment",
           "investigative_acts": "InvestigativeAct"}
_SCALARS = {"role": TEXT, "prior_penalty_within_year": TRUTH}


@lru_cache(maxsize=1)
def fact_kinds() -> dict[str, dict[str, str] | str]:
    """root -> {attribute: kind}, or root -> kind for a scalar root. Paths of unknown kind are left out."""
    from engine.model import case as models

    kinds: dict = dict(_SCALARS)
    for root, model_name in _MODELS.items():
        model = getattr(models, model_name, None)
        fields = {}
        for name, info in (model.model_fields.items() if model is not None else ()):
            kind = _kind_of(info.annotation)
            if kind is not None:
                fields[name] = kind
        kinds[root] = fields
    for root, extra in _DERIVED.items():
        kinds.setdefault(root, {}).update(extra)
    return kinds


def _kind_of(annotation) -> str | None:
    from engine.model.facts_in import Count, TimeText

    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    inner = args[0]
    generic = getattr(inner, "__pydantic_generic_metadata__", None)
    if generic and generic.get("args"):  # Given[X]: a fact holding X
        inner = generic["args"][0]
    if inner is TimeText:
        return TIME
    if inner is Count:
        return NUMBER
    if inner is str or typing.get_origin(inner) is typing.Literal:
        return TEXT
    if inner is bool or typing.get_args(inner)[:1] == (bool,):
        return TRUTH
    return None


def _literal_kind(value) -> str | None:
    if isinstance(value, bool):
        return TRUTH
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if isinstance(value, date):
        return TIME
    from engine.model.values import Moment

    if isinstance(value, Moment):  # `never`, and a day literal read as a boundary (engine.lang.parse)
        return TIME
    if isinstance(value, tuple):
        return LIST
    return None


def parameter_problems(names) -> list[tuple[str, str]]:
    """(parameter name, problem) for parameters named like a fact root."""
    schema = base_schema()
    return [(name, f"parameter {name!r} has the name of a fact{' collection' if name in LIST_ROOTS else ''}; "
                   "rename it (e.g. limit_hours)") for name in names if name in schema]


def condition_problems(node: ast.Node, params: dict) -> list[tuple[str, ast.Path | None]]:
    """(problem, path to point at) for every type error in a condition. ``params``: name -> a sample value."""
    checker = _Checker(params)
    checker.kind(node, {}, 0)
    return checker.problems


class _Checker:
    def __init__(self, params: dict):
        self.params = params
        self.kinds = fact_kinds()
        self.schema = base_schema()
        self.problems: list[tuple[str, ast.Path | None]] = []

    def fail(self, message: str, node) -> None:
        self.problems.append((message, _first_path(node)))

    def kind(self, node, bound: dict[str, str], nesting: int) -> str | None:
        if isinstance(node, ast.Literal):
            return _literal_kind(node.value)
        if isinstance(node, ast.Path):
            return self._path(node, bound)
        if isinstance(node, ast.Compare):
            left, right = self.kind(node.left, bound, nesting), self.kind(node.right, bound, nesting)
            if left and right:
                ordering = node.op not in ("==", "!=")
                if ordering and (left not in (TIME, NUMBER) or right not in (TIME, NUMBER)):
                    self.fail(f"cannot order a {left if left not in (TIME, NUMBER) else right} with `{node.op}`", node)
                elif left != right:
                    self.fail(f"compares a {left} with a {right} (`{node.op}`); they are never comparable", node)
            return TRUTH
        if isinstance(node, ast.Arith):
            left, right = self.kind(node.left, bound, nesting), self.kind(node.right, bound, nesting)
            if TIME in (left, right):
                if node.op == "-" and left == right == TIME:
                    return NUMBER  # hours between two times
                self.fail(f"only time - time is defined on times (here a {left} {node.op} a {right})", node)
                return None
            for side in (left, right):
                if side and side != NUMBER:
                    self.fail(f"arithmetic (`{node.op}`) on a {side}", node)
            return NUMBER
        if isinstance(node, ast.Member):
            self.kind(node.item, bound, nesting)
            self.kind(node.options, bound, nesting)
            return TRUTH
        if isinstance(node, ast.Known):
            self.kind(node.operand, bound, nesting)
            return TRUTH
        if isinstance(node, ast.Not):
            self.kind(node.operand, bound, nesting)
            return TRUTH
        if isinstance(node, ast.And | ast.Or):
            for operand in node.operands:
                self.kind(operand, bound, nesting)
            return TRUTH
        if isinstance(node, ast.Quantifier | ast.Count):
            if node.body is None:
                return NUMBER
            if nesting + 1 > MAX_QUANTIFIER_NESTING:
                self.fail(f"quantifiers nested more than {MAX_QUANTIFIER_NESTING} deep (the work grows as the "
                          "product of the collections; see docs/rule-format.md)", node.collection)
            self.kind(node.body, {**bound, node.var: node.collection.root}, nesting + 1)
            return TRUTH if isinstance(node, ast.Quantifier) else NUMBER
        return None

    def _path(self, node: ast.Path, bound: dict[str, str]) -> str | None:
        root, attrs = node.root, node.attrs
        if root in bound:
            collection = bound[root]
            if not attrs:
                self.problems.append((f"`{root}` is an item of {collection!r}, not a value: read one of its fields "
                                      f"({root}.<field>)", node))
                return None
            if len(attrs) > 1:
                self.problems.append((f"{node.dotted!r} is too deep: write {root}.<field>", node))
                return None
            fields = self.schema.get(collection) or frozenset()
            if attrs[0] not in fields:
                self.problems.append((f"unknown fact {node.dotted!r}: items of {collection!r} have no field {attrs[0]!r}"
                                      f"{_did_you_mean(attrs[0], fields, prefix=root + '.')}", node))
                return None
            return (self.kinds.get(collection) or {}).get(attrs[0])
        if root in self.params and not attrs:
            return _literal_kind(self.params[root])
        kinds = self.kinds.get(root)
        if isinstance(kinds, str):
            return kinds if not attrs else None
        if kinds is None or len(attrs) != 1:
            return None
        return kinds.get(attrs[0])


def _did_you_mean(word: str, options, prefix: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean {prefix + close[0]!r}?)" if close else ""


def _first_path(node) -> ast.Path | None:
    for child in ast.walk(node):
        if isinstance(child, ast.Path):
            return child
    return None
