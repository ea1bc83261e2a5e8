"""Properties of the engine on generated cases (hypothesis). Each property is a test that can fail.

Definitions used below (see docs/testing.md):
- a finding *fires* when its status is `violation`, `probable violation` or `concern`; it is *clear*
  when `no violation` or `not applicable`; otherwise it is `needs information`;
- the *class* of a status is fires / clear / needs information ("violation" and "probable violation"
  differ only in how sure the facts are, which new facts may change).
"""
from __future__ import annotations

import copy
import json
import random
import typing
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import assume, example, given, note, settings
from hypothesis import strategies as st

from engine.compile.plan import compile_rules
from engine.derive.facts import derive_case
from engine.evaluate import trace
from engine.evaluate.run import NativeEngine, decide_all, evaluate_all
from engine.evaluate.scope import Scope
from engine.model.instruments import INSTRUMENTS
from engine.lang import ast
from engine.evaluate.states import window
from engine.io.load import default_treaties, load_case_document, load_case_text, load_rules
from engine.model import case as models
from engine.model.case import Case
from engine.model.facts_in import Given
from engine.io.yamlio import Document, dump_text
from tests.helpers import CUSTODY_RULE, run_cli, write_rule
from tests.strategies import cases, walk_times

ROOT = Path(__file__).resolve().parent.parent
FIRES = {"violation", "probable violation", "concern"}
CLEAR = {"no violation", "not applicable"}

CONTROL_RULE = """\
id: test.protocol-within-3h
title: {en: Protocol late, ru: Протокол поздно}
citation: {instrument: KZ-CPC-2014, article: "131", part: "1"}
in_force: {from: 2015-01-01}
act_date: dates.detention
parameters:
  protocol_hours: {2015-01-01: 3}
applies_to: [criminal, administrative]
layer: domestic
kind: bright-line
right: liberty
applies_if: count(custody) > 0
when: |
  any c in custody: c.hours_to_protocol > protocol_hours
explanation: {en: "{c.hours_to_protocol} h", ru: "{c.hours_to_protocol} ч"}
ask: {en: "When was the protocol drawn up?", ru: "Когда составлен протокол?"}
examples:
  - facts: {custody: [{start: 2016-03-01T10:00, protocol_at: 2016-03-01T18:00}]}
    expect: violation
  - facts: {custody: [{start: 2016-03-01T10:00, protocol_at: 2016-03-01T11:00}]}
    expect: no violation
  - facts: {custody: [{start: 2016-03-01T10:00}]}
    expect: needs information
sources: [{title: test}]
"""


def scaled(n: int):
    """``n`` examples under the default profile, 20 times as many under ``thorough``."""
    current = settings()
    return settings(current, max_examples=max(1, n * current.max_examples // 40))


@lru_cache(maxsize=1)
def bundled_plan():
    return compile_rules(load_rules())


@lru_cache(maxsize=1)
def synthetic_plan():
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="trialcheck-props-"))
    write_rule(folder, CUSTODY_RULE, "custody.yaml")
    write_rule(folder, CONTROL_RULE, "protocol.yaml")
    return compile_rules(load_rules([str(folder)]))


PLANS = {"bundled": bundled_plan, "synthetic": synthetic_plan}
# the synthetic rules are in force from 2015: draw their cases around the dates that matter to them
SYNTHETIC_ANCHORS = (date(2015, 1, 1), date(2017, 12, 31), date(2018, 1, 1), date(2019, 6, 1))


def plan_cases(which: str, **options):
    """Cases drawn around the dates the plan's rules care about."""
    if which == "synthetic":
        options.setdefault("anchors", SYNTHETIC_ANCHORS)
    return cases(**options)


def validate(case_dict: dict) -> Case:
    return load_case_document(Document("generated.yaml", case_dict, {}))


def is_valid(case_dict: dict) -> bool:
    from engine.io.errors import InputError, InputErrors

    try:
        validate(case_dict)
        return True
    except (InputError, InputErrors):
        return False


