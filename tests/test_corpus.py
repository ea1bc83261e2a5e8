"""The UN corpus stays valid and runs the same on both engines. Its accuracy is measured, not asserted:
`python benchmarks/accuracy.py` prints the figures (docs/accuracy.md)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine.compile.plan import compile_rules
from engine.evaluate.report import build_report
from engine.evaluate.run import NativeEngine
from engine.io.load import load_cases, load_rules
from engine.model.instruments import INSTRUMENTS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "un"
CASE_FILES = sorted((CORPUS / "cases").glob("*.yaml"))
EXPECTED = sorted((CORPUS / "expected").glob("*.yaml"))
BODIES = {"HRC", "CAT", "WGAD"}
BODY_FOUND = {"violation", "no violation", "inadmissible", "not examined"}
CLASSES = {"mechanical", "presumptive", "evaluative"}
# An expectation's citation is written as trialcheck prints a rule's citation: an instrument's English name (as
# the registry spells it: "ICCPR", "Optional Protocol to the ICCPR", ...), then the article and its parts.
INSTRUMENT_NAMES = "|".join(sorted((re.escape(i.name_en) for i in INSTRUMENTS.values()), key=len, reverse=True))
CITATION = re.compile(rf"^({INSTRUMENT_NAMES}) art\. \d+[a-z]?(\(\d+\))?(\([a-z]\))?(\((i|ii|iii|iv|v)\))?$")


@pytest.fixture(scope="module")
def cases():
    if not CASE_FILES:
        pytest.skip("no corpus cases yet")
    return load_cases([str(p) for p in CASE_FILES])


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_every_corpus_case_validates_and_names_its_state(path):
    [(_, case)] = load_cases([str(path)])
    assert case.id == path.stem, f"{path.name}: the case id should be the file name"
    assert case.state != "KZ" or "state: KZ" in path.read_text(encoding="utf-8"), \
        f"{path.name}: a corpus case names its State (state: BY, ...)"


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_every_expectation_names_an_existing_case_proceeding_and_known_values(path, cases):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_id = {case.id: case for _, case in cases}
    assert isinstance(spec, dict) and spec.get("case") in by_id, f"{path.name}: no corpus case {spec.get('case')!r}"
    assert spec.get("body") in BODIES, f"{path.name}: body {spec.get('body')!r} is not one of {sorted(BODIES)}"
    assert spec.get("document"), f"{path.name}: the document symbol is required"
    assert isinstance(spec.get("authority_verified"), bool), f"{path.name}: authority_verified must be true or false"
    proceedings = {p.id for p in by_id[spec["case"]].proceedings}
    problems = []
    for i, finding in enumerate(spec.get("findings") or []):
        where = f"{path.name}: findings[{i}]"
        if finding.get("proceeding") not in proceedings:
            problems.append(f"{where}: no proceeding {finding.get('proceeding')!r} in {spec['case']}")
        if finding.get("body_found") not in BODY_FOUND:
            problems.append(f"{where}: body_found {finding.get('body_found')!r} not in {sorted(BODY_FOUND)}")
        if finding.get("body_found") == "violation" and finding.get("class") not in CLASSES:
            problems.append(f"{where}: a violation needs a class in {sorted(CLASSES)}")
        if "class" in finding and finding["class"] not in CLASSES:
            problems.append(f"{where}: class {finding['class']!r} not in {sorted(CLASSES)}")
        if not CITATION.match(str(finding.get("citation", ""))):
            problems.append(f"{where}: citation {finding.get('citation')!r} is not written as trialcheck prints "
                            "citations (e.g. 'ICCPR art. 14(3)(d)')")
    assert spec.get("findings"), f"{path.name}: no findings"
    assert not problems, "\n".join(problems)


def test_every_corpus_case_has_expectations():
    named = {yaml.safe_load(p.read_text(encoding="utf-8")).get("case") for p in EXPECTED}
    missing = [p.stem for p in CASE_FILES if p.stem not in named]
    assert not missing, f"corpus cases without expectations: {missing}"


def test_the_corpus_gives_identical_findings_on_both_engines(cases):
    pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")
    from engine.evaluate.durable.adapter import DurableEngine

    plan = compile_rules(load_rules())
    native = build_report(plan, cases, NativeEngine(), include_all=True).model_dump_json()
    durable_engine = DurableEngine(plan)
    try:
        durable = build_report(plan, cases, durable_engine, include_all=True).model_dump_json()
    finally:
        durable_engine.close()
    assert native == durable


def test_the_benchmark_runs_on_a_partial_corpus(tmp_path):
    """One valid case, one broken file, one dangling expectation: reported and skipped, never a crash."""
    import json
    import subprocess
    import sys

    (tmp_path / "cases").mkdir()
    (tmp_path / "expected").mkdir()
    if CASE_FILES:
        name = CASE_FILES[0].name
        (tmp_path / "cases" / name).write_text(CASE_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
        if (CORPUS / "expected" / name).exists():
            (tmp_path / "expected" / name).write_text((CORPUS / "expected" / name).read_text(encoding="utf-8"),
                                                      encoding="utf-8")
    (tmp_path / "cases" / "broken.yaml").write_text("id: broken\nproceedings: [{id: x}]\n", encoding="utf-8")
    (tmp_path / "expected" / "dangling.yaml").write_text("case: nowhere\nfindings: []\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "accuracy.py"), "--json", "--corpus",
                             str(tmp_path)], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["corpus"]["cases"] == (1 if CASE_FILES else 0)
    assert any("broken.yaml" in p for p in out["problems"]) and any("nowhere" in p for p in out["problems"])
    assert "--corpus" in out["command"] and out["seed"]["cases"] > 0
