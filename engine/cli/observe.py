"""Commands for observers and advocates: `new`, `questions`, `import-csv`, `export`.

``register(app)`` adds them to the `trialcheck` typer app (called from ``engine/cli/main.py``).
"""

import os
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    from engine.cli.common import Lang, check_output_path, guarded, guarded_engine

    @app.command()
    def new(
        case_id: str = typer.Argument(..., help="id of the new case, e.g. zhanaozen-2011-ivanov"),
        output: Optional[str] = typer.Option(None, "--output", "-o", help="write the case file here (default: stdout)"),
        schema: Optional[str] = typer.Option(None, "--schema",
                                             help="path or URL for the `$schema` header (default: write the case "
                                                  "schema to .trialcheck/case.schema.json beside the file)"),
        force: bool = typer.Option(False, "--force", help="replace an existing file"),
    ):
        """Write a commented case skeleton that validates; editors complete its fields from the schema."""
        def run():
            from engine.io.errors import InputError
            from engine.render.observer import DEFAULT_SCHEMA, skeleton
            from engine.io.output import write_atomic

            if output and os.path.exists(output) and not force:
                raise InputError(output, "exists already (use --force to replace it)")
            header = schema
            if output:
                os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
            if header is None and output:
                folder = os.path.dirname(os.path.abspath(output))
                target = os.path.join(folder, ".trialcheck", "case.schema.json")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                write_atomic(target, case_schema_text())
                header = os.path.relpath(target, folder).replace(os.sep, "/")
            text = skeleton(case_id, header or DEFAULT_SCHEMA, os.path.basename(output) if output else f"{case_id}.yaml")
            write_atomic(output, text)
            if output:
                typer.echo(f"wrote {output}", err=True)

        guarded(run)

    @app.command()
    def questions(
        paths: List[str] = typer.Argument(..., help="case files or folders"),
        output: Optional[str] = typer.Option(None, "--output", "-o"),
        lang: Lang = typer.Option(Lang.en, "--lang"),
        rules: Optional[List[str]] = typer.Option(None, "--rules"),
    ):
        """List every `needs information` question across cases: a checklist for the next hearing."""
        def run():
            from engine.render.observer import render_questions
            from engine.io.output import write_atomic

            check_output_path(output, paths, rules, False)  # never over an input, refused before reading
            report = _native_report(paths, rules, lang.value)
            write_atomic(output, render_questions(report, lang.value))

        guarded_engine(run)

    @app.command("import-csv")
    def import_csv_command(
        file: str = typer.Argument(..., help="a CSV with one row per proceeding (columns: docs/reports.md)"),
        output: str = typer.Option(..., "--output", "-o", help="folder for the case files"),
        force: bool = typer.Option(False, "--force", help="replace existing case files"),
    ):
        """Import proceedings from a CSV into case files (all validated before any is written)."""
        def run():
            from engine.io.csv_import import import_csv, write_cases

            written = write_cases(import_csv(file), output, force)
            for path in written:
                typer.echo(path)

        guarded(run)

    @app.command("export")
    def export_command(
        what: str = typer.Argument(..., help="huridocs"),
        paths: List[str] = typer.Argument(..., help="case files or folders"),
        output: Optional[str] = typer.Option(None, "--output", "-o"),
        lang: Lang = typer.Option(Lang.en, "--lang"),
        rules: Optional[List[str]] = typer.Option(None, "--rules"),
    ):
        """Export findings for documentation databases: `huridocs` (HURIDOCS Events Standard Formats CSV)."""
        def run():
            from engine.io.errors import InputError
            from engine.render.huridocs import render_huridocs
            from engine.io.output import write_atomic

            if what != "huridocs":
                raise InputError(what, "unknown export (choose: huridocs)")
            check_output_path(output, paths, rules, False)
            report = _native_report(paths, rules, lang.value)
            write_atomic(output, render_huridocs(report))

        guarded_engine(run)


def case_schema_text() -> str:
    import json

    from engine.model.case import Case

    return json.dumps(Case.model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _native_report(paths, rules, lang: str):
    """The report of the given cases on the native engine (what `questions` and `export` work from)."""
    from engine.cli.common import EngineName, load_plan, make_engine
    from engine.io.load import load_cases
    from engine.evaluate.report import build_report

    plan = load_plan(rules)
    cases = load_cases(paths)
    runner = make_engine(EngineName.native, plan)
    try:
        return build_report(plan, cases, runner, lang)
    finally:
        runner.close()
