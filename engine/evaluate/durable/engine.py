"""Keyed conditions evaluated by durable-rules, isolated in a child process.

durable-rules 2.0.28 is unmaintained and has defects (see docs/durable-rules.md). This module never
imports it: conditions are compiled here into durable rule definitions (``translate``), and a
child process (``worker``) builds the ruleset and runs the facts. A crash, a hang or an
exception in the child becomes ``DurableFailure``; the next call starts a fresh child.
"""
from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
import tempfile
import time
import uuid
import weakref

from engine.evaluate.durable.translate import UNITS_PER_RULESET, DurableCompileError, compile_conditions, encode_value
from engine.lang.ast import Node
from engine.model.values import Fact

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
TREES_PER_REQUEST = 256


class DurableUnavailable(Exception):
    """durable-rules cannot be imported by this Python."""


class DurableFailure(Exception):
    """durable-rules crashed, hung, refused a rule or answered inconsistently."""


def durable_available() -> str | None:
    """None when durable-rules looks importable, else the reason it is not."""
    if importlib.util.find_spec("durable_rules_engine") is None:
        if sys.version_info >= (3, 13):
            return (f"durable-rules is not installed: it does not build on Python {sys.version_info.major}."
                    f"{sys.version_info.minor} (use Python 3.12 or older and `pip install durable-rules==2.0.28`)")
        return "durable-rules is not installed (`pip install durable-rules==2.0.28`)"
    return None


