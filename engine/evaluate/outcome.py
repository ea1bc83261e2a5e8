"""From a rule's three-valued results to an outcome and a finding with its facts and explanation."""
from __future__ import annotations

import re

from engine.compile.plan import CompiledRule, Period
from engine.evaluate import trace
from engine.model.instruments import citation_string
from engine.model.finding import FactUsed, Finding
from engine.model.values import Fact, Span, Status, weakest

FIRM_RANK = max(s.rank for s in Status if s.is_firm)  # established and observed support a violation

STATUS_ORDER = {"violation": 0, "probable violation": 1, "concern": 2, "needs information": 3,
                "no violation": 4, "not applicable": 5}


def outcome_of(rule: CompiledRule, applies, when, facts: list[Fact], rank: int | None = None) -> str:
    """``rank``, when given, is the weakest status rank of the deciding facts (-1: none), computed by the
    generated status function instead of from ``facts``."""
    if applies is False:
        return "not applicable"
    if when is False:  # whatever the scope turns out to be, nothing was breached
        return "no violation"
    if applies is None or when is None:
        return "needs information"
    if rule.rule.kind == "evaluative":
        return "concern"
    if rule.rule.rests_on_silent_record:  # a presumption from silence: a record produced later would rebut it
        return "probable violation"
    if rank is not None:
        return "violation" if rank <= FIRM_RANK else "probable violation"
    status = weakest(f.status for f in facts if f.known)
    return "violation" if status is None or status.is_firm else "probable violation"


def combine(outcomes: list[str]) -> str:
    """One outcome from the outcomes under several possible laws in force (the act's date is uncertain)."""
    distinct = set(outcomes)
    if len(distinct) == 1:
        return outcomes[0]
    if distinct <= {"violation", "probable violation"}:
        return "probable violation"
    if distinct <= {"no violation", "not applicable"}:
        return "no violation"
    return "needs information"


def citations(rule: CompiledRule, lang: str) -> list[str]:
    c = rule.rule.citation
    out = [citation_string(c.instrument, c.article, c.part, c.paragraph, c.subparagraph, lang)]
    out += [citation_string(s.instrument, s.article, s.part, s.paragraph, s.subparagraph, lang) for s in rule.rule.see_also]
    return out


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}")


