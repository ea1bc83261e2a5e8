"""Edit a hand-written case file and keep its comments and layout (ruamel.yaml round trip).

The engine reads case files as YAML 1.1 with timestamps left as text (``engine/io/yamlio.py``); ruamel
speaks YAML 1.2. So a value the form changed is written with quotes whenever the engine would read the
bare word as something else (``yes``, ``no``, ``on``, ``1e3``), and every edited text is read back by the
engine's own loader and compared with what was meant before it may replace a file.
"""
from __future__ import annotations

import io
import re

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from engine.io.errors import InputError
from engine.io.yamlio import load_text

_LONG_FORM_KEYS = {"value", "source", "status", "quote", "note"}


def _yaml(text: str = "") -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a hand-written line
    offset = _sequence_offset(text)
    y.indent(mapping=2, sequence=offset + 2, offset=offset)
    return y


def _sequence_offset(text: str) -> int:
    """2 when the file indents list dashes under their key (`sources:\\n  - id:`), else 0."""
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:]):
        key = re.match(r"^( *)[^\s#-][^:]*:\s*(#.*)?$", before)
        dash = re.match(r"^( *)- ", line)
        if key and dash:
            return max(0, len(dash.group(1)) - len(key.group(1)))
    return 2


def load_rt(text: str):
    return _yaml(text).load(text)


def dump_rt(data, like: str = "") -> str:
    out = io.StringIO()
    _yaml(like).dump(data, out)
    return out.getvalue()


def _ambiguous(text: str) -> bool:
    """Would the engine's YAML 1.1 loader read this bare word as something other than the same text?"""
    if text == "" or text != text.strip() or "\n" in text:
        return True
    tag = yaml.SafeLoader.resolve(yaml.SafeLoader, yaml.ScalarNode, text, (True, False))
    return tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")


def to_node(value, flow: bool | None = None):
    """A plain value as ruamel nodes; small mappings of scalars are written inline like a person would."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = to_node(item)
        scalars = all(not isinstance(v, dict | list) for v in value.values())
        if flow if flow is not None else (scalars and (set(value) <= _LONG_FORM_KEYS or len(value) <= 3)
                                          and sum(len(str(v)) for v in value.values()) < 90):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq()
        for item in value:
            node.append(to_node(item))
        if all(not isinstance(v, dict | list) for v in value) and sum(len(str(v)) for v in value) < 60:
            node.fa.set_flow_style()
        return node
    if isinstance(value, str) and _ambiguous(value):
        return DoubleQuotedScalarString(value)
    return value


def merge(node, old, new):
    """``node`` (ruamel, holding ``old`` as plain data) changed to hold ``new``; untouched parts keep their text."""
    if old == new and type(old) is type(new):
        return node
    if isinstance(new, dict) and isinstance(node, CommentedMap):
        old = old if isinstance(old, dict) else {}
        for key in [k for k in node if k not in new]:
            del node[key]
        order = list(new)
        for key, value in new.items():
            if key in node:
                node[key] = merge(node[key], old.get(key), value)
            else:
                # after the fields that come before it in the form's (the schema's) order
                position = sum(1 for k in node if k in order and order.index(k) < order.index(key))
                node.insert(position, key, to_node(value))
        return node
    if isinstance(new, list) and isinstance(node, CommentedSeq):
        old = old if isinstance(old, list) else []
        del node[len(new):]
        for index, value in enumerate(new):
            if index < len(node):
                node[index] = merge(node[index], old[index] if index < len(old) else None, value)
            else:
                node.append(to_node(value))
        return node
    return to_node(new)


def edited_text(original: str, old_data, new_data) -> str:
    """The file's text with ``new_data`` in place of ``old_data``, its comments and layout kept."""
    if not original.strip():
        return dump_rt(to_node(new_data, flow=False), "")
    root = load_rt(original)
    root = merge(root, old_data, new_data)
    text = dump_rt(root, original)
    check_reads_back(text, new_data)
    return text


def check_reads_back(text: str, meant) -> None:
    """Refuse to write text that the engine would read differently from what the form meant."""
    got = load_text("<edited>", text).data
    if _plain(got) != _plain(meant):
        raise InputError("<edited>", "the edited file would not read back as entered; nothing was written")


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    return str(value)
