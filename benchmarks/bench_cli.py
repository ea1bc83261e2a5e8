"""Cold start of `trialcheck check` on one case, against `python -c "from pydantic import BaseModel; import yaml"`.

Usage: python benchmarks/bench_cli.py [RUNS]        (default 5; the best run of each is kept)

The one-case check is timed with a warm plan cache (an earlier run wrote it) and with an empty one
(a fresh cache folder for every run, as on the first run after `pip install .` when no plan ships with
the package). The machine's load average is printed: on a busy machine the ratios are what to read.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "from pydantic import BaseModel; import yaml"


def best_of(cmd: list[str], runs: int, cache: str | None = None, fresh_cache: bool = False) -> float:
    best = float("inf")
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            env["TRIALCHECK_CACHE"] = os.path.join(tmp, "cache") if fresh_cache else (cache or env.get("TRIALCHECK_CACHE", ""))
            if not env["TRIALCHECK_CACHE"]:
                del env["TRIALCHECK_CACHE"]
            start = time.perf_counter()
            result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
            best = min(best, time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed: {result.stderr.decode()[-500:]}")
    return best


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    one_case = sorted((ROOT / "cases").rglob("*.yaml"))[0]
    python = sys.executable
    check = [python, "-m", "engine", "check", str(one_case)]
    load_before = load()
    with tempfile.TemporaryDirectory() as warm:
        warm_cache = os.path.join(warm, "cache")
        best_of(check, 1, cache=warm_cache)  # writes the plan
        baseline = best_of([python, "-c", BASELINE], runs)
        single = best_of(check, runs, cache=warm_cache)
        empty = best_of(check, runs, fresh_cache=True)
        bundled = best_of([python, "-m", "engine", "check", str(ROOT / "cases")], runs, cache=warm_cache)
    print(f"load average before: {load_before}")
    print(f"{'command':<60}{'seconds':>9}{'x baseline':>12}")
    print(f"{'python -c ' + repr(BASELINE):<60}{baseline:>9.3f}{1:>12.2f}")
    print(f"{'trialcheck check ' + one_case.name + ' (warm plan cache)':<60}{single:>9.3f}{single / baseline:>12.2f}")
    print(f"{'trialcheck check ' + one_case.name + ' (empty plan cache)':<60}{empty:>9.3f}{empty / baseline:>12.2f}")
    print(f"{'trialcheck check cases/ (warm plan cache)':<60}{bundled:>9.3f}{bundled / baseline:>12.2f}")
    print(f"one-case cold start: {single / baseline:.2f}x the baseline with the plan cached (target <= 2x), "
          f"{empty / baseline:.2f}x with an empty cache (target <= 4x)")
    print(f"load average after: {load()}")
    print(f"reproduce: python benchmarks/bench_cli.py {runs}")


if __name__ == "__main__":
    main()
