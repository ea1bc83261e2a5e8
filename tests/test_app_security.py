"""The workbench is secure by default: loopback only unless a token is set, Host checked, CSRF on every
write, paths confined to the folder, bodies bounded, case text escaped, and `check` never loads it."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("fastapi", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("ruamel.yaml", reason="the workbench extra is not installed: pip install '.[serve]'")
pytest.importorskip("multipart", reason="the workbench extra is not installed: pip install '.[serve]'")

from tests.app_support import BASE, DEMO, client, csrf, demo_folder, version_in  # noqa: E402
from tests.helpers import ROOT, run_cli  # noqa: E402


@pytest.fixture()
def demo(tmp_path):
    folder = demo_folder(tmp_path)
    c, app = client(folder)
    return c, app, folder / "demo.yaml"


def _answer_data(c, app, **extra):
    page = c.get("/cases/demo").text
    data = {"version": version_in(page), "key": "proceedings.0.hearings.0.public", "value": "no"}
    data.update(extra)
    return data


def test_a_foreign_host_header_is_refused(demo):
    c, _, _ = demo
    assert c.get("/", headers={"host": "attacker.example"}).status_code == 421
    assert c.get("/", headers={"host": "attacker.example:8765"}).status_code == 421
    assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200
    assert c.get("/", headers={"host": "127.0.0.1"}).status_code == 200


def test_writes_need_the_csrf_token(demo):
    c, app, path = demo
    before = path.read_bytes()
    assert c.post("/cases/demo/answer", data=_answer_data(c, app)).status_code == 403
    assert c.post("/cases/demo/answer", data=_answer_data(c, app, csrf="guessed")).status_code == 403
    assert c.post("/cases/demo/edit", data={"version": "x", "f.id": "demo"}).status_code == 403
    assert c.post("/new", data={"f.id": "evil"}).status_code == 403
    assert path.read_bytes() == before and not (path.parent / "evil.yaml").exists()
    ok = c.post("/cases/demo/answer", data=_answer_data(c, app, csrf=csrf(app)), follow_redirects=False)
    assert ok.status_code == 303 and path.read_bytes() != before


def test_cross_site_origin_is_refused_even_with_a_token(demo):
    c, app, path = demo
    before = path.read_bytes()
    got = c.post("/cases/demo/answer", data=_answer_data(c, app, csrf=csrf(app)),
                 headers={"origin": "http://attacker.example"})
    assert got.status_code == 403 and path.read_bytes() == before
    assert c.post("/api/check", content=DEMO.encode(), headers={"origin": "null"}).status_code == 403
    assert c.post("/api/check", content=DEMO.encode(), headers={"origin": BASE}).status_code == 200


def test_listening_beyond_loopback_requires_a_token(tmp_path):
    folder = demo_folder(tmp_path)
    with pytest.raises(ValueError, match="--token"):
        client(folder, host="0.0.0.0")
    done = run_cli("serve", folder, "--host", "0.0.0.0", "--port", "1")
    assert done.returncode == 2 and "--token" in done.stderr and "Traceback" not in done.stderr


def test_token_guards_every_request(tmp_path):
    folder = demo_folder(tmp_path)
    c, app = client(folder, host="0.0.0.0", token="s3cret-token", allowed_hosts={"workbench.lan"})
    assert c.get("/").status_code == 401
    assert c.get("/api/rules").status_code == 401
    assert c.get("/static/app.js").status_code == 401
    assert c.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    assert c.get("/?token=wrong", follow_redirects=False).status_code == 401
    signed = c.get("/?token=s3cret-token", follow_redirects=False)
    assert signed.status_code == 303 and "HttpOnly" in signed.headers["set-cookie"]
    assert c.get("/").status_code == 200  # the cookie now carries the token
    assert c.get("/", headers={"host": "workbench.lan:8765"}).status_code == 200


def test_paths_stay_inside_the_folder(tmp_path):
    from engine.app.workspace import OutsideFolder, Workspace

    folder = demo_folder(tmp_path)
    outside = tmp_path / "secret.yaml"
    outside.write_text(DEMO.replace("id: demo", "id: secret"), encoding="utf-8")
    os.symlink(outside, folder / "link.yaml")
    (folder / "sub").mkdir()
    os.symlink(tmp_path, folder / "sub" / "up")
    space = Workspace(folder)
    assert space.case_files() == ["demo.yaml"]
    for bad in ("../secret.yaml", "/etc/passwd", "link.yaml", "sub/up/secret.yaml", "a/../../secret.yaml", "", "a\\b"):
        with pytest.raises(OutsideFolder):
            space.confine(bad)
    with pytest.raises(OutsideFolder):
        space.path_for_new("../escape")
    c, app = client(folder)
    assert c.get("/cases/secret").status_code == 404
    assert c.get("/cases/..%2Fsecret").status_code == 404
    assert "secret" not in c.get("/api/cases").text
    got = c.post("/new", data={"csrf": csrf(app), "f.id": "../escape"}, follow_redirects=False)
    assert got.status_code == 422 and not (tmp_path / "escape.yaml").exists()


def test_bodies_over_the_limit_are_refused(demo):
    c, app, _ = demo
    app.state.settings.max_body = 10_000
    big = DEMO + "# " + "x" * 20_000 + "\n"
    assert c.post("/api/check", content=big.encode()).status_code == 413
    assert c.post("/cases/demo/answer", content=big.encode(),
                  headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 413

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b"#" * 1000

    assert c.post("/api/check", content=chunks()).status_code == 413


def test_case_text_is_escaped(tmp_path):
    folder = demo_folder(tmp_path)
    hostile = DEMO.replace("title: Demo detention", 'title: "<script>alert(1)</script>"').replace(
        "name: Test Person", 'name: "<img src=x onerror=alert(2)>"')
    (folder / "demo.yaml").write_text(hostile, encoding="utf-8")
    c, _ = client(folder)
    for url in ("/", "/cases/demo", "/cases/demo/edit", "/cases/demo/report", "/reports"):
        page = c.get(url)
        assert page.status_code == 200, url
        assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text, url
    page = c.get("/cases/demo").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csp = c.get("/cases/demo").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert c.get("/cases/demo").headers["x-frame-options"] == "DENY"


def test_check_never_imports_the_workbench():
    code = ("import sys; from engine.cli import main; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn', 'ruamel') "
            "or m.startswith('engine.app')); print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stdout + done.stderr


def test_serve_says_how_to_install_the_extra_when_it_is_missing(tmp_path):
    code = ("import sys, importlib.util as u; real = u.find_spec\n"
            "u.find_spec = lambda name, *a: None if name.startswith('fastapi') else real(name, *a)\n"
            "sys.argv = ['trialcheck', 'serve', '.']\n"
            "from engine.cli.main import main; main()")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2
    assert "pip install '.[serve]'" in done.stderr and "fastapi" in done.stderr


def test_saves_are_atomic_and_keep_the_file_mode(demo):
    from engine.app.workspace import Conflict, Workspace

    _, _, path = demo
    os.chmod(path, 0o640)
    space = Workspace(path.parent)
    first = space.read("demo.yaml")
    new_version = space.save("demo.yaml", first.text + "# more\n", first.version)
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == [".trialcheck", "demo.yaml"]  # no temporary file left
    assert [p.name for p in (path.parent / ".trialcheck").iterdir()] == ["save.lock"]
    with pytest.raises(Conflict) as stale:
        space.save("demo.yaml", "id: lost\n", first.version)
    assert stale.value.current_version == new_version and "# more" in stale.value.current_text
    assert path.read_text(encoding="utf-8").endswith("# more\n")


def test_the_load_benchmark_runs_small():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_serve.py"), "6", "3"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lost edits: 0" in done.stdout and "0 errors" in done.stdout


def test_serve_says_when_the_port_is_taken(tmp_path):
    import socket

    folder = demo_folder(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", folder, "--port", port, timeout=120)
    assert done.returncode == 2 and f"127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
