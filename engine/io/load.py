"""Load: find case and rule files, parse them safely, validate them into models.

Every problem becomes an ``InputError`` naming the file, the line and what is wrong; all problems
of a run are collected so an observer can fix them in one pass.
"""
from __future__ import annotations

import difflib
import functools
import json
import os
import re
import stat
import sys
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ValidationError

from engine.io.errors import InputError, InputErrors
from engine.model.case import Case
from engine.model.case_checks import problems
from engine.model.treaties import TreatyTable
from engine.model.rule import Rule
from engine.io.yamlio import (MAX_NUMBER_CHARS, Document, WrittenFloat, WrittenInt, decode, load_file, load_text,
                               read_bounded)

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def find_files(paths: list[str], suffixes=CASE_SUFFIXES, skip_unreadable: bool = False, on_skip=None) -> list[str]:
    """Files under the given paths, sorted, so that the order of a run never depends on the disk.

    A path named on the command line may be a file, a pipe (`<(...)`) or a device: it is read with a
    bound. Inside folders only regular files count. A folder that cannot be read fails the run unless
    ``skip_unreadable`` (then ``on_skip(folder)`` is told, by default on stderr)."""
    found = []
    for raw in paths:
        try:
            st = os.stat(raw)
        except FileNotFoundError:
            raise InputErrors([InputError(raw, "no such file or directory")]) from None
        except OSError as err:
            raise InputErrors([InputError(raw, f"cannot read: {err.strerror}")]) from None
        if stat.S_ISDIR(st.st_mode):
            found += _walk(raw, suffixes, skip_unreadable, on_skip or _tell_skipped)
        else:
            found.append(raw)
    return found


def _walk(root: str, suffixes, skip_unreadable: bool, on_skip) -> list[str]:
    unreadable: list[OSError] = []
    files = []
    for folder, dirs, names in os.walk(root, onerror=unreadable.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if not name.startswith(".") and path.suffix in suffixes and path.is_file():
                files.append(path)
    for err in unreadable:
        where = err.filename or root
        if not skip_unreadable:
            raise InputErrors([InputError(where, f"cannot read this folder: {err.strerror} "
                                                 "(fix its permissions, or pass --skip-unreadable)")])
        on_skip(where)
    return [str(p) for p in sorted(files)]


def _tell_skipped(folder: str) -> None:
    sys.stderr.write(f"trialcheck: skipped {folder}: cannot read this folder\n")


def validation_errors(doc: Document, err: ValidationError, model: type[BaseModel]) -> list[InputError]:
    out = []
    for e in err.errors():
        loc = tuple(e["loc"])
        line, col = doc.where(loc)
        message = _message(e, loc, model)
        where = ".".join(str(x) for x in loc if x != "value") or "top level"
        out.append(InputError(doc.path, f"{where}: {message}", line, col))
    return out


def _message(e: dict, loc: tuple, model) -> str:
    kind, msg = e["type"], e["msg"]
    if kind == "extra_forbidden":
        options = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), options, n=1)
        return f"unknown field {loc[-1]!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "bool_type":
        msg += "; write true or false"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if kind == "model_type" or isinstance(e.get("input"), dict | list) or "got " in msg:
        return msg  # the message already shows what was written, or the value is a whole block
    return f"{msg} (got {e['input']!r})"


def _field_names(model, loc) -> list[str]:
    """The field names allowed at ``loc`` in ``model`` (for 'did you mean')."""
    current = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(current.model_fields) if current else []


def _model_in(annotation):
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None and not found.__name__.startswith("Given"):
            return found
    return None


def read_document(path: str) -> Document:
    if path.endswith(".json"):
        text = decode(path, read_bounded(path))
        doc = json_document(path, text)
        doc.positions = _json_positions(path, text)
        return doc
    return load_file(path)


def _json_positions(path: str, text: str) -> dict:
    """Where each key of a JSON file is (JSON is YAML 1.2 flow style), so errors name a line; {} if YAML differs."""
    try:
        return load_text(path, text).positions
    except InputError:
        return {(): (1, 1)}


def json_document(path: str, text: str, line: int | None = None) -> Document:
    """A JSON text (a file, or one line of a JSON Lines stream at ``line``) as a Document; errors name the line."""
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as err:
        at = (line, err.colno) if line else (err.lineno, err.colno)
        raise InputError(path, f"invalid JSON: {err.msg}", *at) from None
    except RecursionError:
        raise InputError(path, "invalid JSON: nested too deeply", line or 1) from None
    except ValueError as err:  # from the hooks below: what was wrong, and where the text first shows it
        raise InputError(path, f"invalid JSON: {err}", line or _line_of(text, err)) from None
    surrogate = _lone_surrogate(text)
    if surrogate is not None:
        raise InputError(path, "invalid JSON: a lone surrogate (\\u" + surrogate[1] + ") is not text",
                         line or surrogate[0])
    return Document(path, data, {(): (line, 1)} if line else {})


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number (write a number, or leave the field out)")


