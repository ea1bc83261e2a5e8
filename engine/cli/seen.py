"""Case ids seen in a run, kept in about 30 bytes each, so a stream of millions of cases stays in flat memory.

Each id is kept as a 64-bit digest in an open-addressing table, beside the ordinal of the input that
used it first; a JSON Lines input is remembered by (stream, line number) rather than by its label
text. Two different ids share a digest with probability about n²/2^65 (3·10⁻⁸ for a million cases):
then the second would be refused as a duplicate, naming the input that holds the other id.
"""
from __future__ import annotations

import hashlib
from array import array

_EMPTY = 0


class SeenIds:
    def __init__(self, capacity: int = 1024):
        self._slots = array("Q", bytes(8 * capacity))  # digest | 1 (never 0), or 0 for an empty slot
        self._owner = array("I", bytes(4 * capacity))  # ordinal of the first input with that digest
        self._count = 0
        self._sources: list[str] = []  # stream names, and labels of file inputs
        self._source_of: dict[str, int] = {}
        self._where = array("I")  # per ordinal: index into _sources
        self._line = array("I")  # per ordinal: line number in a stream, 0 for a file

    def add(self, case_id: str, label: str, line: int | None = None) -> str | None:
        """Remember ``case_id`` for the input ``label``; if an earlier input used it, return that input's label."""
        digest = int.from_bytes(hashlib.blake2b(case_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                                "little") | 1
        mask = len(self._slots) - 1
        i = digest & mask
        while self._slots[i] != _EMPTY:
            if self._slots[i] == digest:
                return self._label(self._owner[i])
            i = (i + 1) & mask
        self._slots[i] = digest
        self._owner[i] = len(self._where)
        source = label.rsplit(":", 1)[0] if line is not None else label
        index = self._source_of.get(source)
        if index is None:
            index = self._source_of[source] = len(self._sources)
            self._sources.append(source)
        self._where.append(index)
        self._line.append(line or 0)
        self._count += 1
        if self._count * 2 > len(self._slots):
            self._grow()
        return None

    def _label(self, ordinal: int) -> str:
        source, line = self._sources[self._where[ordinal]], self._line[ordinal]
        return f"{source}:{line}" if line else source

    def _grow(self) -> None:
        old_slots, old_owner = self._slots, self._owner
        size = 2 * len(old_slots)
        self._slots, self._owner = array("Q", bytes(8 * size)), array("I", bytes(4 * size))
        mask = size - 1
        for digest, owner in zip(old_slots, old_owner):
            if digest == _EMPTY:
                continue
            i = digest & mask
            while self._slots[i] != _EMPTY:
                i = (i + 1) & mask
            self._slots[i], self._owner[i] = digest, owner
