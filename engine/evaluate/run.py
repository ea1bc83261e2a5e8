"""Evaluate a plan over proceedings with either engine, law chosen by the date of the act.

The engine answers only "is this condition true, false or unknown on these facts"; choosing the
law in force, turning answers into outcomes and explaining them is shared, so the two engines are
compared on exactly the part that differs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from engine.compile.plan import CompiledRule, Period, Plan
from engine.derive.facts import ProceedingFacts
from engine.evaluate import trace
from engine.evaluate.scope import Scope
from engine.evaluate.outcome import STATUS_ORDER, build_finding, combine, outcome_of
from engine.evaluate.periods import Schedule, act_date, candidates
from engine.evaluate.states import OPEN, Reason, Window, say, window
from engine.model.case import KNOWN_KINDS, UNKNOWN_KIND
from engine.model.finding import Finding
from engine.model.values import Fact

Request = tuple[CompiledRule, str, Period]  # rule, "applies_if" | "when", period


class ConditionEngine(Protocol):
    def evaluate(self, batch: list[tuple[dict, list[Request]]]) -> list[list[bool | None]]: ...


HOT = 64  # evaluations of a rule by closures before its generated code is compiled (and used from then on)


def codegen_mode() -> bool | str:
    """How the native engine evaluates: generated code for each rule once it is hot (``"hot"``, the default),
    always (TRIALCHECK_CODEGEN=always, True) or never: the closures (TRIALCHECK_CODEGEN=0, False)."""
    value = os.environ.get("TRIALCHECK_CODEGEN", "hot").lower()
    return False if value in ("0", "off", "no") else True if value == "always" else "hot"


def _generated(rule: CompiledRule, mode: bool | str):
    """The rule's generated functions if ``mode`` uses them now, else None (then its closures answer)."""
    if mode is True:
        return rule.generated
    return rule.hot_generated(HOT) if mode else None


_UNSET = object()


class NativeEngine:
    name = "native"

    def __init__(self, codegen: bool | str | None = None):
        """``codegen``: True always uses generated code, False never, "hot" (the default) once a rule is hot."""
        self.codegen = codegen_mode() if codegen is None else codegen

    def evaluate(self, batch):
        answers = []
        mode = self.codegen
        chosen: dict[int, object] = {}  # id(rule) -> its generated functions or None, decided once per batch
        for tree, requests in batch:
            out = []
            for rule, which, period in requests:
                generated = chosen.get(id(rule), _UNSET)
                if generated is _UNSET:
                    generated = chosen[id(rule)] = _generated(rule, mode) if mode else None
                if generated is not None:
                    fn = generated.when[period.index] if which == "when" else generated.applies[period.index]
                    out.append(True if fn is None else fn(tree))
                    continue
                closure = rule.native_applies_if if which == "applies_if" else rule.native_when
                out.append(True if closure is None else closure(Scope(tree, period.params)))
            answers.append(out)
        return answers

    def close(self):
        pass


@dataclass
class RuleOutcome:
    rule: CompiledRule
    status: str
    period: Period | None
    act_date: Fact
    reason: Reason | None = None  # why the rule does not bind this State on this date, when that is the cause
    kind_unknown: bool = False  # a flag held back because the rule covers only some kinds and this one is unknown


def _candidates(rule: CompiledRule, tree: dict, bound: Window = OPEN, seen: dict | None = None
                ) -> tuple[list[Period], Fact, bool]:
    """The periods of law the act may fall in, its date, and whether it may fall outside them all
    (``periods.py``)."""
    return candidates(rule, tree, bound, seen)


def _state_reason(bound: Window, act: Fact) -> Reason | None:
    """Why the rule is not applied when the act falls wholly outside the State's treaty dates."""
    if bound.closed is not None:
        return bound.closed
    if not act.known:
        return None
    return bound.outside_reason(act.value.earliest.date(), act.value.latest.date())


def _levels(plan: Plan) -> list[list[CompiledRule]]:
    """Rules grouped so that every derived fact a rule reads is computed in an earlier group."""
    if plan.levels is None:
        plan.levels = _group_levels(plan)
    return plan.levels


