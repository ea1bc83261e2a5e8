"""1k, 10k and 100k proceedings through `--input-format jsonl --format jsonl`, with --jobs 1 and 2:
wall time and peak memory (RSS) of each run, to show cost grows linearly and memory stays flat.

Usage: python benchmarks/bench_scale.py [SIZES...]      (default 1000 10000 100000)
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def write_input(path: Path, n: int) -> None:
    import json

    with open(path, "w", encoding="utf-8") as out:
        for case in generate(n, seed=11):
            out.write(json.dumps(case, sort_keys=True) + "\n")


def run(path: Path, jobs: int) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB of the largest process of the run: the parent or one worker, CPU seconds of all)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    script = ("import resource, subprocess, sys\n"
              "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
              "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
              "print(u.ru_maxrss, u.ru_utime + u.ru_stime)\n"
              "sys.exit(0 if r.returncode in (0, 1) else r.returncode)\n")
    cmd = [sys.executable, "-c", script, sys.executable, "-m", "engine", "check", str(path),
           "--input-format", "jsonl", "--format", "jsonl", "--jobs", str(jobs)]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"run failed: {result.stderr[-800:]}")
    rss, cpu = result.stdout.split()
    return seconds, int(rss) / 1024, float(cpu)


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main():
    sizes = [int(x) for x in sys.argv[1:]] or [1000, 10000, 100000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"cases-{n}.jsonl"
            write_input(path, n)
            for jobs in (1, 2):
                seconds, rss, cpu = run(path, jobs)
                rows.append((n, jobs, seconds, rss, cpu))
                print(f"{n:>8} proceedings  --jobs {jobs}  {seconds:8.2f} s  {n / seconds:8.0f}/s  peak RSS {rss:7.1f} MB"
                      f"  CPU {cpu:8.2f} s  load {load()}", flush=True)
    by = {(n, j): (s, m, c) for n, j, s, m, c in rows}
    big = max(sizes)
    if (big, 1) in by and (big, 2) in by:
        print(f"--jobs 2 speed-up at {big}: {by[(big, 1)][0] / by[(big, 2)][0]:.2f}x (target >= 1.7x on an idle 2-core "
              f"machine); CPU of --jobs 2 / --jobs 1: {by[(big, 2)][2] / by[(big, 1)][2]:.2f}x")
    if len(sizes) > 1:
        small = sorted(sizes)[-2]
        print(f"peak RSS {big} vs {small} (--jobs 1): {by[(big, 1)][1] / by[(small, 1)][1]:.2f}x (target <= 1.1x)")
        print(f"time {big} vs {small} (--jobs 1): {by[(big, 1)][0] / by[(small, 1)][0]:.1f}x for {big / small:.0f}x the cases")
    print(f"reproduce: python benchmarks/bench_scale.py {' '.join(map(str, sizes))}")


if __name__ == "__main__":
    main()
