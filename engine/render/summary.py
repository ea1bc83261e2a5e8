"""The campaign summary an advocate puts at the top of a report: who, how many, under which article, when.

Counts are of distinct people and distinct proceedings (not of findings), so ten rules firing on one
hearing count that proceeding once. "Violated" means a finding of status ``violation`` or ``probable
violation``. Persons punished twice for one act are those with a violation, probable violation or concern
under a ne-bis-in-idem rule:
recognised by its citation (ICCPR art. 14(7), CPC 1997 art. 20, CPC 2014 art. 19, AOC 2001 art. 580,
AOC 2014 art. 741) or by a fact about another proceeding for the same act (``same_act[...]``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.model.instruments import citation_string
from engine.model.finding import Finding, Report
from engine.render.labels import RIGHTS

VIOLATED = ("violation", "probable violation")
# "punished twice" lists concerns too: ICCPR 14(7) across administrative and criminal proceedings is weighed,
# and a summary saying "none" beside two such concerns would mislead
TWICE_SHOWN = ("violation", "probable violation", "concern")
STATUSES = ("violation", "probable violation", "concern", "needs information")

# (instrument, article, part) of the rules against punishing twice for one act
NE_BIS_IN_IDEM = [("ICCPR", "14", "7"), ("KZ-CPC-1997", "20", None), ("KZ-CPC-2014", "19", None),
                  ("KZ-CAO-2001", "580", None), ("KZ-CAO-2014", "741", None)]


def _ne_bis_patterns() -> list[re.Pattern]:
    out = []
    for instrument, article, part in NE_BIS_IN_IDEM:
        for lang in ("en", "ru"):
            text = re.escape(citation_string(instrument, article, part, lang=lang))
            out.append(re.compile(text + r"(?![0-9])"))
    return out


_PATTERNS = _ne_bis_patterns()


def is_ne_bis_in_idem(finding: Finding) -> bool:
    if any(p.match(c) for c in finding.citations for p in _PATTERNS):
        return True
    return any(f.path.startswith("same_act[") for f in finding.facts)


def year_of(finding: Finding) -> str | None:
    if finding.act_date:
        match = re.search(r"(19|20)\d\d", finding.act_date)
        if match:
            return match.group(0)
    return None


@dataclass
class Tally:
    """Distinct people and proceedings under one heading."""

    people: set = field(default_factory=set)
    proceedings: set = field(default_factory=set)

    def add(self, person_key, proceeding_key) -> None:
        self.people.add(person_key)
        self.proceedings.add(proceeding_key)

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.people), len(self.proceedings)


@dataclass
class TwiceEntry:
    case: str
    case_title: str
    person: str
    person_name: str
    proceeding: str
    rule: str
    status: str
    citation: str
    explanation: str
    others: list[str]


@dataclass
class Campaign:
    cases: int = 0
    people: int = 0
    proceedings: int = 0
    flagged_people: int = 0
    flagged_proceedings: int = 0
    by_right: dict[str, Tally] = field(default_factory=dict)
    by_article: dict[str, Tally] = field(default_factory=dict)
    by_status: dict[str, Tally] = field(default_factory=dict)
    by_year: dict[str, Tally] = field(default_factory=dict)
    twice: list[TwiceEntry] = field(default_factory=list)


def campaign(report: Report) -> Campaign:
    out = Campaign(cases=len(report.cases))
    people, proceedings, flagged_people, flagged_proceedings = set(), set(), set(), set()
    by_right = {r: Tally() for r in RIGHTS}
    by_article: dict[str, Tally] = {}
    by_status = {s: Tally() for s in STATUSES}
    by_year: dict[str, Tally] = {}
    for case in report.cases:
        for proc in case.proceedings:
            pkey, prkey = (case.id, proc.person), (case.id, proc.id)
            people.add(pkey)
            proceedings.add(prkey)
            for f in proc.findings:
                if f.status in by_status:
                    by_status[f.status].add(pkey, prkey)
                if f.status in TWICE_SHOWN and is_ne_bis_in_idem(f):
                    others = sorted({fact.path.split("]")[0][len("same_act["):] for fact in f.facts
                                     if fact.path.startswith("same_act[")})
                    out.twice.append(TwiceEntry(case.id, case.title or case.id, proc.person, proc.person_name, proc.id,
                                                f.rule, f.status, f.citations[0], f.explanation, others))
                if f.status not in VIOLATED:
                    continue
                flagged_people.add(pkey)
                flagged_proceedings.add(prkey)
                by_right.setdefault(f.right or "other", Tally()).add(pkey, prkey)
                by_article.setdefault(f.citations[0], Tally()).add(pkey, prkey)
                year = year_of(f)
                if year:
                    by_year.setdefault(year, Tally()).add(pkey, prkey)
    out.people, out.proceedings = len(people), len(proceedings)
    out.flagged_people, out.flagged_proceedings = len(flagged_people), len(flagged_proceedings)
    out.by_right = {k: v for k, v in by_right.items() if v.people}
    out.by_article = dict(sorted(by_article.items(), key=lambda kv: (-len(kv[1].people), kv[0])))
    out.by_status = {k: v for k, v in by_status.items() if v.people}
    out.by_year = dict(sorted(by_year.items()))
    order = {s: i for i, s in enumerate(TWICE_SHOWN)}
    out.twice.sort(key=lambda t: (t.person_name, t.case, t.proceeding, order[t.status], t.rule))
    return out
