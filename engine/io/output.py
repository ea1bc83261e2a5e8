"""Write outputs whole or not at all: a temporary file in the same folder, then an atomic rename."""
from __future__ import annotations

import os
import sys
import tempfile


class AtomicSink:
    """A text sink: stdout, or a temporary file renamed over the target only when all went well."""

    def __init__(self, path: str | None):
        self.path = None if path in (None, "-") else path
        self._tmp = None
        self._handle = sys.stdout
        self._abandoned = False
        if self.path is not None:
            folder = os.path.dirname(os.path.abspath(self.path))
            fd, self._tmp = tempfile.mkstemp(prefix=".trialcheck-", suffix=".tmp", dir=folder)
            self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self._handle.write(text)

    def abandon(self) -> None:
        """Bad input was found: leave no output file behind."""
        self._abandoned = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            self._handle.flush()
            return False
        self._handle.close()
        if exc_type is None and not self._abandoned:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(self._tmp, 0o666 & ~mask)  # a report is an ordinary file, not a private temporary one
            os.replace(self._tmp, self.path)
        elif os.path.exists(self._tmp):
            os.unlink(self._tmp)
        return False


def open_atomic(path: str | None) -> AtomicSink:
    return AtomicSink(path)


def write_atomic(path: str | None, text: str) -> None:
    with open_atomic(path) as sink:
        sink.write(text)
