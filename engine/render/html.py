"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network) that prints to PDF.

Rendered with jinja2 and autoescaping: case files are untrusted text, and every value reaches the page
escaped. The template is package data (``engine/render/templates/report.html.j2``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.model.finding import CaseReport, Report
from engine.render import human
from engine.render.custody import person_calendars
from engine.render.grouping import FindingGroup, Question, group_findings, questions_of
from engine.render.labels import RIGHTS, fact_status, label, right_label
from engine.render.meta import Meta, clean_source_title
from engine.render.summary import STATUSES, VIOLATED, campaign

STATUS_CLASS = {"violation": "violation", "probable violation": "probable", "concern": "concern",
                "needs information": "info", "no violation": "ok", "not applicable": "na"}


@dataclass
class RightGroup:
    right: str
    label: str
    groups: list[FindingGroup]


@dataclass
class CaseView:
    case: CaseReport
    anchor: str
    title: str
    people: list[dict]
    sources: dict[str, str]
    rights: list[RightGroup]
    questions: list[Question]
    other: list  # (finding, proceeding) beyond the reported four (with --all)
    calendars: list
    counts: dict[str, int] = field(default_factory=dict)
    summary: str | None = None
    notices: list[str] = field(default_factory=list)
    sex: dict[str, str | None] = field(default_factory=dict)  # person id -> recorded sex, for Russian grammar
    names: dict[str, str] = field(default_factory=dict)  # name as recorded -> name in the report's language

    def say(self, text: str, proceeding, lang: str) -> str:
        """An engine sentence about a proceeding's person, in the report's words."""
        for name, shown in self.names.items():
            text = text.replace(name, shown) if text else text
        # questions speak of "the person" (лицо), not of the person by name: no gender for them
        return human.say(text, lang, self.sex.get(proceeding.person) if proceeding is not None else None)

    def person_name(self, proceeding) -> str:
        return self.names.get(proceeding.person_name, proceeding.person_name)


def _case_view(case: CaseReport, lang: str, model) -> CaseView:
    counts = {s: 0 for s in STATUSES}
    other = []
    for proc in case.proceedings:
        for f in proc.findings:
            if f.status in counts:
                counts[f.status] += 1
            elif f.status not in ("violation", "probable violation", "concern", "needs information"):
                other.append((f, proc))
    by_right: dict[str, list[FindingGroup]] = {}
    for g in group_findings(case):
        by_right.setdefault(g.right or "other", []).append(g)
    rights = [r for r in RIGHTS if r in by_right] + [r for r in by_right if r not in RIGHTS]
    sources, people, summary, title = {}, [], None, case.title or case.id
    sex, names = {}, {}
    if model is not None:
        sources = {s.id: clean_source_title(s.title) for s in model.sources}
        summary = model.summary
        if lang == "ru" and getattr(model, "title_ru", None):
            title = model.title_ru
        for person in model.people:
            sex[person.id] = person.sex.value if person.sex is not None else None
            if lang == "ru" and person.name_ru:
                names[person.name] = person.name_ru
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
    return CaseView(case=case, anchor=f"case-{case.id}", title=title, people=people, sources=sources,
                    rights=[RightGroup(r, right_label(r, lang), by_right[r]) for r in rights],
                    questions=questions_of(case, lang), other=other,
                    calendars=person_calendars(model, case, lang) if model is not None else [], counts=counts,
                    summary=summary, notices=list(getattr(case, "notices", []) or []), sex=sex, names=names)


def case_model(case: CaseReport):
    """The case as it was checked (people, sources, custody), or None for a report read back from JSON."""
    return getattr(case, "checked_case", None)


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("engine.render", "templates"), autoescape=select_autoescape(["html", "j2"],
                       default_for_string=True, default=True), undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


def css_string(text: str):
    """Text as a CSS string literal: anything but letters, digits and spaces is a CSS escape, so case text
    can neither end the string nor the style element."""
    from markupsafe import Markup

    return Markup('"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text) + '"')


def _page_header_css(views: list[CaseView], meta: Meta, lang: str) -> str:
    """One named page per case, so the running header of a printed page names its case and the date."""
    stamp = meta.date_text(lang)
    out = []
    for i, v in enumerate(views, 1):
        title = meta.redact(v.title)  # the header is a CSS string: redact before it is escaped
        head = title if len(title) <= 90 else title[:88] + "…"
        out.append(f"section.case-{i} {{ page: case{i}; }}\n"
                   f"@page case{i} {{ @top-left {{ content: {css_string(head)}; }}"
                   + (f" @top-right {{ content: {css_string(stamp)}; }}" if stamp else "") + " }")
    return "\n".join(out)


def render_html(report: Report, meta: Meta | None = None, models: dict | None = None) -> str:
    lang = report.lang
    meta = meta or Meta()
    models = models if models is not None else {c.id: case_model(c) for c in report.cases}
    views = [_case_view(c, lang, models.get(c.id)) for c in report.cases]
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report, lang=lang, views=views, camp=campaign(report), statuses=STATUSES, meta=meta,
        page_css=_page_header_css(views, meta, lang),
        L=lambda key: label(key, lang), right_label=lambda r: right_label(r, lang),
        fact_status=lambda s: fact_status(s, lang), fact_label=lambda p: human.fact_label(p, lang),
        fact_value=lambda p, v: human.fact_value(p, v, lang), when=lambda t: human.when_text(t, lang),
        prose=lambda t: human.prose(t, lang),
        status_class=STATUS_CLASS, css=css_string,
    )


def value_text(value: str | None, lang: str) -> str | None:
    """Fact values are rendered in English by the engine; give yes/no/unknown in the report's language."""
    if value is None or lang != "ru":
        return value
    return {"yes": "да", "no": "нет", "unknown": "неизвестно"}.get(value, value)
