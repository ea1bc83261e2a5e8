"""Formats beyond text, Markdown and JSON: CSV, HTML and the HURIDOCS-style CSV."""
from __future__ import annotations


def render(report, fmt: str) -> str:
    from engine.io.errors import InputError

    if fmt == "csv":
        from engine.render.csv_report import render_csv

        return render_csv(report)
    if fmt == "html":
        from engine.render.html import render_html

        return render_html(report)
    if fmt == "huridocs":
        from engine.render.huridocs import render_huridocs

        return render_huridocs(report)
    raise InputError("--format", f"format {fmt!r} is not available yet")
