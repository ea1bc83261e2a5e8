"""The `trialcheck` command. Heavy modules are imported inside commands so a check starts fast."""
from __future__ import annotations

import sys
from enum import Enum
from typing import List, Optional

import typer

from engine.cli.common import (EngineName, Format, InputFormat, Lang, app, check_output_path, fail_input, guarded,
                               guarded_engine, load_plan, make_engine, render, rules_app)

@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="case files or folders; with --input-format jsonl, files or -"),
    format: Format = typer.Option(Format.text, "--format", "-f"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="write here (atomically) instead of stdout"),
    engine: EngineName = typer.Option(EngineName.native, "--engine"),
    lang: Lang = typer.Option(Lang.en, "--lang"),
    all_rules: bool = typer.Option(False, "--all", help="also show rules that found no violation or did not apply"),
    rules: Optional[List[str]] = typer.Option(None, "--rules", help="rule files or folders (default: the bundled rules)"),
    input_format: InputFormat = typer.Option(InputFormat.yaml, "--input-format",
                                             help="yaml: case files (YAML or JSON); jsonl: one case per line"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="worker processes (default: the number of cores)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="print nothing; only the exit code tells"),
    fail_on: Optional[List[str]] = typer.Option(None, "--fail-on",
                                                help="exit 1 only for these statuses (default: any reported finding)"),
    force: bool = typer.Option(False, "--force", help="replace a read-only -o file"),
    skip_unreadable: bool = typer.Option(False, "--skip-unreadable",
                                         help="skip folders that cannot be read (default: refuse the run)"),
    status: Optional[List[str]] = typer.Option(None, "--status", "-s",
                                               help="show only these statuses, e.g. --status violation,probable_violation,concern"),
    no_questions: bool = typer.Option(False, "--no-questions", help="leave out `needs information` findings"),
    date: Optional[str] = typer.Option(None, "--date", help="date printed on the report, YYYY-MM-DD "
                                       "(default: from SOURCE_DATE_EPOCH, else none; never today's clock)"),
    author: Optional[str] = typer.Option(None, "--author", help="who prepared the report (printed on it)"),
    redact: bool = typer.Option(False, "--redact", help="replace people's names by their initials"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="exit 0 even when findings are reported "
                                   "(for scripts that only want the file); bad input still exits 2"),
):
    """Check cases and report what the facts show.

    Exit codes: 0 nothing of the --fail-on statuses found (or --exit-zero); 1 findings of those statuses
    (default: every status shown); 2 bad input or options, with file:line and nothing written; 70 an
    internal error."""
    def run():
        from engine.cli import batch
        from engine.cli.common import parse_statuses
        from engine.model.rule import OUTCOMES, REPORTED
        from engine.io.output import NullSink, open_atomic

        shown = parse_statuses(status, "--status") or (OUTCOMES if all_rules else REPORTED)
        if no_questions:
            shown = tuple(s for s in shown if s != "needs information")
        statuses = parse_statuses(fail_on, "--fail-on") or tuple(s for s in shown if s in REPORTED)
        meta = _report_meta(date, author)
        check_output_path(output, paths, rules, force, input_format.value)
        plan = load_plan(rules)
        raws = batch.iter_raw(paths, input_format.value, skip_unreadable)
        workers = jobs or batch.default_jobs()
        total = batch.count_inputs(paths, input_format.value)
        if format == Format.jsonl:
            from engine.render.json_report import render_case_line

            import functools

            from engine.render.json_report import render_kept_case_line

            line = functools.partial(render_kept_case_line, frozenset(shown)) if status or no_questions \
                else render_case_line
            with (NullSink() if quiet and output in (None, "-") else open_atomic(output, force)) as sink:
                seen, errors = batch.check_stream(raws, plan, engine.value, lang.value, bool(set(shown) - set(REPORTED)),
                                                  workers, line, sink.write, total)
                if errors:
                    sink.abandon()
            seen &= set(shown)
            if output not in (None, "-") and not errors and not quiet:
                typer.echo(f"wrote {output}", err=True)
        else:
            collected = []
            seen, errors = batch.check_stream(raws, plan, engine.value, lang.value,
                                              bool(set(shown) - set(REPORTED)), workers, _identity,
                                              collected.append, total)
            seen &= set(shown)
            if not errors:
                from engine.evaluate.report import assemble
                from engine.render.meta import rules_version
                from engine.render.select import keep_statuses, redactor

                report = keep_statuses(assemble(collected, lang.value), frozenset(shown))
                meta = meta.with_rules(rules_version(plan), redactor(report) if redact else None)
                if format == Format.text and output in (None, "-"):
                    from engine.render.terminal import render_text

                    text = render_text(report, sys.stdout)  # a table on a terminal, plain text in a pipe
                else:
                    text = render(report, format, meta)
                if redact:
                    text = meta.redact(text)
                if not (quiet and output in (None, "-")):  # --quiet silences the terminal, never the -o file
                    with open_atomic(output, force) as sink:
                        sink.write(text)
                if output not in (None, "-") and not quiet:
                    typer.echo(f"wrote {output} — {_flagged_line(report, lang.value)}", err=True)
        if errors:
            fail_input("\n".join(errors))
        raise typer.Exit(1 if seen & set(statuses) and not exit_zero else 0)

    guarded_engine(run)


