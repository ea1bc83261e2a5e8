"""Compile: validated rules -> a plan both engines run.

Parses every condition, checks each fact path against the fact schema, orders the rules so that a
derived fact is computed before any rule reads it (and refuses cycles), splits each rule's life
into periods of constant parameters, and builds the native closures once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from engine.io.errors import InputError, InputErrors
from engine.compile.closures import Closure, compile_node
from engine.compile.typecheck import condition_problems, parameter_problems
from engine.derive.paths import LIST_ROOTS, base_schema
from engine.lang import ast
from engine.model.rule import Rule
from engine.model.treaties import TreatyTable
from engine.io.yamlio import Document


@dataclass
class Period:
    start: date
    end: date | None
    params: dict
    index: int = field(default=0, compare=False)  # its place in the rule's periods

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class CompiledRule:
    rule: Rule
    file: str
    applies_if: ast.Node | None
    when: ast.Node
    act_date: ast.Path
    periods: list[Period]
    param_names: frozenset[str]
    reads_derived: frozenset[str] = frozenset()
    _built: dict = field(default_factory=dict, repr=False, compare=False)  # closures and generated code, on first use

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def native_applies_if(self) -> Closure | None:
        if "applies_if" not in self._built:
            self._built["applies_if"] = None if self.applies_if is None else compile_node(self.applies_if, self.param_names)
        return self._built["applies_if"]

    @property
    def native_when(self) -> Closure:
        if "when" not in self._built:
            self._built["when"] = compile_node(self.when, self.param_names)
        return self._built["when"]

    @property
    def generated(self):
        """The rule's generated functions (``codegen.GeneratedRule``), or None when it has none."""
        if "generated" not in self._built:
            from engine.compile.codegen import generate

            self._built["generated"] = generate(self)
        return self._built["generated"]

    def hot_generated(self, after: int):
        """The generated functions once the rule has been asked for them more than ``after`` times (None
        before, and for a rule the generator cannot express): compiling a rule's source costs as much as
        many evaluations by its closures, so a short run never pays for it."""
        built = self._built
        if "generated" in built:
            return built["generated"]
        uses = built["uses"] = built.get("uses", 0) + 1
        return self.generated if uses > after else None

    def why(self, which: str):
        """The closure giving the value and deciding facts of ``applies_if`` or ``when`` (``why.py``), or
        None for an absent ``applies_if``."""
        key = "why_" + which
        if key not in self._built:
            from engine.compile.why import compile_why

            node = self.applies_if if which == "applies_if" else self.when
            self._built[key] = None if node is None else compile_why(node, self.param_names)
        return self._built[key]


@dataclass
class Plan:
    rules: list[CompiledRule]  # derivations first, in dependency order
    treaties: TreatyTable | None = None  # treaty dates per State; None: the bundled table (engine.io.load)
    by_id: dict[str, CompiledRule] = field(default_factory=dict)
    levels: list | None = None  # rules grouped by derivation depth, filled on first use
    windows: dict = field(default_factory=dict, repr=False, compare=False)  # (level, State) -> schedules, on first use
    derivations: list | None = field(default=None, repr=False, compare=False)  # derivation rules by id, on first use
    digest: str | None = field(default=None, repr=False, compare=False)  # ``rules_digest``, on first use or from the cache

    def __post_init__(self):
        self.by_id = {r.id: r for r in self.rules}


