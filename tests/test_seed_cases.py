"""Every seed proceeding, checked against findings written from the seeds and the law (tests/expected/)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.compile.plan import compile_rules
from engine.evaluate.run import NativeEngine
from engine.io.load import load_cases, load_rules
from engine.evaluate.report import build_report

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = sorted((ROOT / "tests" / "expected").glob("*.yaml"))
REQUIRED_CASES = {"sisenbaev", "azhigalieva", "sokolova"}


@pytest.fixture(scope="module")
def report():
    plan = compile_rules(load_rules())
    return build_report(plan, load_cases([str(ROOT / "cases")]), NativeEngine())


def _findings(report, case_id, proceeding=None):
    case = next((c for c in report.cases if c.id == case_id), None)
    assert case is not None, f"no case {case_id!r} in cases/"
    return [(p.id, f) for p in case.proceedings for f in p.findings if proceeding in (None, p.id)]


def _matches(finding, citation: str) -> bool:
    return any(c.startswith(citation) for c in finding.citations)


def test_the_first_cases_exist_and_have_expectations():
    names = {p.stem for p in EXPECTED}
    assert REQUIRED_CASES <= names


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_expected_findings(report, path):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    for want in spec.get("expect", []):
        statuses = want["status"] if isinstance(want["status"], list) else [want["status"]]
        found = [f for _, f in _findings(report, spec["case"], want.get("proceeding"))
                 if _matches(f, want["citation"])]
        if not any(f.status in statuses for f in found):
            problems.append(f"expected {want['citation']} {statuses} in {want.get('proceeding')}; "
                            f"got {[f.status for f in found] or 'nothing'} ({want.get('why', '')})")
    for banned in spec.get("must_not", []):
        statuses = banned["status"] if isinstance(banned["status"], list) else [banned["status"]]
        for proc, f in _findings(report, spec["case"], banned.get("proceeding")):
            if _matches(f, banned["citation"]) and f.status in statuses:
                problems.append(f"unsupported {f.status} {f.rule} in {proc} ({banned.get('why', '')})")
    assert not problems, "\n".join(problems)


def test_no_violation_rests_on_soft_facts(report):
    """A `violation` must rest only on established or observed facts; otherwise it is `probable`."""
    def statuses(facts):
        for fact in facts:
            if fact.value is not None and fact.status:
                yield fact.status
            yield from statuses(fact.derived_from)

    for case in report.cases:
        for proc in case.proceedings:
            for f in proc.findings:
                if f.status == "violation":
                    soft = {s for s in statuses(f.facts) if s not in ("established", "observed")}
                    assert not soft, f"{case.id}/{proc.id}: {f.rule} is a violation resting on {soft}"


def test_every_seed_proceeding_is_reported(report):
    for case in report.cases:
        assert case.proceedings, f"case {case.id} has no proceedings"
