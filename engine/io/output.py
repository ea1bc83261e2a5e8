"""Write outputs whole or not at all, and never destroy what is not a report.

What `-o PATH` does, by what PATH is (checked before any input is read, see ``check_output``):

- `-` or no `-o`: standard output.
- a regular file, or a name that does not exist yet: the report goes to a temporary file in the same
  folder, is flushed to disk, and is renamed over the target only when all went well. An existing
  report keeps its permissions (and, where allowed, its owner and group). A read-only file is
  refused unless `--force`.
- a symbolic link: followed; the file it points to is replaced as above, the link stays.
- a character device or a FIFO (`/dev/null`, `/dev/stdout`, `/dev/fd/N`, `>(gzip > x.gz)`): written
  to directly, never replaced. Such a stream cannot be "all or nothing".
- a folder, a block device, a socket, one of the input files: refused (exit 2), nothing written.

Temporary files are removed on every failure, on a full disk, and on SIGINT/SIGTERM (``cleanup``).
"""
from __future__ import annotations

import os
import re
import stat
import sys
import tempfile

from engine.io.errors import InputError

_LIVE_TEMPS: set[str] = set()


class OutputError(InputError):
    """An output that cannot be written: `path: message`, exit 2 like bad input."""


class PipeClosed(BaseException):
    """Standard output is a pipe whose reader has gone (`| head`): not an error of the run, nothing to report."""


_FD_PATH = re.compile(r"^/(?:dev/fd|proc/self/fd|proc/\d+/fd)/(\d+)$")
_STD_PATHS = {"/dev/stdout": 1, "/dev/stderr": 2}


def _descriptor(path: str) -> int | None:
    """The open descriptor a path such as /dev/fd/3 or /dev/stdout names (written through, never reopened)."""
    absolute = os.path.abspath(path)
    if absolute in _STD_PATHS:
        return _STD_PATHS[absolute]
    match = _FD_PATH.match(absolute)
    return int(match.group(1)) if match else None


def _target(path: str) -> tuple[str, os.stat_result | None]:
    """The path that will be written (a symlink's final target) and its stat, None when it does not exist."""
    real = os.path.realpath(path) if os.path.islink(path) else path
    try:
        return real, os.stat(real)
    except FileNotFoundError:
        return real, None
    except NotADirectoryError:
        raise OutputError(path, "a part of this path is not a folder") from None
    except OSError as err:
        raise OutputError(path, f"cannot write: {err.strerror}") from None