def _identity(report):
    return report


def _report_meta(date, author):
    from engine.render.meta import Meta, report_date

    return Meta(date=report_date(date), author=author)


def _flagged_line(report, lang: str) -> str:
    """"11 of 27 proceedings flagged": proceedings with a violation or probable violation in the report."""
    procs = [p for c in report.cases for p in c.proceedings]
    flagged = sum(1 for p in procs if any(f.status in ("violation", "probable violation") for f in p.findings))
    return f"{flagged} of {len(procs)} proceedings flagged (violation or probable violation)"


@app.command()
def explain(
    path: str = typer.Argument(..., help="a case file"),
    rule: str = typer.Option(..., "--rule", "-r", help="rule id"),
    proceeding: Optional[str] = typer.Option(None, "--proceeding", "-p"),
    lang: Lang = typer.Option(Lang.en, "--lang"),
    rules: Optional[List[str]] = typer.Option(None, "--rules"),
):
    """Show why a rule did or did not fire: each sub-condition and its value."""
    def run():
        from engine.io.errors import InputError
        from engine.tools.explain import explain_rule
        from engine.io.load import load_cases

        plan = load_plan(rules)
        if rule not in plan.by_id:
            import difflib

            # a rule id is long: a prefix (`kz-cpc-1997.14-2`) names its rules; else the nearest spelling
            close = sorted(r for r in plan.by_id if r.startswith(rule + ".") or r.startswith(rule))[:3] \
                or difflib.get_close_matches(rule, list(plan.by_id), n=1, cutoff=0.5)
            hint = " or ".join(repr(c) for c in close)
            raise InputError(rule, "no such rule" + (f" (did you mean {hint}?)" if close else ""))
        (file, case), = load_cases([path])
        typer.echo(explain_rule(plan, case, rule, proceeding, lang.value), nl=False)

    guarded(run)


@app.command()
def validate(paths: List[str] = typer.Argument(..., help="case files or folders")):
    """Check case files without evaluating them."""
    def run():
        from engine.io.load import load_cases

        cases = load_cases(paths)
        typer.echo(f"{len(cases)} case file(s) valid")

    guarded(run)


@app.command()
def schema(what: str = typer.Argument(..., help="case | rule | report")):
    """Print the JSON Schema of case files, rule files or the JSON report."""
    import json

    from engine.model.case import Case
    from engine.model.finding import Report
    from engine.model.rule import Rule

    models = {"case": Case, "rule": Rule, "report": Report}
    if what not in models:
        typer.echo(f"schema: choose one of {', '.join(models)}", err=True)
        raise typer.Exit(2)
    typer.echo(json.dumps(models[what].model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False))


@rules_app.command("list")
def rules_list(rules: Optional[List[str]] = typer.Option(None, "--rules")):
    """One line per rule: id, citation, kind, status of the law."""
    def run():
        from engine.evaluate.outcome import citations

        plan = load_plan(rules)
        for cr in sorted(plan.rules, key=lambda r: r.id):
            flag = " [unconfirmed]" if cr.rule.unconfirmed else ""
            typer.echo(f"{cr.id}\t{citations(cr, 'en')[0]}\t{cr.rule.kind}{flag}")

    guarded(run)


