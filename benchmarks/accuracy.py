"""Accuracy against the treaty bodies: the tool's findings beside what the UN bodies decided.

Usage: python benchmarks/accuracy.py [--engine native|durable] [--json] [--corpus DIR] [--cases DIR]

It checks the UN corpus (corpus/un/cases/*.yaml, expectations in corpus/un/expected/*.yaml) and the
bundled seed cases (cases/, expectations in tests/expected/*.yaml), then prints, per cited article and
overall:

- the body's violations the tool flagged with the same status class (violation or probable violation
  where the facts make the finding mechanical or presumptive; concern where it is evaluative), flagged
  with another flag, only asked about (needs information), or missed — a miss with no rule for that
  citation is counted apart;
- the tool's violation / probable violation flags where the body found no violation or declared the
  claim inadmissible;
- `violation` findings resting on facts that are only reported, alleged or disputed (should be 0);
- questions (needs information) per proceeding, and questions on articles the body did not examine.

The figures are measured, never asserted: tests/test_corpus.py keeps the corpus valid, not accurate.
A missing, empty or partly invalid corpus is reported and skipped, never a crash.
"""
from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.cli.common import EngineName, make_engine  # noqa: E402
from engine.compile.plan import compile_rules  # noqa: E402
from engine.evaluate.report import build_report  # noqa: E402
from engine.io.errors import InputError, InputErrors  # noqa: E402
from engine.io.load import load_cases, load_rules  # noqa: E402
from engine.model.instruments import citation_string  # noqa: E402

import yaml  # noqa: E402

FLAGS = ("violation", "probable violation")
SOFT = {"reported", "alleged", "disputed"}
BODY_FOUND = ("violation", "no violation", "inadmissible", "not examined")
CLASSES = ("mechanical", "presumptive", "evaluative")
OUTCOMES = ("same class", "other flag", "asked", "missed: rule said no", "missed: not applicable", "missed: no rule")


# ------------------------------------------------------------------ matching citations

def covers(expected: str, cited: str) -> bool:
    """A finding citing `cited` speaks to the body's `expected` article when it is that article or a
    part of it: "ICCPR art. 14(3)" covers "ICCPR art. 14(3)(d)", not "ICCPR art. 14(1)" nor "art. 1"."""
    expected, cited = expected.strip(), cited.strip()
    return cited == expected or (cited.startswith(expected) and cited[len(expected)] == "(")


def article_of(citation: str) -> str:
    """"ICCPR art. 14(3)(d)" -> "ICCPR art. 14": the level figures are grouped at."""
    head, sep, rest = citation.partition(" art. ")
    if not sep:
        return citation
    number = rest.split("(")[0].split(" ")[0]
    return f"{head} art. {number}"


def rule_citations(rules) -> set[str]:
    """The articles rules decide: each rule's own citation. Its "see also" citations are pointers to related
    guarantees, not findings on them, so they neither answer an expectation nor make a rule exist for it."""
    own = [rule.citation for rule, _doc in rules]
    return {citation_string(c.instrument, c.article, c.part, c.paragraph, c.subparagraph, "en") for c in own}


def decided(finding) -> str:
    """The article a finding decides: its rule's own citation (always first; "see also" follow)."""
    return finding.citations[0] if finding.citations else ""


# ------------------------------------------------------------------ loading, robust to a partial corpus

def load_each(paths: list[Path]) -> tuple[list, list[str]]:
    """Cases loaded one file at a time, so one bad file is reported and the rest still run."""
    cases, problems, seen = [], [], set()
    for path in paths:
        try:
            loaded = load_cases([str(path)])
        except InputErrors as many:
            problems += [str(e) for e in many.errors]
            continue
        except InputError as err:
            problems.append(str(err))
            continue
        for item in loaded:
            if item[1].id in seen:
                problems.append(f"{path}: case id {item[1].id!r} used twice")
                continue
            seen.add(item[1].id)
            cases.append(item)
    return cases, problems


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml")) if folder.is_dir() else []


def read_yaml(path: Path, problems: list[str]):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        problems.append(f"{path}: {err}")
        return None


# ------------------------------------------------------------------ the measures

