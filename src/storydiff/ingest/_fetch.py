"""Fetching an article URL: a timeout, a size cap, a redirect cap, a content-type check.

Built on httpx. The transport is pluggable (`httpx.MockTransport` in tests), and redirects are
followed by hand so that every hop is checked: against the redirect cap, the overall deadline, and,
unless `allow_private` is on (the CLI turns it on: its user may fetch what they can reach),
against private, loopback and link-local addresses, so that a server using this fetcher cannot be
made to reach its own network.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .._exceptions import FetchError, InputTooLarge
from .._version import __version__
from ._decode import human_size

if TYPE_CHECKING:  # httpx is imported when the first URL is fetched, not at start-up
    import httpx

# Media types that can hold an article, and the kind of document each is. Anything else
# (images, PDFs, video) is refused up front.
MEDIA_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 15.0  # seconds for each URL, redirects included (a host name lookup is not bounded)
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False  # the CLI lets its user fetch what they can reach; a server must not
    user_agent: str = f"storydiff/{__version__} (article comparison; +https://pypi.org/project/storydiff/)"


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    data: bytes
    media_type: str | None
    charset: str | None


class Fetcher:
    """Fetches article URLs under a `FetchPolicy`. One instance can serve many URLs."""

    def __init__(self, policy: FetchPolicy | None = None, *, transport: httpx.BaseTransport | None = None):
        self.policy = policy or FetchPolicy()
        self._transport = transport

    def fetch(self, url: str) -> FetchedPage:
        import httpx

        policy = self.policy
        deadline = time.monotonic() + policy.timeout
        timeout = httpx.Timeout(policy.timeout, connect=min(10.0, policy.timeout))
        headers = {
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "gzip, deflate",  # what httpx decodes without optional packages
        }
        with httpx.Client(transport=self._transport, timeout=timeout, headers=headers, follow_redirects=False) as client:
            current = url
            for _hop in range(policy.max_redirects + 1):
                self._check_url(url, current)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out after {policy.timeout:g} s")
                try:
                    with client.stream("GET", current) as response:
                        if response.is_redirect:
                            location = response.headers.get("location")
                            if not location:
                                raise FetchError(url, f"HTTP {response.status_code} redirect without a Location header")
                            current = urljoin(current, location)
                            continue
                        return self._read(url, response, deadline)
                except httpx.TimeoutException:
                    raise FetchError(url, f"timed out after {policy.timeout:g} s") from None
                except httpx.InvalidURL as exc:
                    raise FetchError(url, f"not a valid URL ({exc})") from None
                except httpx.HTTPError as exc:
                    raise FetchError(url, f"could not fetch ({_describe(exc)})") from None
                except (ValueError, UnicodeError) as exc:  # malformed hosts and ports
                    raise FetchError(url, f"not a valid URL ({exc})") from None
            raise FetchError(url, f"more than {policy.max_redirects} redirects")

    def _check_url(self, original: str, url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError as exc:
            raise FetchError(original, f"not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https"):
            raise FetchError(original, f"only http and https URLs can be fetched, not {parts.scheme or 'this'}")
        if not parts.hostname:
            raise FetchError(original, "the URL has no host")
        if not self.policy.allow_private:
            # Checked before each hop. A host that resolves differently at connect time (DNS
            # rebinding) could still slip through; the web app runs this guard as a first line only.
            blocked = _private_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
            if blocked:
                raise FetchError(original, f"refusing to fetch a private or local address ({blocked})")

    def _read(self, url: str, response: httpx.Response, deadline: float) -> FetchedPage:
        policy = self.policy
        if response.status_code >= 400:
            raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        media_type, charset = _content_type(response.headers.get("content-type"))
        if media_type and media_type not in MEDIA_KINDS and not media_type.endswith("+xml"):
            raise FetchError(url, f"the server sent {media_type}, not a web page or text")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > policy.max_bytes:
            raise InputTooLarge(url, f"{human_size(int(declared))} is over the size cap of {human_size(policy.max_bytes)}")
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes (gzip, deflate) count against the cap, so a small compressed body cannot
        # expand into gigabytes.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > policy.max_bytes:
                raise InputTooLarge(url, f"the page is over the size cap of {human_size(policy.max_bytes)}")
            if time.monotonic() > deadline:
                raise FetchError(url, f"the server is too slow: no complete page within {policy.timeout:g} s")
            chunks.append(chunk)
        return FetchedPage(url=str(response.url), data=b"".join(chunks), media_type=media_type, charset=charset)


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower() or None, charset


def _describe(exc: Exception) -> str:
    import httpx

    text = str(exc).strip()
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {text}" if text else "cannot connect"
    return text or type(exc).__name__


def _is_private_literal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.lower() in ("localhost",) or host.lower().endswith(".localhost")
    return not address.is_global


def _private_address(host: str, port: int) -> str | None:
    """The first non-public address the host resolves to, or None if all are public."""
    if _is_private_literal(host):
        return host
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return None  # let the request itself report the lookup failure or the malformed name
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return str(address)
    return None
