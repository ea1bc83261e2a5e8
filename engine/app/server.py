"""The workbench application: pages for observers and an HTTP API, on one FastAPI app.

``create_app(folder)`` builds it; ``trialcheck serve`` (``engine/cli/serve.py``) runs it with uvicorn.
The interactive API docs pages of FastAPI are off (they load scripts from the internet); the OpenAPI
document itself is at ``/api/openapi.json`` and ``docs/workbench.md`` describes each call.
"""
from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from engine import __version__
from engine.app.pipeline import Pipeline
from engine.app.security import BodyTooLarge, Guard, Settings
from engine.app.workspace import Workspace

HERE = Path(__file__).resolve().parent


def create_app(folder: str = ".", *, host: str = "127.0.0.1", token: str | None = None,
               rules: list[str] | None = None, allowed_hosts: set[str] | None = None) -> FastAPI:
    settings = Settings(host=host, token=token, allowed_hosts=set(allowed_hosts or ()))
    workspace = Workspace(folder)
    app = FastAPI(title="trialcheck workbench", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Check proceedings against Kazakh and international law; the case files of one "
                              "folder, and an API for scripts and webhooks. See docs/workbench.md.")
    app.state.settings = settings
    app.state.workspace = workspace
    app.state.pipeline = Pipeline(workspace, rules)
    app.state.changes = {}
    # the case schema takes pydantic seconds to build: build it (and the form) now, not on the first form
    threading.Thread(target=_warm, name="warm-schema", daemon=True).start()

    from engine.app import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    api.add_case_schema(app)
    pages.register_errors(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(BodyTooLarge)
    async def too_large(request, exc):  # pragma: no cover - chunked uploads only
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": "request body over the limit"}, status_code=413)

    return Guarded(app, settings)


def _warm() -> None:
    from engine.app.formschema import form_tree

    form_tree()


class Guarded:
    """The FastAPI app behind the security guard; attributes (state, routes, openapi) pass through."""

    def __init__(self, app: FastAPI, settings: Settings):
        self.app = app
        self._guard = Guard(app, settings)

    async def __call__(self, scope, receive, send):
        await self._guard(scope, receive, send)

    def __getattr__(self, name):
        return getattr(self.app, name)
