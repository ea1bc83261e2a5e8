"""Parse a rule condition into the syntax tree of ``ast.py``. Errors give line and column."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from engine.lang import ast


class ConditionSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("engine.lang").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@v_args(inline=True)
class _ToAst(Transformer):
    def number(self, token):
        text = str(token)
        return ast.Literal(float(text) if "." in text else int(text))

    def string(self, token):
        return ast.Literal(str(token)[1:-1])

    def true(self):
        return ast.Literal(True)

    def false(self):
        return ast.Literal(False)

    def never(self):
        """An event recorded as never having happened: a moment after every real time."""
        from engine.model.when import NEVER

        return ast.Literal(NEVER)

    def date(self, token):
        try:
            return ast.Literal(date.fromisoformat(str(token)[1:]))
        except ValueError:
            raise ConditionSyntaxError(f"{token} is not a real date", token.line, token.column) from None

    def list(self, *items):
        items = [i for i in items if i is not None]
        if not all(isinstance(i, ast.Literal) for i in items):
            raise ConditionSyntaxError("a list may hold only literal values", 1, 1)
        return ast.Literal(tuple(i.value for i in items))

    def path(self, *names: Token):
        first = names[0]
        return ast.Path(str(first), tuple(str(n) for n in names[1:]), first.line, first.column)

    def compare(self, left, op, right):
        op = str(op)
        return ast.Compare(op, _day_as_boundary(left, op, "left"), _day_as_boundary(right, op, "right"))

    def known(self, operand):
        return ast.Known(operand)

    def unknown(self, operand):
        return ast.Known(operand, negated=True)

    def member(self, item, options):
        return ast.Member(item, options)

    def not_member(self, item, options):
        return ast.Member(item, options, negated=True)

    def negation(self, operand):
        return ast.Not(operand)

    def and_expr(self, *operands):
        return ast.And(tuple(operands))

    def or_expr(self, *operands):
        return ast.Or(tuple(operands))

    def sum(self, *parts):
        return _fold(parts)

    def product(self, *parts):
        return _fold(parts)

    def quantifier(self, kind, var, collection, body):
        return ast.Quantifier(str(kind), str(var), collection, body)

    def count(self, collection):
        return ast.Count(collection)

    def count_where(self, var, collection, body):
        return ast.Count(collection, str(var), body)


# A day written in a rule is a calendar boundary, not a time known only to the day: `X >= @2015-01-01` means from
# the first minute of that day, `X > @2014-12-31` from the minute after it. Read as a day-long interval, a time at
# noon on 1 January 2015 would be neither before nor after it, and the rule would ask instead of deciding.
_FROM_START = {("right", ">="), ("right", "<"), ("left", "<="), ("left", ">")}
_FROM_END = {("right", ">"), ("right", "<="), ("left", "<"), ("left", ">=")}


def _day_as_boundary(node, op: str, side: str):
    if not (isinstance(node, ast.Literal) and type(node.value) is date):
        return node
    from engine.model.values import Moment

    start = datetime(node.value.year, node.value.month, node.value.day)
    if (side, op) in _FROM_START:
        return ast.Literal(Moment(start, start, f"{node.value.isoformat()}T00:00"))
    if (side, op) in _FROM_END:
        end = start + timedelta(hours=23, minutes=59)
        return ast.Literal(Moment(end, end, f"{node.value.isoformat()}T23:59"))
    return node  # == and != keep the whole day


def _fold(parts):
    node = parts[0]
    for op, right in zip(parts[1::2], parts[2::2]):
        node = ast.Arith(str(op), node, right)
    return node


MAX_CONDITION_CHARS = 10_000  # the longest bundled condition has under 600
MAX_CONDITION_DEPTH = 48  # nesting of the syntax tree (the deepest bundled condition: about 12)


def parse_condition(text: str) -> ast.Node:
    if len(text) > MAX_CONDITION_CHARS:
        raise ConditionSyntaxError(f"the condition has {len(text):,} characters; the limit is {MAX_CONDITION_CHARS:,} "
                                   "(split it into derived facts)", 1, 1)
    try:
        tree = _parser().parse(text)
    except UnexpectedEOF:
        lines = text.rstrip().splitlines() or [""]
        raise ConditionSyntaxError("the condition ends too early", len(lines), len(lines[-1]) + 1) from None
    except UnexpectedCharacters as err:
        raise ConditionSyntaxError(f"unexpected character {text[err.pos_in_stream]!r}", err.line, err.column) from None
    except UnexpectedToken as err:
        got = "the end" if err.token.type == "$END" else repr(str(err.token))
        expected = ", ".join(sorted(_readable(t) for t in err.expected)[:6])
        raise ConditionSyntaxError(f"unexpected {got}; expected {expected}", err.line, err.column) from None
    except UnexpectedInput as err:
        raise ConditionSyntaxError(str(err).splitlines()[0], err.line, err.column) from None
    _check_depth(tree)
    try:
        return _ToAst().transform(tree)
    except VisitError as err:
        if isinstance(err.orig_exc, ConditionSyntaxError):
            raise err.orig_exc from None
        raise


def _check_depth(tree) -> None:
    """Refuse a condition nested deeper than MAX_CONDITION_DEPTH (`not not ... not x`, `((((...))))`) before any
    recursive walk of it; the walk is iterative and names where the limit is passed."""
    from lark import Tree

    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_CONDITION_DEPTH:
            meta = getattr(node, "meta", None)
            line, column = (getattr(meta, "line", 1), getattr(meta, "column", 1)) if meta and not meta.empty else (1, 1)
            raise ConditionSyntaxError(f"the condition is nested more than {MAX_CONDITION_DEPTH} levels deep", line, column)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


_NAMES = {"NAME": "a name", "SIGNED_NUMBER": "a number", "STRING": "a string", "COMPARE": "a comparison",
          "LPAR": "'('", "RPAR": "')'", "COLON": "':'", "LSQB": "'['", "RSQB": "']'", "DOT": "'.'"}


def _readable(terminal: str) -> str:
    return _NAMES.get(terminal, terminal.lower())
