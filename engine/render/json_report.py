"""The JSON report: stable key order and no run timestamps, so the same input gives the same bytes."""
from __future__ import annotations

import json

from engine.model.finding import Report


def render_json(report: Report) -> str:
    from engine.render.grouping import with_questions

    report = report.model_copy(update={"cases": [with_questions(c, report.lang) for c in report.cases]})
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_case_line(case, lang: str = "en") -> str:
    """One case as one line of JSON Lines (the same fields as a case in the JSON report)."""
    from engine.render.grouping import with_questions

    case = with_questions(case, lang)
    return json.dumps(case.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def render_kept_case_line(statuses: frozenset, case) -> str:
    """One case as one JSON line, with only the findings of the statuses asked for (``--status``)."""
    from engine.render.select import keep_case

    return render_case_line(keep_case(case, statuses))
