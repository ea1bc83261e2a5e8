"""Writing outputs: never lose a file, never replace what is not a report, leave nothing half-written.

Through the CLI in a subprocess. What `-o` does with each kind of target is documented in
``engine/io/output.py`` and docs/reports.md.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli, write_rule

GOOD = ("id: t\npeople: [{id: p, name: Test Person}]\nproceedings:\n  - id: a\n    kind: criminal\n    person: p\n"
        "    custody: [{start: 2016-05-01T08:00, before_judge: 2016-05-09T08:00}]\n")
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return write_rule(tmp_path_factory.mktemp("rules"))


@pytest.fixture
def case(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(GOOD)
    return path


def _env(**extra):
    environment = dict(os.environ, **extra)
    environment["PYTHONPATH"] = str(ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    return environment


def _popen(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "engine", *map(str, args)], cwd=kwargs.pop("cwd", ROOT),
                            env=_env(), **kwargs)


def _no_temporaries(*folders: Path):
    for folder in folders:
        left = [p.name for p in folder.iterdir() if p.name.startswith(".trialcheck-")]
        assert not left, left


def _clean_failure(result, *words):
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_fifo_is_written_to_not_replaced(tmp_path, case, rules):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", fifo, timeout=60)
    reader.join(30)
    assert result.returncode == 1, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["cases"][0]["id"] == "t"
    _no_temporaries(tmp_path)


def test_dev_fd_is_written_through(tmp_path, case, rules):
    """What `-o >(gzip > x.gz)` passes: /dev/fd/N, the caller's descriptor."""
    read_end, write_end = os.pipe()
    process = _popen("check", case, "--rules", rules, "-f", "json", "-o", f"/dev/fd/{write_end}",
                     pass_fds=(write_end,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert json.loads(data)["cases"][0]["id"] == "t" and out == b""


@pytest.mark.skipif(not ROOT_USER, reason="making a device node needs root")
def test_character_device_is_written_to_not_replaced(tmp_path, case, rules):
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null: never risk the real one
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", device, timeout=60)
    assert result.returncode == 1, result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)
    _no_temporaries(tmp_path)


def test_dev_full_is_a_full_disk_with_one_clear_line(tmp_path, case, rules):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", "/dev/full", timeout=60)
    _clean_failure(result, "/dev/full", "No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_symlink_is_followed_and_its_target_replaced(tmp_path, case, rules):
    target = tmp_path / "reports" / "real.md"
    target.parent.mkdir()
    target.write_text("old report\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", link, timeout=60)
    assert result.returncode == 1, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "Test Person" in target.read_text()
    _no_temporaries(tmp_path, target.parent)


def test_dash_is_standard_output(tmp_path, case, rules):
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", "-", cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and json.loads(result.stdout)["cases"][0]["id"] == "t"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("which", ["the case file", "a case inside the folder", "a rule file", "a link to the case"])
def test_output_naming_an_input_is_refused_before_reading(tmp_path, rules, which):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD)
    (folder / "b.yaml").write_text("id: [broken\n")  # would be reported if anything were read
    rule_file = rules / "rule.yaml"
    before = {p: p.read_bytes() for p in (folder / "a.yaml", folder / "b.yaml", rule_file)}
    if which == "the case file":
        args, out = [folder / "a.yaml", folder / "b.yaml"], folder / "a.yaml"
    elif which == "a case inside the folder":
        args, out = [folder], folder / "b.yaml"
    elif which == "a rule file":
        args, out = [folder], rule_file
    else:
        out = tmp_path / "link.yaml"
        out.symlink_to(folder / "a.yaml")
        args = [folder / "a.yaml"]
    result = run_cli("check", *args, "--rules", rules, "-o", out, timeout=60)
    _clean_failure(result, "refusing to overwrite")
    assert "b.yaml:1" not in result.stderr  # nothing was read
    assert {p: p.read_bytes() for p in before} == before
    _no_temporaries(folder, rules)


def test_replacing_a_report_keeps_its_permissions(tmp_path, case, rules):
    out = tmp_path / "private.md"
    out.write_text("old\n")
    out.chmod(0o600)
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", out, timeout=60)
    assert result.returncode == 1, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "Test Person" in out.read_text()


def test_read_only_report_is_refused_unless_forced(tmp_path, case, rules):
    out = tmp_path / "kept.md"
    out.write_text("keep me\n")
    out.chmod(0o444)
    result = run_cli("check", case, "--rules", rules, "-f", "json", "-o", out, timeout=60)
    _clean_failure(result, "kept.md", "read-only", "--force")
    assert out.read_text() == "keep me\n"
    forced = run_cli("check", case, "--rules", rules, "-f", "json", "-o", out, "--force", timeout=60)
    assert forced.returncode == 1, forced.stderr
    assert "Test Person" in out.read_text() and stat.S_IMODE(out.stat().st_mode) == 0o444
    _no_temporaries(tmp_path)


@pytest.mark.parametrize("where, words", [
    ("missing/report.md", "does not exist"),
    ("folder", "is a folder"),
    ("file.txt/report.md", "not a folder"),
])
def test_unwritable_places_fail_with_one_clear_line(tmp_path, case, rules, where, words):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("a file, not a folder\n")
    result = run_cli("check", case, "--rules", rules, "-o", tmp_path / where, timeout=60)
    _clean_failure(result, words)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    _no_temporaries(tmp_path, tmp_path / "folder")


@pytest.mark.skipif(ROOT_USER, reason="root writes into read-only folders")
def test_read_only_folder_fails_with_one_clear_line(tmp_path, case, rules):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run_cli("check", case, "--rules", rules, "-o", folder / "r.md", timeout=60)
    finally:
        folder.chmod(0o755)
    _clean_failure(result, "no permission")
    assert not list(folder.iterdir())


def test_full_disk_leaves_no_temporary_file(tmp_path, monkeypatch):
    """ENOSPC while the report is flushed to disk: the target is untouched and no temporary file remains."""
    from engine.io import output
    from engine.io.output import OutputError, write_atomic

    target = tmp_path / "report.md"
    target.write_text("previous report\n")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        write_atomic(str(target), "x" * 100_000)
    assert "No space left on device" in str(caught.value) and str(target) in str(caught.value)
    assert target.read_text() == "previous report\n"
    _no_temporaries(tmp_path)


def test_quiet_still_writes_the_file(tmp_path, case, rules):
    for fmt in ("json", "jsonl"):
        out = tmp_path / f"r.{fmt}"
        result = run_cli("check", case, "--rules", rules, "-f", fmt, "-o", out, "--quiet", timeout=60)
        assert result.returncode == 1 and result.stdout == "", result.stderr
        assert out.exists() and '"t"' in out.read_text()
    quiet = run_cli("check", case, "--rules", rules, "-f", "jsonl", "--quiet", timeout=60)
    assert quiet.returncode == 1 and quiet.stdout == ""


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found |= {int(x) for x in text}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum, code, jobs", [(signal.SIGTERM, 143, "1"), (signal.SIGINT, 130, "1"),
                                                (signal.SIGTERM, 143, "2")])
