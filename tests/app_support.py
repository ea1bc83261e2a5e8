"""Helpers for the workbench's tests: a served folder with one small case, a client, form submission."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.formdata import encoded, form_pairs, replace  # noqa: F401 - re-exported for the tests

BASE = "http://127.0.0.1:8765"

DEMO = """\
# A demo case written by hand: this comment must survive every save.
id: demo
title: Demo detention
sources:
  - {id: s1, title: Monitor's notes}
defaults: {source: s1, status: observed}
people:
  - {id: p1, name: Test Person}   # as the source spells it
proceedings:
  - id: crim-1
    kind: criminal
    person: p1
    charges:
      - {code: KZ-CC-1997, article: 241, part: "2"}   # mass disorder
    custody:
      - start: 2011-09-08T10:00   # detained at the square
        basis: suspect_detention
    hearings:
      - date: 2011-09-08
"""


def demo_folder(root: Path) -> Path:
    folder = root / "cases"
    folder.mkdir()
    (folder / "demo.yaml").write_text(DEMO, encoding="utf-8")
    return folder


def bundled_folder(root: Path, names=("azhigalieva.yaml",)) -> Path:
    source = Path(__file__).resolve().parent.parent / "cases"
    folder = root / "bundled"
    folder.mkdir()
    for path in sorted(source.rglob("*.yaml")):
        if path.name in names:
            shutil.copy(path, folder / path.name)
    return folder


def client(folder, **options):
    from fastapi.testclient import TestClient

    from engine.app.server import create_app

    app = create_app(str(folder), **options)
    return TestClient(app, base_url=BASE), app


def csrf(app) -> str:
    return app.state.settings.csrf


def version_in(html: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]*)"', html).group(1)


def answer(c, app, case_id: str, key: str, value: str, **provenance):
    page = c.get(f"/cases/{case_id}")
    data = {"csrf": csrf(app), "version": version_in(page.text), "key": key, "value": value, **provenance}
    return c.post(f"/cases/{case_id}/answer", data=data, follow_redirects=False)


def field_errors(html: str) -> dict[str, list[str]]:
    """Error messages keyed by the form field (data-field) they are shown in."""
    out: dict[str, list[str]] = {}
    for match in re.finditer(r'data-field="([^"]+)"', html):
        name = match.group(1)
        rest = html[match.end():]
        nxt = re.search(r'data-field="', rest)
        block = rest[:nxt.start()] if nxt else rest
        for message in re.findall(r'class="field-error"[^>]*>([^<]*)<', block):
            out.setdefault(name, []).append(message)
    return out
