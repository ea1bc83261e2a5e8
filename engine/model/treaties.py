"""The treaty table: when each State became bound by each treaty (rules/treaties/ratifications.yaml).

Data, not rules. The evaluator narrows a treaty rule's own dates in force to the dates of the case's
State from this table, so a rule file never repeats a State's date (docs/states.md).
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

from pydantic import Field, PrivateAttr, model_validator

from engine.model.rule import Strict

# The State whose law the domestic layer encodes.
DOMESTIC_STATE = "KZ"

BOUND = ("ratification", "accession", "succession", "declaration")


class Period(Strict):
    """A treaty's own delay between a State's deposit (or ILO registration) and entry into force."""
    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        month = day.month - 1 + self.months
        year, month = day.year + month // 12, month % 12 + 1
        moved = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        return moved + timedelta(days=self.days)


class Instrument(Strict):
    title: str
    general_entry_into_force: date | None = None
    clause: str
    period: Period
    clause_source: str


class Ratification(Strict):
    state: str = Field(pattern=r"^[A-Z]{2}$")
    instrument: str
    act: Literal["ratification", "accession", "succession", "declaration", "not made", "unknown"]
    signed: date | None = None
    deposited: date | None = None
    in_force: date | None = None
    computed: str | None = Field(None, description="the clause the entry into force follows from, when computed")
    denounced: date | None = None
    denunciation_effective: date | None = None
    limits: str | None = Field(None, description="reservations or declarations limiting the instrument")
    verified: bool
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _dates_fit(self):
        if self.act in BOUND and self.in_force is None:
            raise ValueError(f"a {self.act} needs `in_force`")
        if self.act not in BOUND and (self.deposited or self.in_force):
            raise ValueError(f"act {self.act!r} records no dates")
        if self.deposited and self.in_force and self.in_force < self.deposited:
            raise ValueError("`in_force` is before `deposited`")
        if self.denounced and not self.denunciation_effective:
            raise ValueError("a denunciation needs `denunciation_effective`")
        return self

    @property
    def bound(self) -> bool:
        return self.act in BOUND

    @property
    def last_day(self) -> date | None:
        """The last day the instrument binds the State, if it was denounced."""
        if self.denunciation_effective is None:
            return None
        return self.denunciation_effective - timedelta(days=1)


class TreatyTable(Strict):
    instruments: dict[str, Instrument]
    states: dict[str, str] = Field(description="ISO 3166-1 alpha-2 code: name")
    rows: list[Ratification]
    _index: dict[tuple[str, str], Ratification] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _rows_fit(self):
        seen = set()
        for i, row in enumerate(self.rows):
            if row.state not in self.states:
                raise ValueError(f"rows[{i}]: state {row.state!r} is not listed under `states`")
            if row.instrument not in self.instruments:
                raise ValueError(f"rows[{i}]: instrument {row.instrument!r} is not listed under `instruments`")
            if (row.state, row.instrument) in seen:
                raise ValueError(f"rows[{i}]: a second row for {row.state} {row.instrument}")
            seen.add((row.state, row.instrument))
        self._index = {(r.state, r.instrument): r for r in self.rows}
        return self

    def row(self, state: str, instrument: str) -> Ratification | None:
        return self._index.get((state, instrument))

    def state_name(self, state: str) -> str:
        return self.states.get(state, state)