def rules_digest(plan: Plan) -> str:
    """What the rules say, as a digest (not where their files are): the version of the rule base in reports.
    Worked out once per plan, and kept in the plan cache with it."""
    if plan.digest is None:
        import hashlib
        import json

        digest = hashlib.sha256()
        for cr in sorted(plan.rules, key=lambda r: r.id):
            digest.update(json.dumps(cr.rule.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode())
        plan.digest = digest.hexdigest()[:12]
    return plan.digest


def substitute(node: ast.Node, params: dict) -> ast.Node:
    """The condition with each parameter replaced by its value (for engines that take constants)."""
    return ast.map_paths(node, lambda p: ast.Literal(params[p.root]) if p.root in params and not p.attrs else p)


def compile_rules(loaded: list[tuple[Rule, Document]]) -> Plan:
    errors: list[InputError] = []
    seen: dict[str, str] = {}
    derived_names = {r.derive: r.id for r, _ in loaded if r.derive}
    compiled = []
    for rule, doc in loaded:
        if rule.id in seen:
            line, col = doc.where(("id",))
            errors.append(InputError(doc.path, f"duplicate rule id {rule.id!r} (also in {seen[rule.id]})", line, col))
            continue
        seen[rule.id] = doc.path
        try:
            compiled.append(_compile_one(rule, doc, frozenset(derived_names)))
        except InputErrors as many:
            errors.extend(many.errors)
    if errors:
        raise InputErrors(errors)
    docs = {rule.id: doc for rule, doc in loaded}
    return Plan(_order(compiled, derived_names, lambda r: docs[r.id].where(("derive",) if r.rule.derive else ("when",))))


def _compile_one(rule: Rule, doc: Document, derived_names: frozenset[str]) -> CompiledRule:
    from engine.lang.parse import ConditionSyntaxError, parse_condition  # lark only when compiling

    errors = []
    params = frozenset(rule.parameters)
    samples = {name: next(iter(by_date.values())) for name, by_date in rule.parameters.items()}
    parsed = {}
    for key in ("applies_if", "when"):
        text = getattr(rule, key)
        if text is None:
            parsed[key] = None
            continue
        try:
            node = parse_condition(text)
        except ConditionSyntaxError as err:
            errors.append(_condition_error(doc, key, text, err.line, err.column, f"in `{key}`: {err.message}"))
            continue
        for problem, path in check_paths(node, params, derived_names):
            errors.append(_condition_error(doc, key, text, path.line, path.column, f"in `{key}`: {problem}"))
        for problem, path in condition_problems(node, samples):  # what would fail at check time, refused now
            line, column = (path.line, path.column) if path is not None else (1, 1)
            errors.append(_condition_error(doc, key, text, line, column, f"in `{key}`: {problem}"))
        parsed[key] = node
    for name, problem in parameter_problems(rule.parameters):
        errors.append(InputError(doc.path, problem, *doc.where(("parameters", name))))
    act_date = ast.Path(*_split(rule.act_date))
    if act_date.root not in ("dates", "incident", "decision", "proceeding") or not _known_path(act_date):
        line, col = doc.where(("act_date",))
        errors.append(InputError(doc.path, f"act_date {rule.act_date!r} is not a date fact (use dates.conduct, "
                                           "dates.detention, dates.hearing, dates.decision or dates.first)", line, col))
    if errors:
        raise InputErrors(errors)
    return assemble_rule(rule, doc.path, parsed["applies_if"], parsed["when"])


def assemble_rule(rule: Rule, file: str, applies_if: ast.Node | None, when: ast.Node,
                  reads: frozenset[str] | None = None) -> CompiledRule:
    """A compiled rule from its validated model and parsed conditions (also how the plan cache rebuilds one, with
    the derived facts it reads as stored)."""
    params = frozenset(rule.parameters)
    periods = [Period(s, e, p, i) for i, (s, e, p) in enumerate(rule.parameter_periods())]
    if reads is None:
        reads = frozenset(n.attrs[0] for node in (applies_if, when) if node is not None
                          for n in ast.walk(node) if isinstance(n, ast.Path) and n.root == "derived" and n.attrs)
    return CompiledRule(
        rule=rule, file=file, applies_if=applies_if, when=when, act_date=ast.Path(*_split(rule.act_date)),
        periods=periods, param_names=params, reads_derived=reads,
    )


def _split(dotted: str) -> tuple[str, tuple[str, ...]]:
    parts = dotted.split(".")
    return parts[0], tuple(parts[1:])


def _known_path(path: ast.Path) -> bool:
    attrs = base_schema().get(path.root)
    return attrs is not None and len(path.attrs) == 1 and path.attrs[0] in attrs


def check_paths(node: ast.Node, params: frozenset[str], derived_names: frozenset[str], bound: frozenset[str] = frozenset()):
    """Yield (problem, path) for every path in ``node`` that no fact, variable or parameter provides."""
    schema = base_schema()
    if isinstance(node, ast.Quantifier | ast.Count):
        coll = node.collection
        if coll.root not in LIST_ROOTS or coll.attrs:
            yield f"{coll.dotted!r} is not a collection (collections: {', '.join(sorted(LIST_ROOTS))})", coll
        if node.body is not None:
            yield from check_paths(node.body, params, derived_names, bound | {node.var})
        return
    if isinstance(node, ast.Path):
        yield from _check_path(node, params, derived_names, bound, schema)
        return
    children = {ast.Compare: ("left", "right"), ast.Arith: ("left", "right"), ast.Member: ("item", "options"),
                ast.Known: ("operand",), ast.Not: ("operand",)}
    if isinstance(node, ast.And | ast.Or):
        for operand in node.operands:
            yield from check_paths(operand, params, derived_names, bound)
    elif type(node) in children:
        for name in children[type(node)]:
            yield from check_paths(getattr(node, name), params, derived_names, bound)


def _check_path(node: ast.Path, params, derived_names, bound, schema):
    root, attrs = node.root, node.attrs
    if root in bound:
        return  # item attributes are checked against the collection below only when typed; see lint
    if root in params:
        if attrs:
            yield f"parameter {root!r} has no fields", node
        return
    if root not in schema:
        yield f"unknown fact {node.dotted!r}{_did_you_mean(root, [*schema, *params])}", node
        return
    if root in LIST_ROOTS:
        yield f"{root!r} is a collection: use `any x in {root}: ...` or `count({root})`", node
        return
    allowed = schema[root]
    if allowed is None:
        if attrs:
            yield f"{root!r} has no fields", node
        return
    if len(attrs) != 1:
        yield f"{node.dotted!r}: write {root}.<field>", node
        return
    names = derived_names if root == "derived" else allowed
    if attrs[0] not in names:
        yield f"unknown fact {node.dotted!r}{_did_you_mean(attrs[0], names, prefix=root + '.')}", node


def item_paths(node: ast.Node, bound: dict[str, str] | None = None):
    """Yield (collection root, attribute, path) for each attribute read from a quantifier's item."""
    bound = bound or {}
    if isinstance(node, ast.Quantifier | ast.Count):
        if node.body is not None:
            yield from item_paths(node.body, {**bound, node.var: node.collection.root})
        return
    if isinstance(node, ast.Path):
        if node.root in bound:
            if len(node.attrs) != 1:
                yield bound[node.root], None, node
            else:
                yield bound[node.root], node.attrs[0], node
        return
    for child in _children(node):
        yield from item_paths(child, bound)


def _children(node):
    if isinstance(node, ast.Compare | ast.Arith):
        return (node.left, node.right)
    if isinstance(node, ast.Member):
        return (node.item, node.options)
    if isinstance(node, ast.Known | ast.Not):
        return (node.operand,)
    if isinstance(node, ast.And | ast.Or):
        return node.operands
    return ()


def _did_you_mean(word: str, options, prefix: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean {prefix + close[0]!r}?)" if close else ""


def _condition_error(doc: Document, key: str, text: str, line: int, column: int, message: str) -> InputError:
    """Place an error inside a condition at its line in the file (block scalars start one line below the key)."""
    key_line, key_col = doc.where((key,))
    if key_line is None:
        return InputError(doc.path, message)
    raw_lines = _raw_lines(doc.path)
    key_text = raw_lines[key_line - 1] if raw_lines and key_line - 1 < len(raw_lines) else ""
    block = key_text.rstrip().endswith(("|", ">", "|-", ">-"))
    if block:
        return InputError(doc.path, message, key_line + line, column)
    offset = key_text.find(":", key_col - 1) + 2 if key_text else key_col
    if line == 1:
        return InputError(doc.path, message, key_line, offset + column)
    return InputError(doc.path, message, key_line + line - 1, column)


def _raw_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return []


MAX_DERIVATION_CHAIN = 32  # derived facts read derived facts this deep at most (the bundled base: 2)


def _order(rules: list[CompiledRule], derived_names: dict[str, str], where=lambda rule: (None, None)) -> list[CompiledRule]:
    """Derivations before their readers; a cycle among derivations is an error naming the rules, and so is a
    chain longer than MAX_DERIVATION_CHAIN. Depth-first without recursion: a chain of any length is safe to walk."""
    by_id = {r.id: r for r in rules}
    order, state, depth = [], {}, {}

    def producers(rule: CompiledRule) -> list[CompiledRule]:
        return [by_id[derived_names[name]] for name in sorted(rule.reads_derived) if derived_names.get(name) in by_id]

    derivations = sorted((r for r in rules if r.rule.derive), key=lambda r: r.id)
    others = sorted((r for r in rules if not r.rule.derive), key=lambda r: r.id)
    for root in derivations + others:
        if state.get(root.id) == "done":
            continue
        state[root.id] = "active"
        path, stack = [root.id], [(root, iter(producers(root)))]
        while stack:
            rule, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[rule.id] = "done"
                depth[rule.id] = 1 + max((depth[p.id] for p in producers(rule)), default=0)
                if depth[rule.id] > MAX_DERIVATION_CHAIN:
                    raise InputErrors([InputError(rule.file, f"derived facts are chained more than "
                                                             f"{MAX_DERIVATION_CHAIN} deep (here: {depth[rule.id]}); "
                                                             "merge some derivations", *where(rule))])
                order.append(rule)
                continue
            if state.get(nxt.id) == "done":
                continue
            if state.get(nxt.id) == "active":
                cycle = path[path.index(nxt.id):] + [nxt.id]
                raise InputErrors([InputError(nxt.file, "derived facts form a cycle: " + " -> ".join(cycle), *where(nxt))])
            state[nxt.id] = "active"
            path.append(nxt.id)
            stack.append((nxt, iter(producers(nxt))))
    return order