def check_output(path: str | None, inputs: list[str] = (), force: bool = False) -> None:
    """Refuse, before anything is read or computed, an output that would destroy an input or cannot be written."""
    if path in (None, "-"):
        return
    fd = _descriptor(path)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise OutputError(path, f"file descriptor {fd} is not open") from None
        return
    real, st = _target(path)
    if st is not None:
        identity = (st.st_dev, st.st_ino)
        for name in inputs:
            try:
                other = os.stat(name)
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == identity and stat.S_ISREG(st.st_mode):
                raise OutputError(path, f"is the input file {name}; refusing to overwrite it (choose another -o)")
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(path, "is a folder; give a file name (e.g. report.md)")
        if stat.S_ISBLK(st.st_mode):
            raise OutputError(path, "is a block device; refusing to write a report onto a disk")
        if stat.S_ISSOCK(st.st_mode):
            raise OutputError(path, "is a socket; cannot write a report to it")
        if stat.S_ISREG(st.st_mode) and not force and (not st.st_mode & 0o222 or not os.access(real, os.W_OK)):
            raise OutputError(path, "is read-only (use --force to replace it)")
        if not stat.S_ISREG(st.st_mode):
            return  # a device or a FIFO: written to directly
    folder = os.path.dirname(os.path.abspath(real))
    if not os.path.isdir(folder):
        what = "is not a folder" if os.path.exists(folder) else "does not exist"
        raise OutputError(path, f"cannot write here: the folder {folder} {what}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(path, f"cannot write here: no permission to create files in {folder}")


class AtomicSink:
    """A text sink: stdout, a device or FIFO written directly, or a temporary file renamed over the target."""

    def __init__(self, path: str | None, force: bool = False):
        self.path = None if path in (None, "-") else path
        self._tmp = None
        self._abandoned = False
        self._direct = False
        self._mode = None
        self._owner = None
        if self.path is None:
            if sys.stdout is None:
                raise OutputError("<stdout>", "standard output is closed")
            self._handle = sys.stdout
            return
        check_output(self.path, force=force)
        fd = _descriptor(self.path)
        if fd is not None:  # the caller's descriptor, with its own offset and append mode
            self._direct = True
            self._handle = os.fdopen(os.dup(fd), "w", encoding="utf-8", newline="\n")
            return
        self._real, st = _target(self.path)
        if st is not None and not stat.S_ISREG(st.st_mode):
            self._direct = True
            try:
                fd = os.open(self._real, os.O_WRONLY | os.O_NOCTTY)
            except OSError as err:
                raise OutputError(self.path, f"cannot write: {err.strerror}") from None
            self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            return
        if st is not None:
            self._mode = stat.S_IMODE(st.st_mode) & 0o777
            self._owner = (st.st_uid, st.st_gid)
        folder = os.path.dirname(os.path.abspath(self._real))
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=".trialcheck-", suffix=".tmp", dir=folder)
        except OSError as err:
            raise OutputError(self.path, f"cannot write here: {err.strerror}") from None
        _LIVE_TEMPS.add(self._tmp)
        self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        try:
            self._handle.write(text)
        except BrokenPipeError:
            self._discard()
            raise PipeClosed() from None
        except OSError as err:
            self._discard()
            raise OutputError(self.path or "<stdout>", f"cannot write: {err.strerror}") from None

    def abandon(self) -> None:
        """Bad input was found: leave no output file behind."""
        self._abandoned = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.path is None:
            try:
                self._handle.flush()
            except BrokenPipeError:
                raise PipeClosed() from None
            return False
        if self._direct:
            try:
                self._handle.close()
            except OSError as err:
                if exc_type is None:
                    raise OutputError(self.path, f"cannot write: {err.strerror}") from None
            return False
        if exc_type is None and not self._abandoned:
            self._commit()
        else:
            self._discard()
        return False

    def _commit(self) -> None:
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            if self._mode is None:
                mask = os.umask(0)
                os.umask(mask)
                os.chmod(self._tmp, 0o666 & ~mask)  # a new report is an ordinary file, not a private temporary one
            else:
                _keep_owner(self._tmp, self._owner)
                os.chmod(self._tmp, self._mode)  # a replaced report keeps its permissions
            os.replace(self._tmp, self._real)
        except OSError as err:
            self._discard()
            raise OutputError(self.path, f"cannot write: {err.strerror}") from None
        _LIVE_TEMPS.discard(self._tmp)
        _sync_folder(os.path.dirname(os.path.abspath(self._real)))

    def _discard(self) -> None:
        if self.path is None:
            return  # standard output is not ours to close
        try:
            self._handle.close()
        except OSError:
            pass
        if self._tmp:
            _remove(self._tmp)


def _keep_owner(path: str, owner) -> None:
    if owner and owner != (os.geteuid(), os.getegid()):
        try:
            os.chown(path, *owner)
        except OSError:
            pass  # only root may give a file away; the mode is kept all the same


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    _LIVE_TEMPS.discard(path)


def cleanup() -> None:
    """Remove every temporary file still open (called when the run is interrupted)."""
    for path in list(_LIVE_TEMPS):
        _remove(path)


def open_atomic(path: str | None, force: bool = False) -> AtomicSink:
    return AtomicSink(path, force)


def write_atomic(path: str | None, text: str, force: bool = False) -> None:
    with open_atomic(path, force) as sink:
        sink.write(text)


class NullSink:
    """Where `--quiet` without `-o` sends a report."""

    def write(self, text: str) -> None:
        pass

    def abandon(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
