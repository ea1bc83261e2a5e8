"""Values the engines reason over: exact scalars, uncertain quantities and moments in time.

A fact whose value is ``None`` is unknown. A time recorded with only a date is a ``Moment`` whose
earliest and latest minutes differ; a duration between two such moments is a ``Span``. Comparisons
on them are three-valued (see ``engine/model/logic.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import NamedTuple

EPOCH = datetime(1970, 1, 1)
OPEN_HOURS = 50_000_000  # a duration this long reaches an open bound or "never" (more than 5,000 years)


class Status(str, Enum):
    """How sure a fact is, strongest first."""

    established = "established"  # court record, official document
    observed = "observed"  # a monitor saw it
    reported = "reported"
    alleged = "alleged"
    disputed = "disputed"

    @property
    def rank(self) -> int:
        return _RANK[self._value_]

    @property
    def is_firm(self) -> bool:
        """Firm facts support a ``violation``; the rest only a ``probable violation``."""
        return self in (Status.established, Status.observed)


_RANK = {s.value: i for i, s in enumerate(Status)}


def weakest(statuses) -> Status | None:
    found = [s for s in statuses if s is not None]
    return max(found, key=lambda s: s.rank) if found else None


@dataclass(frozen=True, slots=True)
class Span:
    """A quantity known only to lie in [lo, hi] (hours between two date-only moments, say)."""

    lo: float
    hi: float

    def __str__(self) -> str:
        if self.lo >= OPEN_HOURS:
            return "never"
        if self.hi >= OPEN_HOURS:
            return f"{_num(self.lo)} or more"
        if self.lo == self.hi:
            return _num(self.lo)
        return f"{_num(self.lo)}–{_num(self.hi)}"


@dataclass(frozen=True, slots=True)
class Moment:
    """A point in time known to lie in [earliest, latest] (inclusive, minute resolution)."""

    earliest: datetime
    latest: datetime
    text: str

    @property
    def lo(self) -> float:
        return (self.earliest - EPOCH) / timedelta(minutes=1)

    @property
    def hi(self) -> float:
        return (self.latest - EPOCH) / timedelta(minutes=1)

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest

    def __str__(self) -> str:
        return self.text


def hours_between(start: Moment, end: Moment) -> Span:
    """Hours from ``start`` to ``end``, as wide as the uncertainty of both."""
    return Span(round((end.lo - start.hi) / 60, 2), round((end.hi - start.lo) / 60, 2))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


class Fact(NamedTuple):
    """A leaf of the fact tree: a value (None when unknown) and where it came from."""

    value: object
    path: str = ""
    status: Status | None = None
    source: str | None = None
    quote: str | None = None
    inputs: tuple = ()  # for a derived fact: the recorded facts it was computed from

    @property
    def known(self) -> bool:
        return self.value is not None
