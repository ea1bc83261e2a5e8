"""The benchmark rule set (benchmarks/rules/) written by hand in plain Python, on the case objects.

This is the practical speed limit for the native engine: no rule language, no fact tree, just the
arithmetic each rule needs. It must give the same outcome as the engine for every proceeding;
bench_engine.py checks that before it times anything.
"""
from __future__ import annotations

from datetime import date

from engine.evaluate.outcome import combine
from engine.derive.mci import mci_of
from engine.model.case import Case
from engine.model.values import Status
from engine.model.when import parse_moment

FIRM = ("established", "observed")
LAWFUL_CLOSURE = {"state_secret", "minor", "sexual_offence", "private_life", "safety"}


def check(case: Case) -> dict[tuple[str, str], str]:
    default = case.defaults.status or "reported"
    out = {}
    for proc in case.proceedings:
        incident = next((i for i in case.incidents if i.id == proc.incident), None)
        out[(proc.id, "bench.custody-before-judge")] = custody_rule(proc, default)
        out[(proc.id, "bench.closed-hearing")] = hearing_rule(proc, default, _closed)
        out[(proc.id, "bench.lawyer-refused")] = hearing_rule(proc, default, _lawyer)
        out[(proc.id, "bench.arrest-without-grounds")] = arrest_rule(proc, incident, default)
        out[(proc.id, "bench.fine-above-max")] = fine_rule(proc, incident, default)
        out[(proc.id, "bench.prison-above-max")] = prison_rule(proc, incident, default)
    return out


def _v(given):
    return None if given is None else given.value


def _st(given, default):
    return (given.status if given is not None and given.status else default)


def _verdict(truth, statuses):
    if truth is None:
        return "needs information"
    if truth is False:
        return "no violation"
    return "violation" if all(s in FIRM for s in statuses) else "probable violation"


def _periods(act, start: date, cuts: list[date], until: date | None):
    """Candidate periods (index list) for an act moment, and whether it may fall outside the law's dates."""
    bounds = []
    for i, cut in enumerate(cuts):
        end = date.fromordinal(cuts[i + 1].toordinal() - 1) if i + 1 < len(cuts) else until
        bounds.append((cut, end))
    if act is None:
        return list(range(len(bounds))), True
    first, last = act.earliest.date(), act.latest.date()
    chosen = [i for i, (s, e) in enumerate(bounds) if s <= last and (e is None or e >= first)]
    inside = start <= first and (until is None or last <= until)
    return chosen, not inside


def _finish(outcomes, outside):
    if not outcomes:
        return "not applicable"
    if outside and any(o != "not applicable" for o in outcomes):
        outcomes = outcomes + ["not applicable"]
    return combine(outcomes)


def custody_rule(proc, default):
    if proc.kind not in ("criminal", "administrative"):
        return "not applicable"
    starts = [parse_moment(c.start.value) for c in proc.custody if _v(c.start) is not None]
    act = min(starts, key=lambda m: (m.lo, m.hi)) if starts else None
    periods, outside = _periods(act, date(1998, 1, 1), [date(1998, 1, 1), date(2018, 1, 1)], None)
    if not proc.custody:
        return _finish(["not applicable"] * len(periods), outside)
    appearances = [parse_moment(a.at.value) for a in proc.court_appearances if _v(a.at) is not None]
    outcomes = []
    for index in periods:
        limit = (72, 48)[index]
        truth, statuses = False, []
        for c in proc.custody:
            if _v(c.start) is None:
                truth = None if truth is False else truth
                continue
            start = parse_moment(c.start.value)
            judge, judge_status = None, None
            if _v(c.before_judge) is not None:
                judge, judge_status = parse_moment(c.before_judge.value), _st(c.before_judge, default)
            else:
                later = [(a, x) for a, x in zip(appearances, [p for p in proc.court_appearances if _v(p.at) is not None])
                         if a.hi >= start.lo]
                if later:
                    judge, given = min(later, key=lambda pair: pair[0].lo)
                    judge_status = _st(given.at, default)
            # as the engine derives it: with the custody ended, a judge not recorded came within the whole
            # period held or never mattered (0 to the whole), and one seen only after the release counts the
            # whole period
            end = parse_moment(c.end.value) if _v(c.end) is not None else None
            whole = None if end is None else (round((end.lo - start.hi) / 60, 2), round((end.hi - start.lo) / 60, 2))
            after = []  # the end's status too, when the whole period is what counts
            if judge is None:
                if whole is None:
                    truth = None if truth is False else truth
                    continue
                lo, hi = 0.0, whole[1]
            else:
                lo, hi = round((judge.lo - start.hi) / 60, 2), round((judge.hi - start.lo) / 60, 2)
                if whole is not None and lo > whole[1]:
                    lo, hi = whole
                    after = [_st(c.end, default)]
            if lo > limit:
                truth, statuses = True, [_st(c.start, default), judge_status] + after
                break
            if hi > limit:
                truth = None if truth is False else truth
        outcomes.append(_verdict(truth, statuses))
    return _finish(outcomes, outside)


def _closed(h, default):
    public, ground = _v(h.public), _v(h.closure_ground)
    first = None if public is None else public is False
    if first is False:
        return False, []
    second = None if ground is None else ground not in LAWFUL_CLOSURE
    if second is False:
        return False, []
    if first and second:
        return True, [_st(h.public, default), _st(h.closure_ground, default)]
    return None, []


