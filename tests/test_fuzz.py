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
# issue 12's classes: impossible seconds, YAML 1.1 readings, lone surrogates, numbers past every limit, terms past 9999
TOKENS += ["2011-02-03T23:59:60", "2011-02-03T10:00:99", "1:30", "017", "1.10", "0o17", "on", "off", "yes", "y",
           '"\\ud800"', '"\\udc00x"', "9" * 5000, "9999-12-31", "9999-12-31T23:59", "1000000000", "1e308", ".NaN",
           "Infinity", "KZ-CAO2001", "kz-cao-2001", "<<", '"\\e]0;x\\a"', '"a\\rb\\nc"', "- **violation** — x",
           "<script>x</script>", "=HYPERLINK(1)"]
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


def _json_lines_seed() -> bytes:
    import json

    lines = []
    for path in SEEDS[:6]:
        data = yaml.safe_load(seed_text(path))
        lines.append(json.dumps(data, default=str, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


JSON_NOISE = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\\ud800", b"NaN", b"Infinity", b"-Infinity", b"[" * 3000,
              b"9" * 5000, b"\x00", b"\n", b"\r\n", b"{", b"}", b'"', b",", b"\xef\xbb\xbf"]


@st.composite
def json_lines_mutants(draw) -> bytes:
    """A JSON Lines stream of bundled cases with bytes inserted, deleted or a line truncated."""
    data = bytearray(_json_lines_seed())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(("insert", "delete", "truncate")))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(JSON_NOISE))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 30))]
        else:
            end = data.find(b"\n", at)
            if end > 0:
                del data[at:end]
    return bytes(data)


@_scaled(150)
@given(data=json_lines_mutants())
def test_json_lines_mutants_keep_the_contract(tmp_path_factory, data):
    """Every line is a report or an error naming the stream and its line; nothing else escapes."""
    from engine.cli.batch import iter_raw, parse_raw

    path = tmp_path_factory.mktemp("jsonl") / "s.jsonl"
    path.write_bytes(data)
    rules = plan()
    FIGURES["inputs"] += 1
    try:
        for raw in iter_raw([str(path)], "jsonl"):
            try:
                case = parse_raw(raw)
                check_case(rules, raw.label, case, NativeEngine(), include_all=True)
            except (InputError, InputErrors) as err:
                text = str(err)
                assert text.startswith(f"{path}:"), text
                assert text.split(":")[1].isdigit(), text
    except InputError as err:  # the stream itself (a line over the size limit)
        assert err.path == str(path) and err.line, str(err)
    except BaseException:
        FIGURES["crashes"] += 1
        raise


@_scaled(150)
@given(data=structure_mutants())
def test_what_the_loader_accepts_the_schema_accepts(data):
    """No file the loader accepts is marked wrong by an editor validating against `trialcheck schema case`."""
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("ruamel.yaml")
    from engine.model.case import Case
    from tests.test_schema_agrees import editor_reading

    text = data.decode("utf-8")
    try:
        load_case_text("m.yaml", text)
    except (InputError, InputErrors):
        return
    errors = list(jsonschema.Draft202012Validator(_case_schema()).iter_errors(editor_reading(text)))
    assert not errors, [e.message[:200] for e in errors[:3]]


@lru_cache(maxsize=1)
def _case_schema():
    from engine.model.case import Case

    return Case.model_json_schema()
