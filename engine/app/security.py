"""Secure by default: the checks every request passes before the app sees it.

- Host header: only the names the server was started for (a DNS-rebinding page cannot reach it).
- Token: when the server listens beyond loopback, every request carries ``--token`` (a header, or the
  cookie set by opening ``/?token=...`` once).
- CSRF: every state-changing request carries the per-run CSRF token (a form field or a header) and, if
  the browser sends an Origin, it must be this server.
- Size: request bodies over the limit are refused before they are read whole.
- Headers: a content security policy that allows only this server's own scripts, no framing.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from engine.io.yamlio import MAX_BYTES

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
TOKEN_COOKIE = "trialcheck_token"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# read-only API calls that take a body: callable by scripts and webhooks without a CSRF token
READ_ONLY_POSTS = {"/api/check", "/api/explain"}

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")


def is_loopback(host: str) -> bool:
    name = host.strip("[]")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass
class Settings:
    host: str = "127.0.0.1"
    token: str | None = None
    allowed_hosts: set[str] = field(default_factory=set)
    max_body: int = MAX_BYTES
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def __post_init__(self):
        if not is_loopback(self.host) and not self.token:
            raise ValueError(f"listening on {self.host} (beyond this computer) needs --token")
        self.allowed_hosts = {h.lower().strip("[]") for h in (self.allowed_hosts or set())}
        self.allowed_hosts |= LOOPBACK_NAMES
        if self.host not in ("0.0.0.0", "::"):
            self.allowed_hosts.add(self.host.lower().strip("[]"))


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware applying the checks above to every HTTP request."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope["method"].upper()
        path = scope.get("path", "")
        s = self.settings
        if _host_name(headers.get("host", "")) not in s.allowed_hosts:
            return await _reply(send, 421, "this server answers only to the address it was started on")
        if s.token and not self._token_ok(scope, headers):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = (query.get("token") or [""])[0]
            if method == "GET" and given and hmac.compare_digest(given.encode(), s.token.encode()):
                cookie = f"{TOKEN_COOKIE}={s.token}; HttpOnly; SameSite=Strict; Path=/"
                return await _reply(send, 303, "signed in", [(b"location", path.encode() or b"/"),
                                                             (b"set-cookie", cookie.encode())])
            return await _reply(send, 401, "a token is required: open the address printed by `trialcheck serve`")
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin and origin != "null" and _host_name(urlsplit(origin).netloc) not in s.allowed_hosts:
                return await _reply(send, 403, "cross-site request refused")
            if origin == "null":
                return await _reply(send, 403, "cross-site request refused")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > s.max_body):
            return await _reply(send, 413, f"request body over the limit of {s.max_body:,} bytes")
        if method not in SAFE_METHODS and path not in READ_ONLY_POSTS:
            return await self._with_csrf(scope, receive, send, headers)
        return await self.app(scope, _limited(receive, s.max_body), _secured(send))

    def _token_ok(self, scope, headers) -> bool:
        token = self.settings.token.encode()
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and hmac.compare_digest(auth[7:].strip().encode(), token):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == TOKEN_COOKIE and hmac.compare_digest(value.encode(), token):
                return True
        return False

    async def _with_csrf(self, scope, receive, send, headers):
        """Read the (bounded) body, find the CSRF token in the header or the form, then replay the body."""
        expected = self.settings.csrf.encode()
        body, too_big = await _read_body(receive, self.settings.max_body)
        if too_big:
            return await _reply(send, 413, f"request body over the limit of {self.settings.max_body:,} bytes")
        given = headers.get(CSRF_HEADER, "")
        if not given and headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            given = (parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD) or [""])[0]
        elif not given and headers.get("content-type", "").startswith("multipart/form-data"):
            given = _multipart_field(body, headers["content-type"], CSRF_FIELD)
        if not given or not hmac.compare_digest(given.encode(), expected):
            return await _reply(send, 403, "the form is missing its security token; reload the page and try again")
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return await self.app(scope, replay, _secured(send))


def _multipart_field(body: bytes, content_type: str, name: str) -> str:
    boundary = content_type.split("boundary=", 1)[-1].strip().strip('"').encode()
    for part in body.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if f'name="{name}"'.encode() in head:
            return value.rstrip(b"\r\n").decode("utf-8", "replace")
    return ""


async def _read_body(receive, limit: int) -> tuple[bytes, bool]:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks), False


def _limited(receive, limit: int):
    """Bodies sent without a Content-Length (chunked) are cut off at the limit too."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped


class BodyTooLarge(Exception):
    pass


def _secured(send):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {k.lower() for k, _ in headers}
            for key, value in ((b"content-security-policy", CSP), (b"x-frame-options", "DENY"),
                               (b"x-content-type-options", "nosniff"), (b"referrer-policy", "same-origin"),
                               (b"cache-control", "no-store")):
                if key not in names:
                    headers.append((key, value.encode()))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _reply(send, status: int, text: str, extra: list | None = None):
    body = json.dumps({"detail": text}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())] + (extra or [])
    await _secured(send)({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
