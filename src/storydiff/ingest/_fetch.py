"""Fetching an article URL: a timeout, a size cap, a redirect cap, a content-type check.

Built on httpx. The transport is pluggable (`httpx.MockTransport` in tests), and redirects are
followed by hand so that every hop is checked: against the redirect cap, the overall deadline, and,
unless `allow_private` is on (the CLI turns it on: its user may fetch what they can reach),
against private, loopback and link-local addresses, so that a server using this fetcher cannot be
made to reach its own network.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urljoin, urlsplit

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
    data: bytes  # empty for a 304
    media_type: str | None
    charset: str | None
    status: int = 200  # 200 (any 2xx), or 304 to a conditional request
    etag: str | None = None
    last_modified: str | None = None


class Throttled(FetchError):
    """The server answered 429 or 503: come back later (`retry_after` seconds, when it says)."""

    def __init__(self, source: str, status: int, retry_after: float | None) -> None:
        reason = "429 Too Many Requests" if status == 429 else "503 Service Unavailable"
        super().__init__(source, f"HTTP {reason}")
        self.status = status
        self.retry_after = retry_after


PAGE_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"


class Fetcher:
    """Fetches article URLs under a `FetchPolicy`. One instance can serve many URLs."""

    def __init__(self, policy: FetchPolicy | None = None, *, transport: httpx.BaseTransport | None = None):
        self.policy = policy or FetchPolicy()
        self._transport = transport

    def client(self, **limits) -> httpx.Client:
        """An httpx client under this policy (timeouts, user agent, transport); redirects are
        followed by `fetch` itself, hop by hop."""
        import httpx

        policy = self.policy
        return httpx.Client(
            transport=self._transport,
            timeout=httpx.Timeout(policy.timeout, connect=min(10.0, policy.timeout)),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},  # what httpx decodes without optional packages
            follow_redirects=False,
            # A proxy from the environment would reach private addresses on our behalf: a fetcher
            # that refuses them uses none.
            trust_env=policy.allow_private,
            **limits,
        )

    def fetch(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        also_accept: frozenset[str] = frozenset(),
        wanted: str = "a web page or text",
        client: httpx.Client | None = None,
        throttled: bool = False,
    ) -> FetchedPage:
        """GET `url`, following redirects hop by hop under the policy.

        `headers` are added to the request (a corpus sends If-None-Match / If-Modified-Since: a
        304 then comes back as `FetchedPage(status=304)`); `also_accept` are media types taken
        besides the article ones (feeds, sitemaps), `wanted` names what was expected in the error
        when something else comes; `client` is reused rather than a new one made; with
        `throttled`, a 429 or 503 raises `Throttled` (with its Retry-After) for the caller to wait.
        """
        if client is None:
            with self.client() as own:
                return self.fetch(url, headers=headers, also_accept=also_accept, wanted=wanted, client=own, throttled=throttled)
        import httpx

        policy = self.policy
        deadline = time.monotonic() + policy.timeout
        headers = {"Accept": PAGE_ACCEPT, **(headers or {})}
        conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
        current = url
        try:
            for _hop in range(policy.max_redirects + 1):
                self._check_url(url, current)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out after {policy.timeout:g} s")
                with client.stream("GET", current, headers=headers) as response:
                    etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
                    if response.status_code == 304:  # httpx counts it among redirects
                        if not conditional:
                            raise FetchError(url, "HTTP 304 Not Modified to a request that was not conditional")
                        return FetchedPage(str(response.url), b"", None, None, 304, etag, modified)
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(url, f"HTTP {response.status_code} redirect without a Location header")
                        current = urljoin(current, location)
                        continue
                    if throttled and response.status_code in (429, 503):
                        raise Throttled(url, response.status_code, _retry_after(response.headers.get("retry-after")))
                    page = self._read(url, response, deadline, also_accept, wanted)
                    return FetchedPage(page.url, page.data, page.media_type, page.charset, response.status_code, etag, modified)
            raise FetchError(url, f"more than {policy.max_redirects} redirects")
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {policy.timeout:g} s") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"not a valid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"could not fetch ({_describe(exc)})") from None
        except (ValueError, UnicodeError) as exc:  # malformed hosts and ports
            raise FetchError(url, f"not a valid URL ({exc})") from None

    def _check_url(self, original: str, url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (raises on a malformed port)
        except ValueError as exc:
            raise FetchError(original, f"not a valid URL ({exc})") from None
        problem = web_url_problem(parts)
        if problem:
            raise FetchError(original, problem)
        if not self.policy.allow_private:
            # Checked before each hop. A host that resolves differently at connect time (DNS
            # rebinding) could still slip through; the web app runs this guard as a first line only.
            blocked = _private_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
            if blocked:
                # the address itself is named only when the URL gave it: a name's private address is not shown
                shown = f" ({blocked})" if _is_private_literal(parts.hostname) else f" ({parts.hostname} resolves to one)"
                raise FetchError(original, f"refusing to fetch a private or local address{shown}")

    def _read(self, url: str, response: httpx.Response, deadline: float, also_accept: frozenset[str], wanted: str) -> FetchedPage:
        policy = self.policy
        if response.status_code >= 300:
            raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        media_type, charset = _content_type(response.headers.get("content-type"))
        if media_type and media_type not in MEDIA_KINDS and not media_type.endswith("+xml") and media_type not in also_accept:
            raise FetchError(url, f"the server sent {media_type}, not {wanted}")
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


def web_url_problem(parts: SplitResult) -> str | None:
    """Why a URL (as `urlsplit` gives it) is no web address, or None when it is one: an http or
    https URL with a host. The one rule for it: the fetcher checks each hop by it, and the web app
    the URLs its users give (`serve/_api.py` `check_urls`) before any job starts."""
    if parts.scheme not in ("http", "https"):
        return f"only http and https URLs can be fetched, not {parts.scheme or 'this'}"
    if not parts.hostname:
        return "the URL has no host"
    return None


def public_only_transport() -> httpx.BaseTransport:
    """An httpx transport that resolves each host once, refuses it unless every address it has is
    public, and connects to the very address it checked. `Fetcher._check_url` looks a host up
    before each hop, but a server answering DNS can give a public address to that lookup and a
    loopback one to the connection's own (DNS rebinding); here there is no second lookup. The web
    app fetches through this for its users (`Fetcher(policy, transport=public_only_transport())`)."""
    import httpcore
    import httpx

    class _PublicOnly(httpx.HTTPTransport):
        def __init__(self) -> None:
            super().__init__()
            # httpx builds its connection pool without a way to pass the network backend; the
            # pool is rebuilt with ours (httpx and httpcore are pinned, so this stays true).
            self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=PublicOnlyBackend())

    return _PublicOnly()


class PublicOnlyBackend:
    """An httpcore network backend whose TCP connections go only to vetted public addresses (see
    `public_only_transport`); TLS still checks the certificate against the host name."""

    def __init__(self, inner=None) -> None:
        import httpcore

        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options=None):
        return self._inner.connect_tcp(vetted_address(host, port), port, timeout=timeout, local_address=local_address, socket_options=socket_options)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        import httpcore

        raise httpcore.ConnectError("refusing to connect to a local socket")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def vetted_address(host: str, port: int) -> str:
    """The address to connect to for `host`: its first, looked up once, provided that none of its
    addresses is private, loopback, link-local or otherwise not global. Raises httpcore.ConnectError."""
    import httpcore

    host = host.strip("[]")
    if _is_local_name(host):
        raise httpcore.ConnectError(f"refusing to connect to a private or local address ({host})")
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise httpcore.ConnectError(f"cannot look up {host} ({exc})") from None
    addresses = _addresses(infos)
    if _first_not_public(addresses) is not None:
        # the host's name only: the private address it resolves to is no business of a web user
        raise httpcore.ConnectError(f"refusing to connect to {host}: it resolves to a private or local address")
    if not addresses:
        raise httpcore.ConnectError(f"cannot look up {host}")
    return addresses[0]


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


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


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known prefix: the last 32 bits are an IPv4 address
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use translation: a private network's
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated "::a.b.c.d"


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is one on the public internet, IPv4 addresses carried inside IPv6 ones
    (mapped, NAT64, 6to4, Teredo, compatible) judged by the IPv4 address they reach: Python's
    `is_global` alone calls "64:ff9b::a9fe:a9fe" (169.254.169.254 through NAT64) global."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local or address in _NAT64_LOCAL:
            return False
        inner = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        if address in _NAT64 or address in _IPV4_COMPATIBLE:
            inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(is_public(v4) for v4 in inner if v4 is not None)
    return True


def _is_local_name(host: str) -> bool:
    """Whether a host name is one of this machine's own ("localhost", "*.localhost")."""
    return host.lower() == "localhost" or host.lower().endswith(".localhost")


def _addresses(infos) -> list[str]:
    """The addresses of `socket.getaddrinfo` answers, without an IPv6 zone ("%eth0")."""
    return [info[4][0].split("%")[0] for info in infos]


def _first_not_public(addresses: list[str]) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The first of the addresses that is not public (`is_public`), or None if all are."""
    for text in addresses:
        address = ipaddress.ip_address(text)
        if not is_public(address):
            return address
    return None


def _is_private_literal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return _is_local_name(host)
    return not is_public(address)


def _private_address(host: str, port: int) -> str | None:
    """The first non-public address the host resolves to, or None if all are public."""
    if _is_private_literal(host):
        return host
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        return None  # let the request itself report the lookup failure or the malformed name
    found = _first_not_public(_addresses(infos))
    return None if found is None else str(found)
