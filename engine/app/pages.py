"""The observer's pages: case list, case page with its open questions, case form, reports.

Every page is rendered on the server by jinja2 with autoescaping; the findings and custody timelines
come from the HTML report's own templates (``engine/render/templates``), so the page shows what the
report shows. Every write goes through ``save_case``: validated, read back, version-checked, atomic.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from engine.app import answers, formschema, yamledit
from engine.app.pipeline import REPORTED, Checked, Pipeline, display_path, validate_data
from engine.app.security import CSP
from engine.app.workspace import CASE_ID, Conflict, OutsideFolder
from engine.io.errors import InputError, InputErrors

router = APIRouter(include_in_schema=False)
FRAMED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")

FORMATS = {  # format -> (renderer key, media type, file suffix, shown inline?)
    "html": ("html", "text/html; charset=utf-8", "html", True),
    "pdf": ("html", "text/html; charset=utf-8", "html", True),
    "csv": ("csv", "text/csv; charset=utf-8", "csv", False),
    "huridocs": ("huridocs", "text/csv; charset=utf-8", "huridocs.csv", False),
    "json": ("json", "application/json", "json", False),
    "md": ("md", "text/markdown; charset=utf-8", "md", False),
}
NEW_CASE = {"sources": [{"id": "s1"}], "defaults": {"source": "s1", "status": "reported"},
            "people": [{"id": "person-1"}], "proceedings": [{"id": "proceeding-1", "person": "person-1"}]}
HEADER = "# A trialcheck case file (docs/case-format.md). Check it with:  trialcheck check {file}\n"


class PageError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --- rendering -----------------------------------------------------------------------------------

STATUS_CLASS = {"violation": "violation", "probable violation": "probable", "concern": "concern",
                "needs information": "info", "no violation": "ok", "not applicable": "na"}


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("engine.app", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(formschema=formschema, fact_parts=formschema.fact_parts, words_text=formschema.words_text,
                       scalar_text=formschema.scalar_text, status_class=STATUS_CLASS)
    return env


def page(request: Request, template: str, status: int = 200, lang: str = "en", **context) -> HTMLResponse:
    from engine.render.labels import label

    settings = request.app.state.settings
    html = _env().get_template(template).render(
        lang=lang, csrf=settings.csrf, folder=display_path(request.app.state.workspace.root),
        request_path=request.url.path, L=lambda key: label(key, lang), **context)
    return HTMLResponse(html, status_code=status)


def _pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


def _lang(request: Request) -> str:
    return "ru" if request.query_params.get("lang") == "ru" else "en"


def _case_or_404(request: Request, case_id: str, lang: str = "en") -> Checked:
    if not CASE_ID.match(case_id):
        raise PageError(404, "no such case")
    found = _pipeline(request).find(case_id, lang)
    if found is None:
        raise PageError(404, f"there is no case {case_id!r} in this folder")
    return found


def _when(mtime: float) -> str:
    return datetime.fromtimestamp(mtime, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# --- case list -------------------------------------------------------------------------------------

@dataclass
class Row:
    item: Checked
    people: list[str]
    articles: list[str]
    dates: list[str]
    changed: str


def _dates(data) -> list[str]:
    """Every date a case records (incidents, custody, hearings, decisions), for the date-range search."""
    found = []

    def walk(node, key=""):
        if isinstance(node, dict):
            if set(node) <= set(formschema.LONG_FORM) and "value" in node:
                walk(node["value"], key)
                return
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("date", "start", "end", "opened", "before_judge", "filed", "heard"):
            if re.match(r"^\d{4}(-\d{2}){0,2}", node):
                found.append(node[:10])

    walk(data)
    return sorted(set(found))


def _row(item: Checked) -> Row:
    case = item.case
    people, articles = [], []
    if case is not None:
        for p in case.people:
            people += [p.name] + ([p.name_ru] if p.name_ru else []) + list(p.other_spellings)
        for proc in case.proceedings:
            for ch in proc.charges:
                if ch.article:  # a charge may be known only by its description or its code
                    articles.append(f"{ch.code or ch.instrument or ''} art. {ch.article}".strip()
                                    + (f"({ch.part})" if ch.part else ""))
                elif ch.description or ch.code:
                    articles.append(ch.description or ch.code)
    return Row(item, people, sorted(set(articles)), _dates(item.data), _when(item.mtime))


def _matches(row: Row, q: str, article: str, status: str, since: str, until: str) -> bool:
    item = row.item
    if q:
        hay = " ".join([item.rel, *(row.people)] + ([item.case.id, item.case.title or ""] if item.case else [])).lower()
        if q.lower() not in hay:
            return False
    if article:
        cited = row.articles + [c for p in (item.report.proceedings if item.report else []) for f in p.findings
                                if f.status in REPORTED for c in f.citations]
        if not any(article.lower() in c.lower() for c in cited):
            return False
    if status and not item.counts.get(status):
        return False
    if since or until:
        if not any((not since or d >= since[:len(d)]) and (not until or d[:len(until)] <= until) for d in row.dates):
            return False
    return True


@router.get("/", response_class=HTMLResponse)
def case_list(request: Request, q: str = "", article: str = "", status: str = "", since: str = "", until: str = ""):
    rows = [_row(item) for item in _pipeline(request).all_cases()]
    shown = [r for r in rows if _matches(r, q.strip(), article.strip(), status, since.strip(), until.strip())]
    totals = {s: sum(r.item.counts[s] for r in shown) for s in REPORTED}
    return page(request, "index.html.j2", rows=shown, total=len(rows), totals=totals, reported=REPORTED,
                query={"q": q, "article": article, "status": status, "since": since, "until": until})


# --- case page ---------------------------------------------------------------------------------------

@dataclass
class Question:
    finding: object
    proceeding: object
    asks: list


def _questions(item: Checked) -> list[Question]:
    from engine.derive.facts import derive_case

    if item.report is None:
        return []
    trees = derive_case(item.case)
    out, seen = [], set()
    for index, (proc, facts) in enumerate(zip(item.report.proceedings, trees)):
        for f in proc.findings:
            if f.status != "needs information":
                continue
            key = (proc.id, f.question or f.title)
            if key in seen:  # one question asked once per proceeding, as `trialcheck questions` does
                continue
            seen.add(key)
            out.append(Question(f, proc, answers.asks_for(f, index, facts.tree, item.data)))
    return out


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str, changed: str = ""):
    lang = _lang(request)
    item = _case_or_404(request, case_id, lang)
    change = request.app.state.changes.get((case_id, item.version)) if changed and item.version.startswith(changed) else None
    return page(request, "case.html.j2", lang=lang, item=item, questions=_questions(item), change=change,
                changed_at=_when(item.mtime), sources=[s.id for s in item.case.sources], reported=REPORTED)


@router.get("/cases/{case_id}/report", response_class=HTMLResponse)
def case_report_page(request: Request, case_id: str):
    """The HTML report of this one case, exactly as `trialcheck check --format html` writes it (framed by the case page)."""
    lang = _lang(request)
    item = _case_or_404(request, case_id, lang)
    html = _pipeline(request).case_html(item, lang)
    return HTMLResponse(html, headers={"x-frame-options": "SAMEORIGIN",
                                       "content-security-policy": FRAMED_CSP})


@router.post("/cases/{case_id}/answer", response_class=HTMLResponse)
async def answer(request: Request, case_id: str):
    form = await request.form()
    return await run_in_threadpool(_answer, request, case_id, form)


def _answer(request: Request, case_id: str, form):
    item = _case_or_404(request, case_id)
    key = str(form.get("key", ""))
    location = answers.parse_location(key) if re.fullmatch(r"[a-z_]+(\.(\d+|[a-z_]+))*", key) else []
    spec = answers._spec_at(location) if location else None
    if spec is None or spec.kind != "fact":
        raise PageError(400, "this is not a fact the case file can record")
    raw = {part: str(form.get(part, "")) for part in formschema.LONG_FORM}
    value = formschema._fact(spec, raw, formschema.MISSING)
    if value is formschema.MISSING:
        raise PageError(400, "give an answer (or `unknown`) before recording it")
    new_data = answers.with_answer(item.data, key, value)
    result = save_case(request, item, new_data, str(form.get("version", "")))
    if isinstance(result, Response):
        return result
    after = _pipeline(request).load(item.rel)
    changes = request.app.state.changes
    while len(changes) >= 200:  # only the latest answers' summaries are kept
        changes.pop(next(iter(changes)))
    changes[(case_id, after.version)] = {
        "answered": key, "value": formschema.fact_parts(value)["value"],
        "changes": diff_findings(item.report, after.report)}
    lang = "&lang=ru" if form.get("lang") == "ru" else ""
    return RedirectResponse(f"/cases/{case_id}?changed={after.version[:16]}{lang}#changes", status_code=303)


def diff_findings(before, after) -> list[dict]:
    """What the re-check changed: each rule whose outcome on a proceeding differs."""
    def index(report):
        out = {}
        for proc in report.proceedings if report else []:
            for f in proc.findings:
                out[(proc.id, f.rule)] = f
        return out

    old, new = index(before), index(after)
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.status == b.status and a.explanation == b.explanation:
            continue
        f = b or a
        changes.append({"proceeding": key[0], "rule": key[1], "title": f.title,
                        "before": a.status if a else None, "after": b.status if b else None,
                        "explanation": b.explanation if b else None})
    return changes


# --- case form ---------------------------------------------------------------------------------------

@router.get("/new", response_class=HTMLResponse)
def new_case_form(request: Request):
    return _form_page(request, None, NEW_CASE, None, {})


@router.get("/cases/{case_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, case_id: str):
    item = _case_or_404(request, case_id)
    return _form_page(request, item, item.data, item.version, {})


def _form_page(request, item: Checked | None, data, version, errors, status: int = 200, notice: str | None = None):
    data = data if isinstance(data, dict) else {}
    refs = {"sources": _ids(data.get("sources")), "people": _ids(data.get("people")),
            "incidents": _ids(data.get("incidents"))}
    return page(request, "form.html.j2", status=status, item=item, data=data, version=version or "",
                spec=formschema.form_tree(), errors=errors, refs=refs, notice=notice,
                action=f"/cases/{item.case.id}/edit" if item and item.case else "/new")


def _ids(items) -> list[str]:
    return [str(x["id"]) for x in items or [] if isinstance(x, dict) and x.get("id")]


@router.post("/new", response_class=HTMLResponse)
async def create_case(request: Request):
    form = await request.form(max_fields=50_000)
    return await run_in_threadpool(_create_case, request, form)


def _create_case(request: Request, form):
    parsed = formschema.parse_form(form.multi_items(), {})
    case_id = str(parsed.data.get("id") or "")
    workspace = request.app.state.workspace
    try:
        rel = workspace.path_for_new(case_id)
    except OutsideFolder:
        return _form_page(request, None, parsed.data, None,
                          {"f.id": ["a case id is lowercase letters, digits, '-', '_' or '.' (e.g. zhanaozen-2011-ivanov)"]},
                          status=422)
    taken = _pipeline(request).find(case_id)
    if taken is not None or workspace.current_version(rel) is not None:
        return _form_page(request, None, parsed.data, None,
                          {"f.id": [f"the id {case_id!r} is already used by {taken.rel if taken else rel}"]}, status=422)
    result = _validated_text(request, None, "", {}, parsed)
    if isinstance(result, Response):
        return result
    try:
        workspace.save(rel, HEADER.format(file=rel) + result, None)
    except Conflict:
        return _form_page(request, None, parsed.data, None, {"f.id": [f"{rel} was created meanwhile"]}, status=409)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/edit", response_class=HTMLResponse)
async def save_form(request: Request, case_id: str):
    form = await request.form(max_fields=50_000)
    return await run_in_threadpool(_save_form, request, case_id, form)


def _save_form(request: Request, case_id: str, form):
    item = _case_or_404(request, case_id)
    version = str(form.get("version", ""))
    parsed = formschema.parse_form(form.multi_items(), item.data if version == item.version else {})
    if version != item.version:
        return _conflict(request, item, parsed.data)
    new_id = parsed.data.get("id")
    if new_id != case_id:
        other = _pipeline(request).find(str(new_id)) if isinstance(new_id, str) and CASE_ID.match(new_id) else None
        if other is not None:
            return _form_page(request, item, parsed.data, version,
                              {"f.id": [f"the id {new_id!r} is already used by {other.rel}"]}, status=422)
    result = save_case(request, item, parsed.data, version, parsed)
    if isinstance(result, Response):
        return result
    return RedirectResponse(f"/cases/{new_id}?saved=1", status_code=303)


def _validated_text(request, item: Checked | None, original: str, old_data, parsed: formschema.Parsed):
    """The YAML to write for ``parsed.data``, or the form again with every problem on its field."""
    case, problems = validate_data(parsed.data)
    if problems:
        return _form_page(request, item, parsed.data, item.version if item else None,
                          formschema.error_map(problems, parsed.names), status=422)
    try:
        if item is not None and item.rel.endswith(".json"):  # a JSON case file stays JSON
            return json.dumps(parsed.data, ensure_ascii=False, indent=2) + "\n"
        return yamledit.edited_text(original, old_data, parsed.data)
    except (InputError, InputErrors) as err:
        return _form_page(request, item, parsed.data, item.version if item else None, {"f": [str(err)]}, status=422)


def save_case(request, item: Checked, new_data: dict, version: str, parsed: formschema.Parsed | None = None):
    """Validate, write with comments kept, and replace the file only if it is still at ``version``."""
    if version != item.version:
        return _conflict(request, item, new_data)
    parsed = parsed or formschema.Parsed(new_data, {(): "f"})
    text = _validated_text(request, item, item.text, item.data, parsed)
    if isinstance(text, Response):
        return text
    try:
        return request.app.state.workspace.save(item.rel, text, version)
    except Conflict:
        return _conflict(request, _pipeline(request).load(item.rel), new_data)


def _conflict(request, current: Checked, mine: dict) -> HTMLResponse:
    """Nothing is written: show the version on disk beside the one the person tried to save."""
    latest = _pipeline(request).load(current.rel)
    try:
        my_text = yamledit.edited_text(latest.text, latest.data, mine) if latest.data is not None else None
    except (InputError, InputErrors, Exception):  # noqa: BLE001 - a display aid only
        my_text = None
    my_text = my_text or yamledit.dump_rt(yamledit.to_node(mine, flow=False))
    diff = "".join(difflib.unified_diff(latest.text.splitlines(True), my_text.splitlines(True),
                                        "on disk now", "your version", n=2))
    return page(request, "conflict.html.j2", status=409, item=latest, mine=my_text, diff=diff,
                case_id=latest.case.id if latest.case else None)


@router.get("/cases/{case_id}/file")
def case_file(request: Request, case_id: str):
    item = _case_or_404(request, case_id)
    return Response(item.text, media_type="text/plain; charset=utf-8")


@router.get("/favicon.ico")
def favicon():
    return Response(status_code=204)  # no icon: and no 404 in the browser's console


# --- reports -----------------------------------------------------------------------------------------

@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request):
    items = [c for c in _pipeline(request).all_cases() if c.case is not None]
    return page(request, "reports.html.j2", items=items, formats=list(FORMATS))


@router.get("/reports/file")
def report_file(request: Request, format: str = "html", lang: str = "en"):
    if format not in FORMATS or lang not in ("en", "ru"):
        raise PageError(400, "unknown format or language")
    chosen = [c for c in request.query_params.getlist("case") if CASE_ID.match(c)]
    pipeline = _pipeline(request)
    report = pipeline.report(chosen or None, lang)
    if not report.cases:
        raise PageError(404, "no case selected (or none of the selected cases is valid)")
    renderer, media, suffix, inline = FORMATS[format]
    body = pipeline.render(report, renderer)
    if format == "pdf":  # the browser prints the page to PDF: one script of ours asks it to
        body = body.replace("</body>", '<script src="/static/print.js"></script>\n</body>', 1)
    name = f"trialcheck-{chosen[0] if len(chosen) == 1 else 'cases'}-{lang}.{suffix}"
    disposition = "inline" if inline else "attachment"
    return Response(body, media_type=media, headers={"content-disposition": f'{disposition}; filename="{name}"'})


def register_errors(app) -> None:
    @app.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError):
        return page(request, "error.html.j2", status=exc.status, message=exc.message)

    @app.exception_handler(OutsideFolder)
    async def outside(request: Request, exc: OutsideFolder):
        return page(request, "error.html.j2", status=404, message="no such case file in this folder")
