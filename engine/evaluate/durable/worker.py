"""The child process that runs durable-rules for ``engine.DurableConditions``.

Run as ``python worker.py``; it imports only the standard library and durable-rules' C extension, so a
segfault, a hang or a stray exception in durable-rules can only take this process down, never the caller.

Requests come as marshal frames (a 4-byte big-endian length, then ``marshal.dumps`` of plain dicts, lists and
strings) from the parent, the trusted side:
  {"op": "init", "name": ..., "rules": [...], "plan": {"units": [...], "per_ruleset": n, "layout": {...}}}
  {"op": "eval", "trees": [(roots, collections), ...], "want": [[unit id, ...], ...]}
  {"op": "exit"}
Answers are JSON lines, which the parent parses without trusting this process: {"ok": true, ...} (for "eval",
``results``: per tree one letter T, F or U per wanted unit) or {"ok": false, "error": "...", "units": [...]}.

A tree is what ``DurableConditions._encode`` made of a proceeding: the message text of each value the rules
read (``,"f3__lo":5,"f3__hi":5,"f3__k":1``, empty when unknown), so a message is put together by joining
strings, never by building and serialising dicts.

durable-rules is driven through its C API directly (create_ruleset / assert_facts /
start_action_for_state / complete_and_start_action / retract_facts): no ``Host``, hence no
background dispatch thread that could run actions behind our back. Every message is a fact (an
event is consumed by the first rule it matches), carries an id whose 32-bit hash is unique in
its batch, and must fire the ``seen`` rule; facts are retracted after each batch.
"""
from __future__ import annotations

import itertools
import json
import marshal
import os
import re
import sys
import time

BATCH = 400  # messages per assert_facts call

# An action names one rule and echoes its message as it was sent, e.g. {"u7|T":{"m":{"sid":"0","id":"m12",...}}}.
# When it has exactly one binding (one '{"m":{': inside a string every quote is escaped) the rule and the id are
# read with this pattern; anything else is parsed as JSON.
_ACTION = re.compile(r'\{"(seen|u\d+\|[TF])":\{"m":\{"sid":\s*"0",\s*"id":\s*"(m\d+)",')
_BINDING = '{"m":{'
_TOP = ((),)  # the one binding of a unit outside any quantifier


def fnv1a(text: str) -> int:
    h = 2166136261
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def id_pool(size: int) -> list[str]:
    """Message ids whose 32-bit hashes differ (durable keys facts by them; a collision drops a fact). Every batch
    reuses them: its facts are retracted before the next batch is asserted."""
    ids, hashes, k = [], set(), 0
    while len(ids) < size:
        mid = f"m{k}"
        k += 1
        h = fnv1a(mid)
        if h not in hashes:
            hashes.add(h)
            ids.append(mid)
    return ids


class WorkerError(Exception):
    def __init__(self, message, units=()):
        super().__init__(message)
        self.units = list(units)


class Unit:
    """A unit of the plan with everything a message needs worked out once."""

    __slots__ = ("id", "scope", "reads", "head", "same", "quants", "counts", "height")

    def __init__(self, u: dict, layout: dict):
        colls = layout["collections"]
        roots = {name: i for i, name in enumerate(layout["roots"])}
        self.id = u["id"]
        self.scope = tuple(colls.index(c) for c in u["scope"])
        self.reads = []  # (0, root position, -, -) | (1, depth, collection, position) | (2, collection, name, -)
        for base, src in u["sources"]:
            if src[0] == "r":
                self.reads.append((0, roots[base], None, None))
            elif src[0] == "v":
                ci = self.scope[src[1]]
                self.reads.append((1, src[1], ci, layout["items"][ci].index(base)))
            else:  # "n": the number of items of a collection
                self.reads.append((2, colls.index(src[1]), base, None))
        self.head = f'"__u":{self.id},"__t":1'
        self.same, self.quants, self.counts = u["same"], u["quants"], u["counts"]
        self.height = u["height"]


