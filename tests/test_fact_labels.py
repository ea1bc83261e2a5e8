"""Every fact a rule may read is named in the words a monitor uses, in English and in Russian, and every
value a case file may choose has a Russian word: a question or a finding's fact list never shows a machine
path ("incident: participants", "производство: sent to court at") or an English value in a Russian report.

The paths come from where `trialcheck rules facts` takes them (the fact schema), the `derived.<name>` facts
the rule base derives, and every fact path the bundled cases' findings show (nested ones included).
"""
from __future__ import annotations

import inspect
import json
import re
import typing

import pytest
from pydantic import BaseModel

from engine.derive.paths import LIST_ROOTS, base_schema
from engine.io.load import load_rules
from engine.model import case as case_model
from engine.render import human
from tests.helpers import ROOT, run_cli


def schema_paths() -> list[str]:
    out = []
    for root, attrs in base_schema().items():
        if attrs is None:
            out.append(root)
        for attr in sorted(attrs or ()):
            out.append(f"{root}[0].{attr}" if root in LIST_ROOTS else f"{root}.{attr}")
    return out


def derived_paths() -> list[str]:
    return sorted(f"derived.{rule.derive}" for rule, _ in load_rules() if rule.derive)


def shown_paths() -> list[str]:
    """Every fact path (and every path a computed fact was computed from) in the bundled cases' findings."""
    result = run_cli("check", ROOT / "cases", "--format", "json", "--all", "--exit-zero", "-j", "1")
    assert result.returncode == 0, result.stderr
    paths: set[str] = set()

    def walk(facts):
        for fact in facts:
            paths.add(fact["path"])
            walk(fact.get("derived_from") or [])

    for case in json.loads(result.stdout)["cases"]:
        for proc in case["proceedings"]:
            for finding in proc["findings"]:
                walk(finding["facts"])
                paths.update(finding.get("missing") or [])
    return sorted(p for p in paths if p)


def unlabelled(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        ids = [i for i in re.findall(r"\[([^\]]+)\]", path) if not i.isdigit()]  # a case file's own ids stay
        for lang in ("en", "ru"):
            words = human.fact_label(path, lang)
            for name in ids:
                words = words.replace(name, "")
            if not human.has_label(path):
                out.append(f"{path}: no entry in the label tables")
                break
            if words == path or "_" in words or "[" in words:
                out.append(f"{path} ({lang}): {words!r} is a machine path")
            if lang == "ru" and re.search(r"[A-Za-z]{2,}", re.sub(r"\b(MCI|ICCPR|CPC|LC)\b", "", words)):
                out.append(f"{path} (ru): {words!r} is not in Russian")
    return out


def test_labels_fall_back_to_the_path_when_no_table_names_the_fact():
    # the check below can fail: a path nobody labelled is reported
    assert not human.has_label("incident.no_such_fact")
    assert unlabelled(["incident.no_such_fact"])
    assert human.fact_label("incident.participants", "en") != "incident: participants"


def test_every_fact_a_rule_may_read_has_a_label_in_both_languages():
    missing = unlabelled(schema_paths() + derived_paths())
    assert not missing, f"{len(missing)} fact paths lack a label:\n" + "\n".join(missing)


def test_every_fact_a_finding_shows_has_a_label_in_both_languages():
    missing = unlabelled(shown_paths())
    assert not missing, f"{len(missing)} fact paths lack a label:\n" + "\n".join(missing)


def _literals(kind) -> typing.Iterator[str]:
    if typing.get_origin(kind) is typing.Literal:
        yield from (v for v in typing.get_args(kind) if isinstance(v, str))
        return
    generic = getattr(kind, "__pydantic_generic_metadata__", None) or {}
    for inner in (*generic.get("args", ()), *typing.get_args(kind)):
        yield from _literals(inner)


def enum_values() -> dict[str, list[str]]:
    """value -> the Model.field that may hold it, for every Literal field of the case model."""
    out: dict[str, list[str]] = {}
    for name, model in vars(case_model).items():
        if inspect.isclass(model) and issubclass(model, BaseModel) and model.__module__ == case_model.__name__:
            for field, info in model.model_fields.items():
                for value in _literals(info.annotation):
                    out.setdefault(value, []).append(f"{name}.{field}")
    return out


def test_the_case_model_has_enum_values():
    values = enum_values()
    assert {"assembly", "pretrial_custody", "video_link"} <= set(values)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_enum_value_has_a_word(lang):
    """Russian: every value; English: every value written with an underscore (``video_link``)."""
    missing = []
    for value, fields in sorted(enum_values().items()):
        if lang == "en" and "_" not in value:
            continue
        words = human.enum_text(value, lang)
        if words == value or "_" in words:
            missing.append(f"{value} ({', '.join(fields)})")
    assert not missing, f"{len(missing)} values have no {lang} word:\n" + "\n".join(missing)
