"""What monitors record that the format now holds: times by bounds, about and never; events that never
happened; unknown apart from none; periods that follow others or are known by their length; people in groups
and abroad; the order of a detention and an assembly."""
from datetime import datetime

import pytest

from engine.derive.facts import derive_case
from engine.model.case import Case
from engine.model.case_checks import problems
from engine.model.logic import compare
from engine.model.values import Span
from engine.model.when import NEVER, as_text, parse_moment

BASE = {"id": "c", "people": [{"id": "p", "name": "P"}],
        "incidents": [{"id": "i", "kind": "assembly", "date": "2011-06-05T12:00"}]}


def tree(proceeding: dict, people=None, state=None, index=0):
    data = {**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p", "incident": "i", **proceeding}]}
    if people is not None:
        data["people"] = people
    if state is not None:
        data["state"] = state
    return derive_case(Case.model_validate(data))[index].tree


# --- times ------------------------------------------------------------------------------------------

def test_bounds_cover_exactly_the_interval_given():
    m = parse_moment("2011-12-16T06:00/2011-12-16T12:00")
    assert (m.earliest, m.latest) == (datetime(2011, 12, 16, 6), datetime(2011, 12, 16, 12))


def test_a_date_as_upper_bound_covers_its_whole_day():
    m = parse_moment("2011-12-15/2011-12-16")
    assert (m.earliest, m.latest) == (datetime(2011, 12, 15), datetime(2011, 12, 16, 23, 59))


def test_an_open_side_reaches_past_every_real_time():
    m = parse_moment("2012-06-16/..")
    assert m.earliest == datetime(2012, 6, 16) and m.latest.year == 9999


def test_about_widens_by_precision():
    minute, day = parse_moment("~2011-12-16T20:20"), parse_moment("~2011-12-16")
    assert (minute.earliest, minute.latest) == (datetime(2011, 12, 16, 19, 50), datetime(2011, 12, 16, 20, 50))
    assert (day.earliest, day.latest) == (datetime(2011, 12, 15), datetime(2011, 12, 17, 23, 59))


@pytest.mark.parametrize("text", ["2011-12-16T19:30/2011-12-16T06:00", "../..", "~never", "2011-13-01/2011-12-01"])
def test_malformed_bounds_are_refused(text):
    with pytest.raises(ValueError):
        parse_moment(text)


def test_yaml_forms_become_the_text_forms():
    from datetime import date

    assert as_text({"after": date(2011, 12, 16), "before": datetime(2011, 12, 16, 19, 30)}) == "2011-12-16/2011-12-16T19:30"
    assert as_text({"before": "2011-12-16T19:30"}) == "../2011-12-16T19:30"
    assert as_text({"about": "2011-12-16T20:20"}) == "~2011-12-16T20:20"
    with pytest.raises(ValueError):
        as_text({"after": "2011-12-16", "around": "x"})


def test_never_is_later_than_any_time_and_equal_only_to_itself():
    assert compare(">", NEVER, parse_moment("2011-12-16")) is True
    assert compare("==", NEVER, parse_moment("never")) is True
    assert compare("==", NEVER, parse_moment("2011-12-16/..")) is None  # an open bound may be never


def test_case_files_take_bounds_about_and_never_in_short_and_long_form():
    case = Case.model_validate({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p", "custody": [{
        "start": {"after": "2011-12-16T06:00", "before": "2011-12-16T12:00"},
        "end": {"value": {"about": "2011-12-18T20:20"}, "status": "alleged"},
        "before_judge": "never"}]}]})
    c = case.proceedings[0].custody[0]
    assert (c.start.value, c.end.value, c.before_judge.value) == (
        "2011-12-16T06:00/2011-12-16T12:00", "~2011-12-18T20:20", "never")


# --- never, measured ---------------------------------------------------------------------------------

def test_never_before_a_judge_counts_the_whole_custody():
    t = tree({"custody": [{"start": "2005-09-29T10:00", "end": "2005-10-01T23:00", "before_judge": "never"}]})
    assert t["custody"][0]["hours_before_judge"].value == Span(61, 61)


