"""CSV: one row per finding, for spreadsheets and documentation databases."""
from __future__ import annotations

import csv
import io

from engine.model.finding import Report
from engine.render.labels import label, right_label

COLUMNS = ("case", "person", "person_name", "proceeding", "proceeding_kind", "rule", "status", "status_label",
           "title", "citations", "layer", "kind", "right", "right_label", "date", "severity", "unconfirmed",
           "explanation", "question", "missing")


def rows(report: Report):
    lang = report.lang
    for case in report.cases:
        for proc in case.proceedings:
            for f in proc.findings:
                yield {
                    "case": case.id, "person": proc.person, "person_name": proc.person_name,
                    "proceeding": proc.id, "proceeding_kind": proc.kind, "rule": f.rule, "status": f.status,
                    "status_label": label(f.status, lang), "title": f.title, "citations": "; ".join(f.citations),
                    "layer": f.layer, "kind": f.kind, "right": f.right or "", "right_label": right_label(f.right, lang),
                    "date": f.act_date or "", "severity": f.severity, "unconfirmed": "true" if f.unconfirmed else "false",
                    "explanation": f.explanation, "question": f.question or "", "missing": "; ".join(f.missing),
                }


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buffer.getvalue()


def neutralise(value: str) -> str:
    """Keep spreadsheet programs from reading case text as a formula (CSV injection), even after leading
    blanks, and keep every line break inside its quoted cell: a bare CR is not quoted by the csv module
    (its line terminator is LF) and would split the row in readers that end lines at CR, so CR becomes LF."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.lstrip(" \t\n")[:1] in ("=", "+", "-", "@") or value[:1] in ("\t", "\n"):
        return "'" + value
    return value
