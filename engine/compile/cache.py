"""Compile the rules once: a plan is cached as data, under a key made of the rule files' content and the compiler.

The cache holds JSON only: each rule's validated model and the syntax trees of its conditions. Loading
it validates the models again and decodes the trees through a fixed table of node types, so a file
planted at the key can at worst be refused, never run code. A hit skips YAML parsing and the grammar
(lark is not even imported).

Where: $TRIALCHECK_CACHE (a folder, or `off`), else $XDG_CACHE_HOME/trialcheck or ~/.cache/trialcheck.
The folder is created 0700; a folder or entry owned by another user or writable by group or others is
ignored with one warning. When the folder cannot be written (a read-only home), checks run without a
cache and say so once. The key does not depend on where the package or the rules are installed, so a
plan built when the package is built (``engine/bundled/plans/``) is a hit on the first run.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from engine import __version__

FORMAT = 2  # bump when the stored layout changes
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_COMPILER_FILES = ("compile/plan.py", "compile/closures.py", "compile/cache.py", "compile/typecheck.py",
                   "lang/grammar.lark", "lang/parse.py", "lang/ast.py", "model/rule.py", "model/logic.py", "model/when.py", "model/values.py",
                   "derive/paths.py", "model/case.py", "io/load.py", "io/yamlio.py")
_BUNDLED = Path(__file__).resolve().parent.parent / "bundled" / "plans"
_warned: set[str] = set()


def cache_dir() -> Path | None:
    setting = os.environ.get("TRIALCHECK_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trialcheck"


def plan_key(files: list[str]) -> str:
    """Digest of the compiler's sources and of each rule file's folder name, file name and content."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    here = Path(__file__).resolve().parent.parent  # the engine package
    for name in _COMPILER_FILES:
        path = here / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"-") + b"\0")
    digest.update(str(len(files)).encode() + b"\0")
    for path in files:
        p = Path(path)
        digest.update(f"{p.parent.name}/{p.name}".encode() + b"\0")  # the folder decides data vs rules
        with open(path, "rb") as handle:
            digest.update(handle.read() + b"\0")
    return digest.hexdigest()[:40]


def load_plan(paths: list[str] | None):
    from engine.compile.plan import compile_rules
    from engine.io.load import find_files, load_rules, rules_root

    folder = _usable_folder(cache_dir())
    if folder is None and os.environ.get("TRIALCHECK_CACHE", "").lower() in ("off", "0", "no"):
        return compile_rules(load_rules(paths))
    files = find_files(paths or [rules_root()], suffixes=(".yaml", ".yml"))
    key = plan_key(files)
    name = f"plan-{key}.json"
    for where, trusted_owner in ((folder, False), (_BUNDLED, True)):
        if where is None:
            continue
        plan = _read(where / name, files, trusted_owner)
        if plan is not None:
            return plan
    plan = compile_rules(load_rules(paths))
    if folder is not None:
        text = dumps_plan(plan, files, _bundled_table() if paths is None else None)
        if text is not None:
            _write(folder / name, text)
    return plan


def _bundled_table():
    """The treaty table a plan of the bundled rules is run with (``default_treaties``): its file is among the rule
    files the key is made of, so an entry can carry it and a hit need not read its YAML again."""
    from engine.io.load import default_treaties

    return default_treaties()


def write_bundled_plan(folder: str) -> str:
    """Compile the bundled rules into ``folder`` (for the wheel: ``hatch_build.py``); return the entry's name."""
    from engine.compile.plan import compile_rules
    from engine.io.load import find_files, load_rules, rules_root

    files = find_files([rules_root()], suffixes=(".yaml", ".yml"))
    text = dumps_plan(compile_rules(load_rules(None)), files, _bundled_table())
    if text is None:
        raise ValueError("the bundled plan has a value with no data form")
    name = f"plan-{plan_key(files)}.json"
    Path(folder, name).write_text(text, encoding="utf-8")
    return name


# --- the stored form -------------------------------------------------------------------------------

