"""Custody timelines: each period a person was held, drawn against the legal limit that judged it.

The periods come from the derived facts of the case (``custody[i].start``, ``.end``, ``.hours``,
``.hours_before_judge``), so an arrest term's end is filled in from the decision and a date without an
hour stays an interval (drawn hatched). The limits come from the findings: a finding whose facts include
``custody[i].hours`` or ``custody[i].hours_before_judge`` and whose rule has a parameter in hours (e.g.
``limit_hours: 48``) draws that limit on period ``i``, labelled with the rule's citation. Each period is
its own row with its own scale, so a 3-hour limit and a 15-day arrest are both readable.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.model.finding import CaseReport, Finding

BAR_X = 0
WIDTH = 620  # drawing width of a row in px (the SVG viewBox is wider to leave room for labels)
VIOLATED = ("violation", "probable violation")


@dataclass
class Limit:
    hours: float
    measure: str  # "hours" (start -> end) or "hours_before_judge"
    citation: str
    rule: str
    status: str
    x: float = 0.0
    over_from: float | None = None  # x where the overrun starts (None: no overrun)
    over_to: float | None = None


@dataclass
class Row:
    proceeding: str
    kind: str
    index: int
    basis: str | None
    start: str | None
    end: str | None
    end_derived: bool
    hours: tuple[float, float] | None
    hours_before_judge: tuple[float, float] | None
    limits: list[Limit] = field(default_factory=list)
    scale_hours: float = 1.0
    unit: str = "hours"  # or "days" for long periods
    # geometry (px)
    solid_to: float = 0.0
    uncertain_to: float = 0.0
    open_end: bool = False
    judge_x: tuple[float, float] | None = None
    ticks: list[tuple[float, str]] = field(default_factory=list)
    drawable: bool = True

    @property
    def over(self) -> bool:
        return any(lim.over_from is not None for lim in self.limits)


@dataclass
class PersonTimeline:
    person: str
    name: str
    rows: list[Row]


def load_case_for(report_case: CaseReport):
    """The case a report came from, exactly as it was checked (None for a report read back from JSON)."""
    return report_case.checked_case


def _span(fact) -> tuple[float, float] | None:
    if fact is None or fact.value is None:
        return None
    value = fact.value
    lo, hi = (value.lo, value.hi) if hasattr(value, "lo") else (float(value), float(value))
    return max(0.0, float(lo)), max(0.0, float(hi))


def _limits_for(findings: list[Finding], index: int) -> list[Limit]:
    wanted = {f"custody[{index}].hours": "hours", f"custody[{index}].hours_before_judge": "hours_before_judge"}
    out, seen = [], set()
    for f in findings:
        paths = {fact.path for fact in f.facts} | {inner.path for fact in f.facts for inner in fact.derived_from}
        measures = [m for p, m in wanted.items() if p in paths]
        if not measures:
            continue
        for name, value in sorted(f.parameters.items()):
            if not name.endswith("_hours") or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            key = (float(value), measures[-1], f.citations[0])
            if key in seen:
                continue
            seen.add(key)
            out.append(Limit(float(value), measures[-1], f.citations[0], f.rule, f.status))
    return sorted(out, key=lambda lim: (lim.hours, lim.citation))


def _nice_ticks(scale: float, unit: str) -> list[float]:
    step_units = [1, 2, 3, 6, 12, 24, 48, 72, 96, 120, 168, 240, 336, 720, 1440, 2160, 4320, 8760]
    for step in step_units:
        if scale / step <= 6:
            return [step * k for k in range(0, int(scale // step) + 1)]
    return [0.0, scale]


def _geometry(row: Row) -> None:
    values = [0.0]
    if row.hours:
        values.append(row.hours[1])
    if row.hours_before_judge:
        values.append(row.hours_before_judge[1])
    values += [lim.hours for lim in row.limits]
    scale = max(values) * 1.08 or 1.0
    if row.hours is None:
        scale = max(scale, max((lim.hours for lim in row.limits), default=24.0) * 1.5)
    row.scale_hours = scale
    row.unit = "days" if scale > 24 * 10 else "hours"

    def x(hours: float) -> float:
        return round(BAR_X + WIDTH * min(hours, scale) / scale, 1)

    if row.hours:
        row.solid_to, row.uncertain_to = x(row.hours[0]), x(row.hours[1])
    else:
        row.open_end = True
        row.solid_to = row.uncertain_to = x(scale)
    if row.hours_before_judge:
        row.judge_x = (x(row.hours_before_judge[0]), x(row.hours_before_judge[1]))
    for lim in row.limits:
        lim.x = x(lim.hours)
        measured = row.hours if lim.measure == "hours" else row.hours_before_judge
        if measured and measured[1] > lim.hours:
            lim.over_from, lim.over_to = lim.x, x(measured[1])
    ticks = _nice_ticks(scale, row.unit)
    row.ticks = [(x(t), (f"{t / 24:g}" if row.unit == "days" else f"{t:g}")) for t in ticks]


def case_timelines(report_case: CaseReport, case=None) -> list[PersonTimeline]:
    """One timeline per person of the case who was held at least once."""
    from engine.derive.facts import derive_case

    case = case if case is not None else load_case_for(report_case)
    if case is None:
        return []
    reports = {p.id: p for p in report_case.proceedings}
    by_person: dict[str, PersonTimeline] = {}
    for pf in derive_case(case):
        proc_report = reports.get(pf.proceeding_id)
        findings = proc_report.findings if proc_report else []
        custody = pf.tree["custody"]
        for i, item in enumerate(custody):
            start, end = item["start"], item["end"]
            row = Row(
                proceeding=pf.proceeding_id, kind=pf.proceeding_kind, index=i,
                basis=item["basis"].value if item["basis"].known else None,
                start=str(start.value) if start.known else None,
                end=str(end.value) if end.known else None,
                end_derived=end.known and bool(end.inputs),
                hours=_span(item["hours"]), hours_before_judge=_span(item["hours_before_judge"]),
                limits=_limits_for(findings, i),
            )
            row.drawable = start.known
            if row.drawable:
                _geometry(row)
            timeline = by_person.setdefault(pf.person_id, PersonTimeline(pf.person_id, pf.person_name, []))
            timeline.rows.append(row)
    return [t for t in by_person.values() if t.rows]