def outcomes(plan, case_dict: dict, engine=None) -> dict:
    """(proceeding id, rule id) -> Finding, every rule (``--all``)."""
    facts = derive_case(validate(case_dict))
    found = evaluate_all(plan, facts, engine or NativeEngine(), include_all=True)
    return {(pf.proceeding_id, f.rule): f for pf, fs in zip(facts, found) for f in fs}


def klass(status: str) -> str:
    return "fires" if status in FIRES else "clear" if status in CLEAR else status


# --- 1. native closures against the explaining evaluator ---------------------------------------------

def _closed_subnodes(node, bound=frozenset()):
    """Sub-conditions with no free quantifier variable (they can be evaluated on their own)."""
    if isinstance(node, ast.Quantifier | ast.Count):
        yield node
        return
    if not any(isinstance(n, ast.Path) and n.root in bound for n in ast.walk(node)):
        yield node
    children = {ast.Compare: ("left", "right"), ast.Arith: ("left", "right"), ast.Member: ("item", "options"),
                ast.Known: ("operand",), ast.Not: ("operand",)}
    if isinstance(node, ast.And | ast.Or):
        for o in node.operands:
            yield from _closed_subnodes(o, bound)
    elif type(node) in children:
        for name in children[type(node)]:
            yield from _closed_subnodes(getattr(node, name), bound)


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(60)
@given(data=st.data())
def test_native_closures_agree_with_the_tracer(which, data):
    from engine.compile.closures import compile_node

    plan = PLANS[which]()
    case = data.draw(plan_cases(which), label="case")
    facts = derive_case(validate(case))
    decide_all(plan, facts, NativeEngine())  # fills derived.* the way a run does
    checked = 0
    for pf in facts:
        for rule in plan.rules:
            for period in rule.periods:
                scope = Scope(pf.tree, period.params)
                for key, node, closure in (("applies_if", rule.applies_if, rule.native_applies_if),
                                           ("when", rule.when, rule.native_when)):
                    if node is None:
                        continue
                    fast = closure(scope)
                    slow = trace.evaluate(node, scope, rule.param_names).value
                    assert fast == slow, f"{rule.id} {key} {period.start}: native {fast!r} tracer {slow!r}"
                    for sub in _closed_subnodes(node):
                        got = compile_node(sub, rule.param_names)(scope)
                        want = trace.evaluate(sub, scope, rule.param_names).value
                        assert got == want, f"{rule.id} {trace.show(sub)}: native {got!r} tracer {want!r}"
                        checked += 1
    assert checked > 0


# --- 2. the two engines agree ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def durable_engine():
    pytest.importorskip("durable", reason="durable-rules is not installed (Python >= 3.13 has no build)")
    try:
        import engine.evaluate.durable.engine  # noqa: F401
    except ImportError as err:
        pytest.skip(f"the durable engine module is not available: {err}")
    from engine.evaluate.durable.adapter import DurableEngine

    engines = {name: DurableEngine(PLANS[name]()) for name in PLANS}
    yield engines
    for e in engines.values():
        e.close()


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(25)
@given(data=st.data())
def test_native_and_durable_give_identical_findings(durable_engine, which, data):
    plan = PLANS[which]()
    case = data.draw(plan_cases(which), label="case")
    native = {k: f.model_dump() for k, f in outcomes(plan, case).items()}
    durable = {k: f.model_dump() for k, f in outcomes(plan, case, durable_engine[which]).items()}
    assert native == durable


# --- 3. round trip and schema ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_schema():
    import jsonschema

    result = run_cli("schema", "case")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


@scaled(60)
@given(case=cases())
def test_round_trip_json_and_yaml_is_identity(case):
    model = validate(case)
    again = Case.model_validate_json(model.model_dump_json())
    assert again == model
    assert Case.model_validate(json.loads(json.dumps(case))) == model
    # the project's writer: PyYAML's own emitter is YAML 1.1 and writes strings like `1e100` bare
    text = dump_text(case)
    assert load_case_text("round.yaml", text) == model