def dumps_plan(plan, files: list[str], treaties=None) -> str | None:
    """The plan as JSON text, or None when some value has no data form (then it is not cached). ``treaties``: the
    treaty table to run it with, given only when its file is one of ``files`` (then the key covers it)."""
    from engine.compile.plan import rules_digest

    index = {f: i for i, f in enumerate(files)}
    try:
        rules = [{"file": index[r.file], "rule": r.rule.model_dump(mode="json", by_alias=True),
                  "reads": sorted(r.reads_derived)} for r in plan.rules]
        conditions = [[_encode(r.applies_if), _encode(r.when)] for r in plan.rules]
    except (KeyError, TypeError):
        return None
    # Two lines: the rules' models, then their syntax trees (read with ``_node_hook``, which needs no rule model in
    # the same parse). JSON written this way has no raw line break inside.
    head = {"format": FORMAT, "rules": rules, "digest": rules_digest(plan)}
    if treaties is not None:
        head["treaties"] = treaties.model_dump(mode="json", by_alias=True)
    return (json.dumps(head, ensure_ascii=False, separators=(",", ":")) + "\n" + json.dumps(conditions, ensure_ascii=False, separators=(",", ":")))


def loads_plan(text: str, files: list[str]):
    from engine.compile.plan import Plan, assemble_rule
    from engine.model.rule import Rule

    head, trees = text.split("\n", 1)
    data = json.loads(head)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("rules"), list):
        raise ValueError("not a plan of this version")
    conditions = json.loads(trees, object_hook=_node_hook)
    if not isinstance(conditions, list) or len(conditions) != len(data["rules"]):
        raise ValueError("a condition for every rule")
    node_types = tuple(_node_types().values())
    rules = []
    for entry, pair in zip(data["rules"], conditions):
        file = files[int(entry["file"])]
        applies_if, when = pair
        if not isinstance(when, node_types) or not (applies_if is None or isinstance(applies_if, node_types)):
            raise ValueError("a rule without a condition")
        reads = entry["reads"]
        if not isinstance(reads, list) or not all(isinstance(r, str) for r in reads):
            raise ValueError("derived facts read must be names")
        rules.append(assemble_rule(Rule.model_validate(entry["rule"]), file, applies_if, when, frozenset(reads)))
    digest = data.get("digest")  # the rules' digest, worked out when the entry was written (plan.rules_digest)
    plan = Plan(rules, digest=digest if isinstance(digest, str) else None)
    if "treaties" in data:
        from engine.model.treaties import TreatyTable

        plan.treaties = TreatyTable.model_validate(data["treaties"])
    return plan


@lru_cache(maxsize=1)  # looked up for every node decoded
def _node_types() -> dict:
    from engine.lang import ast

    return {cls.__name__: cls for cls in (ast.Literal, ast.Path, ast.Compare, ast.Member, ast.Known, ast.And, ast.Or,
                                          ast.Not, ast.Quantifier, ast.Count, ast.Arith)}


def _encode(node):
    from dataclasses import fields, is_dataclass

    from engine.lang import ast

    if node is None:
        return None
    if isinstance(node, ast.Literal):
        return {"_": "Literal", "value": _encode_value(node.value)}
    if not is_dataclass(node) or type(node).__name__ not in _node_types():
        raise TypeError(f"no data form for {node!r}")
    out = {"_": type(node).__name__}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            out[f.name] = [_encode(v) if is_dataclass(v) else v for v in value]
        elif is_dataclass(value):
            out[f.name] = _encode(value)
        elif value is None or isinstance(value, str | int | bool):
            out[f.name] = value
        else:
            raise TypeError(f"no data form for {value!r}")
    return out


def _encode_value(value):
    from engine.model.values import Moment

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple):
        return {"tuple": [_encode_value(v) for v in value]}
    if isinstance(value, Moment):
        return {"moment": [value.earliest.isoformat(), value.latest.isoformat(), value.text]}
    if isinstance(value, date) and not isinstance(value, datetime):
        return {"date": value.isoformat()}
    raise TypeError(f"no data form for {value!r}")