def _int(text: str):
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text):,} digits is too long (at most {MAX_NUMBER_CHARS})")
    return WrittenInt(int(text), text)


def _float(text: str):
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text):,} characters is too long (at most {MAX_NUMBER_CHARS})")
    return WrittenFloat(float(text), text)


_SURROGATE_ESCAPE = re.compile(r"\\\\|\\u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _lone_surrogate(text: str) -> tuple[int, str] | None:
    """(line, hex) of the first escape of half a surrogate pair; JSON decodes it to a character no encoder writes."""
    if "\\u" not in text:
        return None
    for match in _SURROGATE_ESCAPE.finditer(text):
        high, low, lone = match.groups()
        if (high and not low) or lone:
            return text.count("\n", 0, match.start()) + 1, (high or lone).lower()
    return None


def _line_of(text: str, err: ValueError) -> int:
    """The line of the first number or constant the error can be about (JSON's hooks are not told where)."""
    pattern = r"\d{%d,}" % (MAX_NUMBER_CHARS + 1) if "too long" in str(err) else r"-?\b(?:Infinity|NaN)\b"
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load_case_document(doc: Document) -> Case:
    if not isinstance(doc.data, dict):
        raise InputErrors([InputError(doc.path, "a case file must be a mapping (id:, people:, proceedings: ...)", 1, 1)])
    try:
        case = Case.model_validate(doc.data)
    except ValidationError as err:
        raise InputErrors(validation_errors(doc, err, Case)) from None
    errors = [InputError(doc.path, message, *doc.where(loc)) for loc, message in problems(case)]
    if errors:
        raise InputErrors(errors)
    return case


def load_cases(paths: list[str]) -> list[tuple[str, Case]]:
    files = find_files(paths)
    if not files:
        raise InputErrors([InputError(", ".join(paths), "no case files (*.yaml, *.yml, *.json) found")])
    cases, errors, ids = [], [], {}
    for path in files:
        try:
            case = load_case_document(read_document(path))
        except InputError as err:
            errors.append(err)
            continue
        except InputErrors as many:
            errors += many.errors
            continue
        if case.id in ids:
            errors.append(InputError(path, f"case id {case.id!r} is also used by {ids[case.id]}", 1, 1))
            continue
        ids[case.id] = path
        cases.append((path, case))
    if errors:
        raise InputErrors(errors)
    return cases


def rules_root() -> str:
    """Where the rules are: $TRIALCHECK_RULES, a source checkout's rules/, or the copy installed with the package."""
    if os.environ.get("TRIALCHECK_RULES"):
        return os.environ["TRIALCHECK_RULES"]
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return str(checkout)
    return str(resources.files("engine").joinpath("bundled", "rules"))


# Folders of the rule tree that hold data tables the rules use (e.g. treaty dates per State), not rules.
DATA_FOLDERS = ("treaties",)


def _plain_parameters(data: dict) -> dict:
    """Parameter values as plain numbers: a value is a quantity (72 stays int 72), not text as written."""
    params = data.get("parameters")
    if not isinstance(params, dict):
        return data
    def plain(v):
        return int(v) if isinstance(v, int) and not isinstance(v, bool) else float(v) if isinstance(v, float) else v
    return {**data, "parameters": {name: ({k: plain(v) for k, v in by_date.items()} if isinstance(by_date, dict)
                                          else by_date) for name, by_date in params.items()}}


def load_rules(paths: list[str] | None = None) -> list[tuple[Rule, Document]]:
    files = [f for f in find_files(paths or [rules_root()], suffixes=(".yaml", ".yml"))
             if Path(f).parent.name not in DATA_FOLDERS]
    loaded, errors = [], []
    for path in files:
        try:
            doc = load_file(path)
            if not isinstance(doc.data, dict):
                raise InputError(path, "a rule file must be a mapping (id:, title:, citation:, when: ...)", 1, 1)
            loaded.append((Rule.model_validate(_plain_parameters(doc.data)), doc))
        except InputError as err:
            errors.append(err)
        except ValidationError as err:
            errors += validation_errors(doc, err, Rule)
    if errors:
        raise InputErrors(errors)
    return loaded


def load_treaties(paths: list[str] | None = None) -> TreatyTable:
    """The treaty table (treaty dates per State) found among the rule paths, or the bundled one.

    A table lives in a `treaties` folder of the rule tree; with several, the last one found wins."""
    files = [f for f in find_files(paths or [rules_root()], suffixes=(".yaml", ".yml"))
             if Path(f).parent.name == "treaties"]
    if not files and paths:
        return default_treaties()
    if not files:
        raise InputErrors([InputError(rules_root(), "no treaty table (treaties/ratifications.yaml) among the rules")])
    doc = load_file(files[-1])
    try:
        return TreatyTable.model_validate(doc.data)
    except ValidationError as err:
        raise InputErrors(validation_errors(doc, err, TreatyTable)) from None


@functools.cache
def default_treaties() -> TreatyTable:
    return load_treaties(None)


def load_case_text(path: str, text: str) -> Case:
    return load_case_document(load_text(path, text))
