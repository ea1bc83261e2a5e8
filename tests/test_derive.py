from engine.derive.facts import derive_case
from engine.model.case import Case
from engine.model.values import Span, Status


def one(case_dict, index=0):
    return derive_case(Case.model_validate(case_dict))[index].tree


BASE = {"id": "c", "people": [{"id": "p", "name": "P"}], "incidents": [{"id": "i", "kind": "assembly",
                                                                       "date": "2011-06-05"}]}


def test_hours_before_judge_from_timestamps():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p",
                                         "custody": [{"start": "2011-09-08T10:00", "before_judge": "2011-09-11T16:00"}]}]})
    assert tree["custody"][0]["hours_before_judge"].value == Span(78, 78)


def test_a_later_court_appearance_is_not_taken_for_the_first_time_before_a_judge():
    """Legal review 2026-11-30, s.1 item 2: a trial or appeal hearing weeks later is not the time the
    person was first brought before a judge; the time stays unknown and the rules ask."""
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p",
                                         "custody": [{"start": "2011-09-08T10:00"}],
                                         "court_appearances": [{"at": "2011-09-11T16:00"}]}]})
    assert tree["custody"][0]["hours_before_judge"].value is None


def test_date_only_keeps_the_uncertainty():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p",
                                         "custody": [{"start": "2011-09-08", "before_judge": "2011-09-11"}]}]})
    span = tree["custody"][0]["hours_before_judge"].value
    assert 48 < span.lo < 49 and 95 < span.hi < 96


def test_derived_status_is_the_weakest_input():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p", "custody": [
        {"start": {"value": "2011-09-08T10:00", "status": "established"},
         "before_judge": {"value": "2011-09-09T10:00", "status": "alleged"}}]}]})
    assert tree["custody"][0]["hours_before_judge"].status is Status.alleged


def test_sanction_sums_and_fine_in_mci_of_the_year():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "administrative", "person": "p", "decision": {
        "date": "2011-07-01", "sanctions": [{"kind": "fine", "amount": 151200}, {"kind": "arrest", "days": 5}]}}]})
    d = tree["decision"]
    assert d["fine_mci"].value == 100 and d["arrest_days"].value == 5 and d["prison_months"].value == 0
    assert "1512" in d["fine_mci"].quote


def test_no_decision_means_unknown_sums_not_zero():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "administrative", "person": "p"}]})
    assert tree["decision"]["arrest_days"].value is None and tree["decision"]["sanctioned"].value is None


def test_unlisted_mci_year_is_unknown():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "administrative", "person": "p", "decision": {
        "date": "2013-07-01", "sanctions": [{"kind": "fine", "amount": 10000}]}}]})
    assert tree["decision"]["fine_mci"].value is None


def test_mci_is_keyed_by_the_day_it_took_effect():
    """The budget law can change the MCI within a year: 1,296 tenge from 1 July 2009, nothing on file before."""
    def fine_mci(day):
        return one({**BASE, "proceedings": [{"id": "a", "kind": "administrative", "person": "p", "decision": {
            "date": day, "sanctions": [{"kind": "fine", "amount": 12960}]}}]})["decision"]["fine_mci"]
    assert fine_mci("2009-08-01").value == 10 and "from 2009-07-01" in fine_mci("2009-08-01").quote
    assert fine_mci("2009-03-01").value is None


def test_arrest_end_and_chained_custody():
    tree = one({**BASE, "proceedings": [
        {"id": "adm", "kind": "administrative", "person": "p", "incident": "i",
         "custody": [{"start": "2011-05-24", "basis": "administrative_arrest"}],
         "decision": {"date": "2011-05-24", "sanctions": [{"kind": "arrest", "days": 8}]}},
        {"id": "crim", "kind": "criminal", "person": "p", "incident": "i",
         "custody": [{"start": "2011-06-01", "basis": "pretrial_custody"}],
         "decision": {"date": "2011-08-08", "sanctions": [{"kind": "prison", "years": 6, "suspended": False}]}}]}, 1)
    assert tree["custody"][0]["follows_previous"].value is True
    other = tree["same_act"][0]
    assert other["kind"].value == "administrative" and other["arrest_days"].value == 8
    assert other["penal_in_nature"].value is True and other["before_this"].value is True
    assert tree["decision"]["prison_months_unsuspended"].value == 72


def test_unrelated_custody_does_not_chain():
    tree = one({**BASE, "proceedings": [
        {"id": "a", "kind": "criminal", "person": "p", "custody": [
            {"start": "2011-01-01T10:00", "end": "2011-01-02T10:00"}, {"start": "2011-03-01T10:00"}]}]})
    assert tree["custody"][1]["follows_previous"].value is False


def test_charge_code_in_force_on_conduct_date():
    tree = one({**BASE, "proceedings": [{"id": "a", "kind": "criminal", "person": "p", "incident": "i", "charges": [
        {"code": "KZ-CC-1997", "article": 334}, {"code": "KZ-CC-2014", "article": "400"}]}]})
    assert [c["code_in_force"].value for c in tree["charges"]] == [True, False]
    assert tree["charges"][0]["article"].value == "334"
