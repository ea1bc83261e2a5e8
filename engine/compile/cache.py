"""Compile the rules once: a plan is cached under a key made of the rule files' content and the compiler.

A cache hit skips YAML parsing, validation and the grammar (lark is not even imported); only the
closures are rebuilt. Set TRIALCHECK_CACHE=off to disable, or to a folder to move it. The cache
holds plans this program wrote from rule files; a stale or unreadable entry is simply recompiled.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import replace
from pathlib import Path

from engine import __version__

_COMPILER_FILES = ("compile/plan.py", "compile/closures.py", "lang/grammar.lark", "lang/parse.py", "lang/ast.py",
                   "model/rule.py", "model/logic.py", "derive/paths.py", "model/case.py", "io/load.py", "io/yamlio.py")


def cache_dir() -> Path | None:
    setting = os.environ.get("TRIALCHECK_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trialcheck"


def plan_key(files: list[str]) -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent.parent  # the engine package
    for name in _COMPILER_FILES:
        digest.update((here / name).read_bytes())
    for path in files:
        digest.update(path.encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:32]


def load_plan(paths: list[str] | None):
    from engine.compile.plan import Plan, attach_closures, compile_rules
    from engine.io.load import find_files, load_rules, rules_root

    folder = cache_dir()
    files = find_files(paths or [rules_root()], suffixes=(".yaml", ".yml"))
    if folder is None:
        return compile_rules(load_rules(paths))
    entry = folder / f"plan-{plan_key(files)}.pickle"
    try:
        with open(entry, "rb") as handle:
            rules = pickle.load(handle)
        return Plan([attach_closures(r) for r in rules])
    except Exception:  # missing, stale or unreadable: compile afresh
        pass
    plan = compile_rules(load_rules(paths))
    _store(entry, [replace(r, native_applies_if=None, native_when=None) for r in plan.rules])
    return plan


def _store(entry: Path, rules) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".plan-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(rules, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError:  # a read-only home is no reason to fail a check
        pass