class Engine:
    def __init__(self, name: str, rules: list, plan: dict):
        import durable_rules_engine as dre  # only here, in the child

        self.dre = dre
        self.seconds = 0.0  # time spent inside durable-rules' C calls, for the benchmark of the wrapper
        layout = plan["layout"]
        self.units = {u["id"]: Unit(u, layout) for u in plan["units"]}
        self.by_height: dict[int, list] = {}
        for u in self.units.values():
            self.by_height.setdefault(u.height, []).append(u)
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
        self.ids = id_pool(BATCH)
        self.id_index = {mid: k for k, mid in enumerate(self.ids)}
        # rule name -> (unit, verdict), None for `seen`
        self.rule_info = {name: None if name == "seen" else (int(name[1:].split("|")[0]), name.rsplit("|", 1)[1])
                          for ruleset in rules for name in ruleset}

    def _close(self, uid):
        if uid in self.closure:
            return self.closure[uid]
        u = self.units[uid]
        out = {uid}
        for c in u.same + u.quants + u.counts:
            out |= self._close(c)
        self.closure[uid] = out
        return out

    # -- evaluation
    def evaluate(self, trees: list, want: list) -> list:
        plans, per_tree = {}, []
        for ids in want:  # the units to run per height, worked out once per distinct list of wanted units
            key = tuple(ids)
            found = plans.get(key)
            if found is None:
                need = set()
                for uid in ids:
                    need |= self.closure[uid]
                found = plans[key] = {h: [u for u in us if u.id in need] for h, us in self.by_height.items()}
            per_tree.append(found)
        verdicts = [dict() for _ in trees]
        message = self._message
        for height in sorted(self.by_height):
            bodies, meta = [], []
            for ti, tree in enumerate(trees):
                got, colls = verdicts[ti], tree[1]
                for u in per_tree[ti][height]:
                    bindings = itertools.product(*[range(len(colls[ci])) for ci in u.scope]) if u.scope else _TOP
                    for binding in bindings:
                        bodies.append(message(u, tree, binding, got))
                        meta.append((ti, u.id, binding))
            for (ti, uid, binding), verdict in zip(meta, self._run(bodies, meta)):
                verdicts[ti][(uid, binding)] = verdict
        return ["".join([verdicts[ti].get((uid, ())) or "U" for uid in ids]) for ti, ids in enumerate(want)]

    def _message(self, u: Unit, tree, binding, verdicts) -> str:
        """A message without its braces and id: the unit, the values it reads, the verdicts of its sub-units."""
        roots, colls = tree
        parts = [u.head]
        for kind, a, b, c in u.reads:
            if kind == 0:
                text = roots[a]
            elif kind == 1:
                text = colls[b][binding[a]][c]
            else:
                n = len(colls[a])
                text = f',"{b}__lo":{n},"{b}__hi":{n},"{b}__k":1'
            if text:
                parts.append(text)
        for c in u.same:
            v = verdicts.get((c, binding))
            if v is not None:
                parts.append(f',"u{c}":"{v}"')
        for c in u.quants:
            n = len(colls[self.units[c].scope[-1]])
            vs = ",".join('{"v":"%s"}' % (verdicts.get((c, binding + (j,))) or "U") for j in range(n))
            parts.append(f',"u{c}":[{vs}],"u{c}__n":{n}')
        for c in u.counts:
            n = len(colls[self.units[c].scope[-1]])
            vs = [verdicts.get((c, binding + (j,))) for j in range(n)]
            parts.append(f',"u{c}__lo":{vs.count("T")},"u{c}__hi":{n - vs.count("F")}')
        return "".join(parts)

    def _run(self, bodies, meta):
        out = [None] * len(bodies)
        shards: dict[int, list] = {}
        for k, (_, uid, _) in enumerate(meta):
            shards.setdefault(uid // self.per, []).append(k)
        for shard, positions in sorted(shards.items()):
            for start in range(0, len(positions), BATCH):
                part = positions[start:start + BATCH]
                verdicts = self._run_batch(self.handles[shard], [bodies[k] for k in part], [meta[k][1] for k in part])
                for k, verdict in zip(part, verdicts):
                    out[k] = verdict
        return out

    def _run_batch(self, handle, bodies, uids):
        """Assert one batch as facts, read every action, retract; a verdict (T/F/None) per message."""
        dre, ids, index, clock = self.dre, self.ids, self.id_index, time.perf_counter
        size = len(bodies)
        text = "[" + ",".join('{"sid":"0","id":"%s",%s}' % (ids[k], body) for k, body in enumerate(bodies)) + "]"
        started = clock()
        result = dre.assert_facts(handle, text)
        spent = clock() - started
        if result[0] != 0:  # 1: no rule matched (impossible with `seen`), 2: a fact was taken for a duplicate
            self.seconds += spent
            raise WorkerError(f"durable-rules refused the facts (code {result[0]})", sorted(set(uids)))
        seen, fired = [False] * size, [None] * size
        state = result[1]
        started = clock()
        first = dre.start_action_for_state(handle, state)
        spent += clock() - started
        nxt = first[1] if first else None
        rule_info, match_action = self.rule_info, _ACTION.match
        while nxt:
            match = match_action(nxt)
            if match is not None and nxt.count(_BINDING) == 1:
                pairs = (match.groups(),)
            else:
                action = json.loads(nxt)
                pairs = [(rule_name, bound["m"].get("id") if isinstance(bound, dict) and isinstance(bound.get("m"), dict)
                          else None) for rule_name, bound in action.items()]
            for rule_name, mid in pairs:
                k = index.get(mid, size) if isinstance(mid, str) else size
                if k >= size:
                    raise WorkerError(f"durable-rules answered for an unknown message {mid!r}")
                info = rule_info.get(rule_name, False)
                if info is None:  # `seen`
                    seen[k] = True
                    continue
                if info is False:
                    raise WorkerError(f"durable-rules fired an unknown rule {rule_name!r}")
                uid, verdict = info
                if uid != uids[k]:
                    raise WorkerError(f"rule {rule_name} fired for a message of another unit", [uid])
                if fired[k] is not None and fired[k] != verdict:
                    raise WorkerError(f"both T and F fired for unit {uid}: the compiled rules contradict", [uid])
                fired[k] = verdict
            started = clock()
            nxt = dre.complete_and_start_action(handle, state)
            spent += clock() - started
        started = clock()
        dre.retract_facts(handle, text)
        self.seconds += spent + clock() - started
        missing = [k for k in range(size) if not seen[k]]
        if missing:
            raise WorkerError(f"durable-rules dropped {len(missing)} message(s)", sorted({uids[k] for k in missing}))
        return fired


def main():
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything durable prints goes to stderr, never into the protocol
    sys.stdout = sys.stderr
    requests = sys.stdin.buffer
    engine = None
    while True:
        head = requests.read(4)
        if len(head) < 4:
            break
        size = int.from_bytes(head, "big")
        payload = requests.read(size)
        if len(payload) < size:
            break
        try:
            req = marshal.loads(payload)
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
                before, started = engine.seconds, time.perf_counter()
                results = engine.evaluate(req["trees"], req["want"])
                reply = {"ok": True, "results": results, "engine_seconds": engine.seconds - before,
                         "worker_seconds": time.perf_counter() - started}
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
