"""Open questions as things a monitor can answer, and an answer written into the case data.

A ``needs information`` finding names the fact paths it is missing (``hearings[0].public``,
``custody[0].hours_before_judge``). A computed fact lists the recorded facts it came from, so the
engine itself says which recorded field to ask for (``custody[0].before_judge``); a date with no hour
is asked again for the hour. Each recorded field is located in the case file (the proceeding's
hearing, its person, its incident) and typed from the form schema (a time, yes/no/unknown, a choice).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from engine.app.formschema import Field, form_tree
from engine.model.values import Fact, Moment

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


@dataclass
class Ask:
    """One recorded fact to ask for: where it goes in the file, its type, what is recorded now."""

    key: str  # the location in the case data, dotted: proceedings.0.hearings.0.public
    fact_path: str  # as the engine names it: hearings[0].public
    field: Field
    current: object = None


def _steps(path: str) -> list[tuple[str, int | None]] | None:
    out = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if not match:
            return None
        out.append((match.group(1), int(match.group(2)) if match.group(2) is not None else None))
    return out


def _lookup(tree, path: str):
    steps = _steps(path)
    node = tree
    for name, index in steps or []:
        node = node.get(name) if isinstance(node, dict) else None
        if index is not None:
            node = node[index] if isinstance(node, list) and index < len(node) else None
        if node is None:
            return None
    return node if steps else None


def recorded_leaves(fact: Fact) -> list[str]:
    """The recorded facts to ask for so that ``fact`` becomes known (or exact)."""
    if not fact.inputs:
        if fact.value is None or (isinstance(fact.value, Moment) and not fact.value.is_exact):
            return [fact.path]
        return []
    out = []
    for inner in fact.inputs:
        for leaf in recorded_leaves(inner):
            if leaf not in out:
                out.append(leaf)
    return out


def _spec_at(location: list) -> Field | None:
    spec = form_tree()
    for step in location:
        if isinstance(step, int):
            if spec.kind != "list":
                return None
            continue
        spec = next((f for f in spec.fields if f.key == step), None)
        if spec is None:
            return None
    return spec


def locate(case_data: dict, proceeding_index: int, fact_path: str) -> list | None:
    """Where in the case data a recorded fact of a proceeding lives (a list of keys and positions)."""
    steps = _steps(fact_path)
    if not steps:
        return None
    proc = (case_data.get("proceedings") or [])[proceeding_index]
    (root, index), rest = steps[0], steps[1:]
    if root == "person":
        people = case_data.get("people") or []
        at = next((i for i, p in enumerate(people) if isinstance(p, dict) and p.get("id") == proc.get("person")), None)
        base = None if at is None else ["people", at]
    elif root == "incident":
        wanted = proc.get("incident") or next(iter(proc.get("incidents") or []), None)
        incidents = case_data.get("incidents") or []
        at = next((i for i, x in enumerate(incidents) if isinstance(x, dict) and x.get("id") == wanted), None)
        base = None if at is None else ["incidents", at]
    elif root == "proceeding":
        base = ["proceedings", proceeding_index]
    else:  # hearings[0].public, decision.date, role: the proceeding's own fields
        base = ["proceedings", proceeding_index, root] + ([index] if index is not None else [])
    if base is None:
        return None
    for name, index in rest:
        base.append(name)
        if index is not None:
            base.append(index)
    return base


def asks_for(finding, proceeding_index: int, tree, case_data: dict) -> list[Ask]:
    """The answerable recorded facts behind one ``needs information`` finding."""
    paths: list[str] = []
    for missing in finding.missing:
        fact = _lookup(tree, missing)
        leaves = recorded_leaves(fact) if isinstance(fact, Fact) else [missing]
        for leaf in leaves:
            if leaf not in paths:
                paths.append(leaf)
    out = []
    for path in paths:
        location = locate(case_data, proceeding_index, path)
        if location is None:
            continue
        spec = _spec_at(location)
        if spec is None or spec.kind != "fact":
            continue
        if not _creatable(case_data, location):
            continue
        out.append(Ask(".".join(str(x) for x in location), path, spec, _get(case_data, location)))
    return out


def _get(data, location):
    node = data
    for step in location:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _creatable(data, location) -> bool:
    """Can the fact be set, adding at most the next item of a list whose items need no required field?"""
    node, spec = data, form_tree()
    for step in location[:-1]:
        if isinstance(step, int):
            items = node if isinstance(node, list) else []
            if step > len(items) or (step == len(items) and any(f.required for f in spec.fields)):
                return False
            node = items[step] if step < len(items) else {}
        else:
            spec = next((f for f in spec.fields if f.key == step), spec)
            node = node.get(step) if isinstance(node, dict) else None
            node = node if node is not None else ({} if spec.kind == "object" else [])
    return True


def parse_location(key: str) -> list:
    return [int(p) if p.isdigit() else p for p in key.split(".")]


def with_answer(case_data: dict, key: str, value) -> dict:
    """A copy of the case data with the fact at ``key`` set to ``value`` (lists and objects made as needed)."""
    data = copy.deepcopy(case_data)
    location = parse_location(key)
    node = data
    for step, nxt in zip(location, location[1:]):
        empty = [] if isinstance(nxt, int) else {}
        if isinstance(step, int):
            while len(node) <= step:
                node.append({})
            if node[step] is None:
                node[step] = empty
            node = node[step]
        else:
            if node.get(step) is None:
                node[step] = empty
            node = node[step]
    node[location[-1]] = value
    return data
