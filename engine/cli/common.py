"""What every command shares: the typer app, option choices, error handling and engine set-up."""
from __future__ import annotations

from enum import Enum
from typing import List, Optional

import typer

def _plain_help_types() -> None:
    """Help without type clutter: flags show no `<bool>`, values show `TEXT`/`N` or their choices, not
    `<str>`, `<list[str]>` (what this typer version prints by default)."""
    import typer.core as core

    words = {"str": "TEXT", "int": "N", "float": "NUMBER", "list[str]": "TEXT", "list[int]": "N"}

    def plain(self, ctx):
        if getattr(self, "is_flag", False) or getattr(self, "count", False):
            return None
        if self.metavar is not None:
            return self.metavar
        shown = core._TyperParameter.display_type(self, ctx).strip("<>")
        if shown.startswith("list[") and "|" in shown:
            shown = shown[5:-1]
        return words.get(shown, shown)

    core.TyperOption.display_type_rich = plain
    core.TyperArgument.display_type_rich = lambda self, ctx: None


_plain_help_types()

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


def render(report, format: Format, meta=None) -> str:
    if format == Format.json:
        from engine.render.json_report import render_json

        return render_json(report)
    if format in (Format.md, Format.text):
        from engine.render.markdown import render_markdown

        return render_markdown(report, meta)
    if format == Format.html:
        from engine.render.html import render_html

        return render_html(report, meta)
    from engine.render import extra

    return extra.render(report, format.value)


def parse_statuses(values: Optional[List[str]], option: str) -> tuple[str, ...] | None:
    """Statuses as a person types them: `violation`, `probable_violation`, `"probable violation"`, or several
    separated by commas; an unknown one is refused with the nearest known status."""
    if not values:
        return None
    import difflib

    from engine.io.errors import InputError
    from engine.model.rule import OUTCOMES

    out = []
    for value in values:
        for item in value.split(","):
            status = " ".join(item.replace("_", " ").replace("-", " ").split()).lower()
            if not status:
                continue
            if status not in OUTCOMES:
                close = difflib.get_close_matches(status, OUTCOMES, n=1, cutoff=0.5)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (one of: {', '.join(OUTCOMES)})"
                raise InputError(option, f"unknown status {item.strip()!r}{hint}")
            if status not in out:
                out.append(status)
    return tuple(out)


def version_callback(value: bool) -> None:
    if value:
        from engine import __version__

        typer.echo(f"trialcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="print the version and exit")) -> None:
    """Check proceedings against Kazakh and international law; report violations from facts.

    Exit codes: 0 nothing flagged (or --exit-zero), 1 findings of the --fail-on statuses reported,
    2 bad input or options (file:line: message), 70 an internal error (please report it)."""