def _group_levels(plan: Plan) -> list[list[CompiledRule]]:
    producer = {r.rule.derive: r.id for r in plan.rules if r.rule.derive}
    level: dict[str, int] = {}
    for r in plan.rules:  # plan.rules is already in dependency order
        deps = [level[producer[n]] for n in r.reads_derived if producer.get(n) in level]
        level[r.id] = 1 + max(deps, default=-1)
    groups: dict[int, list[CompiledRule]] = {}
    for r in plan.rules:
        groups.setdefault(level[r.id], []).append(r)
    return [groups[k] for k in sorted(groups)]


def evaluate_all(plan: Plan, proceedings: list[ProceedingFacts], engine, lang: str = "en",
                 include_all: bool = False, derivations: bool = False) -> list[list[Finding]]:
    """Findings for each proceeding, in order. Derived facts are written into each tree. A derivation rule's
    outcome is returned as a finding only for the rule tools (`derivations=True`: its examples, `explain`);
    a report never shows one as a finding (ProceedingReport.derived holds its value)."""
    return [_findings(outcomes, pf, lang, include_all, derivations)
            for outcomes, pf in zip(decide_all(plan, proceedings, engine), proceedings)]


def decide_all(plan: Plan, proceedings: list[ProceedingFacts], engine) -> list[list[RuleOutcome]]:
    """Every rule's outcome for each proceeding (the engines' work, before any rendering)."""
    results: list[list[RuleOutcome]] = [[] for _ in proceedings]
    acts: list[dict] = [{} for _ in proceedings]  # act dates per proceeding, looked up once
    generated = getattr(engine, "codegen", None)
    generated = codegen_mode() if generated is None else generated
    for level, group in enumerate(_levels(plan)):
        batch, layout = [], []
        for index, pf in enumerate(proceedings):
            requests, spans, out = [], [], results[index]
            kind, seen, tree = pf.proceeding_kind, acts[index], pf.tree
            for schedule in _schedules(plan, level, group, pf.state):
                rule = schedule.rule
                if schedule.closed is not None:  # e.g. Kazakh law for another State: decided without an engine
                    out.append(RuleOutcome(rule, "not applicable", None, _NO_DATE, schedule.closed))
                    continue
                if kind not in schedule.applies_to and kind != UNKNOWN_KIND:
                    out.append(RuleOutcome(rule, "not applicable", None, _NO_DATE))
                    continue
                act = act_date(tree, rule.act_date, seen, schedule.act_key)
                if act.undecided:  # nothing has been decided: rules judging a decision do not apply yet
                    periods, outside = [], False
                else:
                    periods, outside = schedule.candidates(act)
                spans.append((rule, periods, act.fact, outside, len(requests), schedule.bound))
                for period in periods:
                    requests += [(rule, "applies_if", period), (rule, "when", period)]
            batch.append((tree, requests))
            layout.append(spans)
        answers = engine.evaluate(batch)
        for index, pf in enumerate(proceedings):
            for rule, periods, act, outside, offset, bound in layout[index]:
                mine = answers[index][offset:offset + 2 * len(periods)]
                outcome = _decide(rule, periods, act, outside, mine, pf.tree, generated)
                if not periods:
                    outcome.reason = _state_reason(bound, act)
                if pf.proceeding_kind == UNKNOWN_KIND:
                    _hold_back_for_kind(outcome)
                results[index].append(outcome)
                if rule.rule.derive:
                    _store_derived(rule, outcome, pf.tree, periods, mine)
    return results


_NO_DATE = Fact(None, "")
_HELD_BACK = frozenset({"violation", "probable violation", "concern", "needs information"})


def _hold_back_for_kind(outcome: RuleOutcome) -> None:
    """A proceeding of unknown kind is judged by every rule, but a rule written for some kinds only cannot
    flag it: what would be a flag (or a question) becomes a question that also asks what kind of proceeding
    it was. "No violation" and "not applicable" stand: they hold whatever the kind."""
    if outcome.status in _HELD_BACK and not KNOWN_KINDS <= set(outcome.rule.rule.applies_to):
        outcome.status, outcome.kind_unknown = "needs information", True


