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
CAP = 1000  # matches one action may carry: every rule is capped, so one action answers many messages (probe 20)

# An action names one rule and echoes the messages it matched as they were sent, e.g.
# {"u7|T":[{"m":{"sid":"0","id":"m12",...}},{"m":{"sid":"0","id":"m3",...}}]}. The rule is read at the start and the
# ids with ``_IDS``; inside a string value every quote is escaped, so neither pattern can match a value's text.
# When the ids found are not exactly one per binding ('{"m":{'), the action is parsed as JSON.
_RULE = re.compile(r'\{"(seen|u\d+\|[TF])":\[')
_IDS = re.compile(r'\{"m":\{"sid":\s*"0",\s*"id":\s*"(m\d+)",')
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
    """A unit of the plan with everything a message needs worked out once: ``build(roots, colls, binding, verdicts)``
    gives a message without its braces and id (the unit, the values it reads, the verdicts of its sub-units)."""

    __slots__ = ("id", "scope", "reads", "head", "same", "quants", "counts", "height", "shard", "build", "top")

    def __init__(self, u: dict, layout: dict, per_ruleset: int):
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
        self.shard = self.id // per_ruleset
        self.top = (self.id, ())  # where its verdict is kept when it has no binding
        self.build = None

    def compile(self, units: dict) -> None:
        """``build`` as one generated expression: a concatenation of the proceeding's strings (empty when a value
        is unknown) and the sub-units' verdicts. Only integers and generated field names from the plan go into the
        source, each through ``repr``."""
        parts = [repr(self.head)]
        for kind, a, b, c in self.reads:
            if kind == 0:
                parts.append(f"roots[{a}]")
            elif kind == 1:
                parts.append(f"colls[{b}][binding[{a}]][{c}]")
            else:
                parts.append(f"_count({b!r}, len(colls[{a}]))")
        for c in self.same:
            parts.append(f"_SAME[{c}].get(verdicts.get(({c}, binding)), '')")
        for c in self.quants:
            parts.append(f"_quant({c}, binding, len(colls[{units[c].scope[-1]}]), verdicts)")
        for c in self.counts:
            parts.append(f"_tally({c}, binding, len(colls[{units[c].scope[-1]}]), verdicts)")
        source = "lambda roots, colls, binding, verdicts: ''.join((" + ", ".join(parts) + ",))"
        self.build = eval(source, {"_count": _count, "_quant": _quant, "_tally": _tally,  # noqa: S307 - see above
                                   "_SAME": {c: _same_texts(c) for c in self.same}})


def _same_texts(c: int) -> dict:
    return {v: f',"u{c}":"{v}"' for v in "TF"}


def _count(name: str, n: int) -> str:
    return f',"{name}__lo":{n},"{name}__hi":{n},"{name}__k":1'


def _quant(c: int, binding: tuple, n: int, verdicts: dict) -> str:
    vs = ",".join(['{"v":"%s"}' % (verdicts.get((c, binding + (j,))) or "U") for j in range(n)])
    return f',"u{c}":[{vs}],"u{c}__n":{n}'


def _tally(c: int, binding: tuple, n: int, verdicts: dict) -> str:
    vs = [verdicts.get((c, binding + (j,))) for j in range(n)]
    return f',"u{c}__lo":{vs.count("T")},"u{c}__hi":{n - vs.count("F")}'


