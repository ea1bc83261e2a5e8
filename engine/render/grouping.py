"""What a reader sees as one thing: near-duplicate findings on one act, and one question per missing fact.

Findings of one proceeding that rest on the same recorded act (the same refused witnesses, the same 78
hours before a judge) under several articles are one group: one heading, every citation, every rule's
explanation, and the facts listed once. Two findings are on the same act when they share a known fact
about a custody period, hearing, piece of evidence, allegation, appeal or other proceeding (dates, kinds
and bases only set the scene and do not link).

Questions: every ``needs information`` finding names the facts it lacks; the report asks for each missing
fact once per proceeding, naming the rules that need it. When nothing is missing but a time is known
only as a date, the question names that imprecise fact ("the hour of the lawyer's first visit on
6 March 2012: 15–39 h after detention").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.model.finding import CaseReport, FactUsed, Finding, ProceedingReport
from engine.render import human
from engine.render.labels import label

SHOWN = ("violation", "probable violation", "concern")
ORDER = {"violation": 0, "probable violation": 1, "concern": 2, "needs information": 3}
ACT_ROOTS = re.compile(r"^(custody|hearings|evidence|allegations|appeals|same_act|court_appearances)\[\d+\]\.")
SCENE = {"date", "start", "basis", "kind", "end", "before_this", "opened_before_this", "id"}


@dataclass
class FindingGroup:
    proceeding: ProceedingReport
    findings: list[Finding]

    @property
    def lead(self) -> Finding:
        return self.findings[0]

    @property
    def status(self) -> str:
        return self.lead.status

    @property
    def right(self) -> str | None:
        return self.lead.right

    @property
    def citations(self) -> list[str]:
        out = []
        for f in self.findings:
            for c in f.citations:
                if c not in out:
                    out.append(c)
        return out

    @property
    def facts(self) -> list[FactUsed]:
        seen, out = set(), []
        for f in self.findings:
            for fact in f.facts:
                if fact.path not in seen:
                    seen.add(fact.path)
                    out.append(fact)
        return out


def _act_keys(f: Finding) -> set[tuple[str, str]]:
    keys = set()
    for fact in f.facts:
        if fact.value is not None and ACT_ROOTS.match(fact.path) and fact.path.rsplit(".", 1)[-1] not in SCENE:
            keys.add((fact.path, fact.value))
    return keys


def group_findings(case: CaseReport) -> list[FindingGroup]:
    out = []
    for proc in case.proceedings:
        shown = sorted((f for f in proc.findings if f.status in SHOWN), key=lambda f: (ORDER[f.status], f.rule))
        parent = list(range(len(shown)))

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        keys = [_act_keys(f) for f in shown]
        for i in range(len(shown)):
            for j in range(i):
                if shown[i].right == shown[j].right and keys[i] & keys[j]:
                    parent[root(i)] = root(j)
        groups: dict[int, list[Finding]] = {}
        for i, f in enumerate(shown):
            groups.setdefault(root(i), []).append(f)
        out += [FindingGroup(proc, members) for _, members in sorted(groups.items())]
    return out


@dataclass
class Question:
    proceeding: ProceedingReport
    fact: str  # the fact path asked for
    label: str  # the fact in words
    detail: str | None  # what is known of it, when it is imprecise
    asks: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def _inputs_unknown(fact: FactUsed) -> list[FactUsed]:
    return [i for i in fact.derived_from if i.value is None]


def _imprecise(f: Finding) -> list[tuple[FactUsed, FactUsed]]:
    """(computed fact, its date-only input) pairs: a duration known only as a range because a time lacks its hour."""
    out = []
    for fact in f.facts:
        if fact.value is None or "–" not in str(fact.value):
            continue
        for inner in fact.derived_from:
            if inner.value and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", inner.value):
                out.append((fact, inner))
    return out


def _asked_together(facts: list[Question]) -> list[list[Question]]:
    """Missing facts joined when a rule needs them together (connected through shared rules), in first-seen
    order: one question for the lawyer at the hearing, not one per lawyer fact."""
    parent = list(range(len(facts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, q in enumerate(facts):
        for rule in q.rules:
            if rule in first_with:
                parent[root(i)] = root(first_with[rule])
            else:
                first_with[rule] = i
    groups: dict[int, list[Question]] = {}
    for i, q in enumerate(facts):
        groups.setdefault(root(i), []).append(q)
    return list(groups.values())


def _open_question(group: list[Question], lang: str = "en"):
    from collections import Counter

    from engine.model.finding import OpenQuestion

    asks = Counter(ask for q in group for ask in q.asks)
    first = {}
    for q in group:
        for ask in q.asks:
            first.setdefault(ask, len(first))
    question = max(asks, key=lambda a: (asks[a], -first[a]))
    if all(q.fact.startswith("dates.") for q in group):
        # only the date that picks the law in force is missing: the rule's own question would ask what is known
        question = label("when_question", lang).format(what=", ".join(q.label for q in group))
    return OpenQuestion(facts=[q.fact for q in group],
                        about=[q.label if not q.detail else f"{q.label} ({q.detail})" for q in group],
                        question=question, rules=sorted({r for q in group for r in q.rules}))


def with_questions(case: CaseReport, lang: str = "en") -> CaseReport:
    """The case with each proceeding's open questions filled in (the JSON report's `questions`)."""
    from engine.model.finding import OpenQuestion

    by_proc: dict[str, list] = {}
    per_proc: dict[str, list[Question]] = {}
    for q in questions_of(case, lang):
        per_proc.setdefault(q.proceeding.id, []).append(q)
    for proc_id, facts in per_proc.items():
        by_proc[proc_id] = [_open_question(group, lang) for group in _asked_together(facts)]
    procs = [p.model_copy(update={"questions": by_proc.get(p.id, [])}) for p in case.proceedings]
    copy = case.model_copy(update={"proceedings": procs})
    copy._case = case.checked_case
    return copy


def questions_of(case: CaseReport, lang: str = "en") -> list[Question]:
    out: dict[tuple[str, str], Question] = {}
    for proc in case.proceedings:
        for f in proc.findings:
            if f.status != "needs information":
                continue
            by_path = {fact.path: fact for fact in f.facts}
            wanted: list[tuple[str, str | None]] = []
            for path in f.missing:
                fact = by_path.get(path)
                unknown = _inputs_unknown(fact) if fact is not None else []
                if unknown:
                    wanted += [(i.path, None) for i in unknown]
                else:
                    wanted.append((path, None))
            if not wanted:
                for computed, inner in _imprecise(f):
                    detail = (f"{human.fact_value(inner.path, inner.value, lang)}: "
                              f"{human.fact_value(computed.path, computed.value, lang)}")
                    wanted.append((inner.path, detail))
            if not wanted:
                wanted.append(("", None))
            for path, detail in wanted:
                key = (proc.id, path)
                q = out.get(key)
                if q is None:
                    words = human.fact_label(path, lang) if path else f.title
                    if detail:
                        words = f"{label('the_hour', lang)} — {words}"
                    q = out[key] = Question(proc, path, words, detail)
                ask = f.question or f.title
                if ask not in q.asks:
                    q.asks.append(ask)
                if f.rule not in q.rules:
                    q.rules.append(f.rule)
                for c in f.citations[:1]:
                    if c not in q.citations:
                        q.citations.append(c)
    return list(out.values())
