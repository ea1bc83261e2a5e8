"""The rule model: one article of law as data. Single source of truth for rule files."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Outcome = Literal["violation", "probable violation", "concern", "needs information", "no violation", "not applicable"]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]
REPORTED: tuple[str, ...] = ("violation", "probable violation", "concern", "needs information")
Right = Literal["liberty", "fair_trial", "ill_treatment", "expression_assembly_association", "labour", "privacy", "equality"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Text(Strict):
    """Text in English and Russian (both required: reports are bilingual)."""

    en: str = Field(min_length=1)
    ru: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


class Citation(Strict):
    instrument: str
    edition: str | None = None
    article: str | None = None
    part: str | None = None
    paragraph: str | None = None
    subparagraph: str | None = None
    text: str | None = Field(None, description="the law's operative words, as read")
    note: str | None = None


class InForce(Strict):
    from_: date = Field(alias="from")
    until: date | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ends_after_it_starts(self):
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"in_force ends ({self.until}) before it starts ({self.from_})")
        return self

    def covers(self, day: date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)


class RuleSource(Strict):
    title: str
    url: str | None = None
    repo: str | None = None
    path: str | None = None
    commit: str | None = None
    note: str | None = None


class Example(Strict):
    name: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict, description="a partial proceeding in case-file form")
    status: Literal["established", "observed", "reported", "alleged", "disputed"] = "established"
    expect: Outcome


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$", max_length=120)
    title: Text
    citation: Citation
    see_also: list[Citation] = []
    in_force: InForce
    act_date: str = Field(description="fact path of the date that decides which law applies, e.g. dates.detention")
    parameters: dict[str, dict[date, float | int | str | bool]] = {}
    applies_to: list[Literal["administrative", "criminal", "labour", "civil", "psychiatric", "migration",
                             "expulsion"]] = Field(min_length=1)
    layer: Literal["domestic", "international"]
    kind: Literal["bright-line", "presumptive", "evaluative", "derivation"]
    right: Right | None = None
    severity: Literal["high", "medium", "low"] = "medium"
    derive: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    applies_if: str | None = None
    when: str
    explanation: Text
    ask: Text
    examples: list[Example] = []
    sources: list[RuleSource] = []
    unconfirmed: bool = False
    unconfirmed_note: str | None = None
    # A presumption drawn from what the record does not say (a hearing closed and no ground for it recorded
    # anywhere) is rebutted by a record produced later, however firm the facts it rests on: never `violation`.
    rests_on_silent_record: bool = Field(
        False, description="the conclusion rests on the record being silent on something (e.g. no ground for "
                           "closing a hearing recorded anywhere): the outcome is at most `probable violation`")
    silent_record_why: Text | None = Field(
        None, description="what the record is silent on, in a few words, for the finding's explanation "
                          "(required with rests_on_silent_record)")

    @field_validator("parameters")
    @classmethod
    def _parameters_have_values(cls, value):
        for name, by_date in value.items():
            if not by_date:
                raise ValueError(f"parameter {name!r} has no dated value")
        return value

    @model_validator(mode="after")
    def _derivation_has_name(self):
        if (self.kind == "derivation") != (self.derive is not None):
            raise ValueError("a rule of kind 'derivation' needs `derive: <name>`, and only such a rule may have it")
        if self.kind != "derivation" and self.right is None:
            raise ValueError("`right` is required (liberty, fair_trial, ill_treatment, ...)")
        if self.unconfirmed and not self.unconfirmed_note:
            raise ValueError("an unconfirmed rule must say why in `unconfirmed_note`")
        if self.rests_on_silent_record != (self.silent_record_why is not None):
            raise ValueError("`rests_on_silent_record: true` and `silent_record_why` (what the record is silent on) "
                             "go together")
        return self

    def parameter_periods(self) -> list[tuple[date, date | None, dict[str, Any]]]:
        """Periods within which every parameter is constant: [(from, until, {name: value})]."""
        cuts = sorted({self.in_force.from_} | {d for by_date in self.parameters.values() for d in by_date
                                               if d > self.in_force.from_})
        periods = []
        for i, start in enumerate(cuts):
            end = None if i + 1 == len(cuts) else date.fromordinal(cuts[i + 1].toordinal() - 1)
            if self.in_force.until and (end is None or end > self.in_force.until):
                end = self.in_force.until
            values = {name: _value_on(by_date, start) for name, by_date in self.parameters.items()}
            periods.append((start, end, values))
        return periods


def _value_on(by_date: dict[date, Any], day: date):
    earlier = [d for d in by_date if d <= day]
    return by_date[max(earlier)] if earlier else None
