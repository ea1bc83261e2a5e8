"""`trialcheck serve [FOLDER]`: the local workbench (``engine/app``), run with uvicorn.

The web packages are an extra (``pip install '.[serve]'``); they are imported only when this command
runs, so `trialcheck check` starts as fast as before.
"""
from __future__ import annotations

import os
from typing import List, Optional

import typer

INSTALL_HINT = ("trialcheck serve needs the workbench extra. Install it with:\n"
                "    pip install 'trialcheck[serve]'      (from a checkout: pip install '.[serve]')")
WEB_PACKAGES = ("fastapi", "uvicorn", "multipart", "ruamel.yaml")


def missing_packages() -> list[str]:
    import importlib.util

    def absent(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is None
        except ModuleNotFoundError:  # the parent of a dotted name (ruamel) is missing
            return True

    return [name for name in WEB_PACKAGES if absent(name)]


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        folder: str = typer.Argument(".", help="the folder of case files to serve (default: the current folder)"),
        host: str = typer.Option("127.0.0.1", "--host", help="address to listen on; beyond loopback needs --token"),
        port: int = typer.Option(8765, "--port", "-p", min=0, max=65535),
        token: Optional[str] = typer.Option(None, "--token", envvar="TRIALCHECK_TOKEN",
                                            help="secret every request must carry (required with a non-loopback --host)"),
        allow_host: Optional[List[str]] = typer.Option(None, "--allow-host",
                                                       help="another name this server may be reached by (Host header)"),
        rules: Optional[List[str]] = typer.Option(None, "--rules", help="rule files or folders (default: the bundled rules)"),
    ):
        """Start the workbench: case list, case pages and forms, reports and an HTTP API on this computer."""
        from engine.cli.common import fail_input

        missing = missing_packages()
        if missing:
            typer.echo(INSTALL_HINT + f"\n(missing: {', '.join(missing)})", err=True)
            raise typer.Exit(2)
        if not os.path.isdir(folder):
            fail_input(f"{folder}: no such folder")
        from engine.app.security import is_loopback

        if not is_loopback(host) and not token:
            fail_input(f"--host {host}: listening beyond this computer needs --token SECRET "
                       "(every request must then carry it); or keep the default 127.0.0.1")

        def build():
            from engine.app.server import create_app

            return create_app(folder, host=host, token=token, rules=rules, allowed_hosts=set(allow_host or ()))

        from engine.cli.common import guarded

        _check_port(host, port, fail_input)
        application = guarded(build)
        import uvicorn

        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
        typer.echo(f"trialcheck workbench for {os.path.abspath(folder)}\n  open {address}\n  stop with Ctrl+C", err=True)
        try:
            uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False)
        except OSError as err:
            fail_input(f"cannot listen on {host}:{port}: {err.strerror or err}")


def _check_port(host: str, port: int, fail) -> None:
    """Say plainly when the address is taken, before the app is built (uvicorn would only log it)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            fail(f"cannot listen on {host}:{port}: {err.strerror or err} (is another server running? try --port)")
