"""The child process that runs durable-rules for ``engine.DurableConditions``.

Run as ``python worker.py``; it speaks JSON lines on stdin/stdout and imports only the
standard library and durable-rules' C extension, so a segfault, a hang or a stray exception in
durable-rules can only take this process down, never the caller.

Requests:
  {"op": "init", "name": ..., "rules": {...}, "plan": {"units": [...]}}
  {"op": "eval", "trees": [...], "want": [[unit id, ...], ...]}
  {"op": "exit"}
Answers: {"ok": true, ...} or {"ok": false, "error": "...", "units": [...]}.

durable-rules is driven through its C API directly (create_ruleset / assert_facts /
start_action_for_state / complete_and_start_action / retract_facts): no ``Host``, hence no
background dispatch thread that could run actions behind our back. Every message is a fact (an
event is consumed by the first rule it matches), carries a fresh id whose 32-bit hash is unique in
its batch, and must fire the ``seen`` rule; facts are retracted after each stage.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
import time

BATCH = 400  # messages per assert_facts call


def fnv1a(text: str) -> int:
    h = 2166136261
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


class WorkerError(Exception):
    def __init__(self, message, units=()):
        super().__init__(message)
        self.units = list(units)


class Engine:
    def __init__(self, name: str, rules: dict, plan: dict):
        import durable_rules_engine as dre  # only here, in the child

        self.dre = dre
        self.seconds = 0.0  # time spent inside durable-rules itself, for the benchmark of the wrapper
        self.units = {u["id"]: u for u in plan["units"]}
        self.by_height: dict[int, list] = {}
        for u in plan["units"]:
            self.by_height.setdefault(u["height"], []).append(u)
        self.closure = {}
        for uid in self.units:
            self._close(uid)
        self.per = plan["per_ruleset"]
        self.handles = []
        for shard, ruleset in enumerate(rules):
            text = json.dumps(ruleset, ensure_ascii=False)  # durable's parser ignores \\u escapes: send UTF-8
            try:
                self.handles.append(dre.create_ruleset(f"{name}.{shard}", text))
            except Exception as err:
                bad = []
                for rule_name, rule in ruleset.items():
                    try:
                        dre.create_ruleset(f"{name}.{shard}.probe.{rule_name}",
                                           json.dumps({rule_name: rule}, ensure_ascii=False))
                    except Exception:
                        bad.append(int(rule_name[1:].split("|")[0]) if rule_name.startswith("u") else -1)
                raise WorkerError(f"durable-rules rejected the ruleset: {err}", bad) from None
        self.next_id = 0

    def _close(self, uid):
        if uid in self.closure:
            return self.closure[uid]
        u = self.units[uid]
        out = {uid}
        for c in u["same"] + u["quants"] + u["counts"]:
            out |= self._close(c)
        self.closure[uid] = out
        return out

    # -- evaluation
    def evaluate(self, trees: list, want: list) -> list:
        needed = []
        for ids in want:
            s = set()
            for uid in ids:
                s |= self.closure[uid]
            needed.append(s)
        verdicts = [dict() for _ in trees]
        for height in sorted(self.by_height):
            messages, meta = [], []
            for ti, tree in enumerate(trees):
                for u in self.by_height[height]:
                    if u["id"] not in needed[ti]:
                        continue
                    for binding in self._bindings(tree, u["scope"]):
                        messages.append(self._message(u, tree, binding, verdicts[ti]))
                        meta.append((ti, u["id"], binding))
            for (ti, uid, binding), verdict in zip(meta, self._run(messages, meta)):
                verdicts[ti][(uid, binding)] = verdict
        return [{str(uid): verdicts[ti].get((uid, ())) for uid in ids} for ti, ids in enumerate(want)]

    @staticmethod
    def _items(tree, coll):
        return tree["c"].get(coll) or []

    def _bindings(self, tree, scope):
        return itertools.product(*(range(len(self._items(tree, c))) for c in scope))

    def _message(self, u, tree, binding, verdicts) -> dict:
        msg = {"sid": "0", "__u": u["id"], "__t": 1}
        for base, src in u["sources"]:
            kind = src[0]
            if kind == "v":
                item = self._items(tree, u["scope"][src[1]])[binding[src[1]]]
                enc = item.get(src[2])
            elif kind == "r":
                enc = tree["r"].get(f"{src[1]}|{src[2] or ''}")
            else:  # "n": the number of items of a collection
                n = len(self._items(tree, src[1]))
                enc = {"lo": n, "hi": n}
            if enc:
                for sub, value in enc.items():
                    msg[f"{base}__{sub}"] = value
                msg[f"{base}__k"] = 1
        for c in u["same"]:
            v = verdicts.get((c, binding))
            if v is not None:
                msg[f"u{c}"] = v
        for c in u["quants"] + u["counts"]:
            child = self.units[c]
            n = len(self._items(tree, child["scope"][-1]))
            vs = [verdicts.get((c, binding + (j,))) for j in range(n)]
            if c in u["quants"]:
                msg[f"u{c}"] = [{"v": v or "U"} for v in vs]
                msg[f"u{c}__n"] = n
            if c in u["counts"]:
                msg[f"u{c}__lo"] = sum(v == "T" for v in vs)
                msg[f"u{c}__hi"] = n - sum(v == "F" for v in vs)
        return msg

    def _run(self, messages, meta):
        out = [None] * len(messages)
        shards: dict[int, list] = {}
        for k, msg in enumerate(messages):
            shards.setdefault(msg["__u"] // self.per, []).append(k)
        for shard, positions in sorted(shards.items()):
            for start in range(0, len(positions), BATCH):
                part = positions[start:start + BATCH]
                for k, verdict in zip(part, self._run_batch(self.handles[shard], [messages[k] for k in part])):
                    out[k] = verdict
        return out

    def _run_batch(self, handle, chunk):
        """Assert one batch as facts, read every action, retract; a verdict (T/F/None) per message."""
        dre = self.dre
        out = [None] * len(chunk)
        index, hashes = {}, set()
        for k, msg in enumerate(chunk):
            while True:  # durable keys facts by a 32-bit hash of the id: a collision drops a fact
                self.next_id += 1
                mid = f"m{self.next_id}"
                h = fnv1a(mid)
                if h not in hashes:
                    break
            hashes.add(h)
            msg["id"] = mid
            index[mid] = k
        text = json.dumps(chunk, ensure_ascii=False)
        started = time.perf_counter()
        result = dre.assert_facts(handle, text)
        if result[0] != 0:  # 1: no rule matched (impossible with `seen`), 2: a fact was taken for a duplicate
            raise WorkerError(f"durable-rules refused the facts (code {result[0]})", sorted({m["__u"] for m in chunk}))
        seen, fired = set(), {}
        state = result[1]
        first = dre.start_action_for_state(handle, state)
        nxt = first[1] if first else None
        while nxt:
            action = json.loads(nxt)
            for rule_name, bound in action.items():
                mid = bound["m"]["id"] if isinstance(bound, dict) and "m" in bound else None
                if mid not in index:
                    raise WorkerError(f"durable-rules answered for an unknown message {mid!r}")
                if rule_name == "seen":
                    seen.add(mid)
                    continue
                verdict = rule_name.rsplit("|", 1)[1]
                uid = int(rule_name[1:].split("|")[0])
                if uid != chunk[index[mid]]["__u"]:
                    raise WorkerError(f"rule {rule_name} fired for a message of another unit", [uid])
                if fired.get(mid, verdict) != verdict:
                    raise WorkerError(f"both T and F fired for unit {uid}: the compiled rules contradict", [uid])
                fired[mid] = verdict
            nxt = dre.complete_and_start_action(handle, state)
        dre.retract_facts(handle, text)
        self.seconds += time.perf_counter() - started
        missing = [m for m in index if m not in seen]
        if missing:
            raise WorkerError(f"durable-rules dropped {len(missing)} message(s)",
                              sorted({chunk[index[m]]["__u"] for m in missing}))
        for mid, verdict in fired.items():
            out[index[mid]] = verdict
        return out


def main():
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything durable prints goes to stderr, never into the protocol
    sys.stdout = sys.stderr
    engine = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "init":
                try:
                    import durable_rules_engine  # noqa: F401
                except ImportError as err:
                    reply = {"ok": False, "unavailable": True, "error": f"durable-rules is not importable: {err}"}
                else:
                    engine = Engine(req["name"], req["rules"], req["plan"])
                    reply = {"ok": True, "pid": os.getpid()}
            elif op == "eval":
                if engine is None:
                    raise WorkerError("not initialised")
                before = engine.seconds
                reply = {"ok": True, "results": engine.evaluate(req["trees"], req["want"]),
                         "engine_seconds": engine.seconds - before}
            elif op == "exit":
                break
            else:
                raise WorkerError(f"unknown request {op!r}")
        except WorkerError as err:
            reply = {"ok": False, "error": str(err), "units": err.units}
        except Exception as err:  # durable's own exceptions: report, stay alive
            reply = {"ok": False, "error": f"{type(err).__name__}: {err}", "units": []}
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
