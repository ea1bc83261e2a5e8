"""Findings and the report: the JSON contract of ``trialcheck check --format json``."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactUsed(Model):
    path: str
    value: str | None
    status: str | None = None
    source: str | None = None
    quote: str | None = None
    derived_from: list["FactUsed"] = []


class Finding(Model):
    rule: str
    title: str
    status: str
    kind: str
    layer: str
    right: str | None = None
    severity: str
    citations: list[str]
    explanation: str
    question: str | None = None
    missing: list[str] = []
    facts: list[FactUsed] = []
    act_date: str | None = None
    parameters: dict[str, float | int | str | bool | None] = {}
    unconfirmed: bool = False
    unconfirmed_note: str | None = None
    rests_on_silent_record: bool = Field(False, description="the finding is a presumption drawn from the record's "
                                                            "silence (the explanation says on what): never more "
                                                            "than a probable violation")


class Derivation(Model):
    """A fact a derivation rule computed for other rules (e.g. the Engel criteria: penal in nature). It is
    not a finding: it has a value, never a status, and no summary counts it."""

    rule: str
    name: str = Field(description="read by other rules as derived.<name>")
    title: str
    value: Literal["true", "false", "unknown"]
    facts: list[FactUsed] = []


class OpenQuestion(Model):
    """One question still open in a proceeding: the missing facts that the same rules need together (the
    hearing's publicity, the lawyer at the hearing, the assembly's character), each fact asked once however
    many rules need it."""

    facts: list[str] = Field(description="the missing facts' paths: keys for programs (`about` says them in words)")
    about: list[str] = Field(description="the facts in words, e.g. 'custody period 1: warrant'")
    question: str = Field(description="the question to put, in a monitor's words (the `ask` of the rule that "
                                      "needs the most of these facts)")
    rules: list[str] = Field([], description="the rules that need these facts")


class ProceedingReport(Model):
    id: str
    kind: str
    person: str
    person_name: str
    findings: list[Finding]
    derived: list[Derivation] = Field([], description="derived facts (derivation rules), apart from the findings")
    questions: list[OpenQuestion] = Field([], description="what is still unknown, one entry per missing fact (the "
                                                          "`needs information` findings de-duplicated), in words")


class CaseReport(Model):
    id: str
    title: str | None = None
    file: str
    state: str = Field("KZ", description="the State whose acts are judged (ISO 3166-1 alpha-2)")
    state_name: str = "Kazakhstan"
    domestic_law_encoded: bool = Field(True, description="whether that State's own law is encoded (only KZ)")
    notices: list[str] = Field([], description="said once per case, e.g. that its State's domestic law is not encoded")
    proceedings: list[ProceedingReport]
    # The case exactly as it was checked (not part of the JSON report). Renderers that show more of the
    # case (people, sources, timelines) read it from here, never from the file again: the file may have
    # changed since, or may not be a file at all (`<stdin>:3`).
    _case: object = PrivateAttr(default=None)

    @property
    def checked_case(self):
        return self._case

    # Worker processes send reports to the parent by pickle, and the case's generic fact classes
    # (`Given[Literal[...]]`) cannot be pickled by name: the case travels as its dump and is validated
    # again on arrival (the same data, not a re-read of the file).
    def __getstate__(self):
        state = super().__getstate__()
        private = dict(state.get("__pydantic_private__") or {})
        if private.get("_case") is not None:
            private["_case"] = ("case dump", private["_case"].model_dump(mode="json", exclude_unset=True))
            state = {**state, "__pydantic_private__": private}
        return state

    def __setstate__(self, state):
        private = state.get("__pydantic_private__") or {}
        dumped = private.get("_case")
        if isinstance(dumped, tuple) and dumped and dumped[0] == "case dump":
            from engine.model.case import Case

            state = {**state, "__pydantic_private__": {**private, "_case": Case.model_validate(dumped[1])}}
        super().__setstate__(state)


class Report(Model):
    tool: str = "trialcheck"
    version: str
    lang: str = "en"
    cases: list[CaseReport]
    summary: dict[str, dict[str, int]] = {}
