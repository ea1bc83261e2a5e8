"""Consistency of the rule base: the checks behind `trialcheck rules check`.

A rule developer changes a rule and runs `trialcheck rules check`; within seconds it says, in plain
words with the rule id, the file and the line, whether the rule base is still consistent:

1. every file loads and validates (a YAML or model error is reported at its line);
2. every fact path a condition reads exists in the case model or is derived (unknown paths, unknown
   fields of collection items);
3. the graph of derived facts is acyclic;
4. every rule's `examples` give their expected outcome, on the native engine and, when durable-rules
   is available, on the durable engine too;
5. no two rules contradict each other (see ``contradictions``);
6. every rule with a subject gate (`applies_if`: no custody, no hearing, no strike, no allegation... means
   the rule is not applicable) shows it with an example: one expecting `not applicable` that the gate
   decides, i.e. the same rule without its `applies_if` would not be `not applicable` on those facts
   (an example excluded by its date or kind of proceeding does not show the gate).

Two rules *contradict* when they enforce the same provision (same instrument, article, part,
paragraph and subparagraph), apply to a common kind of proceeding, are in force on a common day, test
the same condition (their `applies_if` and `when` are the same syntax tree once every parameter is
replaced by one placeholder), and either

- **parameters**: they define a parameter of the same name whose values differ on a day both are in
  force (one provision cannot set two different limits for the same test at once); or
- **outcomes**: on the same facts (any of either rule's example facts, evaluated by both) one finds a
  violation or a probable violation while the other finds no violation.

Rules that cite the same provision but test different things (the maximum of a fine and the grounds
for an arrest, both under art. 373) do not contradict each other when one fires and the other does
not: an article can be breached in one respect and respected in another.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List, Optional  # noqa: UP035 - typer reads these annotations at run time

from engine.io.errors import InputError, InputErrors


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    rule: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule + ': ' if self.rule else ''}{self.message}"


@dataclass
class Report:
    problems: list[Problem]
    rules: int = 0
    examples: int = 0
    engines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def check_rule_base(paths: list[str] | None = None, engines: tuple[str, ...] = ("native", "durable")) -> Report:
    """Run every check; never raises on bad rules (they become problems)."""
    from engine.compile.plan import compile_rules
    from engine.io.load import load_rules

    try:
        loaded = load_rules(paths)
    except InputErrors as many:
        return Report([_from_input_error(e) for e in many.errors])
    except InputError as err:
        return Report([_from_input_error(err)])
    positions = {doc.path: doc.positions for _, doc in loaded}
    problems = [*cycles(loaded, positions)]
    try:
        plan = compile_rules(loaded)
    except InputErrors as many:
        seen = {(p.file, p.message) for p in problems}
        problems += [p for p in map(_from_input_error, many.errors) if (p.file, p.message) not in seen
                     and "form a cycle" not in p.message]
        return Report(problems, len(loaded))
    problems += item_path_problems(plan, positions)
    notes: list[str] = []
    used: list[str] = []
    examples = 0
    for name in engines:
        engine = _engine(name, plan, notes, problems)
        if engine is None:
            continue
        used.append(name)
        try:
            found, count = example_problems(plan, engine, name, positions)
        finally:
            engine.close()
        problems += found
        examples += count
    problems += contradictions(plan, positions)
    problems += gate_problems(plan, positions)
    return Report(sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.rule or "", p.message)), len(plan.rules),
                  examples, tuple(used), tuple(notes))


def _from_input_error(err: InputError) -> Problem:
    return Problem(err.path, err.line, None, err.message)


def _line(positions, file, key) -> int | None:
    return (positions.get(file) or {}).get((key,), (None,))[0]


def _engine(name: str, plan, notes: list[str], problems: list[Problem] | None = None):
    from engine.evaluate.run import NativeEngine

    if name == "native":
        return NativeEngine()
    try:
        import durable  # noqa: F401
    except ImportError:
        notes.append("durable-rules is not installed; examples were run on the native engine only")
        return None
    from engine.evaluate.durable.adapter import DurableEngine, EngineFailure

    try:
        return DurableEngine(plan)
    except EngineFailure as err:
        import re

        found = re.search(r"([a-z0-9][a-z0-9.-]*[a-z0-9])\|(when|applies_if)\|", str(err))
        rule = plan.by_id.get(found.group(1)) if found else None
        if problems is not None:
            problems.append(Problem(rule.file if rule else "(durable engine)", None, rule.id if rule else None,
                                    f"the durable engine cannot run the rule base: {err}"))
        return None


def cycles(loaded, positions) -> list[Problem]:
    """Each cycle among derivation rules, named rule by rule (a rule reads the fact another derives)."""
    from engine.lang import ast
    from engine.lang.parse import ConditionSyntaxError, parse_condition

    producer: dict[str, tuple[str, str]] = {}
    for rule, doc in loaded:
        if rule.derive:
            producer[rule.derive] = (rule.id, doc.path)
    reads: dict[str, set[str]] = {}
    files = {}
    for rule, doc in loaded:
        files[rule.id] = doc.path
        names = set()
        for text in (rule.applies_if, rule.when):
            if not text:
                continue
            try:
                node = parse_condition(text)
            except ConditionSyntaxError:
                continue  # reported by compile
            names |= {n.attrs[0] for n in ast.walk(node) if isinstance(n, ast.Path) and n.root == "derived" and n.attrs}
        reads[rule.id] = {producer[n][0] for n in names if n in producer}
    found, state, out = set(), {}, []

    def visit(rid, stack):
        if state.get(rid) == "done":
            return
        if state.get(rid) == "active":
            cycle = stack[stack.index(rid):]
            key = frozenset(cycle)
            if key not in found:
                found.add(key)
                first = min(cycle)
                start = cycle.index(first)
                ordered = cycle[start:] + cycle[:start] + [first]
                out.append(Problem(files[first], _line(positions, files[first], "when"), first,
                                   "derived facts form a cycle: " + " -> ".join(ordered)
                                   + " (each rule reads the fact the next one derives)"))
            return
        state[rid] = "active"
        for dep in sorted(reads.get(rid, ())):
            visit(dep, stack + [rid])
        state[rid] = "done"

    for rid in sorted(reads):
        visit(rid, [])
    return out


def item_path_problems(plan, positions) -> list[Problem]:
    """Fields read from collection items (``c.hours``) that items of that collection do not have."""
    from engine.compile.plan import item_paths
    from engine.derive.paths import base_schema

    schema = base_schema()
    out = []
    for cr in plan.rules:
        for key, node in (("applies_if", cr.applies_if), ("when", cr.when)):
            if node is None:
                continue
            for coll, attr, path in item_paths(node):
                if attr is None or attr not in (schema.get(coll) or ()):
                    import difflib

                    close = difflib.get_close_matches(str(attr), sorted(schema.get(coll) or ()), n=1)
                    hint = f" (did you mean {path.root}.{close[0]}?)" if close else ""
                    out.append(Problem(cr.file, _line(positions, cr.file, key), cr.id,
                                       f"in `{key}`: {path.dotted!r} names no field of items of {coll!r}{hint}"))
    return out


def example_problems(plan, engine, engine_name: str, positions) -> tuple[list[Problem], int]:
    from engine.tools.rules import run_examples

    out, count = [], 0
    for res in run_examples(plan, engine):
        count += 1
        if res.ok:
            continue
        label = res.example.name or f"example {res.index + 1}"
        why = res.error or f"expected {res.example.expect!r}, got {res.got!r}"
        line = (positions.get(res.rule.file) or {}).get(("examples", res.index), (None,))[0]
        out.append(Problem(res.rule.file, line, res.rule.id, f"{label} fails on the {engine_name} engine: {why}"))
    return out, count


# --- subject gates ---------------------------------------------------------------------------------------

def gate_problems(plan, positions=None) -> list[Problem]:
    """Rules whose `applies_if` (the subject gate) no example shows closing: "ask only what matters" rests on
    gates being tested, so a proceeding without the rule's subject gets `not applicable`, not a question."""
    from engine.compile.plan import Plan, assemble_rule
    from engine.derive.facts import derive_case
    from engine.evaluate.run import NativeEngine, evaluate_all
    from engine.tools.rules import example_case

    positions = positions or {}
    derivations = [r for r in plan.rules if r.rule.derive]
    engine = NativeEngine()
    out = []
    for cr in plan.rules:
        if cr.rule.derive or cr.applies_if is None:
            continue
        ungated = assemble_rule(cr.rule, cr.file, None, cr.when)
        sub = Plan(derivations + [ungated])
        shown = False
        for i, example in enumerate(cr.rule.examples):
            if example.expect != "not applicable":
                continue
            try:
                case = example_case(cr, i, example)
            except Exception:  # noqa: BLE001 - an example that does not validate is reported by the examples check
                continue
            found = evaluate_all(sub, derive_case(case)[:1], engine, include_all=True, derivations=True)[0]
            if next((f.status for f in found if f.rule == cr.id), None) not in (None, "not applicable"):
                shown = True
                break
        if not shown:
            out.append(Problem(cr.file, _line(positions, cr.file, "applies_if"), cr.id,
                               "has a subject gate (applies_if) but no example shows it: add one where the subject is "
                               "absent, expecting 'not applicable', with facts in force and of a kind the rule "
                               "applies to"))
    return out


