"""Dicts whose entries are computed on first access, so a run derives only the facts its rules read.

Reading a key builds it; iterating (``keys``, ``items``, ``json.dumps``) builds everything first, so
code that walks a whole tree still sees all of it.
"""
from __future__ import annotations

from typing import Callable



_ABSENT = object()


class LazyDict(dict):
    def __init__(self, builders: dict[str, Callable[[], object]]):
        super().__init__()
        self._builders = builders

    def _build(self, key):
        build = self._builders.get(key)
        if build is None:
            raise KeyError(key)
        value = build()
        dict.__setitem__(self, key, value)
        return value

    def __missing__(self, key):
        return self._build(key)

    def get(self, key, default=None):
        value = dict.get(self, key, _ABSENT)  # one lookup for an entry already built (the usual case)
        if value is not _ABSENT:
            return value
        if key in self._builders:
            return self._build(key)
        return default

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self._builders

    def materialize(self) -> "LazyDict":
        for key in self._builders:
            if not dict.__contains__(self, key):
                self._build(key)
        return self

    def keys(self):
        return dict.keys(self.materialize())

    def items(self):
        return dict.items(self.materialize())

    def values(self):
        return dict.values(self.materialize())

    def __iter__(self):
        return dict.__iter__(self.materialize())

    def __len__(self):
        return dict.__len__(self.materialize())

    def __bool__(self):  # `if tree:` must not build every entry
        return bool(self._builders) or dict.__len__(self) > 0

    def __reduce__(self):
        return dict, (dict(self.items()),)


class RecordDict(LazyDict):
    """A LazyDict whose builders are functions of the record itself (``BUILDERS``, shared by every instance of
    the class), so a record costs no closures and none refers back to it."""

    BUILDERS: dict = {}

    def __init__(self):
        dict.__init__(self)
        self._builders = self.BUILDERS

    def _build(self, key):
        build = self._builders.get(key)
        if build is None:
            raise KeyError(key)
        value = build(self)
        dict.__setitem__(self, key, value)
        return value


def release(tree) -> None:
    """Empty a fact tree once its case is reported. Records that read other roots (custody, charges, the dates
    that choose the law) refer back to their tree, so a tree left as it is is a reference cycle for the cyclic
    garbage collector to find. No record refers to another record (their derived entries are functions of the
    class, not closures), so emptying the tree itself breaks every cycle and reference counting frees the rest
    (``tests/test_lazy_facts.py`` keeps it so)."""
    if isinstance(tree, LazyDict):
        tree._builders = {}
    dict.clear(tree)
