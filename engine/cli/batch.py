"""Batch checking: many cases from folders or JSON Lines, in parallel, in input order, in flat memory.

Cases stream through in windows: a window of raw inputs is checked by worker processes and its
results are written before the next window is read, so memory does not grow with the input. Workers
are forked after the plan is compiled, so rules are compiled once per run.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
from dataclasses import dataclass
from typing import Iterator

from engine.cli.seen import SeenIds
from engine.io.errors import InputError, InputErrors
from engine.io.yamlio import Document

WINDOW_PER_JOB = 1024  # cases in flight per worker: chunks of a quarter of it amortise pickling
SMALL_RUN = 64  # fewer cases than this are checked in-process


@dataclass
class RawCase:
    """One case as read: where it came from and its undecoded data (a file path, or a JSON line)."""

    label: str
    path: str | None = None
    line: str | None = None
    line_number: int | None = None
    error: str | None = None  # the line could not even be decoded


def iter_raw(paths: list[str], input_format: str, skip_unreadable: bool = False) -> Iterator[RawCase]:
    from engine.io.load import find_files

    if input_format == "jsonl":
        for source in paths:
            yield from _json_lines(source)
        return
    files = find_files(paths, skip_unreadable=skip_unreadable)
    if not files:
        raise InputErrors([InputError(", ".join(paths), "no case files (*.yaml, *.yml, *.json) found")])
    for path in files:
        yield RawCase(path, path)


def _json_lines(source: str) -> Iterator[RawCase]:
    """The cases of a JSON Lines file or stream, one per line, each line read with a bound and decoded alone:
    a stream that never ends or a line that is not UTF-8 is named with its line, never read whole."""
    from engine.io.yamlio import MAX_BYTES

    name = "<stdin>" if source == "-" else source
    with _open_binary(source) as handle:
        number = 0
        while True:
            try:
                raw = handle.readline(MAX_BYTES + 1)
            except OSError as err:
                raise InputError(name, f"cannot read: {err.strerror}", number + 1) from None
            if not raw:
                return
            number += 1
            if len(raw) > MAX_BYTES:
                raise InputError(name, f"line longer than {MAX_BYTES:,} bytes (the limit for one case); "
                                       "is this a JSON Lines file?", number)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield RawCase(f"{name}:{number}", None, None, number,
                              f"{name}:{number}:{err.start + 1}: not UTF-8 text (byte 0x{raw[err.start]:02x})")
                continue
            if text.strip():
                yield RawCase(f"{name}:{number}", None, text, number)


def _open_binary(source: str):
    if source == "-":
        stdin = sys.stdin
        try:
            fd = stdin.fileno() if stdin is not None else -1
            return os.fdopen(os.dup(fd), "rb")
        except (OSError, ValueError, AttributeError):
            raise InputError("<stdin>", "standard input is closed; give a file, or pipe the cases in") from None
    try:
        return open(source, "rb")
    except OSError as err:
        raise InputError(source, f"cannot read: {err.strerror}") from None


def parse_raw(raw: RawCase):
    """The validated case for one raw input, or raise InputError(s) naming file and line."""
    from engine.io.load import json_document, load_case_document, read_document

    if raw.path is not None:
        return load_case_document(read_document(raw.path))
    source = raw.label.rsplit(":", 1)[0]
    if raw.error is not None:
        raise _Reported(raw.error)
    doc = json_document(source, raw.line, raw.line_number)
    return load_case_document(_LineDocument(doc, raw.line_number))


class _Reported(InputError):
    """An error already written as `file:line:col: message`."""

    def __init__(self, text: str):
        super().__init__("", text)
        self.text = text

    def __str__(self) -> str:
        return self.text


class _LineDocument(Document):
    """A JSON line: every error points at the line of the case."""

    def __init__(self, doc: Document, line: int):
        super().__init__(doc.path, doc.data, {})
        self._line = line

    def where(self, loc):
        return self._line, None


# --- worker side -------------------------------------------------------------------------------

_STATE: dict = {}


def tune_gc() -> None:
    """Move the long-lived plan out of the collector's sight and collect less often: a check allocates many
    short-lived objects, and full traversals of everything alive cost more than the checking itself."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _init(plan, engine_name: str, lang: str, include_all: bool, render_case):
    tune_gc()
    _STATE.update(plan=plan, lang=lang, include_all=include_all, render_case=render_case,
                  engine=_make_engine(engine_name, plan))


