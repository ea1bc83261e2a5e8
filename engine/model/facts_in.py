"""Facts as case files write them: a bare value, or the long form with provenance.

``public: false`` and ``public: {value: false, source: s004, status: reported, quote: "..."}`` both
validate to ``Given(value=False, ...)``; ``unknown`` or ``null`` gives ``Given(value=None)``.
The short form is turned into the long form before validation, so every error has one path.
"""
from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, WithJsonSchema

from engine.model.when import as_text, parse_moment

T = TypeVar("T")

StatusName = Literal["established", "observed", "reported", "alleged", "disputed"]
_LONG_FORM_KEYS = {"value", "source", "status", "quote", "note"}


class Given(BaseModel, Generic[T]):
    """One fact with where it came from. ``value`` None means unknown."""

    model_config = ConfigDict(extra="forbid")

    value: T | None = None
    source: str | None = Field(None, description="id of an entry in the case's `sources`")
    status: StatusName | None = Field(None, description="how sure the fact is")
    quote: str | None = Field(None, description="the source's words")
    note: str | None = None


# yes and no as observers in Kazakhstan write them (the CSV import takes them too)
RU_YES_NO = {"да": True, "Да": True, "ДА": True, "нет": False, "Нет": False, "НЕТ": False}


def _yes_no(raw):
    """``да``/``нет`` for a yes/no fact, in the short or the long form."""
    if isinstance(raw, str) and raw.strip() in RU_YES_NO:
        return RU_YES_NO[raw.strip()]
    if isinstance(raw, dict) and isinstance(raw.get("value"), str) and raw["value"].strip() in RU_YES_NO:
        return {**raw, "value": RU_YES_NO[raw["value"].strip()]}
    return raw


def _is_bool(kind) -> bool:
    return kind is bool or (get_origin(kind) is Annotated and get_args(kind)[0] is bool)


def _long_form(raw):
    if raw is None:  # `null` is the same as leaving the field out (and a dumped case loads back equal)
        return None
    if isinstance(raw, dict) and set(raw) <= _LONG_FORM_KEYS:
        raw = dict(raw)
        if raw.get("value") == "unknown":
            raw["value"] = None
        return raw
    if isinstance(raw, Given):
        return raw
    return {"value": None if raw == "unknown" else raw}


class _ShortOrLongSchema:
    """JSON Schema of a fact: the bare value, "unknown", null, or the long form. Built only when asked for."""

    def __init__(self, kind):
        self.kind = kind

    def __get_pydantic_json_schema__(self, core_schema, handler):
        short = TypeAdapter(self.kind).json_schema()
        long = TypeAdapter(Given[self.kind]).json_schema()
        value = long["properties"]["value"]
        value["anyOf"] = [*value.get("anyOf", [value]), {"const": "unknown"}]  # the long form also takes "unknown"
        if _is_bool(self.kind):  # and да/нет, as the loader does
            short = {"anyOf": [short, {"enum": sorted(RU_YES_NO)}]}
            value["anyOf"].append({"enum": sorted(RU_YES_NO)})
        return {"anyOf": [short, {"const": "unknown"}, {"type": "null"}, long]}


def fact(kind) -> object:
    """The annotation of a fact field holding values of type ``kind`` (short or long form)."""
    before = (lambda raw: _long_form(_yes_no(raw))) if _is_bool(kind) else _long_form
    return Annotated[Given[kind] | None, BeforeValidator(before), _ShortOrLongSchema(kind)]


def _check_time(text: str) -> str:
    return parse_moment(text).text


_TIME_DESCRIPTION = ("2011-09-08T10:00, 2011-09-08, 2011-09 or 2011; bounds 2011-12-16T18:00/2011-12-16T19:30 "
                     "(.. for an open side); ~2011-12-16T20:20 (about); never (the event did not happen)")
_YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999, "description": "a year written as a number"}
_POINT = {"anyOf": [{"type": "string"}, _YEAR]}  # what as_text takes for one time: text, or a year (`date: 2011`)
_TIME_SCHEMA = {"description": _TIME_DESCRIPTION, "anyOf": [
    {"type": "string", "description": _TIME_DESCRIPTION},
    _YEAR,
    {"type": "object", "description": "known only by bounds: after this time, before that one (either may be left out)",
     "properties": {"after": _POINT, "before": _POINT}, "additionalProperties": False,
     "minProperties": 1},
    {"type": "object", "description": "known approximately (±30 min for a time of day, ±1 day for a date)",
     "properties": {"about": _POINT}, "required": ["about"], "additionalProperties": False},
]}
TimeText = Annotated[
    str,
    BeforeValidator(as_text),
    AfterValidator(_check_time),
    WithJsonSchema(_TIME_SCHEMA),
]
# A count is a finite number written as one: not `.inf`, not the text "15", not `true`
Count = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]

FBool = fact(Annotated[bool, Field(strict=True)])  # true or false; YAML 1.2 reads `yes` and `on` as text
FTime = fact(TimeText)
FNum = fact(Count)
FText = fact(str)


def choice(*values: str):
    return fact(Literal[values])  # type: ignore[valid-type]
