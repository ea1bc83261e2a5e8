"""What every command shares: the typer app, option choices, error handling and engine set-up."""
from __future__ import annotations

from enum import Enum
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Check proceedings against Kazakh and international law; report violations from facts.")
rules_app = typer.Typer(no_args_is_help=True, help="Work with the rule base: list, lint, test, document.")
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    text = "text"
    md = "md"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"
    huridocs = "huridocs"


class EngineName(str, Enum):
    native = "native"
    durable = "durable"


class Lang(str, Enum):
    en = "en"
    ru = "ru"


def fail_input(err) -> None:
    """Print input errors as `file:line:col: message` and exit 2, with no traceback."""
    for line in str(err).splitlines():
        typer.echo(line, err=True)
    raise typer.Exit(2)


def guarded(fn):
    """Run a command body, turning input errors into exit code 2."""
    from engine.io.errors import InputError, InputErrors

    try:
        return fn()
    except (InputError, InputErrors) as err:
        fail_input(err)


def check_output_path(output: Optional[str], paths: List[str], rules: Optional[List[str]], force: bool,
                      input_format: str = "yaml") -> None:
    """Refuse an `-o` that would destroy an input (a case or rule file) or cannot be written, before reading anything."""
    if output in (None, "-"):
        return
    from engine.io.load import find_files, rules_root
    from engine.io.output import check_output

    inputs = [p for p in paths if p != "-"]
    if input_format == "yaml":
        inputs += _listed(find_files, [p for p in paths if p != "-"])
    inputs += _listed(find_files, list(rules or [rules_root()]))
    check_output(output, inputs, force)


def _listed(find, paths):
    from engine.io.errors import InputError, InputErrors

    try:
        return find(paths, on_skip=lambda folder: None)
    except (InputError, InputErrors):
        return []  # a missing input is reported when it is read


def make_engine(name: EngineName, plan):
    from engine.evaluate.run import NativeEngine

    if name == EngineName.native:
        return NativeEngine()
    from engine.evaluate.durable.adapter import DurableEngine

    return DurableEngine(plan)


def load_plan(rules: Optional[List[str]]):
    from engine.compile.cache import load_plan as cached

    return cached(rules)


class InputFormat(str, Enum):
    yaml = "yaml"
    jsonl = "jsonl"


def guarded_engine(fn):
    """Like ``guarded``, and a failure of the durable engine also exits 2 with its message."""
    try:
        from engine.evaluate.durable.adapter import EngineFailure
    except ImportError:  # pragma: no cover - adapter always present
        EngineFailure = RuntimeError  # noqa: N806
    try:
        guarded(fn)
    except EngineFailure as err:
        typer.echo(f"trialcheck: the {getattr(err, 'engine', 'durable')} engine failed: {err}", err=True)
        raise typer.Exit(2)


def render(report, format: Format) -> str:
    if format == Format.json:
        from engine.render.json_report import render_json

        return render_json(report)
    if format in (Format.md, Format.text):
        from engine.render.markdown import render_markdown

        return render_markdown(report)
    from engine.render import extra

    return extra.render(report, format.value)
