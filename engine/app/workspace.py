"""The folder the workbench serves: which case files it holds, read with a version, saved atomically.

Case files stay the source of truth: the app reads and writes the same YAML a person writes by hand,
so git, the CLI and the app can share one folder. Every path is confined to the folder (no ``..``, no
symlink that leads outside). A save names the version it was based on (the SHA-256 of the bytes read);
if the file changed since, nothing is written and the caller gets the other version to show.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from engine.io.load import CASE_SUFFIXES
from engine.io.yamlio import MAX_BYTES

CASE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class OutsideFolder(Exception):
    """A path that would leave the served folder (``..``, an absolute path, a symlink elsewhere)."""


class Conflict(Exception):
    """The file changed since the version a save was based on."""

    def __init__(self, current_text: str | None, current_version: str | None):
        super().__init__("the case file changed since it was opened")
        self.current_text = current_text
        self.current_version = current_version


def version_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class CaseFile:
    """One case file in the folder: its path relative to the folder and what was read."""

    rel: str
    path: Path
    raw: bytes

    @property
    def version(self) -> str:
        return version_of(self.raw)

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8-sig", errors="replace")


class Workspace:
    def __init__(self, folder: str | os.PathLike):
        self.root = Path(folder).resolve(strict=True)
        if not self.root.is_dir():
            raise NotADirectoryError(str(folder))
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- paths ------------------------------------------------------------------------------------

    def confine(self, rel: str) -> Path:
        """The real path of ``rel`` inside the folder, or OutsideFolder."""
        if not rel or "\x00" in rel or "\\" in rel or os.path.isabs(rel) or rel.startswith("~"):
            raise OutsideFolder(rel)
        parts = rel.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise OutsideFolder(rel)
        real = Path(os.path.realpath(self.root / rel))
        if real != self.root and self.root not in real.parents:
            raise OutsideFolder(rel)  # a symlink that leads out of the folder
        return real

    def case_files(self) -> list[str]:
        """Relative paths of every case file in the folder, sorted; hidden folders and escaping links skipped."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.endswith(CASE_SUFFIXES):
                    continue
                full = Path(dirpath) / name
                rel = full.relative_to(self.root).as_posix()
                try:
                    real = self.confine(rel)
                except OutsideFolder:
                    continue
                if real.is_file():
                    found.append(rel)
        return sorted(found)

    def path_for_new(self, case_id: str) -> str:
        if not CASE_ID.match(case_id) or len(case_id) > 80 or ".." in case_id:
            raise OutsideFolder(case_id)
        return f"{case_id}.yaml"

    # --- reading and writing ----------------------------------------------------------------------

    def read(self, rel: str) -> CaseFile:
        path = self.confine(rel)
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        return CaseFile(rel, path, raw)

    def current_version(self, rel: str) -> str | None:
        try:
            return self.read(rel).version
        except FileNotFoundError:
            return None

    def _lock(self, rel: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(rel, threading.Lock())

    @contextlib.contextmanager
    def _folder_lock(self):
        """An advisory lock on the folder (``.trialcheck/save.lock``), so two workbench processes serving one
        folder also check and rename one at a time. Where ``fcntl`` is missing, the in-process lock alone."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        folder = self.root / ".trialcheck"
        folder.mkdir(exist_ok=True)
        with open(folder / "save.lock", "a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def save(self, rel: str, text: str, based_on: str | None) -> str:
        """Replace the file with ``text`` if it is still at version ``based_on`` (None: it must not exist).

        The check and the rename happen under one lock per file, so two saves in this process cannot
        both win; the temporary file is written, flushed and synced before the atomic rename.
        Returns the new version.
        """
        path = self.confine(rel)
        data = text.encode("utf-8")
        with self._lock(rel), self._folder_lock():
            try:
                with open(path, "rb") as handle:
                    current = handle.read(MAX_BYTES + 1)
            except FileNotFoundError:
                current = None
            if (current is None) != (based_on is None) or (current is not None and version_of(current) != based_on):
                raise Conflict(current.decode("utf-8-sig", errors="replace") if current is not None else None,
                               version_of(current) if current is not None else None)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".trialcheck-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                mode = os.stat(path).st_mode & 0o777 if current is not None else 0o666 & ~_umask()
                os.chmod(tmp, mode)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        return version_of(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
