"""Markdown (and plain-text terminal) report: case -> proceeding -> findings with facts and sources."""
from __future__ import annotations

from engine.model.finding import FactUsed, Report
from engine.render.labels import fact_status, label, right_label


def _fact_line(f: FactUsed, lang: str) -> str:
    from engine.render.html import value_text

    value = value_text(f.value, lang) if f.value is not None else f"**{label('missing', lang).lower()}**"
    where = ", ".join(x for x in (fact_status(f.status, lang), f.source and f"{label('source', lang)} {f.source}") if x)
    line = f"`{f.path}` = {value}" + (f" ({where})" if where else "")
    if f.quote:
        line += f' — "{f.quote}"'
    return line


def render_markdown(report: Report) -> str:
    lang = report.lang
    out = [f"# {label('report', lang)}", ""]
    counts = report.summary.get("status", {})
    if counts:
        out.append(f"**{label('summary', lang)}:** " + ", ".join(f"{label(k, lang)}: {v}" for k, v in counts.items()))
        out.append("")
    out += _campaign(report, lang)
    for case in report.cases:
        out.append(f"## {label('case', lang)} `{case.id}`" + (f" — {case.title}" if case.title else ""))
        out.append("")
        out += [f"> {notice}" for notice in case.notices] + ([""] if case.notices else [])
        for proc in case.proceedings:
            out.append(f"### {label('proceeding', lang)} `{proc.id}` ({label(proc.kind, lang)}, {proc.person_name})")
            out.append("")
            if not proc.findings:
                out += [label("no_findings", lang), ""]
            for f in proc.findings:
                right = f" [{right_label(f.right, lang)}]" if f.right else ""
                out.append(f"- **{label(f.status, lang)}** — {f.title}{right} (`{f.rule}`)")
                out.append(f"  - {'; '.join(f.citations)}")
                out.append(f"  - {f.explanation}")
                if f.question:
                    out.append(f"  - {label('question', lang)}: {f.question}")
                if f.unconfirmed:
                    out.append(f"  - {label('unconfirmed', lang)}: {f.unconfirmed_note}")
                for fact in f.facts:
                    out.append(f"  - {_fact_line(fact, lang)}")
                    for inner in fact.derived_from:
                        out.append(f"    - {_fact_line(inner, lang)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _campaign(report: Report, lang: str) -> list[str]:
    """Counts of people and proceedings per violated right and article, and who was punished twice."""
    from engine.render.summary import campaign

    camp = campaign(report)
    if len(report.cases) < 2 and not camp.twice:
        return []
    out = [f"## {label('campaign', lang)}", "",
           f"{label('cases', lang)}: {camp.cases} · {label('people', lang)}: {camp.people} · "
           f"{label('proceedings', lang)}: {camp.proceedings} · {label('flagged_people', lang)}: {camp.flagged_people}", ""]
    for heading, table, name in (("by_right", camp.by_right, lambda k: right_label(k, lang)),
                                 ("by_article", camp.by_article, str), ("by_year", camp.by_year, str)):
        if not table:
            continue
        out += [f"**{label(heading, lang)}**", "",
                f"| | {label('count_people', lang)} | {label('count_proceedings', lang)} |", "| --- | ---: | ---: |"]
        out += [f"| {name(k)} | {t.counts[0]} | {t.counts[1]} |" for k, t in table.items()]
        out.append("")
    if camp.twice:
        out += [f"**{label('punished_twice', lang)}**", ""]
        out += [f"- {t.person_name} — `{t.case}/{t.proceeding}` ({t.citation}; {label(t.status, lang)})" for t in camp.twice]
        out.append("")
    return out
