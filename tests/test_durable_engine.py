"""The durable engine (durable-rules in a child process) against the three-valued semantics of logic.py."""
from __future__ import annotations

import os
import signal
import time

import pytest

from engine.evaluate.durable import engine as durable_engine
from engine.evaluate.durable.engine import DurableConditions, DurableFailure, DurableUnavailable
from engine.model.logic import EvaluationError, arith, compare, literal_value, member, tri_and, tri_not, tri_or
from engine.lang import ast
from engine.model.values import Fact, Span
from engine.model.when import parse_moment

needs_durable = pytest.mark.skipif(durable_engine.durable_available() is not None,
                                   reason=f"durable-rules is not importable: {durable_engine.durable_available()}")


# ---------------------------------------------------------------- a tiny reference evaluator (logic.py)
def ref(node, tree, env=None):
    env = env or {}
    if isinstance(node, ast.Literal):
        return literal_value(node.value)
    if isinstance(node, ast.Path):
        holder = env[node.root] if node.root in env else tree.get(node.root)
        if not node.attrs:
            return holder.value if isinstance(holder, Fact) else None
        fact = holder.get(node.attrs[0]) if isinstance(holder, dict) else None
        return fact.value if isinstance(fact, Fact) else None
    if isinstance(node, ast.Compare):
        return compare(node.op, ref(node.left, tree, env), ref(node.right, tree, env))
    if isinstance(node, ast.Arith):
        return arith(node.op, ref(node.left, tree, env), ref(node.right, tree, env))
    if isinstance(node, ast.Member):
        r = member(ref(node.item, tree, env), ref(node.options, tree, env))
        return tri_not(r) if node.negated else r
    if isinstance(node, ast.Known):
        known = ref(node.operand, tree, env) is not None
        return not known if node.negated else known
    if isinstance(node, ast.Not):
        return tri_not(ref(node.operand, tree, env))
    if isinstance(node, ast.And):
        return tri_and([ref(o, tree, env) for o in node.operands])
    if isinstance(node, ast.Or):
        return tri_or([ref(o, tree, env) for o in node.operands])
    items = tree.get(node.collection.root) or ()
    if isinstance(node, ast.Quantifier):
        verdicts = [ref(node.body, tree, {**env, node.var: item}) for item in items]
        return tri_or(verdicts) if node.kind == "any" else tri_and(verdicts)
    if isinstance(node, ast.Count):
        if node.body is None:
            return len(items)
        verdicts = [ref(node.body, tree, {**env, node.var: item}) for item in items]
        total, unsure = sum(v is True for v in verdicts), sum(v is None for v in verdicts)
        return total if not unsure else Span(total, total + unsure)
    raise TypeError(node)


def P(root, *attrs):
    return ast.Path(root, tuple(attrs))


def L(value):
    return ast.Literal(value)


def C(op, a, b):
    return ast.Compare(op, a, b)


def M(text):
    return parse_moment(text)


@pytest.fixture(scope="module")
def parse():
    from engine.lang.parse import parse_condition

    return parse_condition


TREE = {
    "role": Fact("organiser"),
    "prior_penalty_within_year": Fact(None),
    "person": {"name": Fact("Жанна \"O'Neil\" \\ test"), "minor": Fact(False), "langs": Fact(("kk", "ru"))},
    "decision": {"arrest_days": Fact(15), "fine_mci": Fact(Span(10, 30)), "sanctioned": Fact(True)},
    "incident": {"state_of_emergency": Fact(None)},
    "custody": [
        {"basis": Fact("administrative_detention"), "hours": Fact(Span(2, 5)), "start": Fact(M("2011-12-17T10:00")),
         "end": Fact(M("2011-12-20")), "lawyer_requested": Fact(True)},
        {"basis": Fact("pretrial_custody"), "hours": Fact(80), "start": Fact(M("2011-12-20T09:30")),
         "end": Fact(None)},
    ],
    "appeals": [{"filed": Fact(M("2011-12-18T10:00")), "heard": Fact(M("2011-12-19T11:00"))},
                {"filed": Fact(M("2011-12-18")), "heard": Fact(M("2011-12-19T11:00"))}],
    "hearings": [],
    "charges": [{"code": Fact("KZ-CAO-2001"), "article": Fact("373"), "part": Fact("3")}],
}

