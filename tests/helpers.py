"""Shared test helpers: run the CLI in a subprocess, build small cases and rules."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, env=None, timeout=300) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = str(ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "engine", *map(str, args)], cwd=cwd or ROOT, env=environment,
                          capture_output=True, text=True, timeout=timeout)


CUSTODY_RULE = """\
id: test.custody-limit
title: {en: Held too long before a judge, ru: Слишком долго до суда}
citation: {instrument: KZ-CPC-2014, article: "131", part: "4"}
in_force: {from: 2015-01-01}
act_date: dates.detention
parameters:
  limit_hours: {2015-01-01: 72, 2018-01-01: 48}
applies_to: [criminal]
layer: domestic
kind: bright-line
right: liberty
applies_if: count(custody) > 0
when: |
  any c in custody: c.hours_before_judge > limit_hours
explanation: {en: "{person.name}: {c.hours_before_judge} h, limit {limit_hours} h", ru: "{person.name}: {c.hours_before_judge} ч, предел {limit_hours} ч"}
ask: {en: "When was the person brought before a judge?", ru: "Когда лицо доставили к судье?"}
examples:
  - facts: {custody: [{start: 2016-03-01T10:00, before_judge: 2016-03-04T12:00}]}
    expect: violation
  - facts: {custody: [{start: 2019-03-01T10:00, before_judge: 2019-03-03T12:00}]}
    expect: violation
  - facts: {custody: [{start: 2016-03-01T10:00, before_judge: 2016-03-03T12:00}]}
    expect: no violation
  - facts: {custody: [{start: 2016-03-01T10:00}]}
    expect: needs information
  - facts: {hearings: [{date: 2016-03-01}]}
    expect: not applicable
sources: [{title: test}]
"""


def write_rule(folder: Path, text: str = CUSTODY_RULE, name: str = "rule.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return folder


def case_yaml(custody: str = "", hearings: str = "", kind: str = "criminal", status: str = "reported") -> str:
    return f"""\
id: t
sources: [{{id: s1, title: test source}}]
defaults: {{source: s1, status: {status}}}
people: [{{id: p, name: Test Person}}]
proceedings:
  - id: pr
    kind: {kind}
    person: p
{custody}{hearings}"""