def _schedules(plan: Plan, level: int, group: list[CompiledRule], state: str) -> list[Schedule]:
    """The schedules of one group of rules for one State, worked out once per plan."""
    key = (level, state)
    found = plan.windows.get(key)
    if found is None:
        table = plan.treaties if plan.treaties is not None else _default_treaties()
        found = plan.windows[key] = [Schedule(rule, window(rule.rule, state, table)) for rule in group]
    return found


def _default_treaties():
    from engine.io.load import default_treaties  # read once, only when a plan does not carry its own table

    return default_treaties()


def _decide(rule, periods, act, outside, answers, tree, use_generated: bool | str = True) -> RuleOutcome:
    if not periods:
        return RuleOutcome(rule, "not applicable", None, act)
    outcomes = []
    for i, period in enumerate(periods):
        applies, when = answers[2 * i], answers[2 * i + 1]
        facts, rank = [], None
        if applies is True and when is True and rule.rule.kind != "evaluative":
            generated = _generated(rule, use_generated) if use_generated else None
            if generated is not None:
                rank = generated.status[period.index](tree)  # the weakest status, without building a trace
            else:
                facts = _explain(rule, "when", period, tree).facts
        outcomes.append(outcome_of(rule, applies, when, facts, rank))
    if outside and any(o != "not applicable" for o in outcomes):
        outcomes.append("not applicable")
    status = combine(outcomes)
    period = periods[0] if len(periods) == 1 or len({id(p) for p in periods}) == 1 else None
    if period is None and len(set(outcomes)) == 1:
        period = periods[0]
    return RuleOutcome(rule, status, period, act)


def _explain(rule: CompiledRule, which: str, period: Period, tree: dict) -> trace.Result:
    """The value and deciding facts of a condition, as ``trace.evaluate`` gives them, without the trace
    (``compile/why.py``): only ``explain`` shows traces."""
    why = rule.why(which)
    if why is None:
        return trace.Result(True, [], trace.Trace("(always)", True))
    value, facts, bindings = why(tree, period.params, {})
    return trace.Result(value, facts, None, dict(bindings))


def _store_derived(rule, outcome: RuleOutcome, tree, periods, answers):
    """A derivation's value becomes ``derived.<name>``, as sure as the facts it rests on."""
    value = {"violation": True, "probable violation": True, "concern": True, "no violation": False,
             "not applicable": False}.get(outcome.status)
    facts: list[Fact] = []
    if outcome.period is not None:
        facts = _explain(rule, "when", outcome.period, tree).facts
    from engine.derive.facts import derived

    tree["derived"][rule.rule.derive] = derived(value, f"derived.{rule.rule.derive}", facts or [Fact(value, "")])


def _explain_outcome(o: RuleOutcome, tree) -> trace.Result:
    """The trace behind an outcome. For `needs information`, every unknown fact of the scope and the
    condition, so an observer can gather them all at once."""
    if o.status == "needs information":
        parts = [_explain(o.rule, which, o.period, tree) for which in ("applies_if", "when")]
        unknown = [p for p in parts if p.value is None] or parts
        merged = trace.Result(None, [f for p in unknown for f in p.facts], unknown[-1].trace)
        for p in unknown:
            merged.bindings.update(p.bindings)
        return merged
    if o.status == "not applicable" and o.rule.applies_if is not None:
        return _explain(o.rule, "applies_if", o.period, tree)
    return _explain(o.rule, "when", o.period, tree)


def _findings(outcomes: list[RuleOutcome], pf: ProceedingFacts, lang: str, include_all: bool,
              derivations: bool = False) -> list[Finding]:
    findings = []
    for o in outcomes:
        if o.rule.rule.derive and not derivations:  # a derived fact, never a finding in a report
            continue
        if not include_all and o.status in ("no violation", "not applicable"):
            continue
        explained = _explain_outcome(o, pf.tree) if o.period is not None else None
        scope = Scope(pf.tree, o.period.params if o.period else {})
        findings.append(build_finding(o.rule, o.status, scope, o.period, o.act_date, lang, explained,
                                      say(o.reason, lang), kind_unknown=o.kind_unknown))
    findings.sort(key=lambda f: (STATUS_ORDER[f.status], f.rule))
    return findings