def findings_by_proceeding(report) -> dict[tuple[str, str], list]:
    return {(c.id, p.id): p.findings for c in report.cases for p in c.proceedings}


def why_not_applicable(finding, kind: str, plan) -> str:
    """The neutral `not applicable` sentence made specific: kind of proceeding, date or scope."""
    rule = plan.by_id.get(finding.rule)
    if rule is None or not finding.explanation.startswith("This rule does not apply"):
        return f"{finding.rule}: {finding.explanation}"
    if kind not in rule.rule.applies_to:
        return f"{finding.rule}: applies to {', '.join(rule.rule.applies_to)} proceedings; this one is {kind}"
    if rule.rule.applies_if:
        return f"{finding.rule}: its scope is false or its date outside: {' '.join(rule.rule.applies_if.split())}"
    return f"{finding.rule}: the act's date is outside the rule's time in force"


def classify(expectation: dict, findings: list, known_citations: set[str], kind: str = "",
             plan=None) -> tuple[str, list[str], str]:
    """How the tool answered one of the body's violations."""
    citation = expectation["citation"]
    matching = [f for f in findings if covers(citation, decided(f))]
    statuses = sorted({f.status for f in matching})
    why = next((why_not_applicable(f, kind, plan) for f in matching if f.status == "not applicable"), "")
    wanted = ("concern",) if expectation.get("class") == "evaluative" else FLAGS
    if any(s in wanted for s in statuses):
        return "same class", statuses, ""
    if any(s in FLAGS + ("concern",) for s in statuses):
        return "other flag", statuses, ""
    if "needs information" in statuses:
        return "asked", statuses, ""
    if not any(covers(citation, c) for c in known_citations):
        return "missed: no rule", statuses, ""
    if "no violation" in statuses:
        return "missed: rule said no", statuses, ""
    return "missed: not applicable", statuses, why


def soft_violations(report) -> list[str]:
    """`violation` findings that rest on a fact that is only reported, alleged or disputed."""
    def statuses(facts):
        for fact in facts:
            if fact.value is not None and fact.status:
                yield fact.status
            yield from statuses(fact.derived_from)

    out = []
    for c in report.cases:
        for p in c.proceedings:
            for f in p.findings:
                if f.status == "violation" and f.kind != "derivation" and set(statuses(f.facts)) & SOFT:
                    out.append(f"{c.id}/{p.id}: {f.rule}")
    return out


def is_question(finding) -> bool:
    """A question put to the observer (derivations feed other rules and ask nothing themselves)."""
    return finding.status == "needs information" and finding.kind != "derivation"


def question_stats(report) -> dict:
    """Questions as the report asks them (one per missing fact per proceeding, facts needed together asked
    once), and, apart, the needs-information findings behind them."""
    from engine.render.grouping import with_questions

    asked = [len(p.questions) for c in report.cases for p in with_questions(c).proceedings]
    findings = [sum(1 for f in p.findings if is_question(f)) for c in report.cases for p in c.proceedings]
    if not asked:
        return {"proceedings": 0, "median": None, "mean": None, "max": None, "findings_median": None,
                "findings_mean": None}
    return {"proceedings": len(asked), "median": statistics.median(asked),
            "mean": round(statistics.fmean(asked), 2), "max": max(asked),
            "findings_median": statistics.median(findings), "findings_mean": round(statistics.fmean(findings), 2)}


def examined_articles(expectations: list[dict]) -> dict[tuple[str, str], set[str]]:
    """Per proceeding, the articles the body decided (an expectation marked `not examined` records that
    the body said nothing on it, so it does not make the article examined)."""
    examined = defaultdict(set)
    for e in expectations:
        if e["body_found"] != "not examined":
            examined[(e["_case"], e["proceeding"])].add(article_of(e["citation"]))
    return examined


def _off_subject(report, expectations: list[dict]):
    """(case, proceeding, finding) for each finding on an article the body did not examine in that proceeding
    (proceedings without a recorded body finding are skipped)."""
    examined = examined_articles(expectations)
    for c in report.cases:
        for p in c.proceedings:
            articles = examined.get((c.id, p.id))
            if articles:
                yield from ((c, p, f) for f in p.findings if article_of(decided(f)) not in articles)


