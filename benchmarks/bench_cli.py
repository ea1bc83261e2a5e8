"""Cold start of `trialcheck check` on one case, against a bare `python -c "import pydantic, yaml"`.

Usage: python benchmarks/bench_cli.py [RUNS]        (default 5; the best run of each is kept)
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best_of(cmd: list[str], runs: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
        best = min(best, time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed: {result.stderr.decode()[-500:]}")
    return best


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    one_case = sorted((ROOT / "cases").rglob("*.yaml"))[0]
    python = sys.executable
    baseline = best_of([python, "-c", "import pydantic, yaml"], runs)
    single = best_of([python, "-m", "engine", "check", str(one_case)], runs)
    bundled = best_of([python, "-m", "engine", "check", str(ROOT / "cases")], runs)
    print(f"{'command':<52}{'seconds':>9}{'x baseline':>12}")
    baseline_cmd = 'python -c "import pydantic, yaml"'
    print(f"{baseline_cmd:<52}{baseline:>9.3f}{1:>12.2f}")
    print(f"{'trialcheck check ' + one_case.name:<52}{single:>9.3f}{single / baseline:>12.2f}")
    print(f"{'trialcheck check cases/':<52}{bundled:>9.3f}{bundled / baseline:>12.2f}")
    print(f"one-case cold start: {single / baseline:.2f}x the baseline (target <= 3x)")
    print(f"reproduce: python benchmarks/bench_cli.py {runs}")


if __name__ == "__main__":
    main()
