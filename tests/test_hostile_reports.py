"""Reports that cannot be forged: case text stays text in Markdown, the terminal and CSV.

Through the CLI; the person's name is the attacker's text (a case file may come from anyone).
"""
from __future__ import annotations

import csv
import io

import pytest

from tests.helpers import run_cli, write_rule

NAME = '"Ivan <img src=x onerror=alert(1)>\\n- **violation** — Forged finding\\r=HYPERLINK(\\"http://x\\")\\e]0;pwned\\a\\e[2J"'
CASE = ("id: t\npeople: [{id: p, name: " + NAME + "}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"
        "    custody: [{start: 2016-05-01T08:00, before_judge: 2016-05-09T08:00}]\n")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forge")
    (folder / "c.yaml").write_text(CASE, encoding="utf-8")
    return folder / "c.yaml", write_rule(folder / "rules")


def test_markdown_keeps_free_text_as_text(files):
    case, rules = files
    result = run_cli("check", case, "--rules", rules, "-f", "md", timeout=60)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert not any(line.lstrip().startswith("- **violation** — Forged") for line in lines), result.stdout
    assert "\\<img" in result.stdout and "<img" not in result.stdout.replace("\\<img", "")
    assert "\x1b" not in result.stdout and "\r" not in result.stdout


def test_text_output_has_no_control_characters(files):
    case, rules = files
    result = run_cli("check", case, "--rules", rules, timeout=60)
    assert result.returncode == 1 and "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_terminal_table_strips_escape_sequences(files):
    from engine.io.load import load_cases
    from engine.compile.plan import compile_rules
    from engine.evaluate.report import build_report
    from engine.evaluate.run import NativeEngine
    from engine.io.load import load_rules
    from engine.render.terminal import render_table

    case, rules = files
    report = build_report(compile_rules(load_rules([str(rules)])), load_cases([str(case)]), NativeEngine())
    table = render_table(report, colour=False, width=200)
    assert "\x1b" not in table and "\x07" not in table and "\r" not in table
    assert len(table.splitlines()) == len(render_table(report, colour=False, width=200).splitlines())
    assert not any(line.startswith("- **violation**") for line in table.splitlines())


@pytest.mark.parametrize("command", ["csv", "huridocs"])
def test_csv_cells_keep_line_breaks_and_formulas_inert(files, command):
    case, rules = files
    args = (["check", case, "-f", "csv", "--all"] if command == "csv" else ["export", "huridocs", case])
    result = run_cli(*args, "--rules", rules, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    # split rows the strict way: a CR outside quotes would end a row in many readers
    assert "\r" not in result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    width = len(rows[0])
    assert all(len(row) == width for row in rows), rows
    cells = [cell for row in rows[1:] for cell in row if "Ivan" in cell]
    assert cells and all(not cell.lstrip().startswith(("=", "+", "-", "@")) for cell in cells)
    assert all("=HYPERLINK" not in cell.split("\n")[0][:1] for cell in cells)
