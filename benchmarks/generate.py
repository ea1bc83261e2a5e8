"""A seeded generator of synthetic cases (as case-file dicts), for benchmarks and batch tests.

Usage: python benchmarks/generate.py N [SEED] > cases.jsonl   (one case per line)
"""
from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta

STATUSES = ["established", "observed", "reported", "alleged", "disputed"]


def _time(rng: random.Random, base: datetime, hours: float) -> str:
    moment = base + timedelta(hours=hours)
    return moment.strftime("%Y-%m-%d") if rng.random() < 0.2 else moment.strftime("%Y-%m-%dT%H:%M")


def _maybe(rng: random.Random, value, p_unknown=0.15):
    if rng.random() < p_unknown:
        return "unknown"
    if rng.random() < 0.3:
        return {"value": value, "status": rng.choice(STATUSES), "quote": "synthetic"}
    return value


def make_case(index: int, rng: random.Random) -> dict:
    base = datetime(rng.choice([2009, 2011, 2012, 2013, 2016, 2019]), rng.randint(1, 12), rng.randint(1, 28),
                    rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
    kind = rng.choice(["administrative", "criminal", "criminal", "labour"])
    code = {"administrative": ("KZ-CAO-2001" if base.year < 2015 else "KZ-CAO-2014", rng.choice(["373", "355"])),
            "criminal": ("KZ-CC-1997" if base.year < 2015 else "KZ-CC-2014", rng.choice(["334", "164", "400", "174"])),
            "labour": ("KZ-LC-2007" if base.year < 2016 else "KZ-LC-2015", "303")}[kind]
    held = rng.uniform(1, 120)
    custody = [{"start": _time(rng, base, 0), "before_judge": _maybe(rng, _time(rng, base, held)),
                "warrant": _maybe(rng, rng.random() < 0.5), "basis": rng.choice(
                    ["administrative_detention", "suspect_detention", "pretrial_custody"])}]
    if rng.random() < 0.5:
        custody[0]["end"] = _time(rng, base, held + rng.uniform(0, 400))
    sanctions = []
    if kind == "administrative":
        sanctions.append(rng.choice([{"kind": "fine", "amount": rng.choice([7560, 22680, 80000, 151200])},
                                     {"kind": "arrest", "days": rng.randint(1, 20)}]))
    elif kind == "criminal":
        sanctions.append({"kind": "prison", "months": rng.randint(6, 90), "suspended": _maybe(rng, rng.random() < 0.3)})
        if rng.random() < 0.2:
            sanctions.append({"kind": "ban", "years": rng.randint(1, 4)})
    return {
        "id": f"synthetic-{index}",
        "sources": [{"id": "gen", "title": "synthetic"}],
        "defaults": {"source": "gen", "status": rng.choice(STATUSES)},
        "people": [{"id": "p", "name": f"Person {index}"}],
        "incidents": [{"id": "i", "kind": rng.choice(["assembly", "strike", "speech"]),
                       "date": _time(rng, base, -rng.uniform(0, 48)), "peaceful": _maybe(rng, rng.random() < 0.8),
                       "authorised": _maybe(rng, rng.random() < 0.3)}],
        "proceedings": [{
            "id": "p1", "kind": kind, "person": "p", "incident": "i",
            "role": _maybe(rng, rng.choice(["organiser", "participant", "speaker"])),
            "charges": [{"code": code[0], "article": code[1]}],
            "custody": custody,
            "hearings": [{"date": _time(rng, base, held + 1), "public": _maybe(rng, rng.random() < 0.6),
                          "lawyer_present": _maybe(rng, rng.random() < 0.5),
                          "lawyer_requested": _maybe(rng, rng.random() < 0.5)}],
            "decision": {"date": _time(rng, base, held + 2), "sanctions": sanctions},
        }],
    }


def generate(n: int, seed: int = 1):
    rng = random.Random(seed)
    for i in range(n):
        yield make_case(i, rng)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    out = sys.stdout
    for case in generate(count, seed):
        out.write(json.dumps(case, sort_keys=True) + "\n")
