"""The bundled rule base: it compiles, lints clean, is large enough, and every example holds on both engines."""
import pytest

from engine.compile.plan import compile_rules
from engine.evaluate.run import NativeEngine
from engine.io.load import load_rules
from engine.tools.rules import lint, run_examples


@pytest.fixture(scope="module")
def plan():
    return compile_rules(load_rules())


def test_lint_is_clean(plan):
    problems = lint(plan)
    assert not problems, "\n".join(map(str, problems))


def test_rule_base_covers_every_body_of_law(plan):
    folders = {r.file.replace("\\", "/").split("/rules/")[-1].split("/")[0] for r in plan.rules}
    assert {"labor_code", "admin_code", "criminal_code", "criminal_procedure", "international"} <= folders
    assert len(plan.rules) >= 50


def test_every_rule_cites_and_dates_itself(plan):
    for cr in plan.rules:
        assert cr.rule.citation.article and cr.rule.in_force.from_, cr.id
        assert cr.rule.sources or cr.rule.unconfirmed, cr.id


def test_examples_native(plan):
    failed = [f"{r.rule.id}: {r.example.name or r.index}: expected {r.example.expect}, got {r.got} {r.error or ''}"
              for r in run_examples(plan, NativeEngine()) if not r.ok]
    assert not failed, "\n".join(failed)


def test_examples_durable(plan):
    pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")
    from engine.evaluate.durable.adapter import DurableEngine

    engine = DurableEngine(plan)
    try:
        failed = [f"{r.rule.id}: {r.example.name or r.index}: expected {r.example.expect}, got {r.got}"
                  for r in run_examples(plan, engine) if not r.ok]
    finally:
        engine.close()
    assert not failed, "\n".join(failed)