@scaled(60)
@given(case=cases())
def test_generated_cases_validate_against_the_exported_schema(case_schema, case):
    case_schema.validate(case)


def test_schema_rejects_what_the_model_rejects(case_schema):
    import jsonschema

    for bad in ({"id": "x", "proceedings": [{"id": "a", "kind": "criminal", "person": "p", "persn": 1}]},
                {"id": "x", "proceedings": [{"id": "a", "kind": "martial", "person": "p"}]},
                {"id": "x", "people": [{"id": "p", "name": "P", "minor": {"value": True, "status": "rumoured"}}]}):
        with pytest.raises(jsonschema.ValidationError):
            case_schema.validate(bad)


# --- 4. determinism ------------------------------------------------------------------------------------

def _shuffled(value, rng: random.Random):
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def _json_report(plan, named_cases) -> str:
    from engine.render.json_report import render_json
    from engine.evaluate.report import build_report

    return render_json(build_report(plan, [(path, validate(c)) for path, c in named_cases], NativeEngine(),
                                    include_all=True))


@scaled(30)
@given(batch=st.lists(cases(), min_size=1, max_size=3, unique_by=lambda c: c["id"]), seed=st.integers(0, 2**32))
def test_key_order_and_file_order_do_not_change_the_output(batch, seed):
    rng = random.Random(seed)
    plan = bundled_plan()
    named = [(f"cases/{c['id']}.yaml", c) for c in batch]
    first = _json_report(plan, named)
    reordered = [(path, _shuffled(c, rng)) for path, c in named]
    rng.shuffle(reordered)
    assert _json_report(plan, reordered) == first


@pytest.mark.slow
def test_pythonhashseed_does_not_change_the_cli_output(tmp_path):
    from hypothesis import seed as fixed_seed

    written = []

    @fixed_seed(20111216)
    @settings(max_examples=10, database=None)
    @given(st.lists(cases(unknown=0.1), min_size=4, max_size=4, unique_by=lambda c: c["id"]))
    def draw(batch):
        if len(json.dumps(batch)) > len(json.dumps(written)):
            written[:] = batch  # keep the richest batch drawn

    draw()
    for c in written:
        (tmp_path / f"{c['id']}.yaml").write_text(dump_text(c), encoding="utf-8")
    outputs = {run_cli("check", tmp_path, "--format", "json", "--all", "-j", "1",
                       env={"PYTHONHASHSEED": seed, "TRIALCHECK_CACHE": "off"}).stdout for seed in ("0", "1", "4242")}
    assert len(outputs) == 1 and json.loads(outputs.pop())["cases"]


# --- 5. monotonicity ---------------------------------------------------------------------------------

def _fired(before: dict, after: dict) -> list[str]:
    """Findings that fired before and no longer do."""
    return [f"{key}: {before[key].status} -> {after[key].status}" for key in before
            if before[key].status in FIRES and key in after and after[key].status not in FIRES]


def _one_custody_per_person(case: dict) -> dict:
    """Keep the first custody period of each person only (chained periods are not monotone in their ends)."""
    out, seen = copy.deepcopy(case), set()
    for p in out["proceedings"]:
        if p.get("custody") and p["person"] not in seen:
            p["custody"] = p["custody"][:1]
            seen.add(p["person"])
        else:
            p.pop("custody", None)
    return out


def _time_value(fact):
    value = fact.get("value") if isinstance(fact, dict) else fact
    return value if isinstance(value, str) and value != "unknown" else None


def _set_time(fact, text):
    if isinstance(fact, dict):
        return {**fact, "value": text}
    return text


