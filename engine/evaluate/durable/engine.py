"""Keyed conditions evaluated by durable-rules, isolated in a child process.

durable-rules 2.0.28 is unmaintained and has defects (see docs/durable-rules.md). This module never
imports it: conditions are compiled here into durable rule definitions (``translate``), and a
child process (``worker``) builds the ruleset and runs the facts. A crash, a hang or an
exception in the child becomes ``DurableFailure``; the next call starts a fresh child.
"""
from __future__ import annotations

import importlib.util
import json
import marshal
import math
import os
import select
import subprocess
import sys
import tempfile
import time
import uuid
import weakref
from json.encoder import encode_basestring

from engine.evaluate.durable.translate import UNITS_PER_RULESET, DurableCompileError, compile_conditions, encode_value
from engine.lang.ast import Node
from engine.model.values import Fact, Moment, Span

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
TREES_PER_REQUEST = 256
_FRAGMENTS_KEPT = 4096  # message text of recent (field, value) pairs, so a common value is rendered once


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
        self.worker_seconds = 0.0  # the worker's time on evaluation requests, durable-rules' included
        self.engine_cpu = 0.0  # the same two in CPU time, which a busy machine disturbs less than wall time
        self.worker_cpu = 0.0

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
        # What a proceeding is encoded into (``_encode``): the message text of every value any unit reads, under
        # its field name, in an order the worker is told once (``layout``); counts are taken by the worker.
        names = comp.names
        self._root_reads = sorted(((k[1], k[2], n) for k, n in names.items() if k[0] == "r"),
                                  key=lambda r: (r[0], r[1] or "", r[2]))
        self._collections = sorted(comp.collections | set(comp.needed_items))
        self._item_reads = [tuple(sorted((k[3], n) for k, n in names.items() if k[0] == "v" and k[1] == coll))
                            for coll in self._collections]
        self._plan["layout"] = {"roots": [n for _, _, n in self._root_reads], "collections": self._collections,
                                "items": [[n for _, n in reads] for reads in self._item_reads],
                                "counts": {n: k[1] for k, n in names.items() if k[0] == "n"}}
        self._fragments: dict = {}

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
            # The parent is the trusted side, so requests go as marshal frames (plain dicts, lists, strings);
            # replies come back as JSON lines, which the parent parses without trusting the worker.
            payload = marshal.dumps(message)
            proc.stdin.write(len(payload).to_bytes(4, "big") + payload)
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
        self.worker_seconds += float(reply.get("worker_seconds") or 0.0)
        self.engine_cpu += float(reply.get("engine_cpu") or 0.0)
        self.worker_cpu += float(reply.get("worker_cpu") or 0.0)
        out = []
        results = reply.get("results")
        if not isinstance(results, list) or len(results) != len(keys) or \
                any(not isinstance(got, str) or len(got) != len(ks) or got.strip("TFU") for got, ks in zip(results, keys)):
            self._discard()
            raise DurableFailure(f"durable-rules worker answered out of shape while evaluating (conditions {_names(asked)})")
        for ks, got in zip(keys, results):
            out.append({k: _VERDICT[v] for k, v in zip(ks, got)})
        return out

    def _encode(self, tree: dict) -> tuple:
        """A proceeding as the worker reads it: for each value the compiled rules read, the text it adds to a
        message (``,"f3__lo":5,"f3__hi":5,"f3__k":1``; empty when unknown), roots in ``layout`` order, then each
        collection's items. Strings and tuples only: nothing here is left for the cyclic garbage collector."""
        text = self._text
        roots = []
        for root, attr, name in self._root_reads:
            holder = tree.get(root)
            if attr is None:
                fact = holder
            else:
                fact = holder.get(attr) if isinstance(holder, dict) else None
            roots.append(text(name, fact.value) if isinstance(fact, Fact) else "")
        colls = []
        for coll, reads in zip(self._collections, self._item_reads):
            rows = []
            for item in tree.get(coll) or ():
                if isinstance(item, dict):
                    row = []
                    for attr, name in reads:
                        fact = item.get(attr)
                        row.append(text(name, fact.value) if isinstance(fact, Fact) else "")
                    rows.append(tuple(row))
                else:
                    rows.append(("",) * len(reads))
            colls.append(tuple(rows))
        return tuple(roots), tuple(colls)

    def _text(self, name: str, value) -> str:
        if value is None:
            return ""
        kind = type(value)
        cacheable = kind in _CACHEABLE
        if cacheable:
            key = (name, kind, value)  # the type keeps True, 1 and 1.0 apart
            found = self._fragments.get(key)
            if found is not None:
                return found
        enc = encode_value(value)
        if enc is None:
            out = ""
        else:
            out = "".join([f',"{name}__{sub}":{_json(v)}' for sub, v in enc.items()]) + f',"{name}__k":1'
        if cacheable:
            if len(self._fragments) >= _FRAGMENTS_KEPT:
                self._fragments.clear()
            self._fragments[key] = out
        return out

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                payload = marshal.dumps({"op": "exit"})
                proc.stdin.write(len(payload).to_bytes(4, "big") + payload)
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


_VERDICT = {"T": True, "F": False, "U": None}
_CACHEABLE = (str, bool, int, Moment, Span)  # hashable values whose text depends on nothing else


def _json(v) -> str:
    """``json.dumps(v, ensure_ascii=False)`` for the scalars and string lists ``encode_value`` gives, without
    building an encoder per call (the same text: int and float repr, NaN/Infinity as json writes them)."""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return int.__repr__(v)
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v in (math.inf, -math.inf):
            return "Infinity" if v > 0 else "-Infinity"
        return float.__repr__(v)
    if isinstance(v, str):
        return encode_basestring(v)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return "[" + ",".join([encode_basestring(x) for x in v]) + "]"
    return json.dumps(v, ensure_ascii=False)


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
