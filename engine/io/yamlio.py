"""Safe YAML reading with the line of every key, and limits a hostile file cannot get past.

Scalars are read as YAML 1.2 (core schema), as editors and other YAML 1.2 tools read them: `017` is
the number 17, `1:30` and `on` are text, `true`/`false` the only booleans, and dates stay text (the
models parse them). A number keeps the text it was written with (``WrittenInt``/``WrittenFloat``),
so a text field such as `article: 017` or `paragraph: 1.10` gets what the user wrote.

Only plain YAML types are built (mappings, sequences, strings, numbers, booleans, null); any other
tag is refused. Nodes and nesting are counted while the file is composed (so a huge flow sequence
is refused as soon as the limit is passed), alias expansion is bounded, and the size is checked
before parsing. libyaml's C parser is used when PyYAML has it, the pure-Python one otherwise; the
resolver and the limits work the same with both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from engine.io.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 50_000  # the largest bundled file has about 1,300 nodes
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100  # longer "numbers" are junk, and Python refuses ints past 4,300 digits

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

# YAML 1.2.2, 10.3.2 (core schema tag resolution)
_CORE_SCHEMA = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]
_SURROGATE = re.compile("[\ud800-\udfff]")

_BASE = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class _WrittenAs:
    """A number that remembers how it was written: ``str()`` gives the text (`017`, `1.10`), the value is the
    number. Pickles as the plain number (``_plain``)."""

    def __new__(cls, value, text: str):
        obj = super().__new__(cls, value)
        obj.text = text
        return obj

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):
        return self._plain, (self._plain(self),)


class WrittenInt(_WrittenAs, int):
    _plain = int


class WrittenFloat(_WrittenAs, float):
    _plain = float


class _Limit(Exception):
    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def _add_core_schema(loader_class) -> None:
    loader_class.yaml_implicit_resolvers = {}
    for tag, pattern, first in _CORE_SCHEMA:
        loader_class.add_implicit_resolver(tag, re.compile(pattern), first)


class _Loader(_BASE):
    """The safe loader with YAML 1.2 core-schema scalars and limits counted while composing."""

    def __init__(self, stream):
        super().__init__(stream)
        self.nodes = 0
        self.depth = 0

    # The composer (Python or C) calls these around every node it builds, aliases excepted.
    def descend_resolver(self, parent, index):
        self.nodes += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Limit("depth")
        if self.nodes > MAX_NODES:
            raise _Limit("nodes")

    def ascend_resolver(self):
        self.depth -= 1


_add_core_schema(_Loader)


class _EventLoader(_BASE):
    """For locating where a limit was passed: parsing only (iterative, no composing)."""


_add_core_schema(_EventLoader)


class _Dumper(getattr(yaml, "CSafeDumper", None) or yaml.SafeDumper):
    """The safe emitter, quoting every string that YAML 1.1 *or* 1.2 would read as something else.

    PyYAML's emitter knows only YAML 1.1, so it writes `1e100` or `0o17` bare, and the 1.2 reader above
    would get a number back. With the core-schema resolvers added, such strings come out quoted.
    """


for _tag, _pattern, _first in _CORE_SCHEMA:
    _Dumper.add_implicit_resolver(_tag, re.compile(_pattern), _first)
_Dumper.add_representer(WrittenInt, lambda dumper, n: dumper.represent_scalar("tag:yaml.org,2002:int", n.text))
_Dumper.add_representer(WrittenFloat, lambda dumper, n: dumper.represent_scalar("tag:yaml.org,2002:float", n.text))


def dump_text(data, **options) -> str:
    """YAML text that ``load_text`` reads back as the same data (strings stay strings)."""
    options.setdefault("sort_keys", False)
    options.setdefault("allow_unicode", True)
    return yaml.dump(data, Dumper=_Dumper, **options)


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
        raise InputError(path, f"file is too large: the limit is {MAX_BYTES:,} bytes", 1)
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
    except _Limit as limit:
        line = _limit_line(text, limit.what)
        if limit.what == "depth":
            raise InputError(path, f"nested more than {MAX_DEPTH} levels deep", line) from None
        raise InputError(path, f"more than {MAX_NODES:,} values; refusing to read further", line) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own limit on flow nesting
            problem = f"nested more than {MAX_DEPTH} levels deep"
            raise InputError(path, problem, _limit_line(text, "depth") or (mark.line + 1 if mark else None)) from None
        if "invalid Unicode character escape" in problem:  # libyaml refuses half a surrogate pair itself
            problem += " (a lone surrogate such as \\ud800 is not text; write the character itself)"
        if "mapping values are not allowed" in problem:
            problem += " (a value containing ': ' must be quoted, or written as a block after `key: |`)"
        raise InputError(path, f"invalid YAML: {problem}", mark.line + 1 if mark else None,
                         mark.column + 1 if mark else None) from None
    except yaml.YAMLError as err:
        raise InputError(path, f"invalid YAML: {err}") from None
    except RecursionError:  # a last guard; the depth limit is passed long before Python's
        raise InputError(path, f"nested more than {MAX_DEPTH} levels deep", _limit_line(text, "depth")) from None
    if node is None:
        raise InputError(path, "the file is empty (no YAML document)", 1)
    builder = _Builder(path)
    data = builder.build(node, (), 0)
    builder.positions.setdefault((), (node.start_mark.line + 1, node.start_mark.column + 1))
    return Document(path, data, builder.positions)


def _limit_line(text: str, what: str) -> int | None:
    """The line where nesting first passes MAX_DEPTH, or the node count MAX_NODES (the parser is iterative)."""
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                nodes += 1
                if what == "nodes" and nodes > MAX_NODES:
                    return event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if what == "depth" and depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return mark.line + 1 if mark else None
    return None


def read_bounded(path: str) -> bytes:
    """At most MAX_BYTES + 1 bytes of a file, a pipe or a device: a file that never ends is not read whole."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror}") from None


