"""The case form, generated from the case model's JSON Schema so that it never drifts from the format.

``form_tree()`` walks ``Case.model_json_schema()`` once into a tree of fields (object, list of objects,
fact with provenance, choice, text, number, list of words). Pages render that tree with the values of
a case; ``parse_form()`` turns the submitted fields back into case data. A value the form did not change
comes back exactly as the file had it (``article: 373`` stays a number, a long-form fact stays long),
so saving rewrites only what the person edited.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

MISSING = object()
LONG_FORM = ("value", "source", "status", "quote", "note")
TEXTAREA = {"summary", "description", "text", "note", "quote"}


@dataclass
class Field:
    key: str
    kind: str  # object | list | fact | choice | text | number | words
    label: str
    help: str | None = None
    required: bool = False
    value_kind: str | None = None  # for facts: bool | time | number | choice | text
    choices: tuple[str, ...] = ()
    default: object = None
    refers_to: str | None = None  # "people" | "incidents" | "sources": offer their ids
    fields: list["Field"] = field(default_factory=list)  # for object and list (the item's fields)
    model: str | None = None
    pattern: str | None = None

    @property
    def multiline(self) -> bool:
        return self.key in TEXTAREA


def _label(key: str) -> str:
    return key.replace("_", " ")


def _refers(description: str | None, key: str) -> str | None:
    text = (description or "").lower()
    if "person id" in text:
        return "people"
    if "incident id" in text or key == "incidents":
        return "incidents"
    if key == "source":
        return "sources"
    return None


def _is_fact(schema: dict) -> dict | None:
    """The short form of a fact field (value, "unknown", null, or {value, source, status, quote})."""
    options = schema.get("anyOf") or []
    long = [o for o in options if o.get("type") == "object" and set(o.get("properties", {})) >= {"value", "source", "status"}]
    if long:
        return next(o for o in options if o not in long and o.get("const") != "unknown" and o.get("type") != "null")
    return None


def _value_kind(short: dict) -> tuple[str, tuple[str, ...]]:
    """The input a fact's value needs, read from the schema of its short form (which may be a union)."""
    options = [short] + list(short.get("anyOf") or [])
    if any("2011-09-08" in (o.get("description") or "") for o in options):  # the time type describes its forms
        return "time", ()
    if any(o.get("type") == "boolean" for o in options):  # yes/no (the Russian words are accepted too)
        return "bool", ()
    if "enum" in short:
        return "choice", tuple(short["enum"])
    if any(o.get("type") in ("number", "integer") for o in options):
        return "number", ()
    return "text", ()


def _strip_null(schema: dict) -> dict:
    options = schema.get("anyOf")
    if options:
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1:
            merged = dict(rest[0])
            for key in ("description", "default", "title"):
                if key in schema and key not in merged:
                    merged[key] = schema[key]
            return merged
    return schema


def _field(key: str, schema: dict, defs: dict, required: bool) -> Field:
    description = schema.get("description")
    short = _is_fact(schema)
    if short is not None:
        kind, choices = _value_kind(short)
        return Field(key, "fact", _label(key), description or short.get("description"), required, kind, choices,
                     refers_to=_refers(description, key))
    schema = _strip_null(schema)
    description = description or schema.get("description")
    if "$ref" in schema and "enum" in defs[schema["$ref"].rsplit("/", 1)[-1]]:  # an enum of its own (Status)
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        return Field(key, "choice", _label(key), description or target.get("description"), required,
                     choices=tuple(target["enum"]), default=schema.get("default"))
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Field(key, "object", _label(key), description, required, fields=_object_fields(name, defs), model=name)
    if schema.get("type") == "array":
        items = schema.get("items", {})
        if "$ref" in items:
            name = items["$ref"].rsplit("/", 1)[-1]
            return Field(key, "list", _label(key), description, required, fields=_object_fields(name, defs), model=name)
        return Field(key, "words", _label(key), description, required, refers_to=_refers(description, key))
    if "enum" in schema:
        return Field(key, "choice", _label(key), description, required, choices=tuple(schema["enum"]),
                     default=schema.get("default"))
    if schema.get("type") in ("number", "integer"):
        return Field(key, "number", _label(key), description, required)
    return Field(key, "text", _label(key), description, required, default=schema.get("default"),
                 refers_to=_refers(description, key), pattern=schema.get("pattern"))


