"""Duplicate case ids across a run are found in bounded memory, naming the first input that used the id."""
from engine.cli.seen import SeenIds


def test_a_repeated_id_names_the_first_input():
    seen = SeenIds(capacity=4)
    assert seen.add("kz-1", "cases.jsonl:1", 1) is None
    assert seen.add("kz-2", "cases.jsonl:2", 2) is None
    assert seen.add("kz-1", "more.jsonl:9", 9) == "cases.jsonl:1"
    assert seen.add("a", "a.yaml") is None
    assert seen.add("a", "b.yaml") == "a.yaml"


def test_growing_keeps_every_id():
    seen = SeenIds(capacity=2)
    for i in range(5000):
        assert seen.add(f"case-{i}", f"s.jsonl:{i + 1}", i + 1) is None
    for i in range(0, 5000, 97):
        assert seen.add(f"case-{i}", "t.jsonl:1", 1) == f"s.jsonl:{i + 1}"
    assert seen.add("", "u.jsonl:1", 1) is None and seen.add("\ud800", "u.jsonl:2", 2) is None