def render_value(value, lang: str = "en") -> str:
    if value is None:
        return "неизвестно" if lang == "ru" else "unknown"
    if isinstance(value, bool):
        return ("да" if value else "нет") if lang == "ru" else ("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_template(template: str, scope: dict, bindings: dict, params: dict, lang: str) -> str:
    def lookup(match):
        dotted = match.group(1)
        root, _, attr = dotted.partition(".")
        if root in params and not attr:
            return render_value(params[root], lang)
        holder = bindings.get(root, scope.get(root))
        if isinstance(holder, Fact) and not attr:
            return render_value(holder.value, lang)
        if isinstance(holder, dict):
            fact = holder.get(attr)
            if isinstance(fact, Fact):
                return render_value(fact.value, lang)
        return "?"

    return _PLACEHOLDER.sub(lookup, template)


def fact_used(fact: Fact, depth: int = 0, lang: str = "en") -> FactUsed:
    return FactUsed(
        path=fact.path, value=None if fact.value is None else render_value(fact.value, lang),
        status=fact.status.value if fact.status else None, source=fact.source, quote=fact.quote,
        derived_from=[fact_used(i, depth + 1, lang) for i in fact.inputs] if depth < 2 else [],
    )


def unique_facts(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for f in facts:
        key = (f.path, repr(f.value))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


_NEUTRAL = {
    "needs information": {
        "en": "Whether {title} cannot be decided until the missing facts below are known.",
        "ru": "Нельзя решить, есть ли нарушение («{title}»), пока неизвестны недостающие факты ниже."},
    "no violation": {
        "en": "On the facts recorded, no breach: {title} — not shown.",
        "ru": "По записанным фактам нарушения нет («{title}»)."},
    "not applicable": {
        "en": "This rule does not apply to this proceeding (its kind, its date, or its scope).",
        "ru": "Норма не применяется к этому производству (по виду, дате или кругу дел)."},
}


def explanation_for(rule: CompiledRule, status: str, scope, bindings, params, lang: str) -> str:
    """The rule's explanation when it fires; a neutral sentence otherwise, so an explanation never asserts
    what the facts do not show."""
    if status in _NEUTRAL:
        title = rule.rule.title.get(lang)
        if lang != "ru":
            title = title[:1].lower() + title[1:] if status == "needs information" else title
        return _NEUTRAL[status]["ru" if lang == "ru" else "en"].format(title=title)
    text = render_template(rule.rule.explanation.get(lang), scope, bindings, params, lang)
    why = rule.rule.silent_record_why
    if rule.rule.rests_on_silent_record and why is not None and status in ("violation", "probable violation"):
        text = text.rstrip() + " " + _SILENCE["ru" if lang == "ru" else "en"].format(what=why.get(lang).rstrip("."))
    return text


_SILENCE = {
    "en": "This finding rests on the record's silence ({what}); a record showing otherwise would rebut it, so it "
          "is at most a probable violation.",
    "ru": "Этот вывод основан на молчании материалов дела ({what}); документ, показывающий иное, его опроверг бы, "
          "поэтому это не более чем вероятное нарушение.",
}


_KIND_QUESTION = {"en": "What kind of proceeding was it (criminal, administrative, labour, civil, ...)?",
                  "ru": "Какого вида было производство (уголовное, административное, трудовое, гражданское, ...)?"}


def _lang(lang: str) -> str:
    return "ru" if lang == "ru" else "en"


def _why_unknown(facts: list[Fact], status: str) -> str:
    """For `needs information`: what a computed fact's own note says about why it stays unknown (e.g. a round
    tenge amount that is no whole number of MCI, read as approximate)."""
    if status != "needs information":
        return ""
    notes = [f.quote for f in facts if not f.known and f.inputs and f.quote]
    return "".join(f" ({note})" for note in dict.fromkeys(notes))


def build_finding(rule: CompiledRule, status: str, scope: dict, period: Period | None, act_date: Fact,
                  lang: str, explained: trace.Result | None, reason: str | None = None,
                  kind_unknown: bool = False) -> Finding:
    """`reason`: why the rule does not bind the case's State on the act's date (a `not applicable` outcome).
    `kind_unknown`: the rule covers only some kinds of proceeding and this one's kind is not recorded."""
    r = rule.rule
    params = period.params if period else {}
    facts = unique_facts(explained.facts) if explained else []
    if status == "needs information":  # a span left open by a time not recorded asks for that time
        facts += [i for f in facts if f.known and isinstance(f.value, Span) and f.value.lo != f.value.hi
                  for i in f.inputs if not i.known and i.path and i not in facts]
    bindings = explained.bindings if explained else {}
    missing = sorted({f.path for f in facts if not f.known} | ({act_date.path} if not act_date.known and status ==
                                                                "needs information" else set()))
    if kind_unknown:  # the kind comes first: the rule's own questions matter only once it is known
        facts, missing = [scope["proceeding"]["kind"]] + [f for f in facts if f.known], ["proceeding.kind"]
    if status == "needs information":
        facts = [f for f in facts if not f.known] + [f for f in facts if f.known]
    return Finding(
        rule=r.id, title=r.title.get(lang), status=status, kind=r.kind, layer=r.layer, right=r.right,
        severity=r.severity, citations=citations(rule, lang),
        explanation=reason if reason and status == "not applicable" else
        explanation_for(rule, status, scope, bindings, params, lang) + _why_unknown(facts, status),
        question=(_KIND_QUESTION[_lang(lang)] if kind_unknown else r.ask.get(lang)) if status == "needs information"
        else None,
        missing=missing, facts=[fact_used(f, 0, lang) for f in facts],
        act_date=None if not act_date.known else str(act_date.value),
        parameters={k: (v if not isinstance(v, Span) else str(v)) for k, v in sorted(params.items())},
        unconfirmed=r.unconfirmed, unconfirmed_note=r.unconfirmed_note if r.unconfirmed else None,
        rests_on_silent_record=r.rests_on_silent_record and status == "probable violation",
    )
