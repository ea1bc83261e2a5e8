"""`trialcheck explain`: why a rule did or did not fire on each proceeding of a case."""
from __future__ import annotations

from engine.compile.plan import Plan
from engine.derive.facts import derive_case
from engine.io.errors import InputError
from engine.evaluate import trace
from engine.evaluate.outcome import citations, render_value
from engine.evaluate.scope import Scope
from engine.evaluate.run import NativeEngine, _candidates, evaluate_all
from engine.evaluate.states import say, window
from engine.io.load import default_treaties
from engine.model.case import KNOWN_KINDS, UNKNOWN_KIND, Case


def _shown(cr, finding, pf) -> str:
    """A finding's status; for a derivation, the value it derived (a derived fact has no status)."""
    if not cr.rule.derive:
        return finding.status
    value = pf.tree["derived"].get(cr.rule.derive)
    value = None if value is None else value.value
    return f"derived.{cr.rule.derive} = {'unknown' if value is None else str(value).lower()}"


def explain_rule(plan: Plan, case: Case, rule_id: str, proceeding: str | None, lang: str) -> str:
    facts = derive_case(case)
    findings = evaluate_all(plan, facts, NativeEngine(), lang, include_all=True, derivations=True)
    cr = plan.by_id[rule_id]
    lines = [f"{cr.id}: {cr.rule.title.get(lang)}", f"  {'; '.join(citations(cr, lang))}"]
    if cr.rule.unconfirmed:
        lines.append(f"  unconfirmed: {cr.rule.unconfirmed_note}")
    table = plan.treaties if plan.treaties is not None else default_treaties()
    shown = 0
    for pf, found in zip(facts, findings):
        if proceeding and pf.proceeding_id != proceeding:
            continue
        shown += 1
        finding = next(f for f in found if f.rule == rule_id)
        lines.append(f"\nproceeding {pf.proceeding_id} ({pf.proceeding_kind}, {pf.person_name}): {_shown(cr, finding, pf)}")
        bound = window(cr.rule, pf.state, table)
        if bound.closed is not None:
            lines.append(f"  {say(bound.closed, lang)}")
            continue
        if bound.start is not None:
            lines.append(f"  {bound.instrument} binds {bound.state} from {bound.start}"
                         + (f" until {bound.end}" if bound.end else ""))
        if pf.proceeding_kind == UNKNOWN_KIND and not KNOWN_KINDS <= set(cr.rule.applies_to):
            lines.append(f"  applies to {', '.join(cr.rule.applies_to)} proceedings only; this one's kind is unknown, "
                         "so a flag below is held back as a question about the kind")
        elif pf.proceeding_kind not in cr.rule.applies_to:
            lines.append(f"  applies to {', '.join(cr.rule.applies_to)} proceedings only")
            continue
        periods, act, outside = _candidates(cr, pf.tree, bound)
        lines.append(f"  act date ({cr.act_date.dotted}): {render_value(act.value, lang)}"
                     + ("" if not outside else "  (may fall outside the rule's time in force)"))
        for period in periods:
            scope = Scope(pf.tree, period.params)
            lines.append(f"  law in force {period.start} – {period.end or 'today'}; parameters: "
                         + (", ".join(f"{k} = {v}" for k, v in sorted(period.params.items())) or "none"))
            for key, node in (("applies_if", cr.applies_if), ("when", cr.when)):
                if node is None:
                    continue
                result = trace.evaluate(node, scope, cr.param_names)
                lines.append(f"  {key}:")
                lines += _trace_lines(result.trace, 2, lang)
        if not cr.rule.derive:  # a derived fact is explained by its trace above, not by a finding's sentence
            lines.append(f"  explanation: {finding.explanation}")
        if finding.question:
            lines.append(f"  question: {finding.question}")
    if proceeding and not shown:
        raise InputError(proceeding, f"no proceeding with this id in case {case.id!r}")
    return "\n".join(lines) + "\n"


def _trace_lines(node: trace.Trace, depth: int, lang: str) -> list[str]:
    value = node.value
    shown = {True: "TRUE", False: "FALSE", None: "UNKNOWN"}.get(value, None) if isinstance(value, bool) or value is None \
        else render_value(value, lang)
    out = [f"{'  ' * depth}{node.text}  =>  {shown}"]
    for child in node.children:
        if child.text != node.text:
            out += _trace_lines(child, depth + 1, lang)
    return out
