"""The workbench in a real browser: Playwright drives Debian's chromium against a server on 127.0.0.1.

A monitor creates a case through the form, answers a question and sees the finding appear, edits the
case in two tabs and gets the conflict message, and prints the report to PDF. Screenshots and the PDF
are saved in ``test-artifacts/`` (gitignored). Nothing is downloaded: the browser is the system's
``chromium``; without it the test is skipped locally and fails in CI (``CI=true``).
"""
import os
import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("uvicorn", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

from tests.app_support import demo_folder  # noqa: E402
from tests.helpers import ROOT  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "chromium is not installed (Debian: apt-get install chromium); the browser test needs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    import uvicorn

    from engine.app.server import create_app

    folder = demo_folder(tmp_path)
    port = _free_port()
    app = create_app(str(folder))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the workbench did not start"
    yield f"http://127.0.0.1:{port}", folder
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def browser():
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


def _shot(page, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


def _watch_console(page, errors: list) -> None:
    def console(msg):
        # the conflict page is answered with HTTP 409 on purpose; the browser logs every 4xx
        if msg.type == "error" and "status of 409" not in msg.text:
            errors.append(f"{page.url}: {msg.text}")

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))


def test_monitor_workflow_in_chromium(server, browser):
    base, folder = server
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _watch_console(page, errors)

    # 1. A new case through the form: no YAML typed.
    page.goto(f"{base}/new")
    page.fill('[name="f.id"]', "browser-case")
    page.fill('[name="f.title"]', "Arrested at the square — entered in the browser")
    page.fill('[name="f.sources.0.title"]', "Monitor's notes of 8 September")
    page.fill('[name="f.people.0.name"]', "Aigul Test")
    page.select_option('[name="f.proceedings.0.kind"]', "criminal")
    custody = page.locator('fieldset[data-field="f.proceedings.0.custody"]')
    custody.locator(":scope > button[data-add]").click()
    page.fill('[name="f.proceedings.0.custody.0.start.value"]', "2011-09-08T10:00")
    page.select_option('[name="f.proceedings.0.custody.0.basis.value"]', "suspect_detention")
    page.locator('details.prov:has([name="f.proceedings.0.custody.0.start.source"]) > summary').click()
    page.fill('[name="f.proceedings.0.custody.0.start.quote"]', "taken from the square at ten")
    _shot(page, "app-form.png", full=False)
    page.click("button.primary")
    page.wait_for_url(f"{base}/cases/browser-case")
    text = (folder / "browser-case.yaml").read_text(encoding="utf-8")
    assert "Aigul Test" in text and "taken from the square at ten" in text

    # 2. Answer a question; the re-check shows the finding that appears.
    form = page.locator('form.answer[data-key="proceedings.0.custody.0.before_judge"]')
    form.locator('[name="value"]').fill("2011-09-12T10:00")
    form.locator('[name="status"]').select_option("established")
    form.locator('[name="quote"]').fill("brought before the judge on 12 September")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#changes")
    changes = page.locator("#changes").inner_text()
    assert "violation" in changes and "proceeding-1" in changes
    report = page.frame_locator("#report-frame")  # the case's HTML report, re-rendered after the answer
    report.locator(".finding").first.wait_for()
    assert "violation" in report.locator(".finding").first.inner_text()
    page.wait_for_timeout(500)  # let the frame grow to its report
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "app-case-answered.png", full=False)
    page.locator("#report-frame").screenshot(path=str(ARTIFACTS / "app-case-report.png"))
    assert "before_judge" in (folder / "browser-case.yaml").read_text(encoding="utf-8")

    # 3. Two tabs edit the same case: the second save is refused with the other version shown.
    tab1, tab2 = context.new_page(), context.new_page()
    _watch_console(tab1, errors)
    _watch_console(tab2, errors)
    for tab in (tab1, tab2):
        tab.goto(f"{base}/cases/browser-case/edit")
    tab1.fill('[name="f.title"]', "Title saved in the first tab")
    tab1.click("button.primary")
    tab1.wait_for_url(f"{base}/cases/browser-case?saved=1")
    tab2.wait_for_selector("#disk-changed", state="visible", timeout=15_000)  # noticed without reloading
    tab2.fill('[name="f.title"]', "Title typed in the second tab")
    tab2.click("button.primary")
    tab2.wait_for_selector("#conflict")
    assert "not" in tab2.locator("#conflict").inner_text()
    assert "Title saved in the first tab" in tab2.locator("#theirs").inner_text()
    assert "Title typed in the second tab" in tab2.locator("#mine").inner_text()
    _shot(tab2, "app-conflict.png")
    assert "Title saved in the first tab" in (folder / "browser-case.yaml").read_text(encoding="utf-8")

    # 4. Reports: the case list, and the HTML report printed to PDF by the browser.
    page.goto(f"{base}/")
    _shot(page, "app-case-list.png")
    page.goto(f"{base}/reports/file?format=html&case=browser-case")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "app-report.pdf"), format="A4", print_background=True)
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
    assert errors == [], errors
    context.close()