def test_never_before_a_judge_with_release_unknown_stays_unknown():
    t = tree({"custody": [{"start": "2005-09-29T10:00", "before_judge": "never"}]})
    assert t["custody"][0]["hours_before_judge"].value is None


def test_a_stated_length_gives_the_end():
    t = tree({"custody": [{"start": "2005-09-29T10:00", "stated_hours": 61, "before_judge": "never"}]})
    c = t["custody"][0]
    assert c["end"].value.earliest == datetime(2005, 10, 1, 23) and c["hours_before_judge"].value == Span(61, 61)


def test_a_stated_length_from_a_day_only_start_is_that_length():
    # "detained on 29 September for 61 hours": the hour of arrest is unknown, the length is not
    t = tree({"custody": [{"start": "2005-09-29", "stated_hours": 61, "before_judge": "never"}]})
    c = t["custody"][0]
    assert c["hours"].value == Span(61, 61) and c["hours_before_judge"].value == Span(61, 61)
    assert c["end"].value.earliest == datetime(2005, 10, 1, 13)


def test_a_recorded_end_is_measured_even_when_a_length_is_stated():
    t = tree({"custody": [{"start": "2005-09-29", "end": "2005-10-02", "stated_hours": 61}]})
    assert t["custody"][0]["hours"].value != Span(61, 61)


def test_a_period_that_follows_another_starts_when_it_ended():
    t = tree({"custody": [
        {"id": "arrest", "start": "2011-05-24T12:00", "basis": "administrative_arrest"},
        {"id": "kept", "follows": "arrest", "basis": "suspect_detention"}],
        "decision": {"date": "2011-05-24", "sanctions": [{"kind": "arrest", "days": 10}]}})
    kept = t["custody"][1]
    assert kept["start"].value.earliest == datetime(2011, 6, 3, 12)
    assert kept["follows_previous"].value is True
    assert t["dates"]["detention"].value.earliest == datetime(2011, 5, 24, 12)


def test_a_term_that_follows_a_detention_ends_when_its_days_run_out():
    t = tree({"kind": "administrative", "custody": [
        {"id": "held", "start": "2022-05-23T10:00", "end": "2022-05-25T10:00", "basis": "administrative_detention"},
        {"id": "arrest", "follows": "held", "basis": "administrative_arrest"}],
        "decision": {"date": "2022-05-25", "sanctions": [{"kind": "arrest", "days": 15}]}})
    assert t["custody"][1]["end"].value.earliest == datetime(2022, 6, 9, 10)


def test_a_renewed_arrest_follows_the_first_and_is_not_given_the_decision_days():
    t = tree({"kind": "administrative", "custody": [
        {"id": "arrest", "start": "2022-05-25T10:00", "basis": "administrative_arrest"},
        {"id": "renewed", "follows": "arrest", "basis": "administrative_arrest"}],
        "decision": {"date": "2022-05-25", "sanctions": [{"kind": "arrest", "days": 15}]}})
    first, renewed = t["custody"]
    assert first["end"].value.earliest == datetime(2022, 6, 9, 10)
    assert renewed["start"].value.earliest == datetime(2022, 6, 9, 10)
    assert not renewed["end"].known  # the renewal's length is not the decision's
    assert renewed["follows_previous"].value is True


def test_two_independent_arrest_terms_do_not_share_the_decision_total():
    t = tree({"kind": "administrative", "custody": [
        {"start": "2022-05-01T10:00", "basis": "administrative_arrest"},
        {"start": "2022-07-01T10:00", "basis": "administrative_arrest"}],
        "decision": {"date": "2022-05-01", "sanctions": [{"kind": "arrest", "days": 15}]}})
    assert not t["custody"][0]["end"].known and not t["custody"][1]["end"].known


def test_follows_must_name_a_custody_period():
    case = Case.model_validate({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p",
                                                         "custody": [{"follows": "nowhere"}]}]})
    assert any("nowhere" in message for _, message in problems(case))


# --- unknown apart from none ---------------------------------------------------------------------------

