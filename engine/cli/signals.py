"""Interruption and the process's streams: SIGINT, SIGTERM and SIGHUP end a run cleanly, with 128 + the signal as exit code.

The handlers raise ``Interrupted``, a BaseException (``except Exception`` does not swallow it, and click
does not turn it into "Aborted!" with exit 1), so every ``with`` block unwinds: output sinks remove
their temporary files and the worker pool is terminated. Workers ignore SIGINT (the parent decides)
and die with the parent (``die_with_parent``).
"""
from __future__ import annotations

import os
import signal
import sys


class Interrupted(BaseException):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.code = 128 + signum


def _raise(signum, frame):
    raise Interrupted(signum)


def install() -> None:
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _raise)


def for_worker() -> None:
    """In a worker process: Ctrl-C goes to the whole process group, but only the parent acts on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    die_with_parent()


def die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to this process when its parent dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def quiet_exit(code: int, message: str | None = None) -> None:
    """Exit without flushing into a closed pipe (which would print a second error at shutdown)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass
    if message:
        try:
            print(message, file=sys.stderr)
        except (OSError, AttributeError, ValueError):
            pass
    sys.exit(code)


def safe_streams() -> None:
    """Under an ASCII (or other non-UTF-8) locale, printing case text must not crash: a report piped to a file or
    a program is written in UTF-8 like every other output; a terminal and the error stream get escapes instead."""
    for stream, is_output in ((sys.stdout, True), (sys.stderr, False)):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if stream is None or encoding in ("utf8", "utf8sig") or not hasattr(stream, "reconfigure"):
            continue
        try:
            if is_output and not stream.isatty():
                stream.reconfigure(encoding="utf-8")
            else:
                stream.reconfigure(errors="backslashreplace")
        except (OSError, ValueError):
            pass