def test_interrupted_run_leaves_nothing_and_says_so(tmp_path, rules, signum, code, jobs):
    line = json.dumps({"id": "t{}", "people": [{"id": "p", "name": "P"}],
                       "proceedings": [{"id": "a", "kind": "criminal", "person": "p",
                                        "custody": [{"start": "2016-05-01T08:00"}]}]})
    out = tmp_path / "out.jsonl"
    process = _popen("check", "--input-format", "jsonl", "-", "--rules", rules, "-f", "jsonl", "-o", out,
                     "--jobs", jobs, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for i in range(300):  # enough to start the worker pool; then the stream stays open
        process.stdin.write((line.replace("t{}", f"t{i}") + "\n").encode())
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not [p for p in tmp_path.iterdir() if p.name.startswith(".trialcheck-")]:
        time.sleep(0.05)
    time.sleep(1.0)  # let the pool start and work through the window
    workers = _children(process.pid)
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, (process.returncode, err)
    assert b"Traceback" not in err and b"internal error" not in err, err
    assert not out.exists()
    _no_temporaries(tmp_path)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), workers


def test_report_is_rendered_from_what_was_checked(tmp_path, rules):
    """A file named `<stdin>` in the working folder cannot change the report of a case read from stdin."""
    real = {"id": "t", "people": [{"id": "p", "name": "Real Name"}],
            "proceedings": [{"id": "a", "kind": "criminal", "person": "p",
                             "custody": [{"start": "2016-05-01T08:00", "before_judge": "2016-05-09T08:00"}]}]}
    forged = json.loads(json.dumps(real))
    forged["people"][0]["name"] = "Forged Name"
    forged["sources"] = [{"id": "s1", "title": "Forged source"}]
    for name in ("<stdin>", "<stdin>:1"):
        (tmp_path / name).write_text(json.dumps(forged) + "\n")
    process = _popen("check", "-f", "html", "--input-format", "jsonl", "-", "--rules", rules, cwd=tmp_path,
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(json.dumps(real).encode() + b"\n", timeout=60)
    assert process.returncode == 1, err
    page = out.decode()
    assert "Real Name" in page and "Forged" not in page


def test_closed_pipe_ends_quietly(tmp_path):
    process = _popen("check", ROOT / "cases", "-f", "json", "--all", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(100)
    process.stdout.close()
    err = process.stderr.read()
    process.wait(timeout=120)
    # 141 when the write meets the closed pipe; CPython's buffered writer may also finish without noticing
    assert process.returncode in (1, 141), (process.returncode, err)
    assert b"Traceback" not in err and b"internal error" not in err, err


def test_closed_standard_output_is_a_clear_error(case, rules):
    process = _popen("check", case, "--rules", rules, "-f", "json", stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    assert b"standard output is closed" in err and b"Traceback" not in err


@pytest.mark.parametrize("command", [["questions"], ["export", "huridocs"]])
def test_other_commands_refuse_an_input_as_output(tmp_path, rules, command):
    case = tmp_path / "case.yaml"
    case.write_text(GOOD)
    result = run_cli(*command, case, "--rules", rules, "-o", case, timeout=60)
    _clean_failure(result, "refusing to overwrite")
    assert case.read_text() == GOOD


def test_new_writes_through_a_fifo_and_refuses_a_folder(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run_cli("new", "x", "-o", folder, "--force", timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert folder.is_dir()
