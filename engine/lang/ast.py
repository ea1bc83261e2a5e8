"""The condition language's syntax tree: plain frozen dataclasses.

Both engines compile from these nodes; nothing here evaluates anything.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Union


@dataclass(frozen=True)
class Literal:
    value: Union[bool, int, float, str, date, tuple, object]  # a list literal is a tuple of scalars; `never` a Moment


@dataclass(frozen=True)
class Path:
    """A fact path: ``root.attr.attr``. ``root`` is a fact root, a quantifier variable or a parameter."""

    root: str
    attrs: tuple[str, ...] = ()
    line: int = 0
    column: int = 0

    @property
    def dotted(self) -> str:
        return ".".join((self.root, *self.attrs))


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Member:
    item: "Node"
    options: "Node"  # a Literal tuple or a Path to a list-valued fact
    negated: bool = False


@dataclass(frozen=True)
class Known:
    operand: "Node"
    negated: bool = False  # ``is unknown``


@dataclass(frozen=True)
class And:
    operands: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    operands: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    operand: "Node"


@dataclass(frozen=True)
class Quantifier:
    kind: str  # any | all
    var: str
    collection: Path
    body: "Node"


@dataclass(frozen=True)
class Count:
    collection: Path
    var: str | None = None
    body: "Node | None" = None


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /
    left: "Node"
    right: "Node"


Node = Union[Literal, Path, Compare, Member, Known, And, Or, Not, Quantifier, Count, Arith]


def walk(node: Node):
    """Yield every node of the tree, parents before children."""
    yield node
    if isinstance(node, Compare | Arith):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Member):
        yield from walk(node.item)
        yield from walk(node.options)
    elif isinstance(node, Known | Not):
        yield from walk(node.operand)
    elif isinstance(node, And | Or):
        for operand in node.operands:
            yield from walk(operand)
    elif isinstance(node, Quantifier):
        yield from walk(node.collection)
        yield from walk(node.body)
    elif isinstance(node, Count):
        yield from walk(node.collection)
        if node.body is not None:
            yield from walk(node.body)


def map_paths(node: "Node | None", fn) -> "Node | None":
    """The same tree with every Path replaced by ``fn(path)`` (a Path or any other node)."""
    if node is None:
        return None
    if isinstance(node, Path):
        return fn(node)
    if isinstance(node, Compare | Arith):
        return replace(node, left=map_paths(node.left, fn), right=map_paths(node.right, fn))
    if isinstance(node, Member):
        return replace(node, item=map_paths(node.item, fn), options=map_paths(node.options, fn))
    if isinstance(node, Known | Not):
        return replace(node, operand=map_paths(node.operand, fn))
    if isinstance(node, And | Or):
        return replace(node, operands=tuple(map_paths(o, fn) for o in node.operands))
    if isinstance(node, Quantifier | Count):
        return replace(node, collection=map_paths(node.collection, fn), body=map_paths(node.body, fn))
    return node
