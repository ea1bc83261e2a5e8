"""The monthly calculation index (MCI, МРП) by the date each value took effect: fines are set in MCI and paid
in tenge.

The MCI is fixed by the annual law on the republican budget and took effect on 1 January in the years on
file, but a budget law can change it within a year (from 1 July 2009 it was 1,296 tenge), so the table is
keyed by the day a value took effect, never by the year. Values and their sources are in
``../shared/law/kz_admin_offences.md`` and beside each entry; a day with no value on file gives an unknown
MCI (the engine then asks), never a guess.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple


class Mci(NamedTuple):
    tenge: int
    confirmed: bool
    source: str


# (the day the value took effect, the value or None where no value is on file from that day)
MCI: tuple[tuple[date, Mci | None], ...] = (
    (date(2009, 7, 1), Mci(1296, True, "yk.kz news of 6 Jan 2010: 'с 1 июля 2009 года ставка МРП … 1296 тенге'")),
    (date(2010, 1, 1), Mci(1413, True, "Law on the republican budget 2010-2012 (yk.kz news of 6 Jan 2010, 11 Jan 2011)")),
    (date(2011, 1, 1), Mci(1512, True, "Law on the republican budget 2011-2013 (kt.kz, yk.kz, 11 Jan 2011)")),
    (date(2012, 1, 1), Mci(1618, False, "budget law 2012-2014, not read (unconfirmed)")),
    (date(2013, 1, 1), None),
    (date(2015, 1, 1), Mci(1982, True, "Law on the republican budget 2015-2017 (archive.wfin.kz)")),
    (date(2016, 1, 1), Mci(2121, True, "newtimes.kz: 'С 1 января 2016 года месячный расчетный показатель … 2121 тенге'; "
                                "kazpravda.kz as read for the legal review of 2026-11-30")),
    (date(2017, 1, 1), None),
    (date(2026, 1, 1), Mci(4325, True, "liter.kz: from 1 January 2026 'МРП … – 4325 тенге'; inform.kz 30 Nov 2025")),
    (date(2027, 1, 1), None),
)


def mci_on(day: date) -> Mci | None:
    """The MCI in force on ``day``; None where no value is on file."""
    value = None
    for since, entry in MCI:
        if since > day:
            break
        value = entry
    return value


def mci_spans(first: date, last: date) -> list[tuple[str, Mci | None]]:
    """Every MCI in force on some day from ``first`` to ``last``, each with a label: the year when the value
    held from 1 January to 31 December, else the day it took effect. A None value means a day with no MCI
    on file."""
    out: list[tuple[str, Mci | None]] = []
    bounds = [since for since, _ in MCI] + [date.max]
    if first < bounds[0]:
        out.append((f"before {bounds[0].isoformat()}", None))
    for (since, entry), until in zip(MCI, bounds[1:]):
        end = until - timedelta(days=1)
        if end < first or since > last:
            continue
        whole_year = since.month == since.day == 1 and until == date(since.year + 1, 1, 1)
        out.append((str(since.year) if whole_year else f"from {since.isoformat()}", entry))
    return out


def mci_of(year: int) -> tuple[int, bool, str] | None:
    """The MCI of ``year`` when one value held all that year; None otherwise (a change within the year, or no
    value on file)."""
    spans = mci_spans(date(year, 1, 1), date(year, 12, 31))
    if len(spans) != 1 or spans[0][1] is None:
        return None
    return tuple(spans[0][1])
