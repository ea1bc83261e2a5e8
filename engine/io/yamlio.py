"""Safe YAML reading with the line of every key, and limits a hostile file cannot get past.

Only plain YAML types are built (mappings, sequences, strings, numbers, booleans, null); any
other tag is refused. Dates stay strings (the models parse them). Alias expansion, nesting depth
and file size are bounded, so a "billion laughs" file fails fast instead of eating memory.
"""
from __future__ import annotations

from dataclasses import dataclass

import yaml

from engine.io.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """Parsed data plus the (line, column) of every mapping key and sequence item, 1-based."""

    path: str
    data: object
    positions: dict[tuple, tuple[int, int]]

    def where(self, loc: tuple) -> tuple[int | None, int | None]:
        """The position of ``loc`` or of its nearest ancestor that exists in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (None, None))


def decode(path: str, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise InputError(path, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}", 1)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, "binary data (a NUL byte); expected a YAML text file", line)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8", line) from None


def load_text(path: str, text: str) -> Document:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        if "mapping values are not allowed" in problem:
            problem += " (a value containing ': ' must be quoted, or written as a block after `key: |`)"
        raise InputError(path, f"invalid YAML: {problem}", mark.line + 1 if mark else None,
                         mark.column + 1 if mark else None) from None
    except yaml.YAMLError as err:
        raise InputError(path, f"invalid YAML: {err}") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise InputError(path, f"nested more than {MAX_DEPTH} levels deep", _too_deep_line(text)) from None
    if node is None:
        raise InputError(path, "the file is empty (no YAML document)", 1)
    builder = _Builder(path)
    data = builder.build(node, (), 0)
    builder.positions.setdefault((), (node.start_mark.line + 1, node.start_mark.column + 1))
    return Document(path, data, builder.positions)


def _too_deep_line(text: str) -> int | None:
    """The line where nesting first goes deeper than MAX_DEPTH (the parser, unlike the composer, is iterative)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def load_file(path: str) -> Document:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}") from None
    return load_text(path, decode(path, raw))


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.count = 0
        self._scalars = yaml.SafeLoader("")

    def fail(self, node, message: str):
        raise InputError(self.path, message, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node, loc: tuple, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            self.fail(node, f"more than {MAX_NODES:,} values (an alias bomb?); refusing to expand")
        if depth > MAX_DEPTH:
            self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if node.tag not in _PLAIN_TAGS:
            self.fail(node, f"tag {node.tag!r} is not allowed; use plain YAML values")
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.fail(key_node, "a key must be a plain word or string")
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, "merge keys (<<) are not supported; write the fields out")
                if key_node.tag not in _PLAIN_TAGS:
                    self.fail(key_node, f"tag {key_node.tag!r} is not allowed; use plain YAML values")
                key = str(self._scalars.construct_object(key_node))
                if key in result:
                    self.fail(key_node, f"duplicate key {key!r}")
                self.positions[loc + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, loc + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[loc + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.build(item, loc + (index,), depth + 1))
            return items
        try:
            return self._scalars.construct_object(node)
        except yaml.YAMLError as err:
            self.fail(node, f"bad value: {err}")
