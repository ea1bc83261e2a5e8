"""Batch mode: JSON Lines in and out, standard input, parallel workers in input order, bad lines."""
import json

from benchmarks.generate import generate
from tests.helpers import run_cli, write_rule


def _jsonl(n, seed=3):
    return "".join(json.dumps(c) + "\n" for c in generate(n, seed))


def test_jsonl_stream_keeps_input_order_with_workers(tmp_path):
    rules = write_rule(tmp_path / "rules")
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(300))
    one = run_cli("check", src, "--rules", rules, "--input-format", "jsonl", "-f", "jsonl", "--jobs", "1")
    two = run_cli("check", src, "--rules", rules, "--input-format", "jsonl", "-f", "jsonl", "--jobs", "2")
    assert one.returncode in (0, 1) and one.stdout == two.stdout
    ids = [json.loads(line)["id"] for line in one.stdout.splitlines()]
    assert ids == [f"synthetic-{i}" for i in range(300)]


def test_jsonl_from_standard_input(tmp_path):
    import subprocess
    import sys

    rules = write_rule(tmp_path / "rules")
    result = subprocess.run([sys.executable, "-m", "engine", "check", "-", "--rules", str(rules), "--input-format",
                             "jsonl", "-f", "jsonl"], input=_jsonl(5), capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    assert len(result.stdout.splitlines()) == 5


def test_bad_line_names_its_line_and_writes_nothing(tmp_path):
    rules = write_rule(tmp_path / "rules")
    lines = _jsonl(4).splitlines()
    lines[2] = '{"id": "broken", "proceedings": [{"id": "x"}]}'
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = run_cli("check", src, "--rules", rules, "--input-format", "jsonl", "-f", "jsonl", "-o", out)
    assert result.returncode == 2 and "in.jsonl:3" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_yaml_folder_report_is_the_same_with_workers(tmp_path):
    rules = write_rule(tmp_path / "rules")
    folder = tmp_path / "cases"
    folder.mkdir()
    for i, case in enumerate(generate(20, 5)):
        (folder / f"c{i:02d}.json").write_text(json.dumps(case))
    one = run_cli("check", folder, "--rules", rules, "-f", "json", "--jobs", "1")
    two = run_cli("check", folder, "--rules", rules, "-f", "json", "--jobs", "2")
    assert one.stdout == two.stdout and json.loads(one.stdout)["cases"]


def _case_id(report):
    return report.id


def test_windows_handed_out_ahead_keep_input_order(tmp_path, monkeypatch):
    from engine.cli import batch
    from engine.compile.plan import compile_rules
    from engine.io.load import load_rules

    rules = write_rule(tmp_path / "rules")
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl(150))
    plan = compile_rules(load_rules([str(rules)]))
    monkeypatch.setattr(batch, "WINDOW_PER_JOB", 8)  # windows of 16 cases with two workers: ten of them, two in flight
    got = {}
    for jobs in (1, 2):
        emitted = []
        batch.check_stream(batch.iter_raw([str(src)], "jsonl"), plan, "native", "en", False, jobs, _case_id,
                           emitted.append)
        got[jobs] = emitted
    assert got[1] == got[2] == [f"synthetic-{i}" for i in range(150)]
