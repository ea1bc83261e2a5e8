"""Fuzzing: mutants of the bundled cases never crash trialcheck.

The contract for every input: a report (exit 0 or 1), or bad input (exit 2) with every message naming
the file and a line; never a traceback, never an error of another kind. The bulk runs in process for
speed (the same functions the CLI calls); a few mutants go through the CLI in a subprocess.
Figures (inputs tried, crashes, slowest input) are printed with `-s` and recorded in docs/testing.md.
"""
from __future__ import annotations

import random
import time
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.compile.plan import compile_rules
from engine.derive.facts import derive_case
from engine.io.errors import InputError, InputErrors
from engine.evaluate.run import NativeEngine
from engine.io.load import load_case_text, load_rules
from engine.render.json_report import render_json
from engine.evaluate.report import assemble, check_case
from engine.io.yamlio import decode
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "cases").rglob("*.yaml")) or [
    p for p in sorted((ROOT / "tests" / "regressions").glob("*.yaml")) if ".bad." not in p.name]
YAML_NOISE = list(":-[]{}&*!|>#'\"\n\t %@`,?\\~=") + ["\ufeff", "\x00", "\r\n", "  ", "- ", ": ", "!!python/object ",
                                                        "&a ", "*a", "<<: ", "---\n", "...\n", "\xff"]
TOKENS = ["unknown", "null", "~", "-1", "0", "1e309", ".nan", ".inf", "-.inf", "2011-02-30", "2011-13-01", "2011-09-08T24:00",
          "9999-12-31T23:59", "0000-01-01", "yes", "no", "on", "''", '""', "[]", "{}", "[[[]]]", "0x1F", "0o17", "1_000",
          "2011", "2011-09", "{value: x, status: gossip}", "{value: true, source: nowhere}", "!!binary aGk=", "|", ">-",
          "id", "person", "proceedings", "custody", "sanctions", "kind", "established", "Кузнецов", "\\x85", "1" * 400]
FIGURES = {"inputs": 0, "crashes": 0, "input errors": 0, "reports": 0, "slowest": (0.0, "")}


@lru_cache(maxsize=1)
def plan():
    return compile_rules(load_rules())


@lru_cache(maxsize=None)
def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def contract(name: str, data: bytes) -> str:
    """Run one input through load, derive, evaluate and render; return 'report' or 'input error'."""
    rules = plan()  # compiled once, outside the timing
    started = time.perf_counter()
    FIGURES["inputs"] += 1
    try:
        case = load_case_text(name, decode(name, data))
        report = check_case(rules, name, case, NativeEngine(), include_all=True)
        assert render_json(assemble([report]))
        outcome = "report"
    except (InputError, InputErrors) as err:
        errors = err.errors if isinstance(err, InputErrors) else [err]
        for e in errors:
            assert e.path == name, str(e)
            assert e.line is not None and e.line >= 1, f"no line in: {e}"
            assert str(e).startswith(f"{name}:{e.line}"), str(e)
        outcome = "input error"
    except BaseException:
        FIGURES["crashes"] += 1
        raise
    elapsed = time.perf_counter() - started
    if elapsed > FIGURES["slowest"][0]:
        FIGURES["slowest"] = (elapsed, data[:80].decode("utf-8", "replace"))
    assert elapsed < 10, f"{elapsed:.1f} s on one input"
    FIGURES["reports" if outcome == "report" else "input errors"] += 1
    return outcome


@st.composite
def text_mutants(draw) -> bytes:
    """A bundled case with a few textual edits: noise inserted, spans deleted, lines moved or re-indented, values swapped."""
    text = seed_text(draw(st.sampled_from(SEEDS)))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("insert", "delete", "dup", "swap", "indent", "token", "truncate")))
        lines = lines or [""]
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "insert":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(YAML_NOISE)) + line[at:]
        elif op == "delete" and lines[i]:
            a = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:a] + lines[i][a + draw(st.integers(1, 8)):]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 12)) + lines[i].lstrip(" ")
        elif op == "token" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(TOKENS))}"
        elif op == "truncate":
            lines = lines[:i]
    out = "\n".join(lines)
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1251", "utf-16")))
    try:
        return out.encode(encoding)
    except UnicodeEncodeError:
        return out.encode("utf-8")


