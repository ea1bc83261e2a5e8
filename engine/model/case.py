"""The case model: what an observer records about a proceeding. Single source of truth for case files.

Every field typed ``FBool``, ``FTime``, ``FNum``, ``FText`` or ``choice(...)`` is a fact and may carry
provenance (see ``facts_in.py``). Cross-references (people, incidents, sources) are checked in
``case_checks.py`` so that each error can point at its line.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.model.facts_in import FBool, FNum, FText, FTime, TimeText, choice
from engine.model.values import Status

Id = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)


class Strict(BaseModel):
    # article: 373 and article: "373" mean the same to an observer
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Source(Strict):
    id: str = Id
    title: str
    date: TimeText | None = None
    author: str | None = None
    url: str | None = None
    file: str | None = None


class Defaults(Strict):
    source: str | None = None
    status: Status | None = None


class Note(Strict):
    text: str
    source: str | None = None


class Correction(Strict):
    what: str
    source_says: str
    reading: str
    note: str | None = None
    source: str | None = None


class Person(Strict):
    id: str = Id
    name: str
    name_ru: str | None = None
    other_spellings: list[str] = []
    kind: Literal["individual", "organisation"] = "individual"
    role: str | None = Field(None, description="free text: trade union lawyer, strike leader, ...")
    minor: FBool = None
    sex: choice("female", "male") = None
    union_member: FBool = None
    born: FTime = None
    pregnant: FBool = None
    child_under_14: FBool = None
    single_parent: FBool = None
    disability_group: FNum = None
    notes: list[Note] = []


IncidentKind = Literal["assembly", "strike", "speech", "publication", "dispersal", "arrest", "attack", "inspection", "other"]


class Incident(Strict):
    id: str = Id
    kind: IncidentKind
    date: FTime = None
    end_date: FTime = None
    place: str | None = None
    description: str | None = None
    organiser: str | None = Field(None, description="person id")
    peaceful: FBool = None
    authorised: FBool = None
    violence_by_participants: FBool = None
    transport_disrupted: FBool = None
    significant_harm: FBool = None
    participants: FNum = None
    state_of_emergency: FBool = None
    hazardous_facility: FBool = None
    strike_vote_held: FBool = None
    notice_days: FNum = None
    conciliation_attempted: FBool = None
    declared_unlawful: FBool = Field(None, description="a court declared the strike unlawful (false: no court did)")
    declared_unlawful_by_court: FTime = None
    strike_vote_present_share: FNum = Field(None, description="share of all workers present at the strike meeting (0-1)")
    strike_vote_for_share: FNum = Field(None, description="share of those present who voted to strike (0-1)")
    notes: list[Note] = []


class Charge(Strict):
    code: str = Field(description="instrument key, e.g. KZ-CAO-2001, KZ-CC-1997")
    article: str
    part: str | None = None
    paragraph: str | None = None
    as_cited_in_source: str | None = Field(None, description="the article number as the source wrote it, if wrong")
    note: str | None = None
    description: str | None = None


Basis = choice(
    "administrative_detention", "suspect_detention", "pretrial_custody", "administrative_arrest", "sentence", "other"
)


class Custody(Strict):
    id: str | None = None
    start: FTime = None
    end: FTime = None
    basis: Basis = None
    warrant: FBool = None
    court_order: FBool = None
    before_judge: FTime = None
    protocol_at: FTime = None
    relatives_told_at: FTime = None
    lawyer_access_at: FTime = None
    lawyer_requested: FBool = None
    acknowledged: FBool = None
    reasons_given: FBool = Field(None, description="told the reasons for the arrest when arrested")
    place: str | None = None
    notes: list[Note] = []


class CourtAppearance(Strict):
    at: FTime = None
    in_person: FBool = None
    purpose: str | None = None


ClosureGround = choice(
    "state_secret", "minor", "sexual_offence", "private_life", "safety", "morals", "public_order",
    "national_security", "none", "other",
)


class Hearing(Strict):
    id: str | None = None
    date: FTime = None
    public: FBool = None
    closure_ground: ClosureGround = None
    closure_reasoned: FBool = None
    lawyer_present: FBool = None
    lawyer_requested: FBool = None
    lawyer_refused: FBool = None
    lawyer_waived: FBool = None
    defendant_present: FBool = None
    interpreter_needed: FBool = None
    interpreter_provided: FBool = None
    duration_minutes: FNum = None
    witnesses_requested: FBool = None
    witnesses_refused: FBool = None
    evidence_requested: FBool = None
    evidence_refused: FBool = None
    monitors_excluded: FBool = None
    verdict_public: FBool = None
    notes: list[Note] = []


SanctionKind = Literal[
    "warning", "fine", "arrest", "prison", "public_works", "restriction_of_liberty", "corrective_labour", "ban",
    "dismissal", "disciplinary", "suspension_of_activity", "confiscation",
]


class Sanction(Strict):
    kind: SanctionKind
    amount: FNum = None
    currency: str | None = None
    mci: FNum = None
    days: FNum = None
    months: FNum = None
    hours: FNum = None
    years: FNum = None
    suspended: FBool = None
    probation_months: FNum = None
    activity: str | None = None


class Decision(Strict):
    date: FTime = None
    outcome: choice("convicted", "acquitted", "penalised", "dismissed", "granted", "rejected") = None
    final: FBool = None
    by_judge: FBool = Field(None, description="the sanction was imposed by a judge (not by the police or another body)")
    sanctions: list[Sanction] = []


class Appeal(Strict):
    filed: FTime = None
    heard: FTime = None
    court: str | None = None
    outcome: choice("upheld", "quashed", "modified", "rejected", "pending") = Field(
        None, description="rejected: refused without a review of the merits")
    available: FBool = Field(None, description="the law gave a right of appeal against this decision")
    witnesses_admitted: FBool = None
    evidence_admitted: FBool = None


EvidenceKind = Literal["confession", "testimony", "wiretap", "video", "search", "document", "expert", "other"]


class Evidence(Strict):
    id: str | None = None
    kind: EvidenceKind
    description: str | None = None
    obtained_how: choice("lawful", "torture", "ill_treatment", "threats", "unauthorised") = None
    authorised: FBool = None
    authorised_by: choice("court", "prosecutor", "none") = None
    authorisation_examined: FBool = None
    admitted: FBool = None
    relied_on: FBool = None


class Allegation(Strict):
    kind: Literal["torture", "ill_treatment", "threats"]
    date: FTime = None
    raised_in_court: FBool = None
    investigated: FBool = None
    trial_suspended: FBool = None
    statements_excluded: FBool = None
    description: str | None = None


class Employment(Strict):
    dismissed_on: FTime = None
    ground: choice("strike_participation", "absence", "other") = None
    strike_declared_unlawful_on: FTime = None
    disciplinary_measure: FBool = None


ProceedingKind = Literal["administrative", "criminal", "labour", "civil"]


class Proceeding(Strict):
    id: str = Id
    kind: ProceedingKind
    person: str = Field(description="person id")
    incident: str | None = Field(None, description="incident id")
    incidents: list[str] = []
    court: str | None = None
    instance: Literal["first", "appeal", "cassation", "supervisory"] | None = None
    opened: FTime = None
    charge_notified_at: FTime = Field(None, description="when told of the charge in detail, in a language understood")
    guilt_prejudged: FBool = Field(None, description="officials or the court treated the accused as guilty before judgment")
    discrimination_ground: FText = Field(None, description="a protected ground the source says the treatment turned on")
    role: choice("organiser", "participant", "speaker", "bystander", "other") = None
    prior_penalty_within_year: FBool = None
    charges: list[Charge] = []
    custody: list[Custody] = []
    court_appearances: list[CourtAppearance] = []
    hearings: list[Hearing] = []
    decision: Decision | None = None
    appeals: list[Appeal] = []
    evidence: list[Evidence] = []
    allegations: list[Allegation] = []
    employment: Employment | None = None
    notes: list[Note] = []

    @property
    def incident_ids(self) -> list[str]:
        return ([self.incident] if self.incident else []) + [i for i in self.incidents if i != self.incident]


class Case(Strict):
    id: str = Id
    title: str | None = None
    summary: str | None = None
    # The State whose acts are judged (ISO 3166-1 alpha-2). Treaty rules bind to its own treaty dates;
    # the Kazakh domestic layer runs only for KZ.
    state: str = Field("KZ", pattern=r"^[A-Z]{2}$")
    sources: list[Source] = []
    defaults: Defaults = Defaults()
    people: list[Person] = []
    incidents: list[Incident] = []
    proceedings: list[Proceeding] = []
    corrections: list[Correction] = []
    notes: list[Note] = []
