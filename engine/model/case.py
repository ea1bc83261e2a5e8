"""The case model: what an observer records about a proceeding. Single source of truth for case files.

Every field typed ``FBool``, ``FTime``, ``FNum``, ``FText`` or ``choice(...)`` is a fact and may carry
provenance (see ``facts_in.py``). Cross-references (people, incidents, sources) are checked in
``case_checks.py`` so that each error can point at its line.
"""
from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from engine.model.facts_in import FBool, FNum, FText, FTime, TimeText, choice
from engine.model.values import Status

Id = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80, strict=True)  # an id is written as text


def _numbers_as_text(schema: dict, model) -> None:
    """The schema says what the loader does: a free-text field also takes a number, kept as written (`017`)."""
    for prop in schema.get("properties", {}).values():
        for option in [prop, *prop.get("anyOf", [])]:
            if option.get("type") == "string" and not set(option) & {"pattern", "enum", "const", "format"}:
                option["type"] = ["string", "number"]


class Strict(BaseModel):
    # article: 373 and article: "373" mean the same to an observer (the number keeps its written text)
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, json_schema_extra=_numbers_as_text)


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
    kind: Literal["individual", "organisation", "group"] = Field(
        "individual", description="group: people proceeded against together whom the source does not name one by one")
    count: FNum = Field(None, description="for a group: how many people it holds")
    nationality: FText = Field(None, description="ISO 3166-1 alpha-2 code of the person's nationality (KZ, UZ, ...)")
    role: str | None = Field(None, description="free text: trade union lawyer, strike leader, ...")
    minor: FBool = None
    sex: choice("female", "male") = None
    union_member: FBool = None
    born: FTime = None
    pregnant: FBool = None
    child_under_14: FBool = None
    single_parent: FBool = None
    disability_group: FNum = None
    minority: FText = Field(None, description="the ethnic, religious or linguistic minority the person belongs to, as the "
                                              "source names it (ICCPR art. 27); left out when none is stated")
    notes: list[Note] = []


IncidentKind = Literal["assembly", "strike", "speech", "publication", "petition", "dispersal", "arrest", "attack",
                       "inspection", "other"]


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
    spontaneous: FBool = Field(None, description="an assembly in direct response to events, with no time to give notice")
    form: choice("meeting", "rally", "march", "demonstration", "picket", "strike", "other") = Field(
        None, description="the form of the event as the source or the charge names it (KZ AOC 2001 art. 373: собрание "
                          "meeting, митинг rally, шествие march, демонстрация demonstration, пикетирование picket)")
    permission_refused: FBool = Field(None, description="the authorities refused the permission asked for, rejected the "
                                                        "notification or banned the assembly beforehand")
    religious: FBool = Field(None, description="a manifestation of religion or belief: worship, observance, practice or "
                                               "teaching (a religious meeting, religious literature, refusing military "
                                               "service for reasons of conscience)")
    association_activity: FBool = Field(None, description="the conduct was activity in or for an association: founding, "
                                                           "running, funding or acting on behalf of it, registered or not "
                                                           "(ICCPR art. 22)")
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
    code: str | None = Field(None, description="instrument key, e.g. KZ-CAO-2001, KZ-CC-1997; for another State's code "
                                               "a key of the same form, e.g. BY-CAO-2003 (leave out when unknown)")
    instrument: str | None = Field(None, description="the code's name as the source gives it, for a code with no key")
    article: str | None = Field(None, description="leave out when the source names the offence only")
    part: str | None = None
    paragraph: str | None = None
    as_cited_in_source: str | None = Field(None, description="the article number as the source wrote it, if wrong")
    note: str | None = None
    description: str | None = Field(None, description="the offence as the source words it")
    outcome: choice("convicted", "acquitted", "dismissed", "pending") = Field(
        None, description="the outcome on this charge (convicted on one, acquitted on the rest)")
    charged_at: FTime = Field(None, description="when the person was charged (or made a suspect) under this provision; "
                                                "left out: from the start of the proceeding")
    until: FTime = Field(None, description="when this charge was dropped or reclassified (the new charge starts then); "
                                           "left out: it stood to the end")
    assembly_rules: FBool = Field(None, description="the provision punishes breaking the rules on organising or holding "
                                                    "assemblies (KZ AOC 373/488, BY AOC 23.34, RU AOC 20.2, ...)")
    # Engel criteria for a code the engine has no table for (another State's): read from that code or the source
    arrest_possible: FBool = Field(None, description="the charged provision allows arrest, detention or imprisonment "
                                                     "as its penalty")
    punitive: FBool = Field(None, description="the offence binds everyone (not a group with a special status, as "
                                              "discipline does) and its sanction punishes and deters, a fine included")