# --- contradictions -------------------------------------------------------------------------------------

def citation_key(rule) -> tuple:
    c = rule.citation
    return (c.instrument, c.article or "", c.part or "", c.paragraph or "", c.subparagraph or "")


def _overlap(a, b) -> tuple[date, date] | None:
    """The days both rules are in force, or None."""
    start = max(a.in_force.from_, b.in_force.from_)
    ends = [d for d in (a.in_force.until, b.in_force.until) if d]
    end = min(ends) if ends else date(9999, 12, 31)
    return (start, end) if start <= end else None


def _value_on(by_date: dict, day: date):
    earlier = [d for d in by_date if d <= day]
    return by_date[max(earlier)] if earlier else None


def parameter_conflicts(a, b, file_a, positions) -> list[Problem]:
    span = _overlap(a, b)
    if span is None:
        return []
    out = []
    for name in sorted(set(a.parameters) & set(b.parameters)):
        days = sorted({span[0]} | {d for d in (*a.parameters[name], *b.parameters[name]) if span[0] <= d <= span[1]})
        for day in days:
            va, vb = _value_on(a.parameters[name], day), _value_on(b.parameters[name], day)
            if va is not None and vb is not None and va != vb:
                out.append(Problem(file_a, _line(positions, file_a, "parameters"), a.id,
                                   f"contradicts {b.id} (same provision): parameter {name!r} is {va} here and {vb} "
                                   f"there on {day.isoformat()}, when both are in force"))
                break
    return out


