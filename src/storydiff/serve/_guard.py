"""What every request passes before the app sees it, as one ASGI middleware: the Host header
(so a page elsewhere cannot reach this server by rebinding a name to 127.0.0.1), the token when
the server listens beyond loopback, the origin of requests that change something (no cross-site
form posts), the size of a body; and the security headers on every answer.

Written as plain ASGI rather than with Starlette's BaseHTTPMiddleware: it sits on every request
of a server measured at 50 requests/s, and plain ASGI adds no task or stream per request.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl, urlencode

from ..ingest._decode import human_size

TOKEN_COOKIE = "storydiff_token"
CROSS_SITE = "storydiff.cross_site"  # key in the request scope's state

# Pages: scripts and styles from this server only; no inline script, no inline style, no frame.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The API explorer (/docs): Swagger UI sets inline styles; it shows no article content.
DOCS_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Guard:
    def __init__(self, app, *, hosts: frozenset[str] | None, token: str | None, max_body: int) -> None:
        self.app = app
        self.hosts = hosts  # Host header values accepted; None accepts any (a token guards the server)
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        host = headers.get("host", "")
        if self.hosts is not None and host.lower() not in self.hosts:
            await _refuse(send, 421, f"this server does not answer for the host {host!r}")
            return
        if self.token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            given = query.get("token")
            if given is not None and method == "GET" and _same(given, self.token):
                # From a link with ?token=: keep it in a cookie and drop it from the address bar.
                rest = urlencode({k: v for k, v in query.items() if k != "token"})
                location = scope["path"] + (f"?{rest}" if rest else "")
                cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                await _answer(send, 303, b"", [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1"))])
                return
            if not _same(_token_of(headers), self.token):
                await _refuse(send, 401, "this server needs its token: open the address it printed (with ?token=...) or send 'Authorization: Bearer TOKEN'")
                return
        cross_site = headers.get("sec-fetch-site") == "cross-site"  # the browser says so
        if cross_site:
            # A link or an <img> on another site's page: answered (a shared link opens), but the
            # handlers start no work for it (`from_another_site`).
            scope["state"] = {**scope.get("state", {}), CROSS_SITE: True}
        if method not in _SAFE_METHODS:
            origin = headers.get("origin")
            # "null": a sandboxed frame or a page opened from a file, which is another site too
            other_origin = origin is not None and (origin == "null" or origin.split("://", 1)[-1].lower() != host.lower())
            if other_origin or cross_site:
                await _refuse(send, 403, "a request from another site's page was refused")
                return
            length = headers.get("content-length")
            if "transfer-encoding" in headers:
                # With both headers the server reads the chunks and ignores Content-Length, so the
                # cap below would not hold; browsers never send a chunked body from a page.
                await _refuse(send, 411, "send the body with a Content-Length, not in chunks")
                return
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                await _refuse(send, 413, f"the request is over the size cap of {human_size(self.max_body)}")
                return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    # not "no-referrer": with it, browsers send "Origin: null" on the app's own form posts
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", PAGE_POLICY.encode()))
                message = {**message, "headers": list(message.get("headers", [])) + [h for h in extra if h[0] not in names]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def from_another_site(request) -> bool:
    """Whether the browser says a request comes from another site's page (Sec-Fetch-Site)."""
    return bool(request.scope.get("state", {}).get(CROSS_SITE))


def _token_of(headers: dict[str, str]) -> str:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == TOKEN_COOKIE:
            return value
    return ""


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


async def _refuse(send, status: int, reason: str) -> None:
    import json

    body = json.dumps({"error": reason}).encode()
    await _answer(send, status, body, [(b"content-type", b"application/json")])


async def _answer(send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = headers + [
        (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", PAGE_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
