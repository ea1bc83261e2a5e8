"""The benchmark scripts run, and their cross-check holds: the engine and the hand-written rules agree."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_engine_checks_outcomes_equal():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_engine.py"), "150"],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "outcomes checked equal" in result.stdout
    assert "native / hand-written speed" in result.stdout
