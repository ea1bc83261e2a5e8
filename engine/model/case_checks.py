"""Checks a case needs beyond field types: references resolve, ids are unique, time runs forward."""
from __future__ import annotations

from engine.model.logic import compare
from engine.model.case import Case
from engine.model.instruments import INSTRUMENTS
from engine.model.when import parse_moment


def problems(case: Case):
    """Yield (location, message) for each inconsistency; locations are paths into the file."""
    yield from _unique(case.sources, ("sources",), "source")
    yield from _unique(case.people, ("people",), "person")
    yield from _unique(case.incidents, ("incidents",), "incident")
    yield from _unique(case.proceedings, ("proceedings",), "proceeding")
    sources = {s.id for s in case.sources}
    people = {p.id for p in case.people}
    incidents = {i.id for i in case.incidents}
    if case.defaults.source and case.defaults.source not in sources:
        yield ("defaults", "source"), f"source {case.defaults.source!r} is not in `sources`"
    for i, inc in enumerate(case.incidents):
        if inc.organiser and inc.organiser not in people:
            yield ("incidents", i, "organiser"), f"person {inc.organiser!r} is not in `people`"
    for i, proc in enumerate(case.proceedings):
        loc = ("proceedings", i)
        if proc.person not in people:
            yield loc + ("person",), f"person {proc.person!r} is not in `people`{_hint(proc.person, people)}"
        for ref, where in ([(proc.incident, loc + ("incident",))] if proc.incident else []) + [
                (x, loc + ("incidents", j)) for j, x in enumerate(proc.incidents)]:
            if ref not in incidents:
                yield where, f"incident {ref!r} is not in `incidents`{_hint(ref, incidents)}"
        custody_ids = {c.id for c in proc.custody if c.id}
        for j, ch in enumerate(proc.charges):
            if ch.code and ch.code.upper().startswith("KZ-") and ch.code not in INSTRUMENTS:
                yield loc + ("charges", j, "code"), (f"unknown Kazakh code {ch.code!r}"
                                                     f"{_hint(ch.code, {k for k in INSTRUMENTS if k.startswith('KZ-')})}")
        for j, a in enumerate(proc.allegations):
            if a.custody and a.custody not in custody_ids:
                yield loc + ("allegations", j, "custody"), f"custody {a.custody!r} is not a custody id of this proceeding"
            if a.victim and a.victim not in people:
                yield loc + ("allegations", j, "victim"), f"person {a.victim!r} is not in `people`{_hint(a.victim, people)}"
        for j, ch in enumerate(proc.charges):
            yield from _ordered(ch.charged_at, ch.until, loc + ("charges", j, "until"),
                                "until is before charged_at (the charge dropped before it was brought)")
        for j, act in enumerate(proc.investigative_acts):
            if act.custody and act.custody not in custody_ids:
                yield loc + ("investigative_acts", j, "custody"), (f"custody {act.custody!r} is not a custody id of "
                                                                   "this proceeding")
        for j, e in enumerate(proc.expression):
            if e.incident and e.incident not in incidents:
                yield loc + ("expression", j, "incident"), f"incident {e.incident!r} is not in `incidents`"
        for j, c in enumerate(proc.custody):
            if c.follows and not _custody_exists(case, proc.id, c.follows):
                yield loc + ("custody", j, "follows"), (f"custody {c.follows!r} not found (write a custody id of this "
                                                        "proceeding, or proceeding-id/custody-id)")
            yield from _ordered(c.start, c.end, loc + ("custody", j, "end"), "custody ends before it starts")
            for name in ("before_judge", "protocol_at", "relatives_told_at", "lawyer_access_at", "acknowledged_at"):
                yield from _ordered(c.start, getattr(c, name), loc + ("custody", j, name), f"{name} is before custody began")
        for j, a in enumerate(proc.appeals):
            yield from _ordered(a.filed, a.heard, loc + ("appeals", j, "heard"), "appeal heard before it was filed")
        yield from _terms_fit_the_calendar(proc, loc)
    yield from _sources_exist(case, sources)


def _terms_fit_the_calendar(proc, loc):
    """A term counted from a custody start (the arrest days imposed, a stated length) must end by 9999-12-31:
    derived ends are computed with the calendar, which stops there."""
    from datetime import timedelta

    sanctions = proc.decision.sanctions if proc.decision else []
    arrest = [(k, s.days.value) for k, s in enumerate(sanctions)
              if s.kind == "arrest" and s.days is not None and s.days.value is not None]
    days = sum(d for _, d in arrest)
    for j, c in enumerate(proc.custody):
        if c.start is None or c.start.value is None:
            continue
        latest = parse_moment(c.start.value).latest
        terms = [(loc + ("decision", "sanctions", arrest[-1][0], "days"), days, "days")] if arrest else []
        hours = getattr(c, "stated_hours", None)
        if hours is not None and hours.value is not None:
            terms.append((loc + ("custody", j, "stated_hours"), hours.value, "hours"))
        for where, amount, unit in terms:
            try:
                latest + timedelta(**{unit: amount})
            except (OverflowError, ValueError):
                yield where, f"{_count(amount)} {unit} from {c.start.value} runs past the year 9999"


def _count(amount: float) -> str:
    return f"{int(amount):,}" if float(amount).is_integer() else f"{amount:,}"


def _custody_exists(case: Case, proceeding_id: str, ref: str) -> bool:
    proc_id, _, custody_id = ref.rpartition("/")
    return any(c.id == custody_id for p in case.proceedings if p.id == (proc_id or proceeding_id) or not proc_id
               for c in p.custody)


def _unique(items, loc, what):
    seen = {}
    for i, item in enumerate(items):
        if item.id in seen:
            yield loc + (i, "id"), f"duplicate {what} id {item.id!r} (first at item {seen[item.id] + 1})"
        seen.setdefault(item.id, i)


def _ordered(start, end, loc, message):
    if start is None or end is None or start.value is None or end.value is None:
        return
    if compare("<", parse_moment(end.value), parse_moment(start.value)) is True:
        yield loc, f"{message} ({end.value} < {start.value})"


def _sources_exist(case: Case, sources: set[str]):
    """Every `source:` named on a fact must be declared."""
    def walk(value, loc):
        if isinstance(value, dict):
            if "source" in value and isinstance(value.get("source"), str) and ("value" in value or "quote" in value):
                if value["source"] not in sources:
                    yield loc + ("source",), f"source {value['source']!r} is not in `sources`"
            for key, child in value.items():
                yield from walk(child, loc + (key,))
        elif isinstance(value, list):
            for i, child in enumerate(value):
                yield from walk(child, loc + (i,))

    yield from walk(case.model_dump(exclude_none=True, include={"people", "incidents", "proceedings"}), ())


def _hint(word, options) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