def off_subject_questions(report, expectations: list[dict]) -> Counter:
    """Questions a rule puts on a corpus proceeding about an article the body did not examine there."""
    return Counter(f.rule for _, _, f in _off_subject(report, expectations) if is_question(f))


def off_subject_flags(report, expectations: list[dict]) -> list[dict]:
    """Flags (violation, probable violation, concern) on an article the body did not examine in that
    proceeding: not false positives (the body said nothing either way; a Committee against Torture case
    cannot decide an ICCPR article), listed so a reader can judge them."""
    return [{"case": c.id, "proceeding": p.id, "rule": f.rule, "citation": decided(f), "status": f.status}
            for c, p, f in _off_subject(report, expectations)
            if f.kind != "derivation" and f.status in FLAGS + ("concern",)]


def corpus_measures(report, expectations: list[dict], known: set[str], plan) -> dict:
    by_proc = findings_by_proceeding(report)
    kinds = {(c.id, p.id): p.kind for c in report.cases for p in c.proceedings}
    rows, false_flags, concerns = [], [], []
    per_article: dict[str, Counter] = defaultdict(Counter)
    overall: dict[str, Counter] = {"decidable": Counter(), "evaluative": Counter()}
    for e in expectations:
        findings = by_proc.get((e["_case"], e["proceeding"]), [])
        if e["body_found"] == "violation":
            outcome, statuses, why = classify(e, findings, known, kinds.get((e["_case"], e["proceeding"]), ""), plan)
            see_also = sorted({f.status for f in findings if f.status in FLAGS + ("concern",)
                               and not covers(e["citation"], decided(f))
                               and any(covers(e["citation"], c) for c in f.citations[1:])})
            group = "evaluative" if e.get("class") == "evaluative" else "decidable"
            overall[group][outcome] += 1
            per_article[article_of(e["citation"])][outcome] += 1
            per_article[article_of(e["citation"])]["body violations"] += 1
            rows.append({"case": e["_case"], "proceeding": e["proceeding"], "citation": e["citation"],
                         "class": e.get("class"), "outcome": outcome, "tool": statuses,
                         "authority_verified": e.get("authority_verified"), "paragraph": e.get("paragraph"),
                         "not_applicable_because": why, "flagged_under_see_also": see_also})
        elif e["body_found"] in ("no violation", "inadmissible"):
            flags = sorted({f.status for f in findings if f.status in FLAGS and covers(e["citation"], decided(f))})
            per_article[article_of(e["citation"])]["body found none"] += 1
            if flags:
                per_article[article_of(e["citation"])]["tool flagged anyway"] += 1
                false_flags.append({"case": e["_case"], "proceeding": e["proceeding"], "citation": e["citation"],
                                    "body_found": e["body_found"], "tool": flags})
            elif any(f.status == "concern" and covers(e["citation"], decided(f)) for f in findings):
                # allowed by the target (a concern is no finding of violation), still listed to be judged
                concerns.append({"case": e["_case"], "proceeding": e["proceeding"], "citation": e["citation"],
                                 "body_found": e["body_found"]})
    decidable = overall["decidable"]
    total = sum(decidable.values())
    return {
        "expectations": len(expectations),
        "body_violations": {k: dict(v) for k, v in overall.items()},
        "mechanical_or_presumptive_flagged": f"{decidable['same class']}/{total}" if total else "0/0",
        "mechanical_or_presumptive_rate": round(decidable["same class"] / total, 3) if total else None,
        "per_article": {k: dict(v) for k, v in sorted(per_article.items())},
        "flags_where_body_found_none": false_flags,
        "concerns_where_body_found_none": concerns,
        "rows": rows,
    }


def seed_measures(report, specs: list[dict]) -> dict:
    """The bundled cases' expectations (written beside the rules): met, flagged otherwise, missed."""
    by_proc = findings_by_proceeding(report)
    met = Counter()
    for spec in specs:
        for want in spec.get("expect", []):
            statuses = want["status"] if isinstance(want["status"], list) else [want["status"]]
            found = {f.status for (case, proc), fs in by_proc.items() if case == spec["case"]
                     and want.get("proceeding") in (None, proc) for f in fs
                     if any(covers(want["citation"], c) for c in f.citations)}
            met["met" if found & set(statuses) else "flagged otherwise" if found else "missed"] += 1
        met["pending (no rule yet)"] += len(spec.get("pending", []))
    return dict(met)


