"""Which rules bind the State of a case, and from when: the treaty table narrows a rule's dates in force.

A treaty rule's own `in_force` is the treaty's general entry into force; the case's State is bound
from its own date in rules/treaties/ratifications.yaml until a denunciation takes effect. Domestic
rules encode Kazakh law and bind only Kazakhstan. Both engines see the result of this module alone,
so they cannot disagree on it (docs/states.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.model.rule import Rule
from engine.model.treaties import DOMESTIC_STATE, TreatyTable

# A reason a rule does not apply, kept as a key and its values so that it can be said in each language.
Reason = tuple[str, tuple[tuple[str, str], ...]]

_TEXT = {
    "domestic": {
        "en": "Kazakh law applies only to acts of Kazakhstan; this case concerns {state}.",
        "ru": "Законодательство Казахстана применяется только к действиям Казахстана; это дело касается: {state}."},
    "unknown state": {
        "en": "No treaty dates are recorded for {state} in the treaty table (rules/treaties/ratifications.yaml), "
              "so no treaty rule is applied.",
        "ru": "Для {state} в таблице договоров (rules/treaties/ratifications.yaml) нет дат, поэтому нормы "
              "договоров не применяются."},
    "not bound": {
        "en": "{state} is not recorded as bound by {instrument} in the treaty table.",
        "ru": "В таблице договоров не отмечено, что {state} связан(а) {instrument}."},
    "before": {
        "en": "{instrument} entered into force for {state} on {start}; the act of {act} predates it.",
        "ru": "{instrument} вступил в силу для {state} {start}; действие от {act} совершено раньше."},
    "after": {
        "en": "{instrument} ceased to bind {state} after {end}; the act of {act} is later.",
        "ru": "{instrument} перестал связывать {state} после {end}; действие от {act} совершено позже."},
}

_NOTICE = {
    "domestic": {"en": "domestic law of {state} is not encoded; only treaty rules were applied",
                 "ru": "право государства {state} не закодировано; применены только нормы договоров"},
    "unknown state": {"en": "no treaty dates are recorded for {state}; no treaty rule was applied",
                      "ru": "для {state} не записаны даты договоров; ни одна норма договоров не применена"},
}


def say(reason: Reason | None, lang: str) -> str | None:
    if reason is None:
        return None
    key, values = reason
    return _TEXT[key]["ru" if lang == "ru" else "en"].format(**dict(values))


@dataclass(frozen=True)
class Window:
    """The days a rule can bind the State of a case: `start`/`end` None mean no limit from the State."""
    start: date | None = None
    end: date | None = None
    instrument: str | None = None
    state: str = ""
    closed: Reason | None = None  # the rule cannot bind this State at all, and why
    rule_start: date | None = None  # the rule's own start, when read as the treaty's (see `own_start`)

    def covers(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, first: date, last: date | None) -> bool:
        return (self.end is None or first <= self.end) and (self.start is None or last is None or last >= self.start)

    def outside_reason(self, first: date, last: date) -> Reason | None:
        """Why an act dated wholly outside the window is not judged by the rule."""
        values = (("instrument", self.instrument or ""), ("state", self.state))
        if self.start is not None and last < self.start:
            return "before", values + (("start", str(self.start)), ("act", _span(first, last)))
        if self.end is not None and first > self.end:
            return "after", values + (("end", str(self.end)), ("act", _span(first, last)))
        return None


OPEN = Window()


def _span(first: date, last: date) -> str:
    return str(first) if first == last else f"{first} – {last}"


def window(rule: Rule, state: str, table: TreatyTable) -> Window:
    name = table.state_name(state)
    if rule.layer == "domestic":
        return OPEN if state == DOMESTIC_STATE else Window(state=name, closed=("domestic", (("state", name),)))
    instrument = rule.citation.instrument
    if instrument not in table.instruments:
        return OPEN  # not a treaty with dates per State (no such rule today; see docs/states.md)
    if state not in table.states:
        return Window(state=name, closed=("unknown state", (("state", state),)))
    row = table.row(state, instrument)
    if row is None or not row.bound:
        return Window(state=name, instrument=instrument,
                      closed=("not bound", (("state", name), ("instrument", instrument))))
    return Window(start=row.in_force, end=row.last_day, instrument=instrument, state=name,
                  rule_start=own_start(rule, table))


def own_start(rule: Rule, table: TreatyTable) -> date:
    """The day a treaty rule's text starts to be law for anyone.

    Rules written when only Kazakhstan was covered start on Kazakhstan's date for their treaty; that
    date is the table's, not the rule's, so it is read as the treaty's own entry into force
    (`trialcheck rules lint` asks authors to write the treaty's date instead)."""
    instrument = table.instruments[rule.citation.instrument]
    kz = table.row(DOMESTIC_STATE, rule.citation.instrument)
    if kz is not None and kz.bound and rule.in_force.from_ == kz.in_force and instrument.general_entry_into_force:
        return instrument.general_entry_into_force
    return rule.in_force.from_


def case_notices(state: str, table: TreatyTable, lang: str) -> list[str]:
    """What a report says once per case about the law applied to its State."""
    key = "domestic" if state in table.states else "unknown state"
    if state == DOMESTIC_STATE:
        return []
    shown = table.state_name(state) if key == "domestic" else state
    return [_NOTICE[key]["ru" if lang == "ru" else "en"].format(state=shown)]