class Engine:
    def __init__(self, name: str, rules: list, plan: dict):
        import durable_rules_engine as dre  # only here, in the child

        self.dre = dre
        self.seconds = 0.0  # time spent inside durable-rules' C calls, for the benchmark of the wrapper
        self.cpu_seconds = 0.0  # the same in CPU time (steadier than wall time on a busy machine)
        layout = plan["layout"]
        self.per = plan["per_ruleset"]
        self.units = {u["id"]: Unit(u, layout, self.per) for u in plan["units"]}
        for u in self.units.values():
            u.compile(self.units)
        self.by_height: dict[int, list] = {}
        for u in self.units.values():
            self.by_height.setdefault(u.height, []).append(u)
        self.closure = {}
        for uid in self.units:
            self._close(uid)
        self.handles = []
        rules = [{rule_name: dict(rule, cap=CAP) for rule_name, rule in ruleset.items()} for ruleset in rules]
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
        self.heads = ['{"sid":"0","id":"%s",' % mid for mid in self.ids]  # a message is head + body + "}"
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
        for ids in want:  # the units to run, per height and ruleset, worked out once per distinct list of wanted units
            key = tuple(ids)
            found = plans.get(key)
            if found is None:
                need = set()
                for uid in ids:
                    need |= self.closure[uid]
                found = plans[key] = {}
                for h, us in self.by_height.items():
                    groups: dict[int, list] = {}
                    for u in us:
                        if u.id in need:
                            groups.setdefault(u.shard, []).append(u)
                    found[h] = sorted(groups.items())
            per_tree.append(found)
        verdicts = [dict() for _ in trees]
        for height in sorted(self.by_height):
            shards: dict[int, tuple] = {}  # shard -> (bodies, units, (verdicts of the tree, (unit, binding)) per message)
            for ti, tree in enumerate(trees):
                got = verdicts[ti]
                roots, colls = tree
                for shard, units in per_tree[ti][height]:
                    found = shards.get(shard)
                    if found is None:
                        found = shards[shard] = ([], [], [])
                    bodies, uids, where = found
                    for u in units:
                        build, uid = u.build, u.id
                        if u.scope:
                            for binding in itertools.product(*[range(len(colls[ci])) for ci in u.scope]):
                                bodies.append(build(roots, colls, binding, got))
                                uids.append(uid)
                                where.append((got, (uid, binding)))
                        else:
                            bodies.append(build(roots, colls, (), got))
                            uids.append(uid)
                            where.append((got, u.top))
            for shard in sorted(shards):
                bodies, uids, where = shards[shard]
                for start in range(0, len(bodies), BATCH):
                    fired = self._run_batch(self.handles[shard], bodies[start:start + BATCH], uids[start:start + BATCH])
                    for (got, key), verdict in zip(where[start:start + BATCH], fired):
                        got[key] = verdict
        return ["".join([verdicts[ti].get((uid, ())) or "U" for uid in ids]) for ti, ids in enumerate(want)]

    def _run_batch(self, handle, bodies, uids):
        """Assert one batch as facts, read every action, retract; a verdict (T/F/None) per message."""
        dre, ids, clock, cpu = self.dre, self.ids, time.perf_counter, time.process_time
        size = len(bodies)
        text = "[" + "},".join(map(str.__add__, self.heads[:size], bodies)) + "}]"
        started, started_cpu = clock(), cpu()
        result = dre.assert_facts(handle, text)
        spent, spent_cpu = clock() - started, cpu() - started_cpu
        if result[0] != 0:  # 1: no rule matched (impossible with `seen`), 2: a fact was taken for a duplicate
            self.seconds += spent
            self.cpu_seconds += spent_cpu
            raise WorkerError(f"durable-rules refused the facts (code {result[0]})", sorted(set(uids)))
        state = result[1]
        actions = []
        started, started_cpu = clock(), cpu()
        first = dre.start_action_for_state(handle, state)
        nxt = first[1] if first else None
        while nxt:
            actions.append(nxt)
            nxt = dre.complete_and_start_action(handle, state)
        dre.retract_facts(handle, text)
        self.seconds += spent + clock() - started
        self.cpu_seconds += spent_cpu + cpu() - started_cpu
        seen, hits = [], {}  # ids that fired `seen`; (unit, verdict) -> ids that fired its rule
        rule_info = self.rule_info
        for action in actions:
            for rule_name, mids in _read_action(action):
                info = rule_info.get(rule_name, False)
                if info is None:
                    seen += mids
                elif info is False:
                    raise WorkerError(f"durable-rules fired an unknown rule {rule_name!r}")
                else:
                    hits.setdefault(info, []).extend(mids)
        mine = ids[:size]
        if len(seen) != size or set(seen) != set(mine):
            missing = set(mine) - set(seen)
            if missing:
                raise WorkerError(f"durable-rules dropped {len(missing)} message(s)",
                                  sorted({uids[k] for k in range(size) if mine[k] in missing}))
            raise WorkerError(f"durable-rules answered for unknown or repeated messages: {sorted(set(seen) - set(mine))[:5]}")
        verdict_of, unit_of = {}, dict(zip(mine, uids))
        for (uid, verdict), mids in hits.items():
            # a rule with `$or` fires once per true alternative, so an id may come more than once
            if set(map(unit_of.get, mids)) != {uid}:
                raise WorkerError(f"rule u{uid}|{verdict} fired for a message of another unit", [uid])
            verdict_of.update(dict.fromkeys(mids, verdict))
        if len(hits) > 1:
            for (uid, verdict), mids in hits.items():
                if verdict == "T" and (uid, "F") in hits and not set(mids).isdisjoint(hits[(uid, "F")]):
                    raise WorkerError(f"both T and F fired for unit {uid}: the compiled rules contradict", [uid])
        return list(map(verdict_of.get, mine))


def _read_action(action: str) -> list:
    """[(rule name, [message id, ...])] of one action (one rule and many bindings, as ``CAP`` makes them)."""
    rule = _RULE.match(action)
    if rule is not None:
        mids = _IDS.findall(action)
        if len(mids) == action.count(_BINDING):
            return [(rule.group(1), mids)]
    out = []
    for rule_name, bound in json.loads(action).items():
        bindings = bound if isinstance(bound, list) else [bound]
        mids = [b["m"].get("id") if isinstance(b, dict) and isinstance(b.get("m"), dict) else None for b in bindings]
        if not all(isinstance(mid, str) for mid in mids):
            raise WorkerError(f"durable-rules answered with an action out of shape for rule {rule_name!r}")
        out.append((rule_name, mids))
    return out


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
                before, before_cpu = engine.seconds, engine.cpu_seconds
                started, started_cpu = time.perf_counter(), time.process_time()
                results = engine.evaluate(req["trees"], req["want"])
                reply = {"ok": True, "results": results, "engine_seconds": engine.seconds - before,
                         "worker_seconds": time.perf_counter() - started,
                         "engine_cpu": engine.cpu_seconds - before_cpu,
                         "worker_cpu": time.process_time() - started_cpu}
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