def _later(text: str, hours: int) -> str:
    from engine.model.when import parse_moment

    m = parse_moment(text)
    if not m.is_exact:
        return text
    return (m.earliest + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(60)
@given(data=st.data(), hours=st.integers(1, 24 * 20),
       field=st.sampled_from(["end", "before_judge", "protocol_at", "relatives_told_at", "lawyer_access_at"]))
def test_more_time_in_custody_never_clears_a_violation(which, data, hours, field):
    plan = PLANS[which]()
    case = data.draw(plan_cases(which, unknown=0.1, precisions=("minute",)), label="case")
    case = _one_custody_per_person(case)
    longer, changed = copy.deepcopy(case), False
    for p in longer["proceedings"]:
        for c in p.get("custody", []):
            if field in c and _time_value(c[field]):
                c[field] = _set_time(c[field], _later(_time_value(c[field]), hours))
                changed = True
    assume(changed)
    assert not _fired(outcomes(plan, case), outcomes(plan, longer))


@scaled(60)
@given(case=cases(unknown=0.1))
def test_losing_the_lawyer_never_clears_a_violation(case):
    plan = bundled_plan()
    without, changed = copy.deepcopy(case), False
    for p in without["proceedings"]:
        for h in p.get("hearings", []):
            v = h.get("lawyer_present")
            if v is True or (isinstance(v, dict) and v.get("value") is True):
                h["lawyer_present"] = {**v, "value": False} if isinstance(v, dict) else False
                changed = True
    assume(changed)
    assert not _fired(outcomes(plan, case), outcomes(plan, without))


def _heavier(sanction: dict, extra: int) -> dict:
    out = dict(sanction)
    for name in ("amount", "mci", "days", "months", "years", "hours"):
        v = out.get(name)
        if isinstance(v, int | float) and not isinstance(v, bool):
            out[name] = v + extra
        elif isinstance(v, dict) and isinstance(v.get("value"), int | float):
            out[name] = {**v, "value": v["value"] + extra}
    return out


@scaled(60)
@given(case=cases(unknown=0.1), extra=st.integers(1, 100), again=st.booleans())
def test_more_sanctions_for_the_same_act_never_clear_a_violation(case, extra, again):
    """Heavier sanctions, or one more proceeding sanctioning the same person for the same incident."""
    plan = bundled_plan()
    more, changed = copy.deepcopy(case), False
    if again:
        target = next((p for p in more["proceedings"] if p.get("incident")), None)
        if target is not None:
            more["proceedings"].append({
                "id": "pr-again", "kind": "administrative", "person": target["person"], "incident": target["incident"],
                "decision": {"date": "2011-01-01", "final": True, "sanctions": [{"kind": "arrest", "days": extra}]}})
            changed = True
    else:
        for p in more["proceedings"]:
            sanctions = (p.get("decision") or {}).get("sanctions") or []
            if sanctions:
                p["decision"]["sanctions"] = [_heavier(s, extra) for s in sanctions]
                changed = True
    assume(changed)
    before, after = outcomes(plan, case), outcomes(plan, more)
    assert not _fired(before, {k: v for k, v in after.items() if k[0] != "pr-again"})


# --- 6. time shift -----------------------------------------------------------------------------------

def _boundaries(plan) -> dict[date, set[str]]:
    """Each date where some law read by the plan changes -> what changes there."""
    out: dict[date, set[str]] = {}

    def add(day, what):
        out.setdefault(day, set()).add(what)

    for cr in plan.rules:
        add(cr.rule.in_force.from_, f"in_force:{cr.id}")
        if cr.rule.in_force.until:
            add(cr.rule.in_force.until + timedelta(days=1), f"in_force:{cr.id}")
        for values in cr.rule.parameters.values():
            for day in values:
                if day > cr.rule.in_force.from_:
                    add(day, f"param:{cr.id}")
    # a treaty binds each State from its own entry into force (and until a denunciation takes effect)
    treaties = default_treaties()
    for cr in plan.rules:
        for state in treaties.states:
            bound = window(cr.rule, state, treaties)
            if bound.start:
                add(bound.start, f"in_force:{cr.id}")
            if bound.end:
                add(bound.end + timedelta(days=1), f"in_force:{cr.id}")
    for inst in INSTRUMENTS.values():
        if inst.start:
            add(inst.start, "instrument")
        if inst.end:
            add(inst.end + timedelta(days=1), "instrument")
    for year in range(1990, 2040):
        add(date(year, 1, 1), "mci")
    return out


def _reads(cr, words) -> bool:
    nodes = [n for c in (cr.applies_if, cr.when) if c is not None for n in ast.walk(c)]
    return any(isinstance(n, ast.Path) and (set(n.attrs) & words or n.root in words) for n in nodes)


def _may_change(plan, crossed: set[str]) -> set[str]:
    """Rules whose findings may change when the law changes in the ways ``crossed`` lists."""
    rules = {x.split(":", 1)[1] for x in crossed if ":" in x}
    for cr in plan.rules:
        if "mci" in crossed and _reads(cr, {"fine_mci", "same_act"}):
            rules.add(cr.id)
        if "instrument" in crossed and _reads(cr, {"code_in_force"}):
            rules.add(cr.id)
    grew = True
    while grew:  # readers of derived facts whose producer may change
        changed_names = {cr.rule.derive for cr in plan.rules if cr.id in rules and cr.rule.derive}
        new = {cr.id for cr in plan.rules if cr.reads_derived & changed_names} - rules
        rules |= new
        grew = bool(new)
    return rules


def _crossed(times: list[date], offset: int, bounds: dict[date, set[str]]) -> set[str]:
    what = set()
    for day in times:
        lo, hi = sorted((day, day + timedelta(days=offset)))
        for b, kinds in bounds.items():
            if lo < b <= hi:
                what |= kinds
    return what


def _shift(text: str, days: int) -> str:
    from engine.model.when import parse_moment

    m = parse_moment(text)
    moved = m.earliest + timedelta(days=days)
    return moved.strftime("%Y-%m-%dT%H:%M") if m.is_exact else moved.strftime("%Y-%m-%d")


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(80)
@given(data=st.data(), offset=st.integers(-800, 800))
def test_time_shift_changes_only_findings_whose_law_changed(which, data, offset):
    """Moving every timestamp by the same number of days changes only the findings of rules whose law
    (in force, parameters, instrument, MCI year) changes between the old and the new dates."""
    from engine.model.when import parse_moment

    plan = PLANS[which]()
    case = data.draw(plan_cases(which, precisions=("minute", "day"), born=False), label="case")
    times = []
    walk_times(case, lambda t: times.append(parse_moment(t).earliest.date()) or t)
    assume(times)
    crossed = _crossed(times, offset, _boundaries(plan))
    shifted = walk_times(case, lambda t: _shift(t, offset))
    before, after = outcomes(plan, case), outcomes(plan, shifted)
    allowed = _may_change(plan, crossed)
    note(f"crossed: {sorted(crossed)}")
    for key, f in before.items():
        if key[1] in allowed:
            continue
        g = after[key]
        assert (f.status, f.missing, f.parameters) == (g.status, g.missing, g.parameters), \
            f"{key}: {f.status} -> {g.status} (shift {offset} d, crossed {sorted(crossed)})"


def test_crossing_the_72_to_48_hour_change_changes_exactly_that_rule():
    plan = synthetic_plan()
    case = {"id": "shift", "defaults": {"status": "established"}, "people": [{"id": "p", "name": "P"}], "proceedings": [{
        "id": "a", "kind": "criminal", "person": "p",
        "custody": [{"start": "2017-12-20T08:00", "before_judge": "2017-12-22T20:00", "protocol_at": "2017-12-20T20:00"}]}]}
    shifted = walk_times(case, lambda t: _shift(t, 20))  # 60 h: within 72 h in 2017, beyond 48 h in 2018
    before, after = outcomes(plan, case), outcomes(plan, shifted)
    changed = {k[1] for k in before if before[k].status != after[k].status}
    assert changed == {"test.custody-limit"}
    assert before[("a", "test.custody-limit")].status == "no violation"
    assert after[("a", "test.custody-limit")].status == "violation"
    assert after[("a", "test.protocol-within-3h")].status == before[("a", "test.protocol-within-3h")].status == "violation"


# --- 7. resolving an unknown -------------------------------------------------------------------------

_COLLECTIONS = {"custody": models.Custody, "hearings": models.Hearing, "court_appearances": models.CourtAppearance,
                "appeals": models.Appeal, "evidence": models.Evidence, "allegations": models.Allegation,
                "sanctions": models.Sanction}
_SINGLES = {"decision": models.Decision, "incident": models.Incident, "person": models.Person,
            "employment": models.Employment}
_TIME_FIELDS = {"date", "end_date", "start", "end", "born", "before_judge", "protocol_at", "relatives_told_at",
                "lawyer_access_at", "at", "opened", "filed", "heard", "dismissed_on", "strike_declared_unlawful_on",
                "declared_unlawful_by_court"}


def _leaf_missing(finding) -> set[str] | None:
    """The recorded facts a `needs information` finding waits for; None if one cannot be traced to a field."""
    by_path = {}

    def index(facts):
        for f in facts:
            by_path.setdefault(f.path, f)
            index(f.derived_from)

    index(finding.facts)
    out = set()
    for path in finding.missing:
        fact = by_path.get(path)
        if fact is None:
            return None
        stack = [fact]
        while stack:
            f = stack.pop()
            unknown_inputs = [d for d in f.derived_from if d.value is None]
            if f.derived_from:
                if not unknown_inputs:
                    return None
                stack += unknown_inputs
            else:
                out.add(f.path)
    return out


def _field_model(path: str):
    """(model class, field name, location) for a recorded fact path, or None."""
    import re

    m = re.fullmatch(r"([a-z_]+)\[(\d+)\]\.([a-z_]+)", path)
    if m and m.group(1) in _COLLECTIONS:
        return _COLLECTIONS[m.group(1)], m.group(3), (m.group(1), int(m.group(2)))
    m = re.fullmatch(r"([a-z_]+)\.([a-z_]+)", path)
    if m and m.group(1) in _SINGLES and m.group(2) in _SINGLES[m.group(1)].model_fields:
        return _SINGLES[m.group(1)], m.group(2), (m.group(1),)
    if m and m.group(1) == "proceeding" and m.group(2) == "opened":
        return models.Proceeding, "opened", ()
    if path in ("role", "prior_penalty_within_year"):
        return models.Proceeding, path, ()
    return None


def _values_for(model, name: str, near: list[datetime]):
    annotation = model.model_fields[name].annotation
    given = next(a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, Given))
    inner = typing.get_args(given.model_fields["value"].annotation)[0]
    if name in _TIME_FIELDS:
        base = st.sampled_from(near or [datetime(2011, 12, 16, 12)])
        return st.builds(lambda b, h: (b + timedelta(minutes=h)).strftime("%Y-%m-%dT%H:%M"), base,
                         st.integers(-72 * 60, 30 * 24 * 60))
    if inner is bool:
        return st.booleans()
    if typing.get_origin(inner) is typing.Literal:
        return st.sampled_from(typing.get_args(inner))
    return st.integers(0, 400)