def load_file(path: str) -> Document:
    return load_text(path, decode(path, read_bounded(path)))


def scalar_value(tag: str, text: str):
    """The value of a plain scalar of a core-schema tag; raises ValueError with a message for the user."""
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not a boolean (write true or false)")
        return text.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number of {len(text):,} characters is too long (at most {MAX_NUMBER_CHARS})")
        body = text
        try:
            if body.startswith("0o"):
                value = int(body[2:], 8)
            elif body.startswith("0x"):
                value = int(body[2:], 16)
            else:
                value = int(body, 10)
        except ValueError:
            raise ValueError(f"{text!r} is not an integer") from None
        return WrittenInt(value, text)
    if tag == "tag:yaml.org,2002:float":
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number of {len(text):,} characters is too long (at most {MAX_NUMBER_CHARS})")
        lowered = text.lower()
        if lowered.endswith(".inf"):
            value = float("-inf") if lowered.startswith("-") else float("inf")
        elif lowered == ".nan":
            value = float("nan")
        else:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a number") from None
        return WrittenFloat(value, text)
    return text


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.count = 0

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
                if key_node.tag == "tag:yaml.org,2002:merge" or (not key_node.style and key_node.value == "<<"):
                    self.fail(key_node, "merge keys (<<) are not supported; write the fields out")
                if key_node.tag not in _PLAIN_TAGS:
                    self.fail(key_node, f"tag {key_node.tag!r} is not allowed; use plain YAML values")
                key = self._text(key_node)  # a key is a name: what the user wrote (`on`, `017`, `true`)
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
            return scalar_value(node.tag, self._text(node))
        except ValueError as err:
            self.fail(node, f"bad value: {err}")

    def _text(self, node) -> str:
        found = _SURROGATE.search(node.value)
        if found:
            self.fail(node, f"a lone surrogate (\\u{ord(found.group()):04x}) is not text; write the character itself")
        return node.value