def _init_worker(*args):
    from engine.cli.signals import for_worker

    for_worker()
    _init(*args)


def _make_engine(name: str, plan):
    from engine.evaluate.run import NativeEngine

    if name == "native":
        return NativeEngine()
    from engine.evaluate.durable.adapter import DurableEngine

    return DurableEngine(plan)


def _check_one(raw: RawCase):
    """(label, rendered result or None, flagged statuses, error text or None, (case id, from a stream?) or None)."""
    from engine.evaluate.report import check_case

    try:
        case = parse_raw(raw)
    except (InputError, InputErrors) as err:
        return raw.label, None, (), str(err), None
    report = check_case(_STATE["plan"], raw.path or raw.label, case, _STATE["engine"], _STATE["lang"],
                        _STATE["include_all"])
    statuses = tuple(sorted({f.status for p in report.proceedings for f in p.findings}))
    return raw.label, _STATE["render_case"](report), statuses, None, (case.id, raw.path is None)


def count_inputs(paths: list[str], input_format: str) -> int | None:
    """How many case files a run will read (for the progress bar); None for streams."""
    from engine.io.load import find_files

    if input_format != "yaml":
        return None
    try:
        return len(find_files(paths))
    except InputErrors:
        return None


def check_stream(raws: Iterator[RawCase], plan, engine_name: str, lang: str, include_all: bool, jobs: int,
                 render_case, emit, total: int | None = None) -> tuple[set[str], list[str]]:
    """Check every raw case, calling ``emit(result)`` in input order. Returns (statuses seen, errors)."""
    from engine.render.terminal import Progress

    seen: set[str] = set()
    errors: list[str] = []
    progress = Progress(total)

    ids = SeenIds()  # case id -> the first input using it, in about 30 bytes per case

    def consume(results):
        for label, text, statuses, error, case in results:
            progress.advance()
            first = None if case is None else ids.add(case[0], label, int(label.rsplit(":", 1)[1]) if case[1] else None)
            if first is not None:  # two inputs with one case id: reports would be ambiguous
                error = f"{label if case[1] else label + ':1:1'}: case id {case[0]!r} is also used by {first}"
            if error is not None:
                errors.append(error)
                continue
            if not errors:
                emit(text)
            seen.update(statuses)

    raws = iter(raws)
    head = list(itertools.islice(raws, SMALL_RUN))
    if len(head) < SMALL_RUN:
        jobs = 1  # starting workers costs more than checking a handful of cases
    raws = itertools.chain(head, raws)
    with progress:
        if jobs <= 1 or engine_name != "native":
            _init(plan, engine_name, lang, include_all, render_case)
            try:
                consume(_check_one(raw) for raw in raws)
            finally:
                _STATE["engine"].close()
            return seen, errors
        _run_pool(raws, plan, engine_name, lang, include_all, jobs, render_case, consume)
    return seen, errors


def _run_pool(raws, plan, engine_name, lang, include_all, jobs, render_case, consume) -> None:
    """Windows of cases through worker processes; results come back in input order.

    The next window is handed to the pool before the results of the current one are read, so a worker that
    finishes the last chunks of a window early starts on the next instead of waiting (one chunk is about a
    quarter of a worker's share of a window); at most two windows are in flight, so memory stays bounded."""
    import multiprocessing  # only here: a run of one process never needs it

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    window = WINDOW_PER_JOB * jobs
    with context.Pool(jobs, initializer=_init_worker, initargs=(plan, engine_name, lang, include_all, render_case)) as pool:
        in_flight = None  # the results of the window handed out before, still to be read

        def hand_out(batch):
            nonlocal in_flight
            results = pool.imap(_check_one, batch, chunksize=max(1, len(batch) // (jobs * 4)))
            if in_flight is not None:
                consume(in_flight)
            in_flight = results

        batch: list[RawCase] = []
        for raw in raws:
            batch.append(raw)
            if len(batch) >= window:
                hand_out(batch)
                batch = []
        if batch:
            hand_out(batch)
        if in_flight is not None:
            consume(in_flight)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
