"""Open the HTML report in headless Chromium: it must render with no console errors; keep a screenshot.

The screenshot is saved as ``test-artifacts/report.png`` (gitignored). Chromium is Debian's ``chromium``
package; the test installs it when it is missing and it can (root with apt-get), and skips otherwise.
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli, write_rule
from tests.test_render_html import CASE, TWICE_RULE

ARTIFACTS = ROOT / "test-artifacts"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(f"chromium could not be installed: {' '.join(cmd)} failed: {done.stderr.strip()[-300:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("chromium was installed but is not on PATH")
    return found


def _flags(profile: str) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    """The report of the bundled cases when there are any, else of a small demo case with a timeline."""
    root = tmp_path_factory.mktemp("browser")
    out = root / "report.html"
    bundled = ROOT / "cases"
    if bundled.is_dir() and any(bundled.rglob("*.yaml")):
        result = run_cli("check", bundled, "--format", "html", "-o", out)
    else:
        rules = write_rule(root / "rules")
        write_rule(rules, TWICE_RULE, "twice.yaml")
        (root / "case.yaml").write_text(CASE, encoding="utf-8")
        result = run_cli("check", root / "case.yaml", "--rules", rules, "--format", "html", "-o", out)
    assert result.returncode in (0, 1), result.stderr
    return out


def test_renders_without_console_errors_and_saves_screenshot(report_file):
    chromium = _chromium()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run([chromium, *_flags(profile), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
                              "--dump-dom", report_file.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines()
               if "Uncaught" in line or ":CONSOLE" in line]
    assert not console, "\n".join(console)
    assert "<svg" in dom.stdout and 'id="summary"' in dom.stdout, "the page did not render the summary and timeline"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    if shot.exists():
        shot.unlink()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium, *_flags(profile), "--window-size=1100,2600", f"--screenshot={shot}",
                               report_file.as_uri()], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_prints_to_pdf(report_file, tmp_path):
    chromium = _chromium()
    pdf = tmp_path / "report.pdf"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium, *_flags(profile), "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                               report_file.as_uri()], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000
