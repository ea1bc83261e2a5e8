"""Cold start of `trialcheck check` on one case, against `python -c "from pydantic import BaseModel; import yaml"`.

Usage: python benchmarks/bench_cli.py [RUNS]        (default 5; the best run of each is kept)

The one-case check is timed with a warm plan cache (an earlier run wrote it) and with an empty one
(a fresh cache folder for every run, as on the first run after `pip install .` when no plan ships with
the package). The machine's load average is printed: on a busy machine the ratios are what to read, and
the ratios of CPU time (user + system of the child) are steadier than those of wall time.

Every command runs with its bytecode already compiled, as an installed package has it (pip compiles it
when installing): the children write it to a temporary PYTHONPYCACHEPREFIX during a first, untimed run,
even where PYTHONDONTWRITEBYTECODE is set (without bytecode every run would compile the engine's modules
again, which no installed copy does).
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "from pydantic import BaseModel; import yaml"


BYTECODE = tempfile.mkdtemp(prefix="trialcheck-bench-pyc-")
CPU: dict[str, float] = {}  # best CPU seconds (user + system) of the child per command


def best_of(cmd: list[str], runs: int, cache: str | None = None, fresh_cache: bool = False) -> float:
    best = float("inf")
    name = " ".join(cmd) + (" fresh" if fresh_cache else "")
    for run in range(runs + 1):  # the first run writes the bytecode and is not timed
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=BYTECODE)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["TRIALCHECK_CACHE"] = os.path.join(tmp, "cache") if fresh_cache else (cache or env.get("TRIALCHECK_CACHE", ""))
            if not env["TRIALCHECK_CACHE"]:
                del env["TRIALCHECK_CACHE"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed: {result.stderr.decode()[-500:]}")
        if run:
            best = min(best, wall)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            CPU[name] = min(CPU.get(name, float("inf")), cpu)
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
        best_of(check, 0, cache=warm_cache)  # writes the plan
        folder = [python, "-m", "engine", "check", str(ROOT / "cases")]
        rows = [("python -c " + repr(BASELINE), [python, "-c", BASELINE], {}),
                (f"trialcheck check {one_case.name} (warm plan cache)", check, {"cache": warm_cache}),
                (f"trialcheck check {one_case.name} (empty plan cache)", check, {"fresh_cache": True}),
                ("trialcheck check cases/ (warm plan cache)", folder, {"cache": warm_cache})]
        walls = [best_of(cmd, runs, **how) for _, cmd, how in rows]
        cpus = [CPU[" ".join(cmd) + (" fresh" if how.get("fresh_cache") else "")] for _, cmd, how in rows]
    print(f"load average before: {load_before}")
    print(f"{'command':<60}{'seconds':>9}{'x baseline':>12}{'CPU s':>9}{'x baseline':>12}")
    for (label, _, _), wall, cpu in zip(rows, walls, cpus):
        print(f"{label:<60}{wall:>9.3f}{wall / walls[0]:>12.2f}{cpu:>9.3f}{cpu / cpus[0]:>12.2f}")
    print(f"one-case cold start: {walls[1] / walls[0]:.2f}x the baseline with the plan cached (target <= 2x), "
          f"{walls[2] / walls[0]:.2f}x with an empty cache (target <= 4x); in CPU time {cpus[1] / cpus[0]:.2f}x and "
          f"{cpus[2] / cpus[0]:.2f}x")
    print(f"load average after: {load()}")
    print(f"reproduce: python benchmarks/bench_cli.py {runs}")


if __name__ == "__main__":
    main()