CASES = [
    'decision.arrest_days > 10',
    'decision.arrest_days > 15',
    'decision.arrest_days >= 15',
    'decision.arrest_days == 15',
    'decision.arrest_days != 15',
    'decision.fine_mci > 20',
    'decision.fine_mci > 5',
    'decision.fine_mci <= 30',
    'decision.fine_mci == 20',
    'decision.fine_mci in [10, 20]',
    'decision.missing > 1',
    'decision.missing is unknown',
    'decision.arrest_days is known',
    'person.name != "x"',
    'person.minor == false',
    'person.minor == true',
    'decision.sanctioned == true and not (role == "organiser" or prior_penalty_within_year == true)',
    'role == "organiser" or prior_penalty_within_year == true',
    'prior_penalty_within_year == true or role == "x"',
    'role in ["organiser", "participant"]',
    'role not in ["organiser", "participant"]',
    '"ru" in person.langs',
    '"en" in person.langs',
    'role in person.langs',
    'incident.state_of_emergency == false',
    'any c in custody: c.basis == "administrative_detention" and c.hours > 3',
    'any c in custody: c.hours > 72',
    'all c in custody: c.hours > 1',
    'all c in custody: c.hours > 3',
    'any h in hearings: h.defendant_present == false',
    'all h in hearings: h.defendant_present == false',
    'count(hearings) > 0',
    'count(custody) == 2',
    'count(c in custody: c.hours > 3) > 0',
    'count(c in custody: c.hours > 3) > 1',
    'count(c in custody: c.basis == "pretrial_custody") >= 1',
    'any a in appeals: a.heard - a.filed > 24',
    'all a in appeals: a.heard - a.filed > 24',
    'any a in appeals: a.heard - a.filed <= 25',
    'any a in appeals: a.heard - a.filed == 25',
    'any a in appeals: (any c in custody: c.start <= a.filed and c.end >= a.filed)',
    'all a in appeals: (any c in custody: c.start <= a.filed)',
    'any c in custody: c.end > c.start',
    'any c in custody: c.start < @2011-12-18',
    'any c in custody: c.start == @2011-12-17',
    'decision.arrest_days + 5 > 19',
    'decision.arrest_days - decision.fine_mci > 0',
    'decision.fine_mci * 2 >= 20',
    'decision.fine_mci / 2 < 20',
    'decision.arrest_days * -1 < 0',
    'all ch in charges: ch.code == "KZ-CAO-2001" and ch.article in ["373", "355", "330"]',
    'any ch in charges: ch.article == "373" and ch.part == "3"',
    'any c in custody: c.lawyer_requested == true and person.minor == false',
    'not (any c in custody: c.hours > 100)',
]


@needs_durable
def test_hand_written_conditions_match_logic(parse):
    conds = {f"k{i}": parse(text) for i, text in enumerate(CASES)}
    # quotes, backslashes and Cyrillic (the grammar has no escapes, so built by hand)
    odd = TREE["person"]["name"].value
    extra = {"s1": C("==", P("person", "name"), L(odd)), "s2": C("!=", P("person", "name"), L(odd)),
             "s3": ast.Member(P("person", "name"), L((odd, "x"))), "s4": C("==", P("person", "name"), L(odd[:-1]))}
    conds.update(extra)
    CASES_ALL = {**{f"k{i}": t for i, t in enumerate(CASES)}, **{k: repr(v) for k, v in extra.items()}}
    trees = [TREE, {}, {"custody": [], "decision": {}}]
    with DurableConditions(conds) as dc:
        got = dc.evaluate_many(trees, [list(conds)] * len(trees))
    for t, tree in enumerate(trees):
        for key, text in CASES_ALL.items():
            assert got[t][key] == ref(conds[key], tree), f"tree {t}: {text}"


@needs_durable
def test_values_that_look_like_the_protocol_stay_values():
    # the worker joins messages from text and reads actions by a pattern; strings imitating either must not leak
    odd = 'm1", "id": "m2", {"m":{"sid":"0","id":"m3",} \\" u0|T \\'
    act = '{"seen":{"m":{"sid":"0","id":"m0",'
    tree = {"person": {"name": Fact(odd)}, "role": Fact(act)}
    conds = {"a": C("==", P("person", "name"), L(odd)), "b": C("!=", P("person", "name"), L(odd)),
             "c": C("==", P("role"), L(act)), "d": C("==", P("role"), L(odd)), "e": C("==", P("person", "name"), L(act))}
    trees = [tree, {}, {"role": Fact(odd), "person": {"name": Fact(act)}}]
    with DurableConditions(conds) as dc:
        got = dc.evaluate_many(trees, [list(conds)] * len(trees))
    assert got == [{k: ref(c, t) for k, c in conds.items()} for t in trees]
    assert got[0] == {"a": True, "b": False, "c": True, "d": False, "e": False}


