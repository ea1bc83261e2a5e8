"""Timestamps as observers write them: a minute, a day, a month or a year.

A coarser timestamp stands for every minute it covers, so the engine keeps the uncertainty.
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


@lru_cache(maxsize=4096)  # bounded: memory must stay flat on long streams
def parse_moment(text: str) -> Moment:
    """Parse ``2011-09-08T10:00``, ``2011-09-08 10:00``, ``2011-09-08``, ``2011-09`` or ``2011``."""
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
            start = end = datetime(int(y), int(m), int(d), int(hh), int(mm))
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real date or time ({err})") from None
    return Moment(start, end, canonical_text(start, precision=_precision(m, d, hh)))


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
    """Normalise what YAML or JSON gave for a time into the text ``parse_moment`` reads."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str):
        return value
    raise ValueError(f"expected a date or time, got {value!r}")