def _lawyer(h, default):
    asked, present = _v(h.lawyer_requested), _v(h.lawyer_present)
    first = None if asked is None else asked is True
    second = None if present is None else present is False
    if first is False or second is False:
        return False, []
    if first and second:
        return True, [_st(h.lawyer_requested, default), _st(h.lawyer_present, default)]
    return None, []


def hearing_rule(proc, default, test):
    if proc.kind not in ("criminal", "administrative"):
        return "not applicable"
    dates = [parse_moment(h.date.value) for h in proc.hearings if _v(h.date) is not None]
    act = min(dates, key=lambda m: (m.lo, m.hi)) if dates else None
    periods, outside = _periods(act, date(2006, 4, 24), [date(2006, 4, 24)], None)
    if not proc.hearings:
        return _finish(["not applicable"] * len(periods), outside)
    truth, statuses = False, []
    for h in proc.hearings:
        t, s = test(h, default)
        if t is True:
            truth, statuses = True, s
            break
        if t is None:
            truth = None
    return _finish([_verdict(truth, statuses)] * len(periods), outside)


def _charged(proc, code, article):
    return any(ch.code == code and ch.article == article for ch in proc.charges)


def _conduct(incident):
    return parse_moment(incident.date.value) if incident is not None and _v(incident.date) is not None else None


def _sanction_total(proc, kind, units):
    """(total, statuses) of a sanction kind in the decision, or (None, []) when unknown."""
    decision = proc.decision
    if decision is None:
        return None, []
    if not decision.sanctions:
        return (0, []) if _v(decision.outcome) in ("acquitted", "dismissed", "rejected") else (None, [])
    total, statuses = 0.0, []
    for s in decision.sanctions:
        if s.kind != kind:
            continue
        known = [(getattr(s, f), factor) for f, factor in units if _v(getattr(s, f)) is not None]
        if not known:
            return None, []
        for given, factor in known:
            total += given.value * factor
            statuses.append(given.status)
    return total, statuses


def arrest_rule(proc, incident, default):
    if proc.kind != "administrative":
        return "not applicable"
    periods, outside = _periods(_conduct(incident), date(2001, 1, 30), [date(2001, 1, 30)], date(2014, 12, 31))
    if not periods:
        return "not applicable"
    if not _charged(proc, "KZ-CAO-2001", "373"):
        return _finish(["not applicable"] * len(periods), outside)
    days, statuses = _sanction_total(proc, "arrest", [("days", 1)])
    role, prior = _v(proc.role), _v(proc.prior_penalty_within_year)
    first = None if days is None else days > 0
    excuse_known = role == "organiser" or prior is True
    excuse = True if excuse_known else (None if role is None or prior is None else False)
    second = None if excuse is None else not excuse
    if first is False or second is False:
        truth = False
    elif first and second:
        truth = True
        statuses = [s or default for s in statuses] + [_st(proc.role, default), _st(proc.prior_penalty_within_year, default)]
    else:
        truth = None
    return _finish([_verdict(truth, statuses)] * len(periods), outside)


def fine_rule(proc, incident, default):
    if proc.kind != "administrative":
        return "not applicable"
    periods, outside = _periods(_conduct(incident), date(2001, 1, 30), [date(2001, 1, 30)], date(2014, 12, 31))
    if not periods:
        return "not applicable"
    if not _charged(proc, "KZ-CAO-2001", "373"):
        return _finish(["not applicable"] * len(periods), outside)
    decision = proc.decision
    truth, statuses = None, []
    if decision is not None and (decision.sanctions or _v(decision.outcome) in ("acquitted", "dismissed", "rejected")):
        lo = hi = 0.0
        known = True
        for s in decision.sanctions:
            if s.kind != "fine":
                continue
            if _v(s.mci) is not None:
                lo, hi = lo + s.mci.value, hi + s.mci.value
                statuses.append(_st(s.mci, default))
                continue
            # the MCI of the opening for an AOC 2014 charge (its art. 44(1)), else of the decision
            day = proc.opened if any(ch.code == "KZ-CAO-2014" for ch in proc.charges) else decision.date
            if _v(s.amount) is None or _v(day) is None:
                known = False
                break
            when = parse_moment(day.value)
            table = [mci_of(y) for y in range(when.earliest.year, when.latest.year + 1)]
            if any(t is None for t in table):
                known = False
                break
            if not any(float(s.amount.value / t[0]).is_integer() for t in table):
                known = False  # fines are set in whole MCI: a round tenge figure is approximate, the MCI is asked
                break
            lo += s.amount.value / max(t[0] for t in table)
            hi += s.amount.value / min(t[0] for t in table)
            statuses += [_st(s.amount, default), _st(day, default)]
            if not all(t[1] for t in table):
                statuses.append(Status.reported.value)
        if known:
            lo, hi = round(lo, 2), round(hi, 2)
            truth = True if lo > 50 else False if hi <= 50 else None
    return _finish([_verdict(truth, statuses)] * len(periods), outside)


def prison_rule(proc, incident, default):
    if proc.kind != "criminal":
        return "not applicable"
    periods, outside = _periods(_conduct(incident), date(1998, 1, 1), [date(1998, 1, 1)], date(2014, 12, 31))
    if not periods:
        return "not applicable"
    if not (len(proc.charges) == 1 and _charged(proc, "KZ-CC-1997", "334")):
        return _finish(["not applicable"] * len(periods), outside)
    months, statuses = _sanction_total(proc, "prison", [("months", 1), ("years", 12), ("days", 1 / 30)])
    truth = None if months is None else months > 12
    statuses = [s or default for s in statuses]
    return _finish([_verdict(truth, statuses)] * len(periods), outside)
