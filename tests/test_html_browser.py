"""The HTML report in a real browser: it renders with no console errors, and prints to A4 PDF in both
languages with no page scaled down and its text present.

Tests install nothing. They need Debian's ``chromium`` and, for the PDF pages, ``pdftoppm``/``pdftotext``/
``pdfinfo`` (poppler-utils); ``.ci/run`` installs both in CI. Where they are missing the tests skip and say
what to install; with ``CI=true`` a missing tool is a failure, so CI never passes by skipping.

Artefacts for a person to look at are kept in ``test-artifacts/`` (gitignored): screenshots of the English
and Russian summary and of a case with a chained custody calendar (Sokolova), both PDFs, and PNGs of
their pages.
"""
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli

ARTIFACTS = ROOT / "test-artifacts"
A4_PT = (595.0, 842.0)
INSTALL = "install Debian's chromium and poppler-utils: apt-get install chromium poppler-utils"


def _need(*tools: str) -> dict[str, str]:
    found = {tool: shutil.which(tool) for tool in tools}
    missing = [tool for tool, path in found.items() if not path]
    if missing:
        message = f"{', '.join(missing)} not found: {INSTALL} (or run .ci/run, which does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI: {message}")  # a skip in CI would pass without testing anything
        pytest.skip(message)
    return found


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return _need("chromium")["chromium"]


def _flags(profile: str) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars"]


def _cases() -> list[Path]:
    folder = ROOT / "cases"
    files = sorted(folder.rglob("*.yaml")) if folder.is_dir() else []
    if not files:
        pytest.skip("no bundled cases under cases/")
    return [folder]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The report of the bundled cases in English and Russian, dated so the running header shows a date."""
    root = tmp_path_factory.mktemp("browser")
    out = {}
    for lang in ("en", "ru"):
        path = root / f"report-{lang}.html"
        result = run_cli("check", *_cases(), "--format", "html", "--lang", lang, "--date", "2026-11-30", "-o", path)
        assert result.returncode in (0, 1), result.stderr
        out[lang] = path
    return out


def _shot(chromium: str, url: str, target: Path, size: str = "1280,2200") -> None:
    if target.exists():
        target.unlink()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium, *_flags(profile), f"--window-size={size}", f"--screenshot={target}", url],
                              capture_output=True, text=True, timeout=240)
    assert done.returncode == 0 and target.exists() and target.stat().st_size > 10_000, done.stderr[-2000:]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_renders_without_console_errors_and_saves_screenshots(reports):
    chromium = _chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    for lang, path in reports.items():
        with tempfile.TemporaryDirectory() as profile:
            dom = subprocess.run([chromium, *_flags(profile), "--enable-logging=stderr", "--v=0",
                                  "--virtual-time-budget=3000", "--dump-dom", path.as_uri()],
                                 capture_output=True, text=True, timeout=240)
        assert dom.returncode == 0, dom.stderr[-2000:]
        console = [line for line in dom.stderr.splitlines() if "Uncaught" in line or ":CONSOLE" in line]
        assert not console, "\n".join(console)
        assert "<svg" in dom.stdout and 'id="summary"' in dom.stdout and 'id="how-to-read"' in dom.stdout
        _shot(chromium, path.as_uri(), ARTIFACTS / f"summary-{lang}.png")
        # the case with a chained custody calendar, alone on the page (a fragment does not scroll a headless shot)
        alone = path.with_name(f"sokolova-{lang}.html")
        alone.write_text(path.read_text(encoding="utf-8").replace(
            "</head>", "<style>main > :not(#case-sokolova) { display: none; }</style></head>", 1), encoding="utf-8")
        _shot(chromium, alone.as_uri(), ARTIFACTS / f"case-sokolova-{lang}.png", "1280,2400")


def _pdf(chromium: str, html: Path, pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium, *_flags(profile), "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                               html.as_uri()], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-"


def _words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, x right, height, x left, word) of every word, from pdftotext's bounding boxes."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=120).stdout
    out = []
    for page, body in enumerate(bbox.split("<page ")[1:], 1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             body):
            out.append((page, float(m.group(3)), float(m.group(4)) - float(m.group(2)), float(m.group(1)), m.group(5)))
    return out


def test_prints_a4_in_both_languages_with_no_page_scaled(reports):
    chromium = _chromium()
    _need("pdftoppm", "pdftotext", "pdfinfo")
    ARTIFACTS.mkdir(exist_ok=True)
    headings = {}
    for lang, html in reports.items():
        pdf = ARTIFACTS / f"report-{lang}.pdf"
        _pdf(chromium, html, pdf)
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True).stdout
        sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert sizes, info[:500]
        for w, h in sizes:  # every page is A4 portrait
            assert abs(float(w) - A4_PT[0]) < 2 and abs(float(h) - A4_PT[1]) < 2, (lang, w, h)
        words = _words(pdf)
        text = " ".join(w[4] for w in words)
        assert ("Natalia Sokolova" in text or "Sokolova" in text) and len(words) > 5_000
        assert ("How to read this report" if lang == "en" else "Как читать этот отчёт").split()[0] in text
        # running header and page numbers: "n / N" at the foot of every page
        pages = len(sizes)
        assert f"1 / {pages}" in text and f"{pages} / {pages}" in text
        # no page scaled down: a table too wide for A4 makes Chromium shrink the whole document, so the text
        # would stop well short of the right margin (595 pt - 14 mm = 555 pt) and the title would be smaller
        right = max(w[1] for w in words)
        assert right > 540, f"{lang}: the widest line ends at {right:.0f} pt: the document was scaled to fit"
        assert right < A4_PT[0] - 30, f"{lang}: text runs into the right margin ({right:.0f} pt)"
        title = [w[2] for w in words if w[0] == 1 and w[4] == "trialcheck"]
        headings[lang] = max(title)
        body = statistics.median(w[2] for w in words)
        assert body > 9.5, f"{lang}: median word height {body:.1f} pt: text printed too small"
        for png in ARTIFACTS.glob(f"pdf-{lang}-*.png"):
            png.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(pdf), str(ARTIFACTS / f"pdf-{lang}")],
                       check=True, timeout=120)
        sokolova = [w[0] for w, nxt in zip(words, words[2:]) if w[4] in ("Case:", "Дело:") and "Sokolova" in nxt[4]]
        if sokolova:  # the case with a chained custody calendar: its first two printed pages
            first = sokolova[0]
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", str(first), "-l", str(first + 1), str(pdf),
                            str(ARTIFACTS / f"pdf-{lang}-sokolova")], check=True, timeout=120)
        assert list(ARTIFACTS.glob(f"pdf-{lang}-*.png"))
    assert abs(headings["en"] - headings["ru"]) < 0.5, f"the title prints at different sizes: {headings}"


def test_tests_install_nothing():
    """No test runs a package manager: system packages are installed by .ci/run, explicitly."""
    calls = re.compile(r"""[\[(]\s*["'](?:sudo|apt-get|apt|dpkg|pip)["']\s*,""")
    for path in sorted((ROOT / "tests").glob("*.py")):
        found = calls.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name} runs {found}"
