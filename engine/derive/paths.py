"""Which fact paths exist: built from the case models plus the names ``derive.py`` adds.

Lint uses it to reject a rule that reads a path nobody provides.
"""
from __future__ import annotations

from functools import lru_cache

from engine.model import case as m

_SKIP = {"notes", "other_spellings", "name_ru", "sanctions", "description", "id"}


def _fields(model, extra=(), keep_id=False) -> frozenset[str]:
    names = {n for n in model.model_fields if n not in _SKIP or (keep_id and n == "id")}
    return frozenset(names | set(extra))


@lru_cache(maxsize=1)
def base_schema() -> dict[str, frozenset[str] | None]:
    """root -> attributes (None for a scalar root). List roots are marked in ``LIST_ROOTS``."""
    return {
        "proceeding": frozenset({"id", "kind", "court", "instance", "opened", "charge_notified_at", "guilt_prejudged",
                                 "discrimination_ground", "file_access_at", "counsel_confidential", "sent_to_court_at",
                                 "deprived_of_liberty"}),
        "role": None,
        "prior_penalty_within_year": None,
        "person": _fields(m.Person, keep_id=True) | {"name", "age_at_decision", "foreign_national"},
        "incident": _fields(m.Incident, keep_id=True),
        "charges": frozenset({"code", "article", "part", "paragraph", "code_in_force", "outcome", "arrest_possible",
                              "punitive", "assembly_rules", "charged_at", "until"}),
        "custody": _fields(m.Custody, ("hours", "hours_before_judge", "hours_to_protocol", "hours_to_relatives",
                                       "hours_to_lawyer", "follows_previous", "hours_pretrial", "hours_unacknowledged",
                                       "before_incident", "warrant_at_arrest", "court_sanction_at",
                                       "hours_to_court_sanction", "sanctioned_by")) - {"warrants"},
        "court_appearances": _fields(m.CourtAppearance),
        "hearings": _fields(m.Hearing),
        "sanctions": _fields(m.Sanction),
        "decision": _fields(m.Decision, ("arrest_days", "fine_amount", "fine_mci", "prison_months",
                                         "prison_months_unsuspended", "suspended", "public_works_hours",
                                         "restriction_months", "ban_years", "has_ban", "sanctioned", "sanction_kinds",
                                         "recorded")),
        "appeals": _fields(m.Appeal, ("days_to_hearing",)),
        "evidence": _fields(m.Evidence),
        "allegations": _fields(m.Allegation, ("victim_name", "victim_is_accused", "victim_minor")),
        "employment": _fields(m.Employment),
        "expression": _fields(m.Expression),
        "investigative_acts": _fields(m.InvestigativeAct),
        "expulsion": _fields(m.Expulsion),
        "registration": _fields(m.Registration),
        "same_act": frozenset({"id", "kind", "decision_date", "sanctioned", "arrest_days", "fine_mci", "prison_months",
                               "final", "penal_in_nature", "before_this", "opened", "opened_before_this"}),
        "dates": frozenset({"conduct", "detention", "hearing", "decision", "investigation", "first"}),
        "derived": frozenset(),
    }


LIST_ROOTS = frozenset({"charges", "custody", "court_appearances", "hearings", "sanctions", "appeals", "evidence",
                        "allegations", "expression", "same_act", "investigative_acts"})
