"""Timestamps as observers write them: a minute, a day, a month or a year; bounds; about; never.

A coarser timestamp stands for every minute it covers, so the engine keeps the uncertainty. Sources
also give times only by bounds ("by 19:30", "in the morning": ``2011-12-16T06:00/2011-12-16T12:00``,
an open side written ``..``), approximately ("about 20:20": ``~2011-12-16T20:20``), or say an event
never happened ("never brought before a judge": ``never``). Each is a ``Moment`` too: bounds and
"about" are intervals, "never" lies beyond every real time, so durations measured to it are open.
"""
from __future__ import annotations

import calendar
import re
from functools import lru_cache
from datetime import date, datetime, timedelta

from engine.model.values import Moment

_PATTERN = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?)?)?$"
)


FAR_PAST = datetime(1, 1, 1)
FAR_FUTURE = datetime(9999, 12, 31, 23, 59)
NEVER_TEXT = "never"
NEVER = Moment(FAR_FUTURE, FAR_FUTURE, NEVER_TEXT)  # an event that did not happen: after every real time
OPEN = ".."  # an open side of bounds
# "about" widens a time by a margin that grows with its precision
_ABOUT = {"minute": timedelta(minutes=30), "day": timedelta(days=1), "month": timedelta(days=15),
          "year": timedelta(days=183)}


@lru_cache(maxsize=4096)  # bounded: memory must stay flat on long streams
def parse_moment(text: str) -> Moment:
    """Parse ``2011-09-08T10:00``, ``2011-09-08 10:00``, ``2011-09-08``, ``2011-09``, ``2011``; bounds
    ``A/B`` (either side ``..`` when open), ``~A`` (about A) and ``never``."""
    text = text.strip()
    if text == NEVER_TEXT:
        return NEVER
    if "/" in text:
        return _bounds(*text.split("/", 1))
    if text.startswith("~"):
        point = _point(text[1:])
        margin = _ABOUT[_precision_of(point)]
        return Moment(max(point.earliest - margin, FAR_PAST), min(point.latest + margin, FAR_FUTURE), "~" + point.text)
    return _point(text)


def _bounds(after: str, before: str) -> Moment:
    after, before = after.strip(), before.strip()
    if after in ("", OPEN) and before in ("", OPEN):
        raise ValueError("bounds need at least one side: write 2011-12-16T18:00/2011-12-16T19:30, or .. for an open side")
    lo = _point(after) if after not in ("", OPEN) else None
    hi = _point(before) if before not in ("", OPEN) else None
    earliest = lo.earliest if lo else FAR_PAST
    latest = hi.latest if hi else FAR_FUTURE
    if earliest > latest:
        raise ValueError(f"the bounds {after}/{before} are in the wrong order (after must come before before)")
    return Moment(earliest, latest, f"{lo.text if lo else OPEN}/{hi.text if hi else OPEN}")


def _precision_of(moment: Moment) -> str:
    text = moment.text
    return "minute" if "T" in text else "day" if text.count("-") == 2 else "month" if "-" in text else "year"


def _point(text: str) -> Moment:
    fast = _canonical_point(text)
    if fast is not None:
        return fast
    match = _PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"not a date or time: {text!r} (write 2011-09-08 or 2011-09-08T10:00)")
    y, m, d, hh, mm = (match.group(k) for k in ("y", "m", "d", "H", "M"))
    try:
        if m is None:
            start, end = datetime(int(y), 1, 1), datetime(int(y), 12, 31, 23, 59)
        elif d is None:
            last = calendar.monthrange(int(y), int(m))[1]
            start, end = datetime(int(y), int(m), 1), datetime(int(y), int(m), last, 23, 59)
        elif hh is None:
            start = datetime(int(y), int(m), int(d))
            end = start + timedelta(hours=23, minutes=59)
        else:
            # seconds are checked (23:59:60 and 10:00:99 are no time) and then dropped: the engine counts minutes
            start = end = datetime(int(y), int(m), int(d), int(hh), int(mm), int(match.group("S") or 0)).replace(second=0)
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real date or time ({err})") from None
    return Moment(start, end, canonical_text(start, precision=_precision(m, d, hh)))


_CANONICAL = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d)?", re.ASCII)  # a day or minute as canonical_text writes it


def _canonical_point(text: str) -> Moment | None:
    """A day or minute already written as ``canonical_text`` gives it (what validation leaves in a case, so what
    derivation reads), read by the C parser: same Moment; None for anything else (the pattern decides)."""
    match = _CANONICAL.fullmatch(text)
    if match is None:
        return None
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        return None  # not a real date: the pattern's path says so in its words
    return Moment(start, start if match.group(1) else start + _DAY_SPAN, text)


_DAY_SPAN = timedelta(hours=23, minutes=59)


def _precision(m, d, hh) -> str:
    return "year" if m is None else "month" if d is None else "day" if hh is None else "minute"


def canonical_text(start: datetime, precision: str) -> str:
    if precision == "year":
        return f"{start.year:04d}"
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    day = f"{start.year:04d}-{start.month:02d}-{start.day:02d}"
    return day if precision == "day" else f"{day}T{start.hour:02d}:{start.minute:02d}"


def moment_of_day(day: date) -> Moment:
    start = datetime(day.year, day.month, day.day)
    return Moment(start, start + timedelta(hours=23, minutes=59), f"{day:%Y-%m-%d}")


def as_text(value) -> str:
    """Normalise what YAML or JSON gave for a time into the text ``parse_moment`` reads.

    ``{after: A, before: B}`` (either may be left out) becomes ``A/B``; ``{about: A}`` becomes ``~A``."""
    if isinstance(value, dict):
        keys = set(value)
        if keys and keys <= {"after", "before"}:
            after, before = value.get("after"), value.get("before")
            return f"{OPEN if after is None else as_text(after)}/{OPEN if before is None else as_text(before)}"
        if keys == {"about"}:
            return "~" + as_text(value["about"])
        raise ValueError(f"expected a time, {{after: ..., before: ...}} or {{about: ...}}, got keys {sorted(keys)}")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str):
        return _dotted(value)
    raise ValueError(f"expected a date or time, got {value!r}")


_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T]+(\d{1,2}):(\d{2}))?\s*$")


def _dotted(text: str) -> str:
    """``05.03.2012 09:00``, the way Kazakh documents write dates (day first), as ``2012-03-05T09:00``."""
    match = _DOTTED.match(text)
    if not match:
        return text
    d, m, y, hh, mm = match.groups()
    return f"{y}-{int(m):02d}-{int(d):02d}" + (f"T{int(hh):02d}:{mm}" if hh is not None else "")