class DurableConditions:
    def __init__(self, conditions: dict[str, Node], *, timeout: float | None = None):
        reason = durable_available()
        if reason:
            raise DurableUnavailable(reason)
        self._conditions = dict(conditions)
        self._timeout = timeout if timeout is not None else float(os.environ.get("TRIALCHECK_DURABLE_TIMEOUT", "60"))
        self._split: set[str] = set()
        self._build()
        self._proc = None
        self._stderr = None
        self._buffer = b""
        self._finalizer = None
        self.engine_seconds = 0.0  # time durable-rules itself took, as the worker measured it
        self.encode_seconds = 0.0  # time spent reading the fact trees into messages (building facts not yet read)

    # ------------------------------------------------------------ compile
    def _build(self):
        try:
            comp = compile_conditions(self._conditions, frozenset(self._split))
        except DurableCompileError as err:
            raise DurableFailure(f"durable engine: {err}") from None
        self._comp = comp
        self._rules = comp.rules()
        self._plan = {"units": [u.plan() for u in comp.units], "per_ruleset": UNITS_PER_RULESET}
        self._roots = comp.roots
        self._unit_keys = {u.id: u.keys for u in comp.units}
        self._root_reads = sorted(comp.needed_roots, key=lambda p: (p[0], p[1] or ""))
        self._item_reads = {c: sorted(a) for c, a in comp.needed_items.items()}
        self._collections = sorted(comp.collections | set(comp.needed_items))

    def _keys_of(self, units) -> list[str]:
        keys = set()
        for uid in units:
            keys |= self._unit_keys.get(uid, set())
        return sorted(keys)

    # ------------------------------------------------------------ child process
    def _start(self):
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([sys.executable, "-u", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._stderr, close_fds=True)
        self._buffer = b""
        self._finalizer = weakref.finalize(self, _reap, self._proc)
        for attempt in range(2):
            name = f"trialcheck-{os.getpid()}-{uuid.uuid4().hex}"
            reply = self._request({"op": "init", "name": name, "rules": self._rules, "plan": self._plan},
                                  "building the durable ruleset", list(self._roots))
            if reply.get("ok"):
                return
            if reply.get("unavailable"):
                self._discard()
                raise DurableUnavailable(reply["error"])
            keys = self._keys_of(reply.get("units") or [])
            if attempt == 0 and keys and not set(keys) <= self._split:
                self._split |= set(keys)  # retry with every compound sub-condition as its own rule
                self._build()
                continue
            self._discard()
            raise DurableFailure(f"durable-rules rejected the rules of {_names(keys)}: {reply.get('error')}")

    def _discard(self):
        proc, self._proc = self._proc, None
        if proc is not None:
            _reap(proc)
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0, os.SEEK_END)
            size = self._stderr.tell()
            self._stderr.seek(max(0, size - 800))
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f"; its last output: {text[-400:]}" if text else ""

    def _request(self, message: dict, what: str, keys) -> dict:
        proc = self._proc
        deadline = time.monotonic() + self._timeout
        try:
            proc.stdin.write((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._died(what, keys)
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self._discard()
                raise DurableFailure(f"durable-rules did not answer within {self._timeout:g}s while {what} "
                                     f"(conditions {_names(keys)}); the worker was stopped")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return self._died(what, keys)
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            self._discard()
            raise DurableFailure(f"durable-rules worker sent garbage while {what}: {line[:200]!r}") from None

    def _died(self, what, keys):
        proc = self._proc
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        tail = self._stderr_tail()
        self._discard()
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        raise DurableFailure(f"durable-rules worker {how} while {what} (conditions {_names(keys)}){tail}")

    # ------------------------------------------------------------ evaluation
    def evaluate_many(self, trees: list[dict], keys: list[list[str]]) -> list[dict[str, bool | None]]:
        if len(trees) != len(keys):
            raise ValueError("one list of keys per tree")
        for ks in keys:
            for k in ks:
                if k not in self._conditions:
                    raise KeyError(f"unknown condition key {k!r}")
        results = []
        for start in range(0, len(trees), TREES_PER_REQUEST):
            results += self._evaluate_chunk(trees[start:start + TREES_PER_REQUEST], keys[start:start + TREES_PER_REQUEST])
        return results

    def _evaluate_chunk(self, trees, keys):
        if not any(keys):
            return [{} for _ in trees]
        if self._proc is None:
            self._start()
        want = [[self._roots[k] for k in ks] for ks in keys]
        asked = sorted({k for ks in keys for k in ks})
        started = time.perf_counter()
        encoded = [self._encode(t) for t in trees]
        self.encode_seconds += time.perf_counter() - started
        reply = self._request({"op": "eval", "trees": encoded, "want": want}, "evaluating", asked)
        if not reply.get("ok"):
            units = reply.get("units") or []
            named = self._keys_of(units) or asked
            self._discard()  # its state may hold half a batch: start afresh next time
            raise DurableFailure(f"durable-rules failed on {_names(named)}: {reply.get('error')}")
        self.engine_seconds += float(reply.get("engine_seconds") or 0.0)
        out = []
        for ks, got in zip(keys, reply["results"]):
            answer = {}
            for k in ks:
                v = got.get(str(self._roots[k]))
                answer[k] = True if v == "T" else False if v == "F" else None
            out.append(answer)
        return out

    def _encode(self, tree: dict) -> dict:
        roots = {}
        for root, attr in self._root_reads:
            holder = tree.get(root)
            if attr is None:
                fact = holder
            else:
                fact = holder.get(attr) if isinstance(holder, dict) else None
            enc = encode_value(fact.value) if isinstance(fact, Fact) else None
            if enc is not None:
                roots[f"{root}|{attr or ''}"] = enc
        colls = {}
        for coll in self._collections:
            items = tree.get(coll) or []
            attrs = self._item_reads.get(coll, ())
            rows = []
            for item in items:
                row = {}
                if isinstance(item, dict):
                    for a in attrs:
                        fact = item.get(a)
                        enc = encode_value(fact.value) if isinstance(fact, Fact) else None
                        if enc is not None:
                            row[a] = enc
                rows.append(row)
            colls[coll] = rows
        return {"r": roots, "c": colls}

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                proc.stdin.write(b'{"op": "exit"}\n')
                proc.stdin.flush()
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._discard()

    @property
    def worker_pid(self) -> int | None:
        """The child's process id (None before the first evaluation or after a failure)."""
        return self._proc.pid if self._proc is not None else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _reap(proc):
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    for stream in (proc.stdin, proc.stdout):
        try:
            stream.close()
        except OSError:
            pass


def _names(keys) -> str:
    keys = sorted(keys)
    if not keys:
        return "(none)"
    shown = ", ".join(keys[:8])
    return shown + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
