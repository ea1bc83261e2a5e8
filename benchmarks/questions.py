"""Questions per proceeding: how much the tool asks, and whether it asks outside a rule's subject.

Usage: python benchmarks/questions.py [--repo DIR] [--engine native|durable] [PATH ...]

Runs `trialcheck check PATH --format json` (the CLI of the repository at --repo, default this one, so
the same script measures an older checkout: `git worktree add /tmp/before <commit>` then
`python benchmarks/questions.py --repo /tmp/before`) on the bundled cases (cases/) and on the UN corpus
(corpus/un/cases/, when present), and prints per set:

- questions per proceeding (median, mean, max): the proceeding's de-duplicated `questions` list when
  the report has one, else one question per `needs information` finding (what older reports asked);
- `needs information` findings per proceeding (the findings themselves, which may share a question);
- every finding that asks on a proceeding outside its rule's subject: a missing fact about a strike,
  a union link, an assembly, custody, a hearing, an allegation, an appeal, evidence or employment on a
  proceeding whose case file records none of these.

Figures are measured, never asserted; the target (median <= 4, nothing outside a subject) is printed
beside them.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEDIAN = 4


def run_check(repo: Path, path: Path, engine: str) -> dict:
    cmd = [sys.executable, "-m", "engine", "check", str(path), "--format", "json"]
    if engine != "native":
        cmd += ["--engine", engine]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


# --- what each case file's proceeding holds, read from the files themselves -----------------------

def _value(fact):
    return fact.get("value") if isinstance(fact, dict) and "value" in fact else fact


def subjects_of_files(folder: Path) -> dict[tuple[str, str], set[str]]:
    """(case id, proceeding id) -> the subjects its case file records."""
    out = {}
    for file in sorted(folder.rglob("*.yaml")):
        try:
            case = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if not isinstance(case, dict) or "proceedings" not in case:
            continue
        incidents = {i.get("id"): i for i in case.get("incidents") or []}
        people = {p.get("id"): p for p in case.get("people") or []}
        for proc in case.get("proceedings") or []:
            ids = proc.get("incidents") or ([proc["incident"]] if proc.get("incident") else [])
            kinds = {_value(incidents[i].get("kind")) for i in ids if i in incidents}
            person = people.get(proc.get("person"), {})
            has = set()
            if "strike" in kinds:
                has |= {"strike", "union"}
            charged = {(str(_value(ch.get("code"))), str(_value(ch.get("article")))) for ch in proc.get("charges") or []}
            if kinds & {"assembly", "dispersal", "strike"} or charged & ASSEMBLY_CHARGES:
                has.add("assembly")
            if _value(person.get("union_member")) is True or proc.get("employment"):
                has |= {"union", "employment"}
            for coll in ("custody", "hearings", "allegations", "appeals", "evidence"):
                if proc.get(coll):
                    has.add(coll)
            out[(case.get("id"), proc.get("id"))] = has
    return out


# Charged under the rules on assemblies: the assembly is the proceeding's subject even with no incident recorded
ASSEMBLY_CHARGES = {("KZ-CAO-2001", "373"), ("KZ-CAO-2014", "488"), ("KZ-CC-1997", "334"), ("KZ-CC-2014", "400")}
_STRIKE_FIELDS = ("strike_", "hazardous_facility", "notice_days", "conciliation_attempted", "declared_unlawful")
_ASSEMBLY_FIELDS = ("peaceful", "authorised", "violence_by_participants", "participants")


def subject_of_path(path: str) -> str | None:
    """The subject a missing fact is about, if it is one a proceeding can lack altogether."""
    head = path.split("[")[0].split(".")[0]
    if head in ("custody", "hearings", "allegations", "appeals", "evidence"):
        return head
    if head == "employment":
        return "employment"
    if path == "person.union_member":
        return "union"
    if head == "incident":
        field = path.split(".", 1)[1] if "." in path else ""
        if field.startswith(_STRIKE_FIELDS):
            return "strike"
        if field.startswith(_ASSEMBLY_FIELDS):
            return "assembly"
    return None


# --- counting -------------------------------------------------------------------------------------

def measure(report: dict, subjects: dict) -> dict:
    asked, findings, outside, by_rule = [], [], [], Counter()
    for case in report["cases"]:
        for proc in case["proceedings"]:
            needs = [f for f in proc["findings"] if f["status"] == "needs information"]
            questions = proc.get("questions")
            asked.append(len(questions) if questions is not None else len(needs))
            findings.append(len(needs))
            has = subjects.get((case["id"], proc["id"]), set())
            for f in needs:
                by_rule[f["rule"]] += 1
                lacking = sorted({s for s in map(subject_of_path, f.get("missing", [])) if s and s not in has})
                if lacking:
                    outside.append((case["id"], proc["id"], f["rule"], lacking))
    return {"asked": asked, "findings": findings, "outside": outside, "by_rule": by_rule}


def describe(numbers: list[int]) -> str:
    if not numbers:
        return "no proceedings"
    return (f"median {statistics.median(numbers):g}, mean {statistics.mean(numbers):.2f}, max {max(numbers)} "
            f"over {len(numbers)} proceedings")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="repository whose engine and rules to run")
    parser.add_argument("--engine", default="native", choices=["native", "durable"])
    parser.add_argument("--top", type=int, default=8, help="rules asking most, per set")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="case folders (default: cases/ and corpus/un/cases/ of this repository)")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    paths = args.paths or [p for p in (ROOT / "cases", ROOT / "corpus" / "un" / "cases") if p.is_dir()]
    print("reproduce: python benchmarks/questions.py" + (f" --repo {args.repo}" if args.repo != ROOT else "")
          + (f" --engine {args.engine}" if args.engine != "native" else "")
          + "".join(f" {p}" for p in args.paths))
    print(f"engine and rules: {repo}")
    for path in paths:
        path = path.resolve()
        if not any(path.rglob("*.yaml")):
            print(f"\n{path}: no case files, skipped")
            continue
        result = measure(run_check(repo, path, args.engine), subjects_of_files(path))
        print(f"\n{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        print(f"  questions per proceeding:            {describe(result['asked'])} (target: median <= {TARGET_MEDIAN})")
        print(f"  needs-information findings per proc: {describe(result['findings'])}")
        print(f"  findings asking outside their rule's subject: {len(result['outside'])} (target: 0)")
        for case_id, proc_id, rule, lacking in result["outside"][:20]:
            print(f"    {case_id}/{proc_id}: {rule} asks about {', '.join(lacking)} (none recorded)")
        if len(result["outside"]) > 20:
            print(f"    ... and {len(result['outside']) - 20} more")
        top = ", ".join(f"{rule} {n}" for rule, n in result["by_rule"].most_common(args.top))
        print(f"  rules asking most: {top or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
