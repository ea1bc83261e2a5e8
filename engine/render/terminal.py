"""The terminal: a compact coloured table when a person is reading, plain text when a program is.

``use_colour(stream)`` is true only when the stream is a terminal and ``NO_COLOR`` is not set
(https://no-color.org). ``Progress`` draws a bar on stderr, only on a terminal, only for long runs.
"""
from __future__ import annotations

import os
import shutil
import sys
import time

from engine.model.finding import Report
from engine.render.labels import label
from engine.render.safe_text import terminal_text

COLOURS = {"violation": "\033[1;31m", "probable violation": "\033[33m", "concern": "\033[35m",
           "needs information": "\033[36m", "no violation": "\033[32m", "not applicable": "\033[2m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"
PROGRESS_THRESHOLD = 200  # files; fewer than this finish before a bar would help


def use_colour(stream=None) -> bool:
    stream = stream if stream is not None else sys.stdout
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _cut(text: str, width: int) -> str:
    text = terminal_text(text)  # case text may hold escape sequences: never let them reach the terminal
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def render_table(report: Report, colour: bool = True, width: int | None = None) -> str:
    """One line per finding: status, proceeding, citation, title; then the totals."""
    lang = report.lang
    width = width or shutil.get_terminal_size((100, 24)).columns
    paint = (lambda code, text: f"{code}{text}{RESET}") if colour else (lambda code, text: text)
    status_w = max(len(label(s, lang)) for s in COLOURS)
    out = []
    for case in report.cases:
        out.append(paint(BOLD, f"{label('case', lang)} {case.id}" + (f" — {terminal_text(case.title)}" if case.title else "")))
        out += [f"  ({notice})" for notice in case.notices]
        any_finding = False
        for proc in case.proceedings:
            for f in proc.findings:
                any_finding = True
                where = f"{proc.id} ({proc.person_name})"
                cite = f.citations[0]
                fixed = 2 + status_w + 2 + 28 + 2 + 34 + 2
                title = _cut(f.title, max(12, width - fixed))
                status = label(f.status, lang).ljust(status_w)
                out.append(f"  {paint(COLOURS.get(f.status, ''), status)}  {_cut(where, 28).ljust(28)}  "
                           f"{_cut(cite, 34).ljust(34)}  {title}")
        if not any_finding:
            out.append("  " + paint(DIM, label("no_findings", lang)))
    totals = report.summary.get("status", {})
    if totals:
        out.append("")
        out.append(", ".join(paint(COLOURS.get(k, ""), f"{label(k, lang)}: {v}") for k, v in totals.items()))
    return "\n".join(out) + "\n"


def render_text(report: Report, stream=None) -> str:
    """What `check` prints by default: the table on a terminal, the plain Markdown report otherwise."""
    stream = stream if stream is not None else sys.stdout
    if getattr(stream, "isatty", lambda: False)():
        return render_table(report, colour=use_colour(stream))
    from engine.render.markdown import render_markdown

    return render_markdown(report)


class Progress:
    """``with Progress(total) as bar: ... bar.advance()`` — a bar on stderr for long runs on a terminal."""

    def __init__(self, total: int | None, stream=None, threshold: int = PROGRESS_THRESHOLD, label_text: str = "checking"):
        self.total, self.done = total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(total and total > threshold and getattr(self.stream, "isatty", lambda: False)())
        self.label = label_text
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
        return False
