"""Generated rule code against the reference evaluators (closures and the explaining tracer).

The property: on generated cases, for every rule of the bundled and the synthetic rule base, every
period and both conditions, the generated function gives the value the closures and the tracer give;
so does every closed sub-condition; the generated status rank is the weakest status of the facts
the tracer reports as deciding; and the why-closures that explain printed findings give the tracer's
value, deciding facts and bindings. Findings with and without generated code are identical.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.compile.codegen import compile_condition, generate, rule_source
from engine.compile.plan import compile_rules
from engine.compile.why import compile_why
from engine.derive.facts import derive_case
from engine.evaluate import trace
from engine.evaluate.run import NativeEngine, decide_all, evaluate_all
from engine.evaluate.scope import Scope
from engine.io.load import load_rules
from engine.lang import ast
from engine.model.values import weakest
from tests.helpers import write_rule
from tests.test_properties import PLANS, _closed_subnodes, plan_cases, scaled, validate


def _same_why(got: tuple, want: trace.Result, label: str) -> None:
    """The why-closure gives the tracer's value, deciding facts and deciding quantifier items (the same objects)."""
    value, facts, bindings = got
    assert value == want.value, f"{label}: value {value!r}, tracer {want.value!r}"
    assert facts == want.facts, f"{label}: facts {facts!r}, tracer {want.facts!r}"
    assert {k: id(v) for k, v in bindings.items()} == {k: id(v) for k, v in want.bindings.items()}, label


def _rank(result: trace.Result) -> int:
    status = weakest(f.status for f in result.facts if f.known)
    return -1 if status is None else status.rank


def test_every_bundled_rule_has_generated_code():
    plan = PLANS["bundled"]()
    missing = [r.id for r in plan.rules if r.generated is None]
    assert missing == []


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(60)
@given(data=st.data())
def test_generated_code_agrees_with_the_reference(which, data):
    plan = PLANS[which]()
    case = data.draw(plan_cases(which), label="case")
    facts = derive_case(validate(case))
    decide_all(plan, facts, NativeEngine(codegen=False))  # fills derived.* the way a run does
    checked = 0
    for pf in facts:
        for rule in plan.rules:
            generated = rule.generated
            for period in rule.periods:
                scope = Scope(pf.tree, period.params)
                functions = (("applies_if", rule.applies_if, rule.native_applies_if, generated.applies[period.index]),
                             ("when", rule.when, rule.native_when, generated.when[period.index]))
                for key, node, closure, fast in functions:
                    if node is None:
                        assert fast is None
                        continue
                    want = trace.evaluate(node, scope, rule.param_names)
                    assert closure(scope) == want.value
                    _same_why(rule.why(key)(pf.tree, period.params, {}), want, f"{rule.id} {key} {period.start}")
                    got = fast(pf.tree)
                    assert got == want.value, f"{rule.id} {key} {period.start}: generated {got!r}, tracer {want.value!r}"
                    if key == "when":
                        rank = generated.status[period.index](pf.tree)
                        assert rank == _rank(want), f"{rule.id} status {period.start}: generated {rank}, tracer {_rank(want)}"
                    for sub in _closed_subnodes(node):
                        value, ranked = compile_condition(sub, period.params)
                        expected = trace.evaluate(sub, scope, rule.param_names)
                        assert value(pf.tree) == expected.value, f"{rule.id} {trace.show(sub)}"
                        assert ranked(pf.tree) == _rank(expected), f"{rule.id} {trace.show(sub)} (status)"
                        _same_why(compile_why(sub, rule.param_names)(pf.tree, period.params, {}), expected,
                                  f"{rule.id} {trace.show(sub)} (why)")
                        checked += 1
    assert checked > 0


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(25)
@given(data=st.data())
def test_findings_are_identical_with_and_without_generated_code(which, data):
    plan = PLANS[which]()
    case = validate(data.draw(plan_cases(which), label="case"))
    fast = evaluate_all(plan, derive_case(case), NativeEngine(codegen=True), include_all=True)
    slow = evaluate_all(plan, derive_case(case), NativeEngine(codegen=False), include_all=True)
    assert [[f.model_dump() for f in fs] for fs in fast] == [[f.model_dump() for f in fs] for fs in slow]


def test_rules_switch_to_generated_code_when_hot():
    """By default a rule is evaluated by its closures until it is hot, then by its generated code: the
    findings do not change at the switch."""
    from engine.evaluate.run import HOT

    plan = compile_rules(load_rules())  # a fresh plan: no rule is hot yet
    case = _first_bundled_case()
    engine = NativeEngine()
    assert engine.codegen == "hot"
    reference = evaluate_all(plan, derive_case(case), NativeEngine(codegen=False), include_all=True)
    want = [[f.model_dump() for f in fs] for fs in reference]
    for _ in range(HOT + 2):
        got = evaluate_all(plan, derive_case(case), engine, include_all=True)
        assert [[f.model_dump() for f in fs] for fs in got] == want
    assert any(r._built.get("generated") is not None for r in plan.rules)


def _first_bundled_case():
    from pathlib import Path

    from engine.io.load import load_case_document
    from engine.io.yamlio import load_file

    first = sorted((Path(__file__).resolve().parent.parent / "cases").rglob("*.yaml"))[0]
    return load_case_document(load_file(str(first)))


HOSTILE = '''\
id: test.hostile-text
title: {en: "x'); import os #", ru: "x"}
citation: {instrument: KZ-CPC-2014, article: "131"}
in_force: {from: 2015-01-01}
act_date: dates.detention
parameters:
  label: {2015-01-01: "'); __import__('os').system('touch /tmp/pwned') #"}
applies_to: [criminal]
layer: domestic
kind: bright-line
right: liberty
when: |
  any c in custody: c.basis == "'); __import__('os').system('x') #" or c.basis == label
explanation: {en: "x", ru: "x"}
ask: {en: "x", ru: "x"}
sources: [{title: test}]
'''


def test_rule_text_reaches_the_source_only_as_literals(tmp_path):
    """Strings from a rule file appear in generated source only as Python string literals."""
    import ast as pyast

    write_rule(tmp_path, HOSTILE, "hostile.yaml")
    (rule,) = compile_rules(load_rules([str(tmp_path)])).rules
    source, _ = rule_source(rule)
    tree = pyast.parse(source)
    calls = {n.func.id for n in pyast.walk(tree) if isinstance(n, pyast.Call) and isinstance(n.func, pyast.Name)}
    assert calls <= {"_compare", "_arith", "_member", "_Span", "_len", "_type"}
    names = {n.id for n in pyast.walk(tree) if isinstance(n, pyast.Name)}
    assert "__import__" not in names and "os" not in names
    assert generate(rule) is not None


def test_deep_nesting_falls_back_to_closures(tmp_path):
    """A condition nested beyond what Python compiles keeps the closures instead of failing."""
    from engine.compile.plan import assemble_rule

    (rule,) = compile_rules(load_rules([str(write_rule(tmp_path, HOSTILE, "hostile.yaml"))])).rules
    node = rule.when
    for _ in range(300):
        node = ast.Not(ast.Not(node))
    deep = assemble_rule(rule.rule, rule.file, None, node)
    assert deep.generated is None
    assert deep.native_when is not None
