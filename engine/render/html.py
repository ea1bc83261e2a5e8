"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network) that prints to PDF.

Rendered with jinja2 and autoescaping: case files are untrusted text, and every value reaches the page
escaped. The template is package data (``engine/render/templates/report.html.j2``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.model.finding import CaseReport, Finding, ProceedingReport, Report
from engine.render.labels import RIGHTS, fact_status, label, right_label
from engine.render.summary import STATUSES, VIOLATED, campaign
from engine.render.timeline import case_timelines, load_case_for

STATUS_CLASS = {"violation": "violation", "probable violation": "probable", "concern": "concern",
                "needs information": "info", "no violation": "ok", "not applicable": "na"}


@dataclass
class Item:
    """A finding with the proceeding and person it belongs to."""

    finding: Finding
    proceeding: ProceedingReport


@dataclass
class RightGroup:
    right: str
    label: str
    items: list[Item]


@dataclass
class CaseView:
    case: CaseReport
    anchor: str
    people: list[dict]
    sources: dict[str, str]
    groups: list[RightGroup]
    questions: list[Item]
    other: list[Item]  # findings beyond the reported four (with --all)
    timelines: list
    counts: dict[str, int] = field(default_factory=dict)
    summary: str | None = None
    corrections: list = field(default_factory=list)


def value_text(value: str | None, lang: str) -> str | None:
    """Fact values are rendered in English by the engine; give yes/no/unknown in the report's language."""
    if value is None or lang != "ru":
        return value
    return {"yes": "да", "no": "нет", "unknown": "неизвестно"}.get(value, value)


def _case_view(case: CaseReport, lang: str) -> CaseView:
    model = load_case_for(case)
    groups: dict[str, list[Item]] = {}
    questions, other = [], []
    counts = {s: 0 for s in STATUSES}
    for proc in case.proceedings:
        for f in proc.findings:
            item = Item(f, proc)
            if f.status == "needs information":
                questions.append(item)
            elif f.status in ("violation", "probable violation", "concern"):
                groups.setdefault(f.right or "other", []).append(item)
            else:
                other.append(item)
            if f.status in counts:
                counts[f.status] += 1
    order = {s: i for i, s in enumerate(STATUSES)}
    rights = [r for r in RIGHTS if r in groups] + [r for r in groups if r not in RIGHTS]
    grouped = [RightGroup(r, right_label(r, lang),
                          sorted(groups[r], key=lambda it: (order[it.finding.status], it.proceeding.id, it.finding.rule)))
               for r in rights]
    people, sources = [], {}
    if model is not None:
        sources = {s.id: s.title for s in model.sources}
        for person in model.people:
            procs = [p for p in case.proceedings if p.person == person.id]
            people.append({"id": person.id, "name": person.name, "name_ru": person.name_ru, "role": person.role,
                           "proceedings": [p.id for p in procs],
                           "flagged": sum(1 for p in procs for f in p.findings if f.status in VIOLATED)})
    else:
        seen = {}
        for p in case.proceedings:
            seen.setdefault(p.person, {"id": p.person, "name": p.person_name, "name_ru": None, "role": None,
                                       "proceedings": [], "flagged": 0})
            seen[p.person]["proceedings"].append(p.id)
            seen[p.person]["flagged"] += sum(1 for f in p.findings if f.status in VIOLATED)
        people = list(seen.values())
    return CaseView(case=case, anchor=f"case-{case.id}", people=people, sources=sources, groups=grouped,
                    questions=questions, other=other,
                    timelines=case_timelines(case, model) if model is not None else [], counts=counts,
                    summary=model.summary if model is not None else None,
                    corrections=list(model.corrections) if model is not None else [])


def _environment(lang: str = "en"):
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("engine.render", "templates"), autoescape=select_autoescape(["html", "j2"],
                      default_for_string=True, default=True), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = num
    env.filters["duration"] = lambda span, unit: duration(span, unit, lang)
    return env


def num(x: float) -> str:
    x = round(float(x), 1)
    return str(int(x)) if x.is_integer() else f"{x:.1f}"


def duration(span: tuple[float, float], unit: str, lang: str = "en") -> str:
    """``72 h``, ``14–16 days``: a held time (an interval when a date has no hour) in the row's unit."""
    lo, hi = span
    if unit == "days":
        lo, hi = lo / 24, hi / 24
    word = label("days" if unit == "days" else "hours", lang)
    text = num(lo) if num(lo) == num(hi) else f"{num(lo)}–{num(hi)}"
    return f"{text} {word}"


def render_html(report: Report) -> str:
    lang = report.lang
    env = _environment(lang)
    template = env.get_template("report.html.j2")
    views = [_case_view(c, lang) for c in report.cases]
    return template.render(
        report=report, lang=lang, views=views, camp=campaign(report), statuses=STATUSES,
        L=lambda key: label(key, lang), right_label=lambda r: right_label(r, lang),
        fact_status=lambda s: fact_status(s, lang), value_text=lambda v: value_text(v, lang),
        status_class=STATUS_CLASS,
    )
