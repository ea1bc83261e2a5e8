"""A time the case format knows only within bounds (``after/before``) reads as words in reports, not as a raw pair."""
from __future__ import annotations

import pytest

from engine.render.human import bounds_text, fact_value, prose, when_text


@pytest.mark.parametrize("text, en, ru", [
    ("2010-06-15/2010-06-20", "between 15 June 2010 and 20 June 2010", "в период с 15 июня 2010 по 20 июня 2010"),
    ("2016-07/2016-08", "between July 2016 and August 2016", "в период с июля 2016 по август 2016"),
    ("../2016-07-27", "before 27 July 2016", "до 27 июля 2016"),
    ("2016-07/..", "after July 2016", "после июля 2016"),
])
def test_bounds_read_as_words(text, en, ru):
    assert bounds_text(text, "en") == en
    assert when_text(text, "ru") == ru
    assert fact_value("hearings.date", text, "en") == en


@pytest.mark.parametrize("text", ["3/4", "a/b", "../..", "2010-06-15", "2010-06-15/x"])
def test_other_text_is_not_bounds(text):
    assert bounds_text(text) is None


def test_prose_drops_on_before_a_pair_of_bounds():
    assert prose("tried on 1997-02-20/1997-08-07 without a lawyer") == (
        "tried between 20 February 1997 and 7 August 1997 without a lawyer")
    assert prose("held on 2012-03-05T09:00, ratio 3/4") == "held on 5 March 2012, 09:00, ratio 3/4"
