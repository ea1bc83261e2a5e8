"""Markdown (and plain-text terminal) report: case -> proceeding -> findings with facts and sources."""
from __future__ import annotations

from engine.model.finding import FactUsed, Report
from engine.render.labels import label


def _fact_line(f: FactUsed, lang: str) -> str:
    value = f.value if f.value is not None else f"**{label('missing', lang).lower()}**"
    where = ", ".join(x for x in (f.status, f.source and f"{label('source', lang)} {f.source}") if x)
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
    for case in report.cases:
        out.append(f"## {label('case', lang)} `{case.id}`" + (f" — {case.title}" if case.title else ""))
        out.append("")
        for proc in case.proceedings:
            out.append(f"### {label('proceeding', lang)} `{proc.id}` ({label(proc.kind, lang)}, {proc.person_name})")
            out.append("")
            if not proc.findings:
                out += [label("no_findings", lang), ""]
            for f in proc.findings:
                out.append(f"- **{label(f.status, lang)}** — {f.title} (`{f.rule}`)")
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
