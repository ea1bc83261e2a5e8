"""Load: find case and rule files, parse them safely, validate them into models.

Every problem becomes an ``InputError`` naming the file, the line and what is wrong; all problems
of a run are collected so an observer can fix them in one pass.
"""
from __future__ import annotations

import difflib
import json
import os
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ValidationError

from engine.io.errors import InputError, InputErrors
from engine.model.case import Case
from engine.model.case_checks import problems
from engine.model.rule import Rule
from engine.io.yamlio import Document, decode, load_file, load_text

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def find_files(paths: list[str], suffixes=CASE_SUFFIXES) -> list[str]:
    """Files under the given paths, sorted, so that the order of a run never depends on the disk."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += [str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in suffixes
                      and not any(part.startswith(".") for part in p.relative_to(path).parts)]
        elif path.is_file():
            found.append(str(path))
        else:
            raise InputErrors([InputError(raw, "no such file or directory")])
    return found


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
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return f"{msg} (got {e['input']!r})" if kind not in ("model_type",) and not isinstance(e.get("input"), dict | list) else msg


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
        with open(path, "rb") as handle:
            text = decode(path, handle.read())
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(path, f"invalid JSON: {err.msg}", err.lineno, err.colno) from None
        except RecursionError:
            raise InputError(path, "invalid JSON: nested too deeply", 1) from None
        return Document(path, data, {})
    return load_file(path)


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


def load_rules(paths: list[str] | None = None) -> list[tuple[Rule, Document]]:
    files = [f for f in find_files(paths or [rules_root()], suffixes=(".yaml", ".yml"))
             if Path(f).parent.name not in DATA_FOLDERS]
    loaded, errors = [], []
    for path in files:
        try:
            doc = load_file(path)
            if not isinstance(doc.data, dict):
                raise InputError(path, "a rule file must be a mapping (id:, title:, citation:, when: ...)", 1, 1)
            loaded.append((Rule.model_validate(doc.data), doc))
        except InputError as err:
            errors.append(err)
        except ValidationError as err:
            errors += validation_errors(doc, err, Rule)
    if errors:
        raise InputErrors(errors)
    return loaded


def load_case_text(path: str, text: str) -> Case:
    return load_case_document(load_text(path, text))
