"""For rule developers: lint the rule base and run every rule's examples."""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.compile.plan import CompiledRule, Plan, item_paths
from engine.derive.facts import derive_case
from engine.evaluate.run import evaluate_all
from engine.derive.paths import base_schema
from engine.model.instruments import INSTRUMENTS
from engine.model.case import Case
from engine.model.rule import Example

FIRES = {"violation", "probable violation", "concern"}


@dataclass
class Problem:
    file: str
    rule: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule}: {self.message}"


def lint(plan: Plan, positions: dict[str, dict] | None = None) -> list[Problem]:
    problems = []
    schema = base_schema()
    derived = {r.rule.derive for r in plan.rules if r.rule.derive}
    for cr in plan.rules:
        r = cr.rule

        def add(message, key=None):
            line = (positions or {}).get(cr.file, {}).get((key,), (None,))[0] if key else None
            problems.append(Problem(cr.file, r.id, message, line))

        for c in [r.citation, *r.see_also]:
            if c.instrument not in INSTRUMENTS:
                add(f"unknown instrument {c.instrument!r} (see docs/rule-format.md, Instruments)", "citation")
        if not r.citation.article:
            add("the citation has no article", "citation")
        if r.in_force.until and r.in_force.until < r.in_force.from_:
            add("in_force ends before it begins", "in_force")
        if not r.sources and not r.unconfirmed:
            add("no `sources`: say where the law was read, or mark the rule unconfirmed", "sources")
        if r.rests_on_silent_record and r.kind != "presumptive":
            # evaluative rules give `concern` anyway, derivations no outcome; a bright line drawn from the
            # record's silence is a presumption, so the rule must say so in its kind
            add(f"`rests_on_silent_record` on a rule of kind {r.kind!r}: only a presumptive rule can rest on the "
                "record's silence (an evaluative rule never gives more than `concern`)", "rests_on_silent_record")
        expects = {e.expect for e in r.examples}
        if not expects & FIRES:
            add("no example that fires (violation, probable violation or concern)", "examples")
        if not expects & {"no violation", "not applicable"}:
            add("no example that does not fire (no violation)", "examples")
        if "needs information" not in expects:
            add("no example with a missing fact (needs information)", "examples")
        for node in (cr.applies_if, cr.when):
            if node is None:
                continue
            for coll, attr, path in item_paths(node):
                if attr is None or attr not in (schema.get(coll) or ()):
                    add(f"unknown fact {path.dotted!r}: items of {coll!r} have no such field", "when")
        for lang in ("en", "ru"):
            for name in re.findall(r"\{([^}]*)\}", r.explanation.get(lang)):
                if not _placeholder_ok(name, cr, schema, derived):
                    add(f"explanation ({lang}) names {{{name}}}, which is no fact, variable or parameter", "explanation")
    return problems


def _placeholder_ok(name: str, cr: CompiledRule, schema, derived) -> bool:
    root, _, attr = name.partition(".")
    if root in cr.param_names and not attr:
        return True
    variables = {n.var: n.collection.root for node in (cr.applies_if, cr.when) if node is not None
                 for n in _walk(node) if hasattr(n, "var") and getattr(n, "var", None)}
    if root in variables:
        return attr in (schema.get(variables[root]) or ())
    if root not in schema:
        return False
    allowed = schema[root]
    if allowed is None:
        return not attr
    return attr in (derived if root == "derived" else allowed)


def _walk(node):
    from engine.lang.ast import walk

    return walk(node)


def example_case(cr: CompiledRule, index: int, example: Example) -> Case:
    facts = dict(example.facts)
    incident = facts.pop("incident", None)
    person = facts.pop("person", None) or {}
    same_act = facts.pop("same_act", []) or []
    proceeding = {"id": "example", "kind": facts.pop("kind", cr.rule.applies_to[0]), "person": "p", **facts}
    incidents = []
    if incident is not None or same_act:
        incidents = [{"id": "i", "kind": "assembly", **(incident or {})}]
        proceeding["incident"] = "i"
    others = [{"id": f"other-{k}", "kind": "administrative", "person": "p", "incident": "i", **o}
              for k, o in enumerate(same_act)]
    return Case.model_validate({
        "id": f"example-{index}", "defaults": {"status": example.status},
        "people": [{"id": "p", "name": person.pop("name", "the person") if isinstance(person, dict) else "the person",
                    **(person if isinstance(person, dict) else {})}],
        "incidents": incidents, "proceedings": [proceeding, *others],
    })


@dataclass
class ExampleResult:
    rule: CompiledRule
    index: int
    example: Example
    got: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.got == self.example.expect


def run_examples(plan: Plan, engine, only: set[str] | None = None) -> list[ExampleResult]:
    from pydantic import ValidationError

    results = []
    for cr in plan.rules:
        if only and cr.id not in only:
            continue
        for i, example in enumerate(cr.rule.examples):
            try:
                case = example_case(cr, i, example)
            except ValidationError as err:
                first = err.errors()[0]
                results.append(ExampleResult(cr, i, example, None, f"facts do not validate: "
                                             f"{'.'.join(map(str, first['loc']))}: {first['msg']}"))
                continue
            facts = derive_case(case)
            findings = evaluate_all(plan, facts[:1], engine, include_all=True, derivations=True)[0]
            got = next((f.status for f in findings if f.rule == cr.id), None)
            results.append(ExampleResult(cr, i, example, got))
    return results