# ------------------------------------------------------------------ the run

def run(engine_name: str, corpus_dir: Path, cases_dir: Path, command: str | None = None) -> dict:
    problems: list[str] = []
    rules = load_rules()
    known = rule_citations(rules)
    plan = compile_rules(rules)
    engine = make_engine(EngineName(engine_name), plan)

    corpus_cases, bad = load_each(yaml_files(corpus_dir / "cases"))
    problems += bad
    case_procs = {case.id: {p.id for p in case.proceedings} for _path, case in corpus_cases}
    expectations = []
    for path in yaml_files(corpus_dir / "expected"):
        spec = read_yaml(path, problems)
        if not isinstance(spec, dict):
            continue
        if spec.get("case") not in case_procs:
            problems.append(f"{path}: case {spec.get('case')!r} is not in the corpus (or did not load)")
            continue
        for e in spec.get("findings") or []:
            if e.get("proceeding") not in case_procs[spec["case"]] or e.get("body_found") not in BODY_FOUND:
                problems.append(f"{path}: skipped {e.get('proceeding')!r} {e.get('citation')!r}: "
                                "unknown proceeding or body_found")
                continue
            expectations.append({**e, "_case": spec["case"], "_body": spec.get("body"), "authority_verified":
                                 e.get("authority_verified", spec.get("authority_verified"))})

    seed_cases, bad = load_each([cases_dir])
    problems += bad
    seed_specs = [s for s in (read_yaml(p, problems) for p in yaml_files(ROOT / "tests" / "expected"))
                  if isinstance(s, dict)]

    try:
        corpus_report = build_report(plan, corpus_cases, engine, include_all=True) if corpus_cases else None
        seed_report = build_report(plan, seed_cases, engine, include_all=True) if seed_cases else None
    finally:
        engine.close()

    out = {
        "engine": engine_name,
        "date": datetime.date.today().isoformat(),
        "command": command or f"python benchmarks/accuracy.py --engine {engine_name}",
        "corpus": {"cases": len(corpus_cases), "proceedings": sum(len(p) for p in case_procs.values()),
                   "bodies": dict(Counter(e["_body"] for e in expectations)),
                   "authority_verified": sum(1 for e in expectations if e.get("authority_verified"))},
        "problems": problems,
    }
    if corpus_report:
        out["corpus"].update(corpus_measures(corpus_report, expectations, known, plan))
        out["corpus"]["violations_on_soft_facts"] = soft_violations(corpus_report)
        out["corpus"]["questions_per_proceeding"] = question_stats(corpus_report)
        out["corpus"]["questions_off_subject"] = dict(off_subject_questions(corpus_report, expectations).most_common())
        out["corpus"]["flags_off_subject"] = off_subject_flags(corpus_report, expectations)
    if seed_report:
        out["seed"] = {"cases": len(seed_cases), "expectations": seed_measures(seed_report, seed_specs),
                       "violations_on_soft_facts": soft_violations(seed_report),
                       "questions_per_proceeding": question_stats(seed_report)}
    return out


# ------------------------------------------------------------------ printing