def _node_hook(data: dict):
    """``json.loads`` hook: a syntax-tree node from its stored object, children first (the parser calls this for
    each object as it closes). An object without ``_`` is a literal's value (``{"tuple": [...]}``), decoded by the
    ``Literal`` around it; anywhere else it is refused below."""
    kind = data.get("_")
    if kind is None:
        return data
    cls = _node_types()[kind]
    if kind == "Literal":
        return cls(_decode_value(data["value"]))
    del data["_"]
    nodes, fields = _node_fields()
    if data.keys() != fields[cls]:
        raise ValueError(f"a {kind} node with fields {sorted(data)}")
    for name, value in data.items():
        kind = type(value)
        if kind is list:
            if not all(type(v) in _SCALARS or type(v) in nodes for v in value):
                raise ValueError(f"unexpected item in {name!r}")
            data[name] = tuple(value)
        elif kind not in _SCALARS and kind not in nodes:
            raise ValueError(f"unexpected value {value!r}")
    # Every field is present (checked above), so the node is filled as its generated __init__ would fill it; a frozen
    # dataclass's __init__ sets each field through object.__setattr__, several times slower.
    node = object.__new__(cls)
    node.__dict__.update(data)
    return node


_SCALARS = frozenset({type(None), bool, int, str})


@lru_cache(maxsize=1)
def _node_fields() -> tuple[frozenset, dict]:
    from dataclasses import fields

    types = _node_types()
    return frozenset(types.values()), {cls: {f.name for f in fields(cls)} for cls in types.values()}


def _decode_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (kind, raw), = value.items()
        if kind == "tuple":
            return tuple(_decode_value(v) for v in raw)
        if kind == "date":
            return date.fromisoformat(raw)
        if kind == "moment":
            from engine.model.values import Moment

            return Moment(datetime.fromisoformat(raw[0]), datetime.fromisoformat(raw[1]), str(raw[2]))
    raise ValueError(f"unexpected literal {value!r}")


# --- the folder and its entries ----------------------------------------------------------------------

def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"trialcheck: warning: {message} (set TRIALCHECK_CACHE=off to run without a cache)", file=sys.stderr)


def _unsafe(st: os.stat_result, trusted_owner: bool = False) -> str | None:
    """Why a cache folder or entry with this status must not be trusted, or None."""
    if st.st_uid != os.getuid() and not (trusted_owner and st.st_uid == 0):
        return "is owned by another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by group or others"
    return None


def _usable_folder(folder: Path | None) -> Path | None:
    """The cache folder, created 0700 if missing; None (after one warning) when it cannot be trusted."""
    if folder is None:
        return None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as err:
        _warn(f"plan cache {folder} cannot be created ({err.strerror}); rules are compiled on every run")
        return None
    try:
        st = os.stat(folder)
    except OSError as err:
        _warn(f"plan cache {folder} cannot be read ({err.strerror}); rules are compiled on every run")
        return None
    problem = "is not a folder" if not stat.S_ISDIR(st.st_mode) else _unsafe(st)
    if problem:
        _warn(f"plan cache {folder} ignored: it {problem}")
        return None
    return folder


def _read(entry: Path, files: list[str], trusted_owner: bool):
    """The plan stored at ``entry``, or None when it is missing, stale, unsafe or damaged."""
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None  # missing (or a symbolic link, refused by O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        problem = "is not a regular file" if not stat.S_ISREG(st.st_mode) else _unsafe(st, trusted_owner)
        if problem:
            _warn(f"plan cache entry {entry} ignored: it {problem}")
            return None
        raw = handle.read(MAX_ENTRY_BYTES + 1)
    if len(raw) > MAX_ENTRY_BYTES:
        return None
    try:
        return loads_plan(raw.decode("utf-8"), files)
    except Exception:  # damaged or from another layout: compile afresh and overwrite it
        return None


def _write(entry: Path, text: str) -> None:
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".plan-", suffix=".tmp")  # created 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, entry)
        tmp = None
    except OSError as err:
        _warn(f"plan cache {entry.parent} cannot be written ({err.strerror}); rules are compiled on every run")
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
