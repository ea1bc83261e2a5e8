"""The `durable` engine as the driver sees it: the plan's conditions run on durable-rules.

Each (rule, period, condition) becomes one keyed condition with the period's parameters as
constants; ``engine.DurableConditions`` runs them in an isolated worker process.
"""
from __future__ import annotations

import time

from engine.compile.plan import Plan, substitute


class EngineFailure(Exception):
    """The durable engine could not give an answer; the CLI exits 2 with this message."""

    engine = "durable"


def condition_key(rule_id: str, which: str, period_index: int) -> str:
    return f"{rule_id}|{which}|{period_index}"


class DurableEngine:
    name = "durable"

    def __init__(self, plan: Plan):
        try:
            from engine.evaluate.durable.engine import DurableConditions, DurableFailure, DurableUnavailable
        except ImportError as err:  # pragma: no cover - the module ships with the package
            raise EngineFailure(f"the durable engine is not installed: {err}") from None
        self._failures = (DurableFailure, DurableUnavailable)
        self.seconds = 0.0  # time spent in evaluate: the wrapper and durable-rules together
        self.cpu_seconds = 0.0  # this process's CPU time in evaluate (the worker's is counted by the backend)
        self._keys = {}  # (id of the period, "applies_if" | "when") -> its condition key, None when the rule has none
        self._periods = []  # the periods, kept alive while their ids are keys above
        conditions = {}
        for rule in plan.rules:
            for i, period in enumerate(rule.periods):
                self._periods.append(period)
                for which, node in (("applies_if", rule.applies_if), ("when", rule.when)):
                    key = None
                    if node is not None:
                        key = condition_key(rule.id, which, i)
                        conditions[key] = substitute(node, period.params)
                    self._keys[(id(period), which)] = key
        try:
            self._backend = DurableConditions(conditions)
        except self._failures as err:
            raise EngineFailure(str(err)) from None

    @property
    def engine_seconds(self) -> float:
        """Time spent inside durable-rules itself (the benchmark compares it with ``seconds``)."""
        return self._backend.engine_seconds

    def evaluate(self, batch):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return self._evaluate(batch)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - started_cpu

    def _evaluate(self, batch):
        trees, keys, slots, known = [], [], [], self._keys
        for tree, requests in batch:
            where = [known[(id(period), which)] for _, which, period in requests]
            trees.append(tree)
            keys.append([key for key in where if key is not None])
            slots.append(where)
        try:
            answers = self._backend.evaluate_many(trees, keys)
        except self._failures as err:
            raise EngineFailure(str(err)) from None
        return [[True if key is None else answer[key] for key in where] for where, answer in zip(slots, answers)]

    def close(self):
        self._backend.close()