def test_deprived_of_liberty_from_custody_record_and_silence():
    assert tree({"custody": [{"start": "2011-06-05"}]})["proceeding"]["deprived_of_liberty"].value is True
    assert tree({})["proceeding"]["deprived_of_liberty"].value is False
    assert tree({"deprived_of_liberty": "unknown"})["proceeding"]["deprived_of_liberty"].value is None
    assert tree({"deprived_of_liberty": True})["proceeding"]["deprived_of_liberty"].value is True


def test_a_suspended_sentence_is_not_a_deprivation_of_liberty_and_an_arrest_is():
    suspended = tree({"decision": {"date": "2012-01-10", "sanctions": [
        {"kind": "prison", "months": 12, "suspended": True}]}})
    arrest = tree({"kind": "criminal", "decision": {"date": "2012-01-10", "sanctions": [{"kind": "arrest", "days": 5}]}})
    assert suspended["proceeding"]["deprived_of_liberty"].value is False
    assert arrest["proceeding"]["deprived_of_liberty"].value is True


def test_a_prison_term_not_known_to_be_suspended_leaves_deprivation_open_and_an_arrest_of_unknown_length_does_not():
    open_term = tree({"decision": {"date": "2012-01-10", "sanctions": [{"kind": "prison", "months": 12}]}})
    arrest = tree({"decision": {"date": "2012-01-10", "sanctions": [{"kind": "arrest"}]}})
    assert open_term["proceeding"]["deprived_of_liberty"].value is None
    assert arrest["proceeding"]["deprived_of_liberty"].value is True


def test_no_sanction_recorded_as_such_is_not_an_unknown_sanction():
    none = tree({"decision": {"date": "2012-01-10", "outcome": "convicted", "sanctioned": False}})
    unknown = tree({"decision": {"date": "2012-01-10", "outcome": "convicted", "sanctioned": True}})
    silent = tree({"decision": {"date": "2012-01-10", "outcome": "convicted"}})
    assert none["decision"]["sanctioned"].value is False and none["decision"]["fine_mci"].value == 0
    assert unknown["decision"]["sanctioned"].value is True and unknown["decision"]["fine_mci"].value is None
    assert silent["decision"]["sanctioned"].value is None


def test_costs_are_not_a_fine():
    t = tree({"decision": {"date": "2011-06-06", "sanctions": [{"kind": "costs", "amount": 5000}]}})
    assert t["decision"]["fine_amount"].value == 0


# --- charges, people, assemblies -------------------------------------------------------------------------

def test_a_charge_known_by_description_only_leaves_the_article_unknown():
    t = tree({"charges": [{"description": "separatism", "outcome": "convicted"},
                          {"code": "BY-CAO-2003", "instrument": "Code of Administrative Offences of Belarus"}]})
    first, second = t["charges"]
    assert first["article"].value is None and first["code"].value is None and first["outcome"].value == "convicted"
    assert second["code_in_force"].value is None  # no Kazakh key: the Kazakh rules do not read it


def test_an_unknown_kazakh_code_is_an_error_with_a_hint():
    case = Case.model_validate({**BASE, "proceedings": [{"id": "a", "kind": "administrative", "person": "p",
                                                         "charges": [{"code": "KZ-CAO-201", "article": "373"}]}]})
    assert any("KZ-CAO-201" in message and "did you mean" in message for _, message in problems(case))


def test_foreign_national_compares_nationality_with_the_state_judged():
    people = [{"id": "p", "name": "P", "nationality": "UZ"}]
    assert tree({}, people=people)["person"]["foreign_national"].value is True
    assert tree({}, people=people, state="UZ")["person"]["foreign_national"].value is False
    assert tree({})["person"]["foreign_national"].value is None


def test_a_detention_on_the_assembly_day_without_an_hour_counts_as_at_the_assembly():
    same_day = tree({"custody": [{"start": "2011-06-05"}]})
    evening_before = tree({"custody": [{"start": "2011-06-04T20:00"}]})
    uncertain = tree({"custody": [{"start": "2011-06-04T18:00/2011-06-05T18:00"}]})
    assert same_day["custody"][0]["before_incident"].value is False
    assert evening_before["custody"][0]["before_incident"].value is True
    assert uncertain["custody"][0]["before_incident"].value is None
