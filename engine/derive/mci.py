"""The monthly calculation index (MCI, МРП) by year: fines are set in MCI and paid in tenge.

Values and their sources are in ``../shared/law/kz_admin_offences.md``; a year not listed gives an
unknown MCI (the engine then asks), never a guess.
"""
from __future__ import annotations

# year -> (tenge, confirmed?, source)
MCI = {
    2010: (1413, True, "yk.kz news of 11 Jan 2011"),
    2011: (1512, True, "Law on the republican budget 2011-2013 (kt.kz, yk.kz, 11 Jan 2011)"),
    2012: (1618, False, "budget law 2012-2014, not read (unconfirmed)"),
    2015: (1982, True, "budget law 2015-2017 (archive.wfin.kz)"),
}


def mci_of(year: int) -> tuple[int, bool, str] | None:
    return MCI.get(year)
