"""The HTTP API: check a case, explain a rule on it, list rules, the schemas, the folder's cases.

A case is sent as YAML or JSON (``Content-Type: application/json``, ``application/yaml``, ``text/yaml`` or
``text/plain``); the answer is the JSON report of ``trialcheck check --format json``, byte for byte.
Bad input answers 422 with every error's line, column and message, as the CLI prints them.
"""
from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from engine.app.pipeline import Pipeline, errors_of
from engine.io.errors import InputError, InputErrors
from engine.io.yamlio import decode, load_text

router = APIRouter(prefix="/api", tags=["api"])

CASE_BODY = {
    "requestBody": {
        "required": True,
        "description": "one case file, as YAML or JSON (the format of docs/case-format.md)",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/CaseInput"}},
            "application/yaml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    },
}


class ErrorItem(BaseModel):
    file: str
    line: int | None = None
    column: int | None = None
    message: str


class Errors(BaseModel):
    detail: str
    errors: list[ErrorItem]


class RuleInfo(BaseModel):
    id: str
    title: str
    citations: list[str]
    layer: str
    kind: str
    right: str | None = None
    applies_to: list[str]
    unconfirmed: bool


class CaseSummary(BaseModel):
    id: str | None
    file: str
    title: str | None = None
    version: str
    counts: dict[str, int]
    errors: list[str] = []


class Explanation(BaseModel):
    rule: str
    text: str


def _pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


async def _case_text(request: Request) -> str:
    raw = await request.body()
    return decode("request", raw)


def _bad(err: Exception) -> JSONResponse:
    items = [ErrorItem(file=e.path, line=e.line, column=e.column, message=e.message).model_dump()
             for e in errors_of(err)]
    return JSONResponse({"detail": "bad input", "errors": items}, status_code=422)


@router.post("/check", openapi_extra=CASE_BODY, responses={200: {"description": "the JSON report (schema: /api/schema/report)"},
                                                          422: {"model": Errors}})
async def check(request: Request, lang: Literal["en", "ru"] = "en",
                all: bool = Query(False, description="also rules that found no violation or did not apply")):
    """Check one case: the JSON report of `trialcheck check --format json`."""
    pipeline = _pipeline(request)
    text = await _case_text(request)

    def run():  # in a worker thread: a check never blocks the server's event loop
        return pipeline.render(pipeline.check_text(text, "request", lang, all), "json")

    try:
        body = await run_in_threadpool(run)
    except (InputError, InputErrors) as err:
        return _bad(err)
    return Response(body, media_type="application/json")


@router.post("/explain", openapi_extra=CASE_BODY, response_model=Explanation, responses={422: {"model": Errors}})
async def explain(request: Request, rule: str = Query(..., description="rule id"),
                  proceeding: str | None = Query(None, description="only this proceeding"),
                  lang: Literal["en", "ru"] = "en"):
    """Why a rule did or did not fire on each proceeding of a case: every sub-condition and its value."""
    from engine.io.load import load_case_document

    pipeline = _pipeline(request)
    if rule not in pipeline.plan.by_id:
        raise HTTPException(404, f"no such rule: {rule}")
    source = await _case_text(request)

    def run():
        return pipeline.explain(load_case_document(load_text("request", source)), rule, proceeding, lang)

    try:
        text = await run_in_threadpool(run)
    except (InputError, InputErrors) as err:
        return _bad(err)
    return Explanation(rule=rule, text=text)


@router.get("/rules", response_model=list[RuleInfo])
def rules(request: Request, lang: Literal["en", "ru"] = "en"):
    """Every rule of the rule base with its citations."""
    from engine.evaluate.outcome import citations

    plan = _pipeline(request).plan
    out = []
    for cr in sorted(plan.rules, key=lambda r: r.id):
        rule = cr.rule
        out.append(RuleInfo(id=cr.id, title=rule.title.get(lang), citations=citations(cr, lang), layer=rule.layer,
                            kind=rule.kind, right=getattr(rule, "right", None), applies_to=list(rule.applies_to),
                            unconfirmed=bool(rule.unconfirmed)))
    return out


@router.get("/schema/{what}")
def schema(what: Literal["case", "rule", "report"]):
    """The JSON Schema of case files, rule files or the JSON report (as `trialcheck schema`)."""
    from engine.app.formschema import model_schema

    return Response(json.dumps(model_schema(what), indent=2, sort_keys=True, ensure_ascii=False),
                    media_type="application/schema+json")


@router.get("/cases", response_model=list[CaseSummary])
def cases(request: Request):
    """The case files of the served folder with their counts by status."""
    out = []
    for c in _pipeline(request).all_cases():
        out.append(CaseSummary(id=c.case.id if c.case else None, file=c.rel, title=c.case.title if c.case else None,
                               version=c.version, counts=c.counts, errors=[str(e) for e in c.errors]))
    return out


@router.get("/cases/{case_id}", responses={200: {"description": "the JSON report of one case of the folder"}})
def case_report(request: Request, case_id: str, lang: Literal["en", "ru"] = "en"):
    """The JSON report of one case of the folder."""
    pipeline = _pipeline(request)
    found = pipeline.find(case_id, lang)
    if found is None:
        raise HTTPException(404, f"no case {case_id!r} in this folder")
    return Response(pipeline.render(pipeline.report([case_id], lang), "json"), media_type="application/json")


@router.get("/cases/{case_id}/version")
def case_version(request: Request, case_id: str):
    """The version (SHA-256 of the file's bytes) of a case file: pages poll it to notice changes on disk."""
    found = _pipeline(request).find(case_id)
    if found is None:
        raise HTTPException(404, f"no case {case_id!r} in this folder")
    return {"id": case_id, "file": found.rel, "version": found.version}


def case_input_schema() -> dict:
    import copy

    from engine.app.formschema import model_schema

    text = json.dumps(model_schema("case")).replace('"#/$defs/', '"#/components/schemas/')
    return copy.deepcopy(json.loads(text))


def add_case_schema(app) -> None:
    """Put the case schema into the OpenAPI document (the check and explain bodies refer to it)."""
    original = app.openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        doc = original()
        schema = case_input_schema()
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        for name, sub in schema.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components["CaseInput"] = schema
        app.openapi_schema = doc
        return doc

    app.openapi = openapi


__all__ = ["router", "add_case_schema", "PlainTextResponse"]
