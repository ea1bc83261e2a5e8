"""Hypothesis strategies that generate valid case files (as the dicts a YAML or JSON case file holds).

Rule developers can use them too::

    from hypothesis import given
    from tests.strategies import cases

    @given(cases())
    def test_my_rule_never_crashes(case_dict): ...

Every generated dict validates as ``engine.model.case.Case`` and passes ``case_checks`` (references
resolve, ids are unique, time runs forward inside a custody period and an appeal). What varies:

- people, incidents of every kind, proceedings of every kind (administrative, criminal, labour, civil);
- timestamps at every precision (minute, day, month, year), by bounds (``A/B``), approximately (``~A``) and
  ``never`` for events that may not have happened (judge, protocol, relatives, lawyer, medical examination,
  notice of the charge, the case file), clustered around the dates where the law
  changed (2011-02-01, 2014-12-31/2015-01-01, 2017-12-31/2018-01-01, ...), custody periods listed in
  any order, several periods per person, chained or not;
- hearings, decisions with sanctions of every kind, appeals, evidence, allegations, employment;
- every fact known or unknown (left out, ``unknown``, ``null``, or the long form with ``value: unknown``),
  in the short form or the long form with every provenance status, and file defaults.

Options narrow the space for properties that need it: ``precisions`` (e.g. minute only, so nothing is
uncertain but what is unknown), ``unknown`` (the share of facts left unknown), ``born`` (birth dates
make age depend on the calendar, which a time shift does not preserve).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import strategies as st

STATUSES = ("established", "observed", "reported", "alleged", "disputed")
# bounds: A/B around the moment; about: ~A; never: where an event may not have happened, `never`
PRECISIONS = ("minute", "day", "month", "year", "bounds", "about", "never")

# Dates where the law read by the rules changes: codes replaced, parameters amended, the MCI's year.
BOUNDARIES = (
    date(2010, 7, 12), date(2011, 2, 1), date(2011, 12, 16), date(2012, 1, 1), date(2015, 1, 1),
    date(2016, 1, 1), date(2017, 7, 20), date(2018, 1, 1), date(2020, 6, 8),
)

CODES = ("KZ-CAO-2001", "KZ-CAO-2014", "KZ-CC-1997", "KZ-CC-2014", "KZ-CPC-1997", "KZ-CPC-2014", "KZ-LC-2007",
         "KZ-LC-2015", "KZ-ASSEMBLY-1995")
ARTICLES = ("355", "373", "667", "488", "50", "55", "334", "272", "299", "174", "400", "1")
INCIDENT_KINDS = ("assembly", "strike", "speech", "publication", "petition", "dispersal", "arrest", "attack",
                  "inspection", "other")
PROCEEDING_KINDS = ("administrative", "criminal", "labour", "civil", "psychiatric", "migration", "expulsion")
BASES = ("administrative_detention", "suspect_detention", "pretrial_custody", "administrative_arrest", "sentence",
         "psychiatric", "immigration", "other")
ROLES = ("organiser", "participant", "speaker", "bystander", "journalist", "monitor", "other")
CLOSURE_GROUNDS = ("state_secret", "minor", "sexual_offence", "private_life", "safety", "morals", "public_order",
                   "national_security", "none", "other")
SANCTION_KINDS = ("warning", "fine", "arrest", "prison", "public_works", "restriction_of_liberty", "corrective_labour",
                  "ban", "dismissal", "disciplinary", "suspension_of_activity", "confiscation", "probation", "costs",
                  "travel_ban", "expulsion", "life_imprisonment", "death")
HEARING_FLAGS = ("public", "closure_reasoned", "lawyer_present", "lawyer_requested", "lawyer_refused", "lawyer_waived",
                 "defendant_present", "interpreter_needed", "interpreter_provided", "witnesses_requested",
                 "witnesses_refused", "evidence_requested", "evidence_refused", "monitors_excluded", "verdict_public",
                 "could_follow", "defendant_summoned", "audience_in_separate_room", "adjournment_requested",
                 "adjournment_refused")
CUSTODY_FLAGS = ("warrant", "court_order", "lawyer_requested", "acknowledged", "court_review", "injuries_recorded",
                 "overcrowded", "denied_food_or_water", "denied_medical_care", "incommunicado", "death_investigated",
                 "death_investigation_independent")
ALLEGATION_FLAGS = ("raised_in_court", "investigated", "trial_suspended", "statements_excluded", "investigation_opened",
                    "investigator_independent", "injuries_recorded", "reprisal", "redress_sought", "redress_granted")
# time fields where a source may say the event never happened
NEVER_FIELDS = ("before_judge", "protocol_at", "relatives_told_at", "lawyer_access_at", "medical_exam_at")
INCIDENT_FLAGS = ("peaceful", "authorised", "violence_by_participants", "transport_disrupted", "significant_harm",
                  "state_of_emergency", "hazardous_facility", "strike_vote_held", "conciliation_attempted",
                  "declared_unlawful", "spontaneous")


def time_text(moment: datetime, precision: str, spread_minutes: int = 90) -> str:
    """The text an observer writes for ``moment`` at ``precision`` (coarser text covers the moment; bounds and
    "about" cover it too)."""
    if precision == "bounds":
        before = moment + timedelta(minutes=spread_minutes)
        return f"{(moment - timedelta(minutes=spread_minutes)):%Y-%m-%dT%H:%M}/{before:%Y-%m-%dT%H:%M}"
    if precision == "about":
        return "~" + moment.strftime("%Y-%m-%dT%H:%M")
    if precision == "year":
        return f"{moment.year:04d}"
    if precision == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if precision == "day":
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M")


class _Ctx:
    """What a case being drawn shares: its sources, how unknown facts are, which precisions are allowed."""

    def __init__(self, draw, unknown: float, precisions, anchor: datetime):
        self.draw, self.unknown, self.precisions, self.anchor = draw, unknown, precisions, anchor
        self.sources: list[str] = []

    def is_unknown(self) -> bool:
        return self.draw(st.floats(0, 1)) < self.unknown

    def wrap(self, value):
        """A known fact, in the short form or the long form with provenance."""
        form = self.draw(st.sampled_from(("short", "short", "long")))
        if form == "short":
            return value
        out = {"value": value}
        if self.draw(st.booleans()):
            out["status"] = self.draw(st.sampled_from(STATUSES))
        if self.sources and self.draw(st.booleans()):
            out["source"] = self.draw(st.sampled_from(self.sources))
        if self.draw(st.booleans()):
            out["quote"] = self.draw(st.text(max_size=20))
        return out

    def missing(self):
        """An unknown fact, in each way a file may say so; ``_OMIT`` leaves the field out."""
        choice = self.draw(st.sampled_from(("omit", "omit", "unknown", "null", "long")))
        if choice == "omit":
            return _OMIT
        if choice == "unknown":
            return "unknown"
        if choice == "null":
            return None
        out = {"value": "unknown"}
        if self.sources and self.draw(st.booleans()):
            out["source"] = self.draw(st.sampled_from(self.sources))
        out["quote"] = "not said"
        return out

    def fact(self, strategy):
        return self.missing() if self.is_unknown() else self.wrap(self.draw(strategy))

    def when(self, moment: datetime, may_be_never: bool = False):
        """A time fact for ``moment`` at an allowed precision (or unknown; or ``never`` where the event may not
        have happened)."""
        if self.is_unknown():
            return self.missing()
        if may_be_never and "never" in self.precisions and self.draw(st.integers(0, 5)) == 0:
            return self.wrap("never")
        precision = self.draw(st.sampled_from([p for p in self.precisions if p != "never"]))
        return self.wrap(time_text(moment, precision, self.draw(st.integers(0, 600))))

    def moment(self, spread_days: int = 30) -> datetime:
        minutes = self.draw(st.integers(-spread_days * 1440, spread_days * 1440))
        return self.anchor + timedelta(minutes=minutes)


_OMIT = object()


def _put(target: dict, key: str, value) -> None:
    if value is not _OMIT:
        target[key] = value


def _custody(c: _Ctx, kind: str) -> dict:
    start = c.moment()
    out: dict = {}
    _put(out, "start", c.when(start))
    offsets = {name: c.draw(st.integers(0, 24 * 40)) for name in ("end", "before_judge", "protocol_at",
                                                                   "relatives_told_at", "lawyer_access_at")}
    for name, hours in offsets.items():
        if c.draw(st.booleans()):
            _put(out, name, c.when(start + timedelta(hours=hours, minutes=c.draw(st.integers(0, 59))),
                                   may_be_never=name in NEVER_FIELDS))
    default_basis = "administrative_detention" if kind == "administrative" else "suspect_detention"
    _put(out, "basis", c.fact(st.sampled_from((default_basis,) + BASES)))
    for flag in c.draw(st.lists(st.sampled_from(CUSTODY_FLAGS), unique=True, max_size=5)):
        _put(out, flag, c.fact(st.booleans()))
    if c.draw(st.integers(0, 4)) == 0:
        _put(out, "medical_exam_at", c.when(start + timedelta(hours=c.draw(st.integers(0, 200))), may_be_never=True))
    if c.draw(st.integers(0, 6)) == 0:
        _put(out, "died_at", c.when(start + timedelta(hours=c.draw(st.integers(1, 500)))))
    if "end" not in out and c.draw(st.integers(0, 4)) == 0:
        _put(out, "stated_hours", c.fact(st.integers(0, 500)))
    return out


def _hearing(c: _Ctx) -> dict:
    out: dict = {}
    _put(out, "date", c.when(c.moment()))
    for flag in c.draw(st.lists(st.sampled_from(HEARING_FLAGS), unique=True, max_size=8)):
        _put(out, flag, c.fact(st.booleans()))
    if c.draw(st.booleans()):
        _put(out, "closure_ground", c.fact(st.sampled_from(CLOSURE_GROUNDS)))
    if c.draw(st.booleans()):
        _put(out, "duration_minutes", c.fact(st.integers(0, 600)))
    if c.draw(st.booleans()):
        _put(out, "attendance", c.fact(st.sampled_from(("in_person", "video_link", "absent"))))
    if c.draw(st.integers(0, 3)) == 0:
        _put(out, "stage", c.fact(st.sampled_from(("pretrial", "first", "appeal", "cassation", "supervisory"))))
    return out


def _sanction(c: _Ctx) -> dict:
    kind = c.draw(st.sampled_from(SANCTION_KINDS))
    out: dict = {"kind": kind}
    amounts = {"fine": ("amount", "mci"), "arrest": ("days",), "prison": ("months", "years"),
               "public_works": ("hours",), "restriction_of_liberty": ("months", "years"), "ban": ("years", "months"),
               "corrective_labour": ("months",), "suspension_of_activity": ("months",)}.get(kind, ())
    for name in amounts:
        if c.draw(st.booleans()) or name == amounts[0]:
            top = {"amount": 2_000_000, "mci": 500, "days": 60, "months": 240, "years": 20, "hours": 1000}[name]
            _put(out, name, c.fact(st.integers(0, top)))
    if kind == "fine" and c.draw(st.booleans()):
        out["currency"] = "KZT"
    if kind == "prison" and c.draw(st.booleans()):
        _put(out, "suspended", c.fact(st.booleans()))
        _put(out, "probation_months", c.fact(st.integers(0, 60)))
    if kind in ("probation", "travel_ban") and c.draw(st.booleans()):
        _put(out, "months", c.fact(st.integers(0, 60)))
    if kind == "costs" and c.draw(st.booleans()):
        _put(out, "amount", c.fact(st.integers(0, 100_000)))
    if kind == "fine" and c.draw(st.integers(0, 5)) == 0:
        out["currency"] = c.draw(st.sampled_from(("EUR", "USD", "BYN")))
    return out


def _decision(c: _Ctx) -> dict:
    out: dict = {}
    _put(out, "date", c.when(c.moment()))
    _put(out, "outcome", c.fact(st.sampled_from(("convicted", "acquitted", "penalised", "dismissed", "granted",
                                                   "rejected"))))
    _put(out, "final", c.fact(st.booleans()))
    if c.draw(st.booleans()):
        _put(out, "by_judge", c.fact(st.booleans()))
    sanctions = [_sanction(c) for _ in range(c.draw(st.integers(0, 3)))]
    if sanctions or c.draw(st.booleans()):
        out["sanctions"] = sanctions
    if c.draw(st.integers(0, 3)) == 0:
        _put(out, "sanctioned", c.fact(st.booleans()) if not sanctions else c.fact(st.just(True)))
    return out


def _appeal(c: _Ctx) -> dict:
    filed = c.moment()
    out: dict = {}
    _put(out, "filed", c.when(filed))
    if c.draw(st.booleans()):
        _put(out, "heard", c.when(filed + timedelta(days=c.draw(st.integers(0, 90)))))
    _put(out, "outcome", c.fact(st.sampled_from(("upheld", "quashed", "modified", "rejected", "pending"))))
    for flag in ("witnesses_admitted", "evidence_admitted"):
        if c.draw(st.booleans()):
            _put(out, flag, c.fact(st.booleans()))
    return out


def _evidence(c: _Ctx) -> dict:
    out: dict = {"kind": c.draw(st.sampled_from(("confession", "testimony", "wiretap", "video", "search", "document",
                                                  "expert", "other")))}
    _put(out, "obtained_how", c.fact(st.sampled_from(("lawful", "torture", "ill_treatment", "threats",
                                                       "unauthorised"))))
    _put(out, "authorised_by", c.fact(st.sampled_from(("court", "prosecutor", "none"))))
    _put(out, "offered_by", c.fact(st.sampled_from(("defence", "prosecution", "court"))))
    for flag in ("authorised", "authorisation_examined", "admitted", "relied_on"):
        _put(out, flag, c.fact(st.booleans()))
    return out


def _allegation(c: _Ctx) -> dict:
    out: dict = {"kind": c.draw(st.sampled_from(("torture", "ill_treatment", "threats")))}
    when = c.moment()
    _put(out, "date", c.when(when))
    for flag in c.draw(st.lists(st.sampled_from(ALLEGATION_FLAGS), unique=True, max_size=6)):
        _put(out, flag, c.fact(st.booleans()))
    if c.draw(st.booleans()):
        _put(out, "complained_at", c.when(when + timedelta(hours=c.draw(st.integers(0, 300)))))
    if c.draw(st.booleans()):
        _put(out, "medical_exam_at", c.when(when + timedelta(hours=c.draw(st.integers(0, 300))), may_be_never=True))
    if c.draw(st.booleans()):
        _put(out, "perpetrator", c.fact(st.sampled_from(("police", "prison_staff", "security_service", "military",
                                                          "other_official", "private", "unknown"))))
    if c.draw(st.booleans()):
        _put(out, "purpose", c.fact(st.sampled_from(("confession", "punishment", "intimidation", "discrimination",
                                                      "other"))))
    if c.draw(st.booleans()):
        _put(out, "investigated_by", c.fact(st.sampled_from(("same_unit", "police", "prosecutor",
                                                              "investigative_committee", "independent_body", "court",
                                                              "other"))))
    return out


def _expression(c: _Ctx) -> dict:
    out: dict = {"kind": c.draw(st.sampled_from(("speech", "publication", "petition", "post", "poster", "slogan",
                                                  "interview", "other")))}
    _put(out, "date", c.when(c.moment()))
    for flag in ("punished", "relied_on"):
        _put(out, flag, c.fact(st.booleans()))
    return out


def _expulsion(c: _Ctx) -> dict:
    out: dict = {}
    for flag in ("lawfully_present", "could_submit_reasons", "reviewed", "represented", "national_security_invoked",
                 "risk_of_torture_claimed"):
        _put(out, flag, c.fact(st.booleans()))
    _put(out, "executed_at", c.when(c.moment()))
    return out


def _employment(c: _Ctx) -> dict:
    out: dict = {}
    _put(out, "dismissed_on", c.when(c.moment()))
    _put(out, "ground", c.fact(st.sampled_from(("strike_participation", "absence", "other"))))
    _put(out, "strike_declared_unlawful_on", c.when(c.moment()))
    _put(out, "disciplinary_measure", c.fact(st.booleans()))
    return out


def _incident(c: _Ctx, index: int, people: list[str]) -> dict:
    out: dict = {"id": f"i{index}", "kind": c.draw(st.sampled_from(INCIDENT_KINDS))}
    _put(out, "date", c.when(c.moment()))
    for flag in c.draw(st.lists(st.sampled_from(INCIDENT_FLAGS), unique=True, max_size=6)):
        _put(out, flag, c.fact(st.booleans()))
    if c.draw(st.booleans()):
        _put(out, "participants", c.fact(st.integers(0, 5000)))
    if c.draw(st.booleans()):
        _put(out, "notice_days", c.fact(st.integers(0, 30)))
    if c.draw(st.booleans()):
        _put(out, "strike_vote_present_share", c.fact(st.floats(0, 1).map(lambda x: round(x, 2))))
        _put(out, "strike_vote_for_share", c.fact(st.floats(0, 1).map(lambda x: round(x, 2))))
    if people and c.draw(st.booleans()):
        out["organiser"] = c.draw(st.sampled_from(people))
    return out


def _person(c: _Ctx, index: int, born: bool) -> dict:
    out: dict = {"id": f"p{index}", "name": c.draw(st.sampled_from(("Roza", "Natalia Sokolova", "Кузнецов", "A B")))}
    if c.draw(st.booleans()):
        out["kind"] = c.draw(st.sampled_from(("individual", "organisation")))
    for flag in ("minor", "union_member", "pregnant"):
        if c.draw(st.booleans()):
            _put(out, flag, c.fact(st.booleans()))
    if out.get("kind") == "individual" and c.draw(st.integers(0, 3)) == 0:
        out["kind"] = "group"
        _put(out, "count", c.fact(st.integers(2, 500)))
    if c.draw(st.integers(0, 3)) == 0:
        _put(out, "nationality", c.fact(st.sampled_from(("KZ", "UZ", "RU", "BY"))))
    if c.draw(st.booleans()):
        _put(out, "sex", c.fact(st.sampled_from(("female", "male"))))
    if born and c.draw(st.booleans()):
        _put(out, "born", c.when(c.anchor - timedelta(days=c.draw(st.integers(12 * 365, 70 * 365)))))
    return out


def _proceeding(c: _Ctx, index: int, people: list[str], incidents: list[str]) -> dict:
    kind = c.draw(st.sampled_from(PROCEEDING_KINDS))
    out: dict = {"id": f"pr{index}", "kind": kind, "person": c.draw(st.sampled_from(people))}
    if incidents and c.draw(st.integers(0, 3)):
        out["incident"] = c.draw(st.sampled_from(incidents))
    if c.draw(st.booleans()):
        out["instance"] = c.draw(st.sampled_from(("first", "appeal", "cassation", "supervisory")))
    if c.draw(st.booleans()):
        _put(out, "opened", c.when(c.moment()))
    _put(out, "role", c.fact(st.sampled_from(ROLES)))
    if c.draw(st.integers(0, 2)) == 0:
        _put(out, "charge_notified_at", c.when(c.moment(), may_be_never=True))
    if c.draw(st.integers(0, 3)) == 0:
        _put(out, "file_access_at", c.when(c.moment(), may_be_never=True))
    if c.draw(st.integers(0, 3)) == 0:
        _put(out, "counsel_confidential", c.fact(st.booleans()))
    if c.draw(st.integers(0, 4)) == 0:
        _put(out, "deprived_of_liberty", c.fact(st.booleans()))
    if c.draw(st.booleans()):
        _put(out, "prior_penalty_within_year", c.fact(st.booleans()))
    charges = []
    for _ in range(c.draw(st.integers(0, 2))):
        charge = {"code": c.draw(st.sampled_from(CODES)), "article": c.draw(st.sampled_from(ARTICLES))}
        if c.draw(st.booleans()):
            charge["part"] = str(c.draw(st.integers(1, 4)))
        shape = c.draw(st.integers(0, 7))
        if shape == 0:  # known only by its description
            charge = {"description": "an offence named only"}
        elif shape == 1:  # another State's code
            charge["code"] = "BY-CAO-2003"
        elif shape == 2:  # code without an article
            del charge["article"]
        if c.draw(st.booleans()):
            _put(charge, "outcome", c.fact(st.sampled_from(("convicted", "acquitted", "dismissed", "pending"))))
        charges.append(charge)
    _put_list(out, "charges", charges)
    _put_list(out, "custody", [_custody(c, kind) for _ in range(c.draw(st.integers(0, 3)))])
    _put_list(out, "court_appearances", [{"at": v} if (v := c.when(c.moment())) is not _OMIT else {}
                                         for _ in range(c.draw(st.integers(0, 1)))])
    _put_list(out, "hearings", [_hearing(c) for _ in range(c.draw(st.integers(0, 2)))])
    if c.draw(st.integers(0, 3)):
        out["decision"] = _decision(c)
    _put_list(out, "appeals", [_appeal(c) for _ in range(c.draw(st.integers(0, 1)))])
    _put_list(out, "evidence", [_evidence(c) for _ in range(c.draw(st.integers(0, 1)))])
    _put_list(out, "allegations", [_allegation(c) for _ in range(c.draw(st.integers(0, 1)))])
    _put_list(out, "expression", [_expression(c) for _ in range(c.draw(st.integers(0, 1)))])
    if kind in ("expulsion", "migration") and c.draw(st.booleans()):
        out["expulsion"] = _expulsion(c)
    if kind == "labour" or c.draw(st.integers(0, 5)) == 0:
        out["employment"] = _employment(c)
    return out


def _put_list(target: dict, key: str, items: list) -> None:
    if items:
        target[key] = items


@st.composite
def cases(draw, unknown: float | None = None, precisions=PRECISIONS, born: bool = True, max_proceedings: int = 3,
          anchors=BOUNDARIES) -> dict:
    """A valid case file as a dict. See the module docstring for what varies and the options."""
    unknown = draw(st.sampled_from((0.0, 0.15, 0.4))) if unknown is None else unknown
    anchor_day = draw(st.sampled_from(anchors)) + timedelta(days=draw(st.integers(-60, 60)))
    c = _Ctx(draw, unknown, tuple(precisions), datetime(anchor_day.year, anchor_day.month, anchor_day.day, 12))
    case: dict = {"id": draw(st.from_regex(r"\A[a-z][a-z0-9-]{0,11}\Z"))}
    c.sources = [f"s{i}" for i in range(draw(st.integers(0, 2)))]
    if c.sources:
        case["sources"] = [{"id": s, "title": f"source {s}"} for s in c.sources]
    defaults = {}
    if c.sources and draw(st.booleans()):
        defaults["source"] = draw(st.sampled_from(c.sources))
    if draw(st.booleans()):
        defaults["status"] = draw(st.sampled_from(STATUSES))
    if defaults:
        case["defaults"] = defaults
    people = [_person(c, i, born) for i in range(draw(st.integers(1, 2)))]
    person_ids = [p["id"] for p in people]
    incidents = [_incident(c, i, person_ids) for i in range(draw(st.integers(0, 2)))]
    case["people"] = people
    if incidents:
        case["incidents"] = incidents
    case["proceedings"] = [_proceeding(c, i, person_ids, [x["id"] for x in incidents])
                           for i in range(draw(st.integers(1, max_proceedings)))]
    return case


# --- helpers for properties ---------------------------------------------------------------------------

def walk_times(case: dict, visit) -> dict:
    """A copy of ``case`` with every time fact ``t`` replaced by ``visit(t)`` (texts only; long form kept)."""
    import copy

    out = copy.deepcopy(case)
    time_keys = {"date", "end_date", "start", "end", "born", "before_judge", "protocol_at", "relatives_told_at",
                 "lawyer_access_at", "at", "opened", "filed", "heard", "dismissed_on", "strike_declared_unlawful_on",
                 "declared_unlawful_by_court", "charge_notified_at", "file_access_at", "complained_at",
                 "investigation_opened_at", "investigation_closed_at", "medical_exam_at", "died_at", "executed_at"}

    def fix(value):
        if isinstance(value, dict) and "value" in value:
            if isinstance(value["value"], str) and value["value"] not in ("unknown", "never"):
                value["value"] = visit(value["value"])
            return value
        if isinstance(value, str) and value not in ("unknown", "never"):
            return visit(value)
        return value

    def walk(node, in_sources=False):
        if isinstance(node, dict):
            for key in list(node):
                if key in time_keys and not in_sources:
                    node[key] = fix(node[key])
                else:
                    walk(node[key], in_sources or key == "sources")
        elif isinstance(node, list):
            for item in node:
                walk(item, in_sources)

    walk(out)
    return out


def case_times(case: dict) -> list[str]:
    """Every time text in a case."""
    seen = []
    walk_times(case, lambda t: seen.append(t) or t)
    return seen