def _object_fields(name: str, defs: dict) -> list[Field]:
    schema = defs[name]
    required = set(schema.get("required", []))
    return [_field(key, sub, defs, key in required) for key, sub in schema.get("properties", {}).items()]


@lru_cache(maxsize=4)
def model_schema(name: str) -> dict:
    """The JSON Schema of the case, rule or report model, built once (pydantic takes seconds for the case)."""
    from engine.model.case import Case
    from engine.model.finding import Report
    from engine.model.rule import Rule

    return {"case": Case, "rule": Rule, "report": Report}[name].model_json_schema()


@lru_cache(maxsize=1)
def form_tree() -> Field:
    import copy

    schema = copy.deepcopy(model_schema("case"))
    defs = dict(schema.get("$defs", {}))
    defs["Case"] = schema
    return Field("", "object", "case", schema.get("description"), True, fields=_object_fields("Case", defs), model="Case")


def list_specs(spec: Field | None = None, pattern: str = "f") -> list[tuple[str, Field]]:
    """Every list of the form with its pattern (``f.proceedings.hearings``): one template for new items each."""
    spec = spec or form_tree()
    out = []
    for sub in spec.fields:
        here = f"{pattern}.{sub.key}"
        if sub.kind == "list":
            out.append((here, sub))
        if sub.kind in ("list", "object"):
            out += list_specs(sub, here)
    return out


def proto_id(pattern: str) -> str:
    return "proto-" + pattern.replace(".", "-")


# --- from submitted fields back to case data -----------------------------------------------------

def nest(pairs) -> dict:
    """``[("proceedings.0.id", "x"), ...]`` -> ``{"proceedings": {"0": {"id": "x"}}}`` (last value wins)."""
    root: dict = {}
    for name, value in pairs:
        if not name.startswith("f."):
            continue
        parts = name[2:].split(".")
        node = root
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = node[part] = {}
            node = nxt
        node[parts[-1]] = value
    return root


@dataclass
class Parsed:
    data: dict
    # data location (with the list positions of the result) -> form field name (with the form's positions)
    names: dict[tuple, str]


def parse_form(pairs, old: dict | None) -> Parsed:
    names: dict[tuple, str] = {}
    data = _object(form_tree(), nest(pairs), old if isinstance(old, dict) else {}, (), "f", names)
    return Parsed(data if data is not MISSING else {}, names)


def _object(spec: Field, raw, old, loc, name, names):
    raw = raw if isinstance(raw, dict) else {}
    old = old if isinstance(old, dict) else {}
    names[loc] = name
    out = {}
    known = set()
    for sub in spec.fields:
        known.add(sub.key)
        value = _convert(sub, raw.get(sub.key), old.get(sub.key, MISSING), loc + (sub.key,), f"{name}.{sub.key}", names)
        if value is not MISSING:
            out[sub.key] = value
    for key, value in old.items():  # fields the form does not know are kept, never silently dropped
        if key not in known:
            out[key] = value
    return out


def _convert(spec: Field, raw, old, loc, name, names):
    names[loc] = name
    if spec.kind == "object":
        value = _object(spec, raw, old, loc, name, names)
        if value == {} and not spec.required:
            return old if old == {} else MISSING
        return value
    if spec.kind == "list":
        raw = raw if isinstance(raw, dict) else {}
        olds = old if isinstance(old, list) else []
        items = []
        for index in sorted((k for k in raw if k.isdigit()), key=int):
            entry = raw[index]
            if not isinstance(entry, dict) or entry.get("_remove"):
                continue
            before = olds[int(index)] if int(index) < len(olds) else None
            item_loc = loc + (len(items),)
            items.append(_object(spec, entry, before, item_loc, f"{name}.{index}", names))
        if not items:
            return old if old == [] else MISSING
        return items
    if spec.kind == "words":
        text = (raw or "").strip() if isinstance(raw, str) else ""
        words = [w.strip() for w in text.replace("\n", ",").split(",") if w.strip()]
        if not words:
            return old if old == [] else MISSING
        return old if isinstance(old, list) and [str(x) for x in old] == words else words
    if spec.kind == "fact":
        return _fact(spec, raw, old)
    text = raw.strip() if isinstance(raw, str) else ""
    if spec.multiline and isinstance(raw, str):
        text = raw.replace("\r\n", "\n").strip()
    if not text:
        return MISSING
    value = _number(text) if spec.kind == "number" else text
    if old is MISSING and spec.default is not None and value == spec.default:
        return MISSING  # the model's default needs no writing (`state: KZ`, `kind: individual`)
    return old if _same(old, value) else value