def _mutate(node, draw, depth=0):
    if isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node, key=str)))
        op = draw(st.sampled_from(("recurse", "recurse", "drop", "replace", "rename", "add")))
        if op == "recurse":
            node[key] = _mutate(node[key], draw, depth + 1)
        elif op == "drop":
            del node[key]
        elif op == "replace":
            node[key] = draw(_any_value)
        elif op == "rename":
            node[key[:-1] if len(key) > 1 else key + "x"] = node.pop(key)
        else:
            node[draw(st.sampled_from(("value", "status", "source", "quote", "id", "kind", "start", "end", "extra")))] = \
                draw(_any_value)
        return node
    if isinstance(node, list) and node:
        i = draw(st.integers(0, len(node) - 1))
        op = draw(st.sampled_from(("recurse", "recurse", "drop", "dup", "replace")))
        if op == "recurse":
            node[i] = _mutate(node[i], draw, depth + 1)
        elif op == "drop":
            node.pop(i)
        elif op == "dup":
            node.insert(i, node[i])
        else:
            node[i] = draw(_any_value)
        return node
    return draw(_any_value)


_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
                    st.sampled_from(TOKENS), st.text(max_size=12),
                    st.dates().map(lambda d: d.isoformat()), st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")))
_any_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                                  max_size=3), max_leaves=6)


@st.composite
def structure_mutants(draw) -> bytes:
    """A bundled case parsed, with values replaced, keys dropped, misspelt or added, items dropped or doubled."""
    data = yaml.safe_load(seed_text(draw(st.sampled_from(SEEDS))))
    for _ in range(draw(st.integers(1, 3))):
        data = _mutate(data, draw)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


pytestmark = pytest.mark.skipif(not SEEDS, reason="no bundled cases to mutate")


def _scaled(n):
    current = settings()
    return settings(current, max_examples=max(1, n * current.max_examples // 40), database=None)


@_scaled(1000)
@given(data=text_mutants())
def test_text_mutants_keep_the_contract(data):
    contract("mutant.yaml", data)


@_scaled(400)
@given(data=structure_mutants())
def test_structure_mutants_keep_the_contract(data):
    contract("mutant.yaml", data)


def test_every_bundled_case_keeps_the_contract():
    assert all(contract(path.name, path.read_bytes()) == "report" for path in SEEDS)


def test_figures():
    """Runs last in this file: print the figures of this run (pytest -s) and check there was no crash."""
    slowest = FIGURES["slowest"]
    print(f"\nfuzz: {FIGURES['inputs']} inputs, {FIGURES['crashes']} crashes, {FIGURES['reports']} reports, "
          f"{FIGURES['input errors']} input errors; slowest {slowest[0] * 1000:.0f} ms: {slowest[1]!r}")
    assert FIGURES["crashes"] == 0


def test_a_few_mutants_through_the_cli(tmp_path):
    rng = random.Random(20111216)
    for k in range(6):
        text = seed_text(rng.choice(SEEDS)).split("\n")
        i = rng.randrange(len(text))
        text[i] = text[i][: rng.randrange(len(text[i]) + 1)] + rng.choice(YAML_NOISE) + text[i]
        path = tmp_path / f"m{k}.yaml"
        path.write_text("\n".join(text), encoding="utf-8")
        out = tmp_path / f"m{k}.json"
        result = run_cli("check", path, "-f", "json", "-o", out)
        assert result.returncode in (0, 1, 2), result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        if result.returncode == 2:
            assert f"m{k}.yaml:" in result.stderr and not out.exists()
        else:
            assert out.exists()