def print_text(r: dict) -> None:
    print(f"trialcheck accuracy benchmark — engine {r['engine']} — run {r['date']}")
    print(f"Reproduce: {r['command']}")
    c = r["corpus"]
    print(f"\nUN corpus: {c['cases']} cases, {c['proceedings']} proceedings, "
          f"{c.get('expectations', 0)} expectations by body {c['bodies'] or '{}'}, "
          f"operative paragraph read for {c['authority_verified']}")
    if "per_article" in c:
        print("\nBody's violations, per article (decidable = mechanical or presumptive; evaluative: concern expected)")
        head = ["article", "body viol."] + list(OUTCOMES) + ["body: none", "tool flagged"]
        print(" | ".join(head))
        for article, n in c["per_article"].items():
            print(" | ".join([article, str(n.get("body violations", 0))] + [str(n.get(o, 0)) for o in OUTCOMES]
                             + [str(n.get("body found none", 0)), str(n.get("tool flagged anyway", 0))]))
        for group, counts in c["body_violations"].items():
            total = sum(counts.values())
            parts = ", ".join(f"{o} {counts.get(o, 0)}" for o in OUTCOMES)
            print(f"overall {group}: {total} — {parts}")
        rate = c["mechanical_or_presumptive_rate"]
        print(f"mechanical or presumptive violations flagged with the same class: {c['mechanical_or_presumptive_flagged']}"
              + (f" ({rate:.1%}; target >= 90%)" if rate is not None else ""))
        print(f"\nTool flags where the body found no violation or inadmissibility: {len(c['flags_where_body_found_none'])}")
        for f in c["flags_where_body_found_none"]:
            print(f"  {f['case']}/{f['proceeding']}: {f['citation']} (body: {f['body_found']}; tool: {', '.join(f['tool'])})")
        print(f"Concerns where the body found no violation or inadmissibility: {len(c['concerns_where_body_found_none'])}")
        for f in c["concerns_where_body_found_none"]:
            print(f"  {f['case']}/{f['proceeding']}: {f['citation']} (body: {f['body_found']})")
        print(f"`violation` findings on reported/alleged/disputed facts: {len(c['violations_on_soft_facts'])}")
        for x in c["violations_on_soft_facts"]:
            print(f"  {x}")
        q = c["questions_per_proceeding"]
        print(f"Questions per proceeding (corpus): median {q['median']}, mean {q['mean']}, max {q['max']} "
              f"over {q['proceedings']} proceedings (needs-information findings behind them: median "
              f"{q['findings_median']}, mean {q['findings_mean']})")
        off = c["questions_off_subject"]
        print(f"Questions on articles the body did not examine in that proceeding: {sum(off.values())}")
        for rule, n in list(off.items())[:10]:
            print(f"  {n:3d}  {rule}")
        flags_off = c["flags_off_subject"]
        print(f"Flags on articles the body did not examine in that proceeding (not counted as false): {len(flags_off)}")
        for x in flags_off:
            print(f"  {x['case']}/{x['proceeding']}: {x['citation']} {x['status']} ({x['rule']})")
        print("\nEach of the body's violations (outcome; tool statuses on that citation):")
        for row in c["rows"]:
            mark = "" if row["authority_verified"] else " [operative paragraph not read]"
            print(f"  {row['case']}/{row['proceeding']} {row['citation']} ({row['class']}): {row['outcome']}"
                  f" — {', '.join(row['tool']) or 'nothing'}{mark}")
            if row["not_applicable_because"]:
                print(f"      ({row['not_applicable_because']})")
            if row["flagged_under_see_also"] and row["outcome"] != "same class":
                print(f"      (flagged only by a rule citing it as 'see also': {', '.join(row['flagged_under_see_also'])})")
    else:
        print("  (no corpus cases found or none loaded)")
    if "seed" in r:
        s = r["seed"]
        q = s["questions_per_proceeding"]
        print(f"\nBundled seed cases ({s['cases']}; expectations written beside the rules, not by a body): "
              + ", ".join(f"{k} {v}" for k, v in sorted(s["expectations"].items())))
        print(f"`violation` findings on reported/alleged/disputed facts: {len(s['violations_on_soft_facts'])}")
        print(f"Questions per proceeding (seed cases): median {q['median']}, mean {q['mean']}, max {q['max']} "
              f"over {q['proceedings']} proceedings (needs-information findings behind them: median "
              f"{q['findings_median']}, mean {q['findings_mean']})")
    if r["problems"]:
        print(f"\nSkipped input ({len(r['problems'])}):")
        for p in r["problems"]:
            print(f"  {p}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=["native", "durable"], default="native")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "un")
    ap.add_argument("--cases", type=Path, default=ROOT / "cases", help="bundled cases (expectations in tests/expected)")
    args = ap.parse_args(argv)
    command = " ".join(["python benchmarks/accuracy.py", "--engine", args.engine]
                       + (["--corpus", str(args.corpus)] if args.corpus != ap.get_default("corpus") else [])
                       + (["--cases", str(args.cases)] if args.cases != ap.get_default("cases") else [])
                       + (["--json"] if args.json else []))
    result = run(args.engine, args.corpus, args.cases, command)
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False, sort_keys=True))
    else:
        print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
