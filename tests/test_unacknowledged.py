"""ICCPR 9(1): how long a detention went unacknowledged is measured, and only a denial beyond 48 hours is a
bright-line violation; a shorter or unmeasured denial is a concern to weigh (issue 10, legal review s.1 item 5)."""
from __future__ import annotations

import json

import pytest

from tests.helpers import case_yaml, run_cli

BRIGHT, BRIEF = "iccpr.9-1.unacknowledged-detention", "iccpr.9-1.unacknowledged-detention-brief"


def _case(custody: str, status: str = "established") -> str:
    return case_yaml(f"    custody: [{custody}]\n", kind="administrative", status=status)


def _outcomes(tmp_path, custody: str, engine: str = "native", status: str = "established") -> dict:
    path = tmp_path / "case.yaml"
    path.write_text(_case(custody, status), encoding="utf-8")
    result = run_cli("check", path, "--format", "json", "--all", "--engine", engine)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["cases"][0]["proceedings"][0]["findings"]
    return {f["rule"]: f for f in findings if f["rule"] in (BRIGHT, BRIEF)}


@pytest.mark.parametrize("engine", ["native", "durable"])
def test_three_days_denied_is_a_violation(tmp_path, engine):
    if engine == "durable":
        pytest.importorskip("durable", reason="durable-rules is not installed")
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, acknowledged: false, acknowledged_at: 2011-12-20T12:00}", engine)
    assert got[BRIGHT]["status"] == "violation"
    assert "74 h" in got[BRIGHT]["explanation"]
    assert got[BRIEF]["status"] == "no violation"


@pytest.mark.parametrize("engine", ["native", "durable"])
def test_denial_of_a_day_is_a_concern_not_a_violation(tmp_path, engine):
    if engine == "durable":
        pytest.importorskip("durable", reason="durable-rules is not installed")
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, acknowledged: false, acknowledged_at: 2011-12-18T09:00}", engine)
    assert got[BRIGHT]["status"] == "no violation"
    assert got[BRIEF]["status"] == "concern"


def test_just_over_the_line(tmp_path):
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, acknowledged: false, acknowledged_at: 2011-12-19T11:00}")
    assert got[BRIGHT]["status"] == "violation"
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, acknowledged: false, acknowledged_at: 2011-12-19T10:00}")
    assert got[BRIGHT]["status"] == "no violation"


def test_never_acknowledged_counts_the_whole_custody(tmp_path):
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, end: 2011-12-21T10:00, acknowledged: false, acknowledged_at: never}",
                    status="alleged")
    assert got[BRIGHT]["status"] == "probable violation"
    assert "96 h" in got[BRIGHT]["explanation"]


def test_denial_of_unknown_length_asks_and_is_weighed(tmp_path):
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, acknowledged: false}")
    assert got[BRIGHT]["status"] == "needs information"
    assert got[BRIGHT]["missing"] == ["custody[0].hours_unacknowledged"]
    assert "acknowledge" in got[BRIGHT]["question"]
    assert got[BRIEF]["status"] == "concern"


def test_acknowledged_from_the_outset_is_no_breach(tmp_path):
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, acknowledged: true}")
    assert got[BRIGHT]["status"] == "no violation"
    assert got[BRIEF]["status"] == "no violation"


def test_nothing_recorded_is_not_asked(tmp_path):
    got = _outcomes(tmp_path, "{start: 2011-12-17T10:00, end: 2011-12-18T10:00}")
    assert got[BRIGHT]["status"] == "not applicable"
    assert got[BRIEF]["status"] == "not applicable"


def test_acknowledged_before_the_arrest_is_refused(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(_case("{start: 2011-12-17T10:00, acknowledged: false, acknowledged_at: 2011-12-16T10:00}"),
                    encoding="utf-8")
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "acknowledged_at" in result.stderr and "Traceback" not in result.stderr