class Warrant(Strict):
    """An arrest warrant, detention order or court sanction for one custody period."""

    at: FTime = Field(None, description="when it was issued")
    by: choice("court", "prosecutor", "investigator", "police", "other") = Field(
        None, description="who issued it: a court (judge), a prosecutor, an investigator, the police, another body")
    kind: choice("arrest_warrant", "detention_order", "custody_sanction", "extension", "other") = Field(
        None, description="arrest_warrant: to arrest the person; detention_order: to hold them (e.g. a 72-hour order); "
                          "custody_sanction: pre-trial custody ordered or sanctioned; extension: its term extended")
    hours: FNum = Field(None, description="the length it authorised, in hours, when it states one")
    shown: FBool = Field(None, description="shown to the person when arrested or held")


Basis = choice(
    "administrative_detention", "suspect_detention", "pretrial_custody", "administrative_arrest", "sentence",
    "psychiatric", "immigration", "other"
)


class Custody(Strict):
    id: str | None = None
    start: FTime = None
    end: FTime = None
    delivered_at: FTime = Field(None, description="delivered to the police station or other place of detention, when "
                                                  "the source gives it apart from the seizure (KZ AOC 2001 art. 622(4))")
    basis: Basis = None
    warrant: FBool = None
    court_order: FBool = None
    before_judge: FTime = None
    delay_explained: FBool = Field(None, description="the State gave a concrete reason for the time before a judge "
                                                     "(transport, distance, the detainee's condition, no judge on duty)")
    protocol_at: FTime = None
    relatives_told_at: FTime = None
    lawyer_access_at: FTime = None
    lawyer_requested: FBool = None
    acknowledged: FBool = Field(None, description="the authorities acknowledged holding the person from the outset "
                                                  "(false: they denied it or would not confirm it, at least at first)")
    acknowledged_at: FTime = Field(None, description="when the authorities first acknowledged holding the person (to "
                                                     "relatives, a lawyer, in a register or before a court); never: not "
                                                     "while held")
    reasons_given: FBool = Field(None, description="told the reasons for the arrest when arrested")
    rights_explained: FBool = Field(None, description="told of their rights on detention (to a lawyer, to notify a "
                                                      "relative, to a doctor, to remain silent)")
    ground_72h: choice("especially_grave", "terrorism_extremism", "mass_disorder", "criminal_group",
                       "drugs_sexual_homicide", "remoteness_emergency", "none") = Field(
        None, description="CPC 2014 art. 131(4)(1)-(6): the ground that allowed 72 hours' detention (none: none did)")
    exceptional_ground: choice("no_residence", "identity_unknown", "measure_breached", "absconded", "none") = Field(
        None, description="CPC 1997 art. 150(1)(1)-(4): the exceptional ground the court found for custody on a charge "
                          "punishable by at most two years' prison (none: the order names none)")
    warrants: list[Warrant] = Field([], description="arrest warrants, detention orders and court sanctions for this "
                                                    "period, each with its date and issuer (successive ones included)")
    follows: str | None = Field(None, description="id of the custody period (or proceeding-id/custody-id) whose end "
                                                  "this period began at, when the source gives no date")
    stated_hours: FNum = Field(None, description="the length the source states when it gives no end time")
    court_review: FBool = Field(None, description="a court could decide on the lawfulness of this detention")
    medical_exam_at: FTime = Field(None, description="first medical examination in custody (never: none)")
    injuries_recorded: FBool = None
    overcrowded: FBool = None
    denied_food_or_water: FBool = None
    denied_medical_care: FBool = None
    incommunicado: FBool = Field(None, description="held without contact with family or lawyer")
    died_at: FTime = Field(None, description="the person died in this custody, or after it from what happened in it")
    death_investigated: FBool = None
    death_investigation_independent: FBool = None
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
    stage: choice("pretrial", "first", "appeal", "cassation", "supervisory") = None
    attendance: choice("in_person", "video_link", "absent") = Field(None, description="how the accused took part")
    could_follow: FBool = Field(None, description="the accused could see, hear and follow the hearing")
    defendant_summoned: FBool = Field(None, description="the accused was summoned or told of the hearing in time")
    public: FBool = None
    audience_in_separate_room: FBool = Field(None, description="press or public followed from another room (partial publicity)")
    closure_ground: ClosureGround = None
    closure_reasoned: FBool = None
    lawyer_present: FBool = None
    lawyer_requested: FBool = None
    lawyer_refused: FBool = None
    lawyer_waived: FBool = None
    prosecutor_present: FBool = Field(None, description="a state prosecutor took part in the hearing")
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
    adjournment_requested: FBool = Field(None, description="the defence asked for time to prepare")
    adjournment_refused: FBool = None
    notes: list[Note] = []


