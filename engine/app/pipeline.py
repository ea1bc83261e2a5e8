"""The engine as the workbench calls it: the same load -> derive -> evaluate -> render pipeline as the CLI.

Nothing here judges a fact: cases are read by ``engine.io.load``, checked by ``engine.evaluate.report``,
explained by ``engine.tools.explain`` and written out by ``engine.render``. This module only keeps the
compiled plan for the life of the server and caches each file's result by its version.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from engine.app.workspace import Workspace
from engine.evaluate.report import assemble, check_case
from engine.evaluate.run import NativeEngine
from engine.io.errors import InputError, InputErrors
from engine.io.load import load_case_document, read_document
from engine.io.yamlio import Document, decode, load_text
from engine.model.case import Case
from engine.model.finding import CaseReport, Report

REPORTED = ("violation", "probable violation", "concern", "needs information")


@dataclass
class Checked:
    """One case file as read and checked (or the errors that stopped it)."""

    rel: str
    version: str
    text: str
    mtime: float
    data: object = None  # the plain data the engine read
    case: Case | None = None
    report: CaseReport | None = None
    errors: list[InputError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in REPORTED}
        for proc in self.report.proceedings if self.report else []:
            for f in proc.findings:
                if f.status in counts:
                    counts[f.status] += 1
        return counts


def errors_of(err: Exception) -> list[InputError]:
    if isinstance(err, InputErrors):
        return list(err.errors)
    if isinstance(err, InputError):
        return [err]
    raise err


def display_path(path) -> str:
    """The file as a report names it: relative to where the server runs, as `trialcheck check` would."""
    try:
        return os.path.relpath(path).replace("\\", "/")
    except ValueError:
        return str(path)


class Pipeline:
    def __init__(self, workspace: Workspace, rules: list[str] | None = None):
        from engine.compile.cache import load_plan

        self.workspace = workspace
        self.plan = load_plan(rules)
        self.engine = NativeEngine()  # stateless: safe to share between request threads
        self._cache: dict[str, Checked] = {}
        self._html: dict[tuple, str] = {}
        self._guard = threading.Lock()

    # --- one case ---------------------------------------------------------------------------------

    def check_document(self, doc: Document, label: str, lang: str = "en", include_all: bool = False) -> CaseReport:
        case = load_case_document(doc)
        return check_case(self.plan, label, case, self.engine, lang, include_all)

    def check_text(self, text: str, label: str, lang: str = "en", include_all: bool = False) -> Report:
        """A case given as YAML or JSON text (the API), checked into a one-case report."""
        doc = load_text(label, text)  # JSON is YAML: one loader keeps the line of every error
        return assemble([self.check_document(doc, label, lang, include_all)], lang)

    def load(self, rel: str, lang: str = "en") -> Checked:
        """A case file of the folder, read and checked; cached by the file's version."""
        cf = self.workspace.read(rel)
        key = f"{rel}\0{lang}"
        with self._guard:
            hit = self._cache.get(key)
        if hit is not None and hit.version == cf.version:
            return hit
        mtime = os.stat(cf.path).st_mtime
        checked = Checked(rel, cf.version, cf.text, mtime)
        label = display_path(cf.path)
        try:
            doc = _document(label, cf.raw, str(cf.path))
            checked.data = doc.data
            checked.case = load_case_document(doc)
            checked.report = check_case(self.plan, label, checked.case, self.engine, lang)
        except (InputError, InputErrors) as err:
            checked.errors = errors_of(err)
        with self._guard:
            self._cache[key] = checked
        return checked

    def all_cases(self, lang: str = "en") -> list[Checked]:
        return [self.load(rel, lang) for rel in self.workspace.case_files()]

    def find(self, case_id: str, lang: str = "en") -> Checked | None:
        """The file holding the case with this id (ids are unique in a folder, as `check` requires)."""
        for item in self.all_cases(lang):
            if item.case is not None and item.case.id == case_id:
                return item
        return None

    # --- many cases: reports ----------------------------------------------------------------------

    def report(self, case_ids: list[str] | None, lang: str = "en") -> Report:
        chosen = [c for c in self.all_cases(lang) if c.report is not None
                  and (not case_ids or c.case.id in case_ids)]
        return assemble([c.report for c in chosen], lang)

    def render(self, report: Report, fmt: str) -> str:
        if fmt == "json":
            from engine.render.json_report import render_json

            return render_json(report)
        if fmt == "md":
            from engine.render.markdown import render_markdown

            return render_markdown(report)
        from engine.render import extra

        return extra.render(report, fmt)

    def case_html(self, item: Checked, lang: str) -> str:
        """The HTML report of one case of the folder, kept while its file keeps its version."""
        key = ("html", item.rel, item.version, lang)
        with self._guard:
            hit = self._html.get(key)
        if hit is None:
            hit = self.render(assemble([item.report], lang), "html")
            with self._guard:
                self._html = {k: v for k, v in self._html.items() if k[1] != item.rel}
                self._html[key] = hit
        return hit

    def explain(self, case: Case, rule_id: str, proceeding: str | None, lang: str) -> str:
        from engine.tools.explain import explain_rule

        if rule_id not in self.plan.by_id:
            raise InputError(rule_id, "no such rule")
        return explain_rule(self.plan, case, rule_id, proceeding, lang)


def _document(label: str, raw: bytes, path: str) -> Document:
    if path.endswith(".json"):
        doc = read_document(path)
        return Document(label, doc.data, doc.positions)
    return load_text(label, decode(label, raw))


def validate_data(data: dict) -> tuple[Case | None, list[tuple[tuple, str]]]:
    """Validate case data as the loader does; errors as (location, message) for the form's fields."""
    from pydantic import ValidationError

    from engine.io.load import _message
    from engine.model.case_checks import problems

    try:
        case = Case.model_validate(data)
    except ValidationError as err:
        return None, [(tuple(e["loc"]), _message(e, tuple(e["loc"]), Case)) for e in err.errors()]
    found = [(tuple(loc), message) for loc, message in problems(case)]
    return (case if not found else None), found
