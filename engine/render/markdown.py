"""Markdown (and plain-text terminal) report: case -> proceeding -> findings with facts and sources.

Written for a letter or a submission: facts by their meaning ("custody period 1: time until first seen by
a judge — 78 h"), dates and durations in words, findings on one act grouped under one heading with all
their citations, and the open questions listed apart from the findings, one per missing fact.
"""
from __future__ import annotations

from engine.model.finding import FactUsed, Report
from engine.render import human
from engine.render.grouping import group_findings, questions_of
from engine.render.labels import fact_status, label, right_label
from engine.render.meta import Meta, clean_source_title
from engine.render.safe_text import markdown_text as md

SHOWN = ("violation", "probable violation", "concern")


def _fact_line(f: FactUsed, lang: str, sources: dict[str, str]) -> str:
    value = md(human.fact_value(f.path, f.value, lang)) if f.value is not None else f"**{label('unknown', lang)}**"
    source = md(sources.get(f.source, f.source)) if f.source else None
    where = ", ".join(x for x in (fact_status(f.status, lang), source and f"{label('source', lang)}: {source}") if x)
    line = f"{human.fact_label(f.path, lang)} — {value}" + (f" ({where})" if where else "")
    if f.quote:
        line += f' — "{md(f.quote)}"'
    return line


def _case_words(case, lang: str):
    """(sources by id, sex by person id, names to show) from the case as checked, when the report has it."""
    model = getattr(case, "checked_case", None)
    if model is None:
        return {}, {}, {}
    sources = {s.id: clean_source_title(s.title) for s in model.sources}
    sex = {p.id: (p.sex.value if p.sex is not None else None) for p in model.people}
    names = {p.name: p.name_ru for p in model.people if lang == "ru" and p.name_ru}
    return sources, sex, names


def render_markdown(report: Report, meta: Meta | None = None) -> str:
    lang = report.lang
    meta = meta or Meta()
    out = [f"# {label('report', lang)}", ""]
    stamp = " · ".join(x for x in (
        meta.date and f"{label('generated_on', lang)} {meta.date_text(lang)}",
        meta.author and f"{label('prepared_by', lang)} {meta.author}",
        f"trialcheck {report.version}", meta.rules and f"{label('rule_base', lang)}: {meta.rules_text(lang)}") if x)
    out += [stamp, ""]
    counts = report.summary.get("status", {})
    if counts:
        out.append(f"**{label('summary', lang)}:** " + ", ".join(f"{label(k, lang)}: {v}" for k, v in counts.items()))
        out.append("")
    out += _legend(lang)
    out += _campaign(report, lang)
    for case in report.cases:
        sources, sex, names = _case_words(case, lang)
        model = getattr(case, "checked_case", None)
        title = (model.title_ru if lang == "ru" and model is not None and getattr(model, "title_ru", None)
                 else case.title)

        def say(text, proc):
            for name, shown in names.items():
                text = text.replace(name, shown) if text else text
            return md(human.say(text, lang, sex.get(proc.person)))  # case text stays text

        out.append(f"## {label('case', lang)} `{case.id}`" + (f" — {md(title)}" if title else ""))
        out.append("")
        out += [f"> {md(notice)}" for notice in case.notices] + ([""] if case.notices else [])
        groups = group_findings(case)
        questions = questions_of(case, lang)
        for proc in case.proceedings:
            person = md(names.get(proc.person_name, proc.person_name))
            out.append(f"### {label('proceeding', lang)} `{proc.id}` ({label(proc.kind, lang)}, {person})")
            out.append("")
            mine = [g for g in groups if g.proceeding is proc]
            others = [f for f in proc.findings if f.status not in SHOWN and f.status != "needs information"]
            asked = [q for q in questions if q.proceeding is proc]
            if not mine and not others and not asked:
                out += [label("no_findings", lang), ""]
            for g in mine:
                f = g.lead
                right = f" [{right_label(f.right, lang)}]" if f.right else ""
                out.append(f"- **{label(f.status, lang)}** — {say(f.title, proc)}{right} (`{f.rule}`)")
                out.append(f"  - {'; '.join(g.citations)}")
                out.append(f"  - {say(f.explanation, proc)}")
                if f.unconfirmed:
                    note = label("unconfirmed_generic", lang) if lang == "ru" or not f.unconfirmed_note else f.unconfirmed_note
                    out.append(f"  - {label('unconfirmed', lang)}: {note}")
                for other in g.findings[1:]:
                    out.append(f"  - **{label(other.status, lang)}** — {say(other.title, proc)} (`{other.rule}`; "
                               f"{'; '.join(other.citations)}): {say(other.explanation, proc)}")
                for fact in g.facts:
                    if fact.path.endswith(".id"):
                        continue
                    out.append(f"  - {_fact_line(fact, lang, sources)}")
                    for inner in fact.derived_from:
                        out.append(f"    - {_fact_line(inner, lang, sources)}")
            for f in others:
                out.append(f"- **{label(f.status, lang)}** — {say(f.title, proc)} (`{f.rule}`; {f.citations[0]})")
            if asked:
                out += ([""] if mine or others else []) + [f"**{label('questions', lang)}**", ""]
                for q in asked:
                    detail = f" ({md(q.detail)})" if q.detail else ""
                    out.append(f"- [ ] **{md(q.label)}**{detail}: {md(human.say(' '.join(q.asks), lang))} "
                               f"({label('needed_by', lang)} {', '.join(q.citations)})")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _legend(lang: str) -> list[str]:
    """The reading guide in four lines: what each status means."""
    keys = (("violation", "how_violation"), ("probable violation", "how_probable"), ("concern", "how_concern"),
            ("needs information", "how_info"))
    return [f"**{label('how_to_read', lang)}**", ""] + [f"- **{label(s, lang)}**: {label(k, lang)}" for s, k in keys] + [""]


def _campaign(report: Report, lang: str) -> list[str]:
    """Counts of people and proceedings per violated right and article, and who was punished twice."""
    from engine.render.summary import campaign

    camp = campaign(report)
    if len(report.cases) < 2 and not camp.twice:
        return []
    out = [f"## {label('campaign', lang)}", "",
           f"{label('cases', lang)}: {camp.cases} · {label('people', lang)}: {camp.people} · "
           f"{label('proceedings', lang)}: {camp.proceedings} · {label('flagged_people', lang)}: {camp.flagged_people}", "",
           label("counts_what", lang), ""]
    for heading, table, name in (("by_right", camp.by_right, lambda k: right_label(k, lang)),
                                 ("by_article", camp.by_article, str), ("by_year", camp.by_year, str)):
        if not table:
            continue
        out += [f"**{label(heading, lang)}**", "",
                f"| | {label('count_people', lang)} | {label('count_proceedings', lang)} |", "| --- | ---: | ---: |"]
        out += [f"| {name(k)} | {t.counts[0]} | {t.counts[1]} |" for k, t in table.items()]
        out.append("")
    out += [f"**{label('punished_twice', lang)}**", "", label("twice_counts", lang), ""]
    if camp.twice:
        out += [f"- {md(t.person_name)} — `{t.case}/{t.proceeding}` ({t.citation}; {label(t.status, lang)})" for t in camp.twice]
    else:
        out.append(label("twice_none", lang))
    out.append("")
    return out
