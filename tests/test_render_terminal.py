"""Terminal output: colour and a table only on a terminal, NO_COLOR honoured, a progress bar only when it helps."""
import io
import json

from engine.model.finding import Report
from engine.render import terminal

REPORT = Report.model_validate({"version": "0", "cases": [{"id": "c", "file": "c.yaml", "proceedings": [
    {"id": "p", "kind": "criminal", "person": "x", "person_name": "X Y", "findings": [
        {"rule": "r", "title": "Held too long", "status": "violation", "kind": "bright-line", "layer": "domestic",
         "severity": "high", "citations": ["ICCPR art. 9(3)"], "explanation": "e"}]}]}],
    "summary": {"status": {"violation": 1}}})


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_and_not_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert terminal.use_colour(Tty()) and not terminal.use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not terminal.use_colour(Tty())


def test_table_on_terminal_markdown_otherwise(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    table = terminal.render_text(REPORT, Tty())
    assert "\033[1;31mviolation" in table and "ICCPR art. 9(3)" in table and "p (X Y)" in table
    plain = terminal.render_text(REPORT, io.StringIO())
    assert "\033[" not in plain and plain.startswith("# trialcheck report")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\033[" not in terminal.render_text(REPORT, Tty())


def test_progress_bar_only_on_terminal_and_for_many_files():
    tty, pipe = Tty(), io.StringIO()
    with terminal.Progress(1000, tty) as bar:
        for _ in range(1000):
            bar.advance()
    assert "1000/1000" in tty.getvalue()
    with terminal.Progress(1000, pipe) as bar:
        bar.advance()
    with terminal.Progress(5, Tty()) as small:
        small.advance()
    assert pipe.getvalue() == "" and not small.enabled