def _shape(node, params):
    """The condition with every parameter replaced by one placeholder (so `x > max_a` ~ `x > max_b`),
    and positions in the file forgotten."""
    from engine.lang import ast

    return ast.map_paths(node, lambda p: ast.Path("<parameter>") if p.root in params and not p.attrs
                         else ast.Path(p.root, p.attrs))


def same_test(a, b) -> bool:
    return (_shape(a.applies_if, a.param_names), _shape(a.when, a.param_names)) == \
        (_shape(b.applies_if, b.param_names), _shape(b.when, b.param_names))


def outcome_conflicts(a, b, plan, positions, engine=None) -> list[Problem]:
    """On each example of either rule, one fires (violation / probable violation) and the other finds no violation."""
    from engine.compile.plan import Plan
    from engine.derive.facts import derive_case
    from engine.evaluate.run import NativeEngine, evaluate_all
    from engine.tools.rules import example_case

    engine = engine or NativeEngine()
    fired = {"violation", "probable violation"}
    sub = Plan([r for r in plan.rules if r.rule.derive] + [a, b])
    out = []
    for owner in (a, b):
        for i, example in enumerate(owner.rule.examples):
            try:
                case = example_case(owner, i, example)
            except Exception:  # noqa: BLE001 - an example that does not validate is reported by the examples check
                continue
            findings = {f.rule: f.status for f in evaluate_all(sub, derive_case(case)[:1], engine, include_all=True,
                                                          derivations=True)[0]}
            sa, sb = findings.get(a.id), findings.get(b.id)
            if {sa, sb} & fired and {sa, sb} & {"no violation"}:
                label = example.name or f"example {i + 1}"
                out.append(Problem(a.file, _line(positions, a.file, "when"), a.id,
                                   f"contradicts {b.id} (same provision, same test): on {owner.id}'s {label!r} "
                                   f"this rule gives {sa!r} and {b.id} gives {sb!r}"))
                return out
    return out


def contradictions(plan, positions=None) -> list[Problem]:
    positions = positions or {}
    by_citation: dict[tuple, list] = {}
    for cr in plan.rules:
        if cr.rule.derive:
            continue
        by_citation.setdefault(citation_key(cr.rule), []).append(cr)
    out = []
    for group in by_citation.values():
        group = sorted(group, key=lambda r: r.id)
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if not set(a.rule.applies_to) & set(b.rule.applies_to) or _overlap(a.rule, b.rule) is None:
                    continue
                if same_test(a, b):
                    out += parameter_conflicts(a.rule, b.rule, a.file, positions)
                    out += outcome_conflicts(a, b, plan, positions)
    return out


# --- the command ------------------------------------------------------------------------------------------

def register(app) -> None:
    """Add `check` to the typer app given (the `rules` sub-command group)."""
    import typer

    @app.command("check")
    def rules_check(
        rules: Optional[List[str]] = typer.Option(None, "--rules", help="rule files or folders (default: the bundled rules)"),
        native_only: bool = typer.Option(False, "--native-only", help="run the examples on the native engine only"),
    ):
        """Is the rule base consistent? Fact paths, derivation cycles, examples on both engines, contradictions."""
        report = check_rule_base(rules, ("native",) if native_only else ("native", "durable"))
        for note in report.notes:
            typer.echo(f"note: {note}", err=True)
        for problem in report.problems:
            typer.echo(str(problem), err=True)
        if report.problems:
            typer.echo(f"{len(report.problems)} problem(s) in {report.rules} rules", err=True)
            # a file that does not load is bad input (2); a rule base that loads but is inconsistent is 1
            raise typer.Exit(2 if any(p.rule is None for p in report.problems) else 1)
        typer.echo(f"{report.rules} rules consistent: fact paths exist, no derivation cycle, "
                   f"{report.examples} example run(s) pass on {' and '.join(report.engines) or 'no engine'}, "
                   "no contradiction")