def _number(text: str):
    try:
        number = float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return text  # the model's validation names the field
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _fact_value(spec: Field, text: str):
    if text == "unknown":
        return "unknown"
    if spec.value_kind == "bool":
        return {"yes": True, "no": False, "true": True, "false": False}.get(text.lower(), text)
    if spec.value_kind == "number":
        return _number(text)
    return text


def _fact(spec: Field, raw, old):
    raw = raw if isinstance(raw, dict) else {"value": raw} if isinstance(raw, str) else {}
    parts = {}
    for key in LONG_FORM:
        text = raw.get(key)
        text = text.replace("\r\n", "\n").strip() if isinstance(text, str) else ""
        if text:
            parts[key] = _fact_value(spec, text) if key == "value" else text
    if not parts:
        return MISSING
    value = parts["value"] if set(parts) == {"value"} else {k: parts.get(k, "unknown") if k == "value" else parts[k]
                                                            for k in LONG_FORM if k in parts or k == "value"}
    return old if old is not MISSING and _fact_key(old) == _fact_key(value) else value


def _fact_key(value) -> dict:
    """What a fact says, whichever form it is written in."""
    if isinstance(value, dict) and set(value) <= set(LONG_FORM):
        out = {k: v for k, v in value.items() if v is not None}
    else:
        out = {"value": value}
    if "value" in out:
        out["value"] = time_text(out["value"])
    if out.get("value") in ("unknown", None):
        out.pop("value", None)
    if isinstance(out.get("value"), int | float) and not isinstance(out["value"], bool):
        number = float(out["value"])  # 2011, 2011.0 and "2011" say the same
        out["value"] = str(int(number)) if number.is_integer() else str(number)
    return {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in out.items()}


def _same(old, new) -> bool:
    if old is MISSING or old is None or isinstance(old, dict | list):
        return False
    if isinstance(old, bool) or isinstance(new, bool):
        return old == new and type(old) is type(new)
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return " ".join(str(old).split()) == " ".join(str(new).split())  # a folded block differs only in its breaks


# --- from case data to what the form shows --------------------------------------------------------

def time_text(value):
    """A time written as bounds or as an approximation, in its text form (``A/B``, ``~A``)."""
    if isinstance(value, dict) and set(value) <= {"after", "before"} and value:
        return f"{value.get('after') or '..'}/{value.get('before') or '..'}"
    if isinstance(value, dict) and set(value) == {"about"}:
        return f"~{value['about']}"
    return value


def fact_parts(value) -> dict:
    """A fact as the form shows it: value text and provenance, from either written form."""
    if isinstance(value, dict) and set(value) <= set(LONG_FORM):
        parts = dict(value)
    elif value is None or value is MISSING:
        parts = {}
    else:
        parts = {"value": value}
    out = {}
    if "value" in parts:
        parts["value"] = time_text(parts["value"])
    for key in LONG_FORM:
        item = parts.get(key)
        if item is None:
            out[key] = "unknown" if key == "value" and "value" in parts else ""
        elif isinstance(item, bool):
            out[key] = "yes" if item else "no"
        else:
            out[key] = str(item)
    if out["value"] == "" and any(out[k] for k in LONG_FORM[1:]):
        out["value"] = "unknown"
    return out


def words_text(value) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else ""


def scalar_text(value) -> str:
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def error_map(errors: list[tuple[tuple, str]], names: dict[tuple, str]) -> dict[str, list[str]]:
    """Validation errors keyed by the form field they concern (the nearest field the form has)."""
    out: dict[str, list[str]] = {}
    for loc, message in errors:
        loc = tuple(loc)
        while loc and loc not in names:
            loc = loc[:-1]
        out.setdefault(names.get(loc, "f"), []).append(message)
    return out
