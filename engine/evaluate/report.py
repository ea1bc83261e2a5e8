"""Assemble the report: cases -> proceedings -> findings, plus counts an advocate needs."""
from __future__ import annotations

from collections import Counter

from engine import __version__
from engine.compile.plan import Plan
from engine.derive.facts import derive_case
from engine.derive.lazy import release
from engine.evaluate.run import evaluate_all
from engine.evaluate.states import case_notices
from engine.io.load import default_treaties
from engine.model.case import Case
from engine.evaluate.outcome import fact_used
from engine.model.finding import CaseReport, Derivation, ProceedingReport, Report
from engine.model.rule import REPORTED
from engine.model.treaties import DOMESTIC_STATE


def check_case(plan: Plan, path: str, case: Case, engine, lang: str = "en", include_all: bool = False) -> CaseReport:
    facts = derive_case(case)
    findings = evaluate_all(plan, facts, engine, lang, include_all)
    proceedings = [ProceedingReport(id=pf.proceeding_id, kind=pf.proceeding_kind, person=pf.person_id,
                                    person_name=pf.person_name, findings=f, derived=derivations(plan, pf, lang))
                   for pf, f in zip(facts, findings)]
    report = CaseReport(id=case.id, title=case.title, file=path.replace("\\", "/"), proceedings=proceedings,
                        **state_fields(plan, case.state, lang))
    for pf in facts:
        release(pf.tree)  # break the trees' reference cycles: freed now, not by the cyclic collector
    report._case = case  # renderers show the case as checked, never a re-read of the file
    return report


def derivations(plan: Plan, pf, lang: str) -> list[Derivation]:
    """The derived facts evaluation wrote into the proceeding's tree, one per derivation rule, by rule id."""
    out = []
    if plan.derivations is None:
        plan.derivations = sorted((r for r in plan.rules if r.rule.derive), key=lambda r: r.id)
    for rule in plan.derivations:
        fact = pf.tree["derived"].get(rule.rule.derive)
        value = None if fact is None else fact.value
        out.append(Derivation(rule=rule.id, name=rule.rule.derive, title=rule.rule.title.get(lang),
                              value="unknown" if value is None else ("true" if value else "false"),
                              facts=[fact_used(i, 0, lang) for i in (fact.inputs if fact else ()) if i.path]))
    return out


def state_fields(plan: Plan, state: str, lang: str) -> dict:
    """What a case report says about its State: which law was applied to it (docs/states.md)."""
    table = plan.treaties if plan.treaties is not None else default_treaties()
    return {"state": state, "state_name": table.state_name(state), "domestic_law_encoded": state == DOMESTIC_STATE,
            "notices": case_notices(state, table, lang)}


def assemble(case_reports: list[CaseReport], lang: str = "en") -> Report:
    case_reports = sorted(case_reports, key=lambda c: c.id)
    return Report(version=__version__, lang=lang, cases=case_reports, summary=summarise(case_reports))


def build_report(plan: Plan, cases: list[tuple[str, Case]], engine, lang: str = "en", include_all: bool = False) -> Report:
    return assemble([check_case(plan, path, case, engine, lang, include_all) for path, case in cases], lang)


def summarise(cases: list[CaseReport]) -> dict[str, dict[str, int]]:
    status, right, citation, rule = Counter(), Counter(), Counter(), Counter()
    for case in cases:
        for proc in case.proceedings:
            for f in proc.findings:
                if f.status not in REPORTED:
                    continue
                status[f.status] += 1
                rule[f.rule] += 1
                if f.right:
                    right[f.right] += 1
                if f.status != "needs information":
                    citation[f.citations[0]] += 1
    return {"status": dict(sorted(status.items())), "right": dict(sorted(right.items())),
            "citation": dict(sorted(citation.items())), "rule": dict(sorted(rule.items()))}


def flagged(report: Report, statuses=REPORTED) -> int:
    return sum(1 for c in report.cases for p in c.proceedings for f in p.findings if f.status in statuses)


def case_flagged(case: CaseReport, statuses=REPORTED) -> int:
    return sum(1 for p in case.proceedings for f in p.findings if f.status in statuses)