@rules_app.command("lint")
def rules_lint(rules: Optional[List[str]] = typer.Option(None, "--rules")):
    """Check the rule base: fact paths, citations, examples, derivation cycles, duplicate ids."""
    def run():
        from engine.io.load import load_rules
        from engine.compile.plan import compile_rules
        from engine.tools.rules import lint

        loaded = load_rules(rules)
        plan = compile_rules(loaded)
        problems = lint(plan, {doc.path: doc.positions for _, doc in loaded})
        for p in problems:
            typer.echo(str(p), err=True)
        if problems:
            typer.echo(f"{len(problems)} problem(s) in {len(plan.rules)} rules", err=True)
            raise typer.Exit(1)
        typer.echo(f"{len(plan.rules)} rules, no problems")

    guarded(run)


@rules_app.command("test")
def rules_test(
    rules: Optional[List[str]] = typer.Option(None, "--rules"),
    engine: List[EngineName] = typer.Option([EngineName.native], "--engine", help="repeat for both engines"),
    rule: Optional[List[str]] = typer.Option(None, "--rule", help="only these rule ids"),
):
    """Run every rule's examples; each must give its expected outcome."""
    def run():
        from engine.tools.rules import run_examples

        plan = load_plan(rules)
        failed = total = 0
        for name in engine:
            runner = make_engine(name, plan)
            try:
                results = run_examples(plan, runner, set(rule) if rule else None)
            finally:
                runner.close()
            for res in results:
                total += 1
                if not res.ok:
                    failed += 1
                    label = res.example.name or f"example {res.index + 1}"
                    why = res.error or f"expected {res.example.expect!r}, got {res.got!r}"
                    typer.echo(f"{res.rule.file}: {res.rule.id}: {label} [{name.value}]: {why}", err=True)
        typer.echo(f"{total - failed} passed, {failed} failed")
        raise typer.Exit(1 if failed else 0)

    guarded_engine(run)


@rules_app.command("check")
def rules_check(
    rules: Optional[List[str]] = typer.Option(None, "--rules"),
    engine: List[EngineName] = typer.Option([EngineName.native, EngineName.durable], "--engine",
                                            help="engines whose examples to run (default: both)"),
):
    """Prove the rule base consistent: paths, cycles, examples on both engines, no contradictory rules."""
    from engine.tools.consistency import check_rule_base

    report = check_rule_base(rules, tuple(e.value for e in engine))
    for problem in report.problems:
        typer.echo(str(problem), err=True)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    summary = (f"{report.rules} rules, {report.examples} examples on {', '.join(report.engines) or 'no engine'}: "
               f"{len(report.problems)} problem(s)")
    typer.echo(summary)
    raise typer.Exit(1 if report.problems else 0)


@rules_app.command("docs")
def rules_docs(
    rules: Optional[List[str]] = typer.Option(None, "--rules"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="e.g. docs/rules.md"),
):
    """Write the list of every rule with its citation, dates in force and status (Markdown)."""
    def run():
        from engine.io.output import write_atomic
        from engine.tools.docs import rules_markdown

        check_output_path(output, [], rules, False)
        write_atomic(output, rules_markdown(load_plan(rules)) + "\n")

    guarded(run)


@rules_app.command("facts")
def rules_facts():
    """List every fact path a rule may read."""
    from engine.derive.paths import LIST_ROOTS, base_schema

    for root, attrs in base_schema().items():
        if attrs is None:
            typer.echo(root)
            continue
        for attr in sorted(attrs):
            typer.echo(f"{root}{'[]' if root in LIST_ROOTS else ''}.{attr}")


def _register_commands() -> None:
    """Commands that live in their own modules: observer and advocate tools."""
    from engine.cli import observe, serve

    observe.register(app)
    serve.register(app)  # the workbench; its web packages are imported only when `serve` runs


_register_commands()


def main() -> None:
    from engine.cli.signals import Interrupted, install, quiet_exit, safe_streams
    from engine.io.output import PipeClosed, cleanup

    install()
    safe_streams()
    try:
        app()
    except (KeyboardInterrupt, Interrupted) as stop:  # no partial or temporary file remains; 128 + the signal
        cleanup()
        quiet_exit(getattr(stop, "code", 130), "trialcheck: interrupted")
    except (BrokenPipeError, PipeClosed):  # the reader went away (`| head`): stop quietly, as coreutils do
        cleanup()
        quiet_exit(141)
    except Exception as err:  # a bug, not bad input: say so briefly, never dump a traceback on the user
        cleanup()
        print(f"trialcheck: internal error: {type(err).__name__}: {err} "
              "(please report it with the input that caused it)", file=sys.stderr)
        sys.exit(70)