@needs_durable
def test_only_requested_keys_are_answered(parse):
    conds = {"a": parse("decision.arrest_days > 1"), "b": parse("role == \"x\"")}
    with DurableConditions(conds) as dc:
        assert dc.evaluate_many([TREE, TREE], [["a"], []]) == [{"a": True}, {}]
        with pytest.raises(KeyError):
            dc.evaluate_many([TREE], [["nope"]])


@needs_durable
def test_a_large_condition_is_split_and_still_exact(parse):
    text = " or ".join(f"(decision.arrest_days > {k} and decision.fine_mci < {k + 3} and role != \"r{k}\")"
                       for k in range(14))
    text = f"({text}) and not (any c in custody: c.hours > 1 and (c.basis == \"a\" or c.basis == \"b\" or c.hours < 0))"
    cond = parse(text)
    trees = [TREE, {}, {"decision": {"arrest_days": Fact(3), "fine_mci": Fact(1)}, "role": Fact("r9")}]
    with DurableConditions({"big": cond}) as dc:
        got = dc.evaluate_many(trees, [["big"]] * 3)
    assert [g["big"] for g in got] == [ref(cond, t) for t in trees]


@needs_durable
def test_unsupported_constructs_fail_at_construction_naming_the_key(parse):
    with pytest.raises(DurableFailure, match="rule-x.*constant operand"):
        DurableConditions({"rule-x": parse("decision.arrest_days * decision.fine_mci > 3")})
    with pytest.raises(DurableFailure, match="rule-y.*times"):
        DurableConditions({"rule-y": parse("any a in appeals: a.heard - a.filed > decision.arrest_days")})


def test_unavailable_is_clear(monkeypatch):
    monkeypatch.setattr(durable_engine.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DurableUnavailable, match="durable-rules"):
        DurableConditions({"a": C(">", P("decision", "arrest_days"), L(1))})


@needs_durable
def test_a_killed_worker_becomes_a_failure_and_the_next_call_works(parse):
    conds = {"a": parse("decision.arrest_days > 1")}
    with DurableConditions(conds) as dc:
        assert dc.evaluate_many([TREE], [["a"]]) == [{"a": True}]
        os.kill(dc.worker_pid, signal.SIGKILL)
        time.sleep(0.1)
        with pytest.raises(DurableFailure, match=r"signal 9.*\ba\b"):
            dc.evaluate_many([TREE], [["a"]])
        assert dc.evaluate_many([TREE], [["a"]]) == [{"a": True}]


@needs_durable
def test_a_hung_worker_times_out_and_the_next_call_works(parse):
    conds = {"a": parse("decision.arrest_days > 1")}
    with DurableConditions(conds, timeout=2) as dc:
        assert dc.evaluate_many([TREE], [["a"]]) == [{"a": True}]
        pid = dc.worker_pid
        os.kill(pid, signal.SIGSTOP)
        try:
            with pytest.raises(DurableFailure, match="did not answer within 2s"):
                dc.evaluate_many([TREE], [["a"]])
        finally:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        assert dc.evaluate_many([TREE], [["a"]]) == [{"a": True}]


@needs_durable
def test_many_trees_in_one_call(parse):
    cond = parse("any c in custody: c.hours > 3")
    trees = [{"custody": [{"hours": Fact(n % 7)}, {"hours": Fact(None)}]} for n in range(600)]
    with DurableConditions({"a": cond}) as dc:
        got = dc.evaluate_many(trees, [["a"]] * len(trees))
    assert [g["a"] for g in got] == [ref(cond, t) for t in trees]


@needs_durable
def test_bundled_rule_base_compiles_and_builds():
    from engine.compile.plan import compile_rules, substitute
    from engine.io.load import load_rules

    plan = compile_rules(load_rules())
    conds = {}
    for rule in plan.rules:
        for i, period in enumerate(rule.periods):
            for which, node in (("applies_if", rule.applies_if), ("when", rule.when)):
                if node is not None:
                    conds[f"{rule.id}|{which}|{i}"] = substitute(node, period.params)
    with DurableConditions(conds) as dc:
        got = dc.evaluate_many([TREE, {}], [sorted(conds)] * 2)
    for t, tree in enumerate([TREE, {}]):
        for key, node in conds.items():
            try:
                expected = ref(node, tree)
            except EvaluationError:
                continue
            assert got[t][key] == expected, (t, key)
