"""Choosing what a report shows, and hiding who it is about.

``keep_statuses(report, statuses)``: only findings of these statuses (``--status``, ``--no-questions``), with
the summary counted again from what is left. ``redactor(report)``: a function that replaces every
recorded spelling of every person's name (and each part of it, with Russian case endings) by initials
(``--redact``), applied to the finished text of any format.
"""
from __future__ import annotations

import re

from engine.model.finding import CaseReport, Report


def keep_case(case: CaseReport, statuses: frozenset[str]) -> CaseReport:
    proceedings = [p.model_copy(update={"findings": [f for f in p.findings if f.status in statuses]})
                   for p in case.proceedings]
    kept = case.model_copy(update={"proceedings": proceedings})
    kept._case = getattr(case, "_case", None)  # the case as checked travels with its report
    return kept


def keep_statuses(report: Report, statuses: frozenset[str]) -> Report:
    from engine.evaluate.report import summarise

    cases = [keep_case(c, statuses) for c in report.cases]
    return report.model_copy(update={"cases": cases, "summary": summarise(cases)})


def _initials(name: str) -> str:
    return " ".join(part[0] + "." for part in re.split(r"[\s-]+", name) if part)


def names_of(report: Report) -> list[str]:
    """Every spelling of every person's name the report or the checked cases record."""
    names = set()
    for case in report.cases:
        for proc in case.proceedings:
            names.add(proc.person_name)
        model = getattr(case, "checked_case", None)
        for person in (model.people if model is not None else []):
            if person.kind == "organisation":
                continue
            names.update(n for n in (person.name, person.name_ru, *person.other_spellings) if n)
    return sorted(names, key=lambda n: (-len(n), n))


def redactor(report: Report):
    """text -> text with every name replaced by initials ("Natalia Sokolova" -> "N. S.")."""
    names = names_of(report)
    whole = [(re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)"), _initials(n)) for n in names]
    parts = {}
    for n in names:
        for token in re.split(r"[\s-]+", n):
            if len(token) >= 4 and token[0].isupper():
                # Russian declines names (Соколова, Соколовой, Соколову): match the stem with any ending
                stem = token[:-1] if len(token) >= 6 else token
                parts[token] = (re.compile(r"(?<!\w)" + re.escape(stem) + r"\w*"), token[0] + ".")
    rules = whole + sorted(parts.values(), key=lambda rule: -len(rule[0].pattern))

    def apply(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    return apply