def _set_fact(case: dict, proceeding_id: str, path: str, value) -> bool:
    found = _field_model(path)
    if found is None:
        return False
    _, name, loc = found
    proc = next(p for p in case["proceedings"] if p["id"] == proceeding_id)
    # only facts inside what the file records: adding a decision or an employment record is new
    # information of another kind (a proceeding with no decision is not one whose decision is unknown)
    if not loc:
        holder = proc
    elif loc[0] in ("custody", "hearings", "court_appearances", "appeals", "evidence", "allegations"):
        items = proc.get(loc[0]) or []
        if loc[1] >= len(items):
            return False  # a fact of another proceeding of the same person (see docs/testing.md)
        holder = items[loc[1]]
    elif loc[0] == "sanctions":
        items = (proc.get("decision") or {}).get("sanctions") or []
        if loc[1] >= len(items):
            return False
        holder = items[loc[1]]
    elif loc[0] in ("decision", "employment"):
        holder = proc.get(loc[0])
        if holder is None:
            return False
    elif loc[0] == "incident":
        if not proc.get("incident"):
            return False
        holder = next(i for i in case["incidents"] if i["id"] == proc["incident"])
    else:
        holder = next(p for p in case["people"] if p["id"] == proc["person"])
    old = holder.get(name)
    holder[name] = {**old, "value": value} if isinstance(old, dict) else value
    return True


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
@scaled(30)
@given(data=st.data())
def test_resolving_an_unknown_settles_what_waited_for_it_and_nothing_else(which, data):
    from engine.model.when import parse_moment

    plan = PLANS[which]()
    case = data.draw(plan_cases(which, precisions=("minute",), unknown=0.3, born=False), label="case")
    before = outcomes(plan, case)
    waiting = {}
    for key, f in before.items():
        if f.status == "needs information":
            leaves = _leaf_missing(f)
            if leaves and len(leaves) == 1 and _field_model(next(iter(leaves))):
                waiting.setdefault((key[0], next(iter(leaves))), []).append(key)
    assume(waiting)
    proceeding_id, path = data.draw(st.sampled_from(sorted(waiting)))
    model, name, _ = _field_model(path)
    near: list[datetime] = []
    walk_times(case, lambda t: near.append(parse_moment(t).earliest) or t)
    value = data.draw(_values_for(model, name, near))
    resolved = copy.deepcopy(case)
    assume(_set_fact(resolved, proceeding_id, path, value) and is_valid(resolved))
    after = outcomes(plan, resolved)
    note(f"resolved {proceeding_id} {path} = {value!r}")
    for key in waiting[(proceeding_id, path)]:
        if after[key].status != "needs information":
            continue
        # still waiting: allowed only when the fact fed a derived fact, whose inputs are reported lazily
        # (a derived fact names only the inputs known to matter so far); the resolved fact is no longer asked for
        assert path not in before[key].missing, f"{key} still waits after {path} = {value!r}: {after[key].missing}"
        assert path not in (_leaf_missing(after[key]) or set()), f"{key} still asks for {path} = {value!r}"
    # A rule whose scope tests whether a fact is known ("a rule whose subject is absent stays silent") may
    # speak once the fact is known: its "not applicable" is silence, not an answer. Every other decided
    # outcome keeps its class.
    gated = {r.id for r in plan.rules if r.applies_if is not None
             and any(isinstance(n, ast.Known) for n in ast.walk(r.applies_if))}
    for key, f in before.items():
        if f.status != "needs information" and not (f.status == "not applicable" and key[1] in gated):
            assert klass(after[key].status) == klass(f.status), \
                f"{key}: {f.status} -> {after[key].status} after {path} = {value!r}"


@pytest.mark.parametrize("path", [p for p in sorted((ROOT / "tests" / "regressions").glob("*.yaml"))
                                  if ".bad." not in p.name], ids=lambda p: p.name)
def test_regression_cases_round_trip(path):
    model = load_case_text(str(path), path.read_text(encoding="utf-8"))
    assert Case.model_validate_json(model.model_dump_json()) == model


def test_regression_facts_of_another_proceeding_name_it():
    path = ROOT / "tests" / "regressions" / "chained-custody-other-proceeding.yaml"
    tree = derive_case(load_case_text(str(path), path.read_text(encoding="utf-8")))[0].tree
    fact = tree["custody"][0]["follows_previous"]
    assert fact.value is None and {i.path for i in fact.inputs} == {"custody[0].start", "proceedings[b].custody[0].end"}
