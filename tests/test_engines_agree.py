"""Both engines give identical findings on every bundled case: the reports are byte-identical."""
from pathlib import Path

import pytest

from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_native_and_durable_reports_are_identical():
    pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")
    native = run_cli("check", ROOT / "cases", "--format", "json", "--all")
    durable = run_cli("check", ROOT / "cases", "--format", "json", "--all", "--engine", "durable")
    assert native.returncode in (0, 1), native.stderr
    assert durable.returncode == native.returncode, durable.stderr
    assert native.stdout == durable.stdout
    assert '"status": "probable violation"' in native.stdout
