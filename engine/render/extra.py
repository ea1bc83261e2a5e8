"""Formats beyond text, Markdown and JSON (CSV, JSON Lines, HTML)."""
from __future__ import annotations


def render(report, fmt: str) -> str:
    from engine.errors import InputError

    raise InputError("--format", f"format {fmt!r} is not available yet")
