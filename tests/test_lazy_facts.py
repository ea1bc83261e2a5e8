"""Fact trees are built lazily and freed by reference counting once released.

A record's derived entries are functions of its class (no closures referring back to the record), and only
the tree itself is referred to from below it, so ``release`` needs to empty the tree alone. A cycle left
anywhere would be found by the cyclic garbage collector, which is what these tests look for.
"""
import gc
from pathlib import Path

import pytest

from engine.derive.facts import derive_case
from engine.derive.lazy import LazyDict, release
from engine.io.load import load_cases

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "cases", ROOT / "corpus" / "un" / "cases"]


def _build_everything(value) -> int:
    """Read every entry of a tree (iterating a LazyDict builds all of it); the number of facts seen."""
    if isinstance(value, dict):
        return sum(_build_everything(v) for v in list(value.values()))
    if isinstance(value, list):
        return sum(_build_everything(v) for v in value)
    return 1


def _cases():
    return [case for _, case in load_cases([str(f) for f in FOLDERS if f.is_dir()])]


@pytest.fixture(scope="module")
def cases():
    found = _cases()
    assert len(found) > 20
    return found


def test_a_released_tree_leaves_no_cycle(cases):
    gc.collect()
    gc.disable()
    try:
        facts = 0
        for case in cases:
            for pf in derive_case(case):
                facts += _build_everything(pf.tree)
                release(pf.tree)
        pf = None
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert facts > 1000
    assert unreachable == 0, f"{unreachable} objects of released fact trees were left to the cyclic collector"


def test_an_unreleased_tree_is_a_cycle_release_breaks(cases):
    """The test above can fail: a tree whose records refer back to it is a cycle until released."""
    case = next(c for c in cases if any(p.custody for p in c.proceedings))
    gc.collect()
    gc.disable()
    try:
        for pf in derive_case(case):
            _build_everything(pf.tree)
        pf = None
        assert gc.collect() > 0
    finally:
        gc.enable()


def test_reading_one_entry_builds_only_what_it_needs(cases):
    case = next(c for c in cases if any(p.custody and p.charges for p in c.proceedings))
    pf = next(pf for pf in derive_case(case) if pf.tree.get("custody"))
    tree = pf.tree
    assert isinstance(tree, LazyDict)
    tree["custody"][0]["hours_before_judge"]
    built = set(dict.keys(tree))
    assert "custody" in built and "charges" not in built and "same_act" not in built
    charge = tree["charges"][0]
    charge["code"]
    assert "code_in_force" not in dict.keys(charge)  # nor the conduct's date it needs
    assert list(charge) == ["code", "article", "part", "paragraph", "outcome", "arrest_possible", "punitive",
                            "assembly_rules", "charged_at", "until", "code_in_force"]
    release(tree)
    assert dict.__len__(tree) == 0