SanctionKind = Literal[
    "warning", "fine", "arrest", "prison", "public_works", "restriction_of_liberty", "corrective_labour", "ban",
    "dismissal", "disciplinary", "suspension_of_activity", "confiscation", "probation", "costs", "travel_ban",
    "expulsion", "life_imprisonment", "death",
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
    sanctioned: FBool = Field(None, description="a sanction was imposed (false: none; unknown: not known) when "
                                                "`sanctions` cannot list it")
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
    offered_by: choice("defence", "prosecution", "court") = Field(
        None, description="who offered the item (a defence item not admitted is defence evidence refused)")
    admitted: FBool = None
    relied_on: FBool = None


Official = choice("police", "prison_staff", "security_service", "military", "other_official", "private", "unknown")


class Allegation(Strict):
    kind: Literal["torture", "ill_treatment", "threats"]
    victim: str | None = Field(None, description="person id of whoever was ill-treated, when not the person proceeded "
                                                 "against (a child, a relative); default: the proceeding's person")
    date: FTime = None
    custody: str | None = Field(None, description="id of the custody period the alleged treatment happened in")
    perpetrator: Official = None
    purpose: choice("confession", "punishment", "intimidation", "discrimination", "other") = None
    complained_at: FTime = Field(None, description="when the treatment was reported to the authorities")
    raised_in_court: FBool = None
    investigated: FBool = None
    investigation_opened: FBool = Field(None, description="false: the authorities refused to open an investigation")
    investigation_opened_at: FTime = None
    investigated_by: choice("same_unit", "police", "prosecutor", "investigative_committee", "independent_body", "court",
                            "other") = None
    investigator_independent: FBool = Field(None, description="false: the same unit or command as the alleged perpetrators")
    investigation_closed_at: FTime = None
    investigation_outcome: choice("ongoing", "no_crime", "no_evidence", "perpetrators_unidentified", "prosecuted",
                                  "convicted", "other") = None
    medical_exam_at: FTime = Field(None, description="medical examination after the alleged treatment (never: none)")
    injuries_recorded: FBool = None
    occurred: FBool = Field(None, description="the treatment took place as alleged: `established` when the State "
                                              "conceded it or a court or an official medical record found it")
    state_explanation: choice("none", "general_denial", "account") = Field(
        None, description="how the authorities answered the allegation: none (no answer or explanation), general_denial "
                          "(a denial without evidence or an account of the injuries), account (their own account of how "
                          "the injuries arose)")
    reprisal: FBool = Field(None, description="the complainant or a witness was subjected to proceedings, threats or "
                                              "ill-treatment because of the complaint")
    redress_sought: FBool = None
    redress_granted: FBool = None
    trial_suspended: FBool = None
    statements_excluded: FBool = None
    description: str | None = None


class Employment(Strict):
    dismissed_on: FTime = None
    ground: choice("strike_participation", "absence", "other") = None
    strike_declared_unlawful_on: FTime = None
    disciplinary_measure: FBool = None


ExpressionKind = Literal["speech", "publication", "petition", "post", "poster", "slogan", "interview",
                         "information_request", "other"]


class Expression(Strict):
    """An act of expression the proceeding punishes or relies on (not only its main incident)."""

    id: str | None = None
    kind: ExpressionKind
    date: FTime = None
    description: str | None = None
    incident: str | None = Field(None, description="incident id, when the act was part of one")
    punished: FBool = Field(None, description="the proceeding sanctions this act")
    relied_on: FBool = Field(None, description="the court relied on this act as evidence")
    obstructed: FBool = Field(None, description="the authorities prevented the act: refused the information, access or "
                                                "accreditation sought, or kept the publication from appearing")
    minority_culture: FBool = Field(None, description="the act used the language of, or practised the culture or "
                                                      "religion of, a minority the person belongs to (ICCPR art. 27)")


class Expulsion(Strict):
    """Expulsion of an alien (ICCPR art. 13)."""

    lawfully_present: FBool = None
    could_submit_reasons: FBool = None
    reviewed: FBool = Field(None, description="a competent authority reviewed the case")
    represented: FBool = None
    national_security_invoked: FBool = None
    risk_of_torture_claimed: FBool = None
    executed_at: FTime = None
    interim_measures_requested_at: FTime = Field(None, description="a treaty body asked the State not to remove the "
                                                                   "person while it examines the complaint")
    interim_measures_by: choice("HRC", "CAT", "other") = None
    interim_measures_lifted_at: FTime = Field(None, description="the body withdrew its request (never: it stood)")


class Registration(Strict):
    """Registration, re-registration, suspension or dissolution of an association, party, union, religious community
    or medium."""

    entity: choice("association", "party", "trade_union", "religious_community", "media", "other") = None
    refused: FBool = Field(None, description="registration or re-registration (or a licence) was refused")
    suspended: FBool = Field(None, description="the entity's activity was suspended by a court or an authority")
    dissolved: FBool = Field(None, description="the entity was dissolved, liquidated or banned")


class InvestigativeAct(Strict):
    """An investigative act involving the person: questioning, a confrontation, a search, an identification."""

    id: str | None = None
    kind: Literal["interrogation", "confrontation", "search", "identification", "expert_examination", "other"]
    at: FTime = Field(None, description="when it began")
    by: choice("police", "investigator", "prosecutor", "security_service", "court", "other") = Field(
        None, description="who carried it out")
    as_role: choice("suspect", "accused", "witness", "other") = Field(
        None, description="the person's procedural status during the act (questioned as a witness while in fact "
                          "suspected is written as witness, with a note)")
    custody: str | None = Field(None, description="id of the custody period the act took place in")
    lawyer_present: FBool = None
    lawyer_requested: FBool = Field(None, description="the person asked for a lawyer (before or during the act)")
    lawyer_waived: FBool = Field(None, description="the person knowingly waived counsel for this act, on record")
    lawyer_of_choice_refused: FBool = Field(None, description="the lawyer the person chose was refused or kept out")
    description: str | None = None


# "unknown": the source does not say what kind of proceeding it was ("persecuted", "detained by police"); rules
# limited to some kinds then ask for it instead of being applied, or silently skipped, under a placeholder kind.
ProceedingKind = Literal["administrative", "criminal", "labour", "civil", "psychiatric", "migration", "expulsion",
                         "unknown"]
UNKNOWN_KIND = "unknown"
KNOWN_KINDS = frozenset(get_args(ProceedingKind)) - {UNKNOWN_KIND}


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
    sent_to_court_at: FTime = Field(None, description="when the case was sent to the court (or body) that decides it: "
                                                      "ends pre-trial custody terms (CPC 1997 art. 153(15)) and "
                                                      "suspends the AOC 2001 limitation period (art. 69(4-1))")
    guilt_prejudged: FBool = Field(None, description="officials or the court treated the accused as guilty before judgment")
    discrimination_ground: FText = Field(None, description="a protected ground the source says the treatment turned on")
    file_access_at: FTime = Field(None, description="when the defence could first study the whole case file (never: not at all)")
    counsel_confidential: FBool = Field(None, description="the accused could consult counsel in private")
    deprived_of_liberty: FBool = Field(None, description="held at any point (false: never; unknown: the source leaves it "
                                                         "open); custody periods say it already")
    role: choice("organiser", "participant", "speaker", "bystander", "journalist", "monitor", "other") = None
    prior_penalty_within_year: FBool = None
    charges: list[Charge] = []
    custody: list[Custody] = []
    court_appearances: list[CourtAppearance] = []
    hearings: list[Hearing] = []
    decision: Decision | None = None
    appeals: list[Appeal] = []
    evidence: list[Evidence] = []
    allegations: list[Allegation] = []
    expression: list[Expression] = []
    investigative_acts: list[InvestigativeAct] = []
    employment: Employment | None = None
    expulsion: Expulsion | None = None
    registration: Registration | None = None
    notes: list[Note] = []

    @property
    def incident_ids(self) -> list[str]:
        return ([self.incident] if self.incident else []) + [i for i in self.incidents if i != self.incident]


class Case(Strict):
    id: str = Id
    title: str | None = None
    title_ru: str | None = Field(None, description="the title in Russian, shown by reports in Russian")
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
