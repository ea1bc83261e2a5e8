"""Bounded load test of `trialcheck serve`, against 127.0.0.1 only.

    python benchmarks/bench_serve.py [CHECKS=50] [SAVES=10]

Starts the workbench on a free loopback port over a temporary copy of the bundled cases, then
1. sends CHECKS case files to POST /api/check at once (one thread each): every answer must be 200 with
   the case's report;
2. has SAVES writers record a different fact in the same case at once through the case page's answer
   form: a writer whose version is stale gets 409 and tries again with the new version, as a person
   would; at the end every one of the SAVES facts must be in the file (no lost edit) and the file valid.
Prints the figures; exits 1 if any request failed or any edit was lost.
"""
from __future__ import annotations

import concurrent.futures as cf
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: this is a load test of one's own laptop
FACTS = ["public", "lawyer_present", "lawyer_requested", "defendant_present", "interpreter_needed",
         "witnesses_requested", "evidence_requested", "monitors_excluded", "verdict_public", "closure_reasoned",
         "lawyer_refused", "lawyer_waived", "interpreter_provided", "witnesses_refused", "evidence_refused"]
TARGET = """\
# The case every writer edits at once.
id: target
sources:
  - {id: s1, title: Monitor's notes}
defaults: {source: s1, status: observed}
people:
  - {id: p1, name: Test Person}
proceedings:
  - id: crim-1
    kind: criminal
    person: p1
    hearings:
      - date: 2011-09-08   # the only hearing
"""


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start(folder: Path) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "engine", "serve", str(folder), "--host", HOST, "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if request(port, "GET", "/api/rules")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read()}")
    proc.kill()
    raise SystemExit("the server did not start within 120 s")


def checks(port: int, files: list[Path], n: int) -> dict:
    bodies = [files[i % len(files)].read_bytes() for i in range(n)]

    def one(body: bytes):
        t = time.perf_counter()
        status, data = request(port, "POST", "/api/check", body, {"content-type": "application/yaml"})
        ok = status == 200 and b'"cases"' in data
        return ok, time.perf_counter() - t

    start_at = time.perf_counter()
    with cf.ThreadPoolExecutor(n) as pool:
        results = list(pool.map(one, bodies))
    wall = time.perf_counter() - start_at
    times = sorted(t for _, t in results)
    return {"requests": n, "errors": sum(1 for ok, _ in results if not ok), "wall_s": wall,
            "per_s": n / wall, "p50_s": statistics.median(times), "p95_s": times[int(0.95 * (n - 1))],
            "max_s": times[-1]}


def saves(port: int, folder: Path, n: int) -> dict:
    page = request(port, "GET", "/cases/target")[1].decode()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    counts = {"conflicts": 0, "errors": 0}

    def writer(i: int):
        key = f"proceedings.0.hearings.0.{FACTS[i % len(FACTS)]}"
        value = "yes" if i % 2 else "no"
        for attempt in range(50):
            html = request(port, "GET", "/cases/target")[1].decode()
            version = re.search(r'name="version" value="([0-9a-f]+)"', html).group(1)
            body = urlencode({"csrf": csrf, "version": version, "key": key, "value": value,
                              "quote": f"writer {i}"}).encode()
            status, _ = request(port, "POST", "/cases/target/answer", body,
                                {"content-type": "application/x-www-form-urlencoded"})
            if status == 303:
                return attempt
            if status == 409:  # someone saved first: nothing was written; read the new version and retry
                counts["conflicts"] += 1
                continue
            counts["errors"] += 1
            return attempt
        counts["errors"] += 1
        return 50

    start_at = time.perf_counter()
    with cf.ThreadPoolExecutor(n) as pool:
        attempts = list(pool.map(writer, range(n)))
    wall = time.perf_counter() - start_at
    text = (folder / "target.yaml").read_text(encoding="utf-8")
    lost = [FACTS[i % len(FACTS)] for i in range(n) if f"writer {i}" not in text]
    valid = subprocess.run([sys.executable, "-m", "engine", "validate", str(folder / "target.yaml")], cwd=ROOT,
                           capture_output=True, text=True).returncode == 0
    return {"writers": n, "wall_s": wall, "conflicts_retried": counts["conflicts"], "errors": counts["errors"],
            "max_attempts": max(attempts) + 1, "lost_edits": lost, "file_valid": valid,
            "comment_kept": "# the only hearing" in text}


def main() -> int:
    n_checks = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    n_saves = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    if n_saves > len(FACTS):
        raise SystemExit(f"at most {len(FACTS)} writers (one fact each)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        shutil.copytree(ROOT / "cases", folder)
        (folder / "target.yaml").write_text(TARGET, encoding="utf-8")
        files = sorted(p for p in (ROOT / "cases").rglob("*.yaml"))
        proc, port = start(folder)
        try:
            request(port, "POST", "/api/check", files[0].read_bytes())  # warm: the first check imports the engine
            c = checks(port, files, n_checks)
            s = saves(port, folder, n_saves)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"server: trialcheck serve on {HOST}, {os.cpu_count()} cores")
    print(f"{c['requests']} concurrent POST /api/check ({len(files)} bundled cases in turn): {c['errors']} errors; "
          f"{c['wall_s']:.2f} s wall, {c['per_s']:.1f} checks/s; latency p50 {c['p50_s']:.2f} s, "
          f"p95 {c['p95_s']:.2f} s, max {c['max_s']:.2f} s")
    print(f"{s['writers']} concurrent saves to one case: {s['errors']} errors, {s['conflicts_retried']} stale-version "
          f"refusals retried (at most {s['max_attempts']} attempts by one writer), {s['wall_s']:.2f} s wall; "
          f"lost edits: {len(s['lost_edits'])}; file valid: {s['file_valid']}; comment kept: {s['comment_kept']}")
    failed = c["errors"] or s["errors"] or s["lost_edits"] or not s["file_valid"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
