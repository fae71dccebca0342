"""Guarded URL fetching (httpx): the only way counterclaim reaches the network for input.

Guarantees, each configurable through :class:`~counterclaim._settings.Settings`:

* only ``http`` and ``https``;
* one overall time budget (``fetch_timeout``) for connect, every redirect and the body;
* the body is streamed and cut off at ``fetch_max_bytes`` (after content decoding, so a
  compression bomb is cut off too);
* at most ``fetch_max_redirects`` redirects, followed by hand so that every hop is checked;
* a clear ``User-Agent``;
* an SSRF guard: unless ``allow_private`` is set, a host is resolved with
  ``getaddrinfo`` and refused when ANY of its addresses is loopback, private, link-local,
  shared, reserved, multicast or unspecified. The connection is then opened to one of
  the addresses just checked (the transport's network backend does the check and the
  connect in one step), so DNS rebinding between check and connect cannot slip through.
  Environment proxies are ignored for the same reason.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .._settings import Settings, get_settings
from ..errors import FetchError, PrivateAddressError

__all__ = ["Fetched", "fetch", "check_host", "address_is_public", "system_resolver", "Resolver"]

#: ``resolver(host, port) -> [ip, ...]``: how host names become addresses (injectable for tests).
Resolver = Callable[[str, int], list[str]]
#: ``address_allowed(ip) -> bool``: the address policy when the guard is on (injectable for tests).
AddressPolicy = Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], bool]

_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,"
           "text/plain;q=0.8,text/markdown;q=0.8,application/x-ndjson;q=0.5,*/*;q=0.1")


@dataclass
class Fetched:
    """A fetched URL: where it was asked for, where it ended, its type and body."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    data: bytes
    redirects: list[str] = field(default_factory=list)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``getaddrinfo`` gives for ``host`` (IPv4 and IPv6), in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        ip = str(info[4][0]).split("%", 1)[0]
        if ip not in out:
            out.append(ip)
    return out


def address_is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is a public unicast address (the default policy of the guard)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    return bool(ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                      or ip.is_reserved or ip.is_unspecified))


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    for attr, name in (("is_loopback", "loopback"), ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                       ("is_unspecified", "unspecified"), ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(ip, attr, False):
            return name
    return "non-public"


def check_host(host: str, port: int, *, allow_private: bool = False, resolver: Resolver | None = None,
               address_allowed: AddressPolicy | None = None) -> list[str]:
    """Resolve ``host`` and return its addresses, refusing non-public ones.

    IP literals are not resolved. With the guard on, every address must pass the policy
    (:func:`address_is_public` by default) or :class:`PrivateAddressError` is raised, so
    a name that resolves to one public and one private address is refused too.
    """
    host = host.strip("[]")
    try:
        ips = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            ips = (resolver or system_resolver)(host, port)
        except (OSError, UnicodeError) as err:
            raise FetchError(f"cannot resolve host {host!r}: {getattr(err, 'strerror', None) or err}") from None
        if not ips:
            raise FetchError(f"cannot resolve host {host!r}")
    if allow_private:
        return ips
    policy = address_allowed or address_is_public
    for ip_s in ips:
        try:
            ip = ipaddress.ip_address(ip_s)
        except ValueError:
            raise PrivateAddressError(f"host {host!r} resolves to {ip_s!r}, not an IP address; refused") from None
        if not policy(ip):
            where = f"{host!r} resolves to {ip}" if ip_s != host else f"{ip}"
            raise PrivateAddressError(f"{where}, a {_kind(ip)} address; refused (allow with --allow-private)")
    return ips


def _open_tcp(ip: str, port: int, timeout: float | None, local_address: str | None,
              socket_options: Iterable | None) -> httpcore.NetworkStream:
    """Open a TCP connection to an already checked address (one place, so tests can watch it)."""
    return httpcore.SyncBackend().connect_tcp(ip, port, timeout=timeout, local_address=local_address,
                                              socket_options=socket_options)


class _GuardedBackend(httpcore.NetworkBackend):
    """Network backend that checks a host's addresses and connects only to those."""

    def __init__(self, guard: Callable[[str, int], list[str]]):
        self._guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in self._guard(host, port):
            try:
                return _open_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                last = err
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise PrivateAddressError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx transport whose connection pool opens connections through :class:`_GuardedBackend`."""

    def __init__(self, guard: Callable[[str, int], list[str]]):
        super().__init__(trust_env=False)
        ssl_context = httpx.create_ssl_context(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, max_connections=4,
                                             network_backend=_GuardedBackend(guard))


def _short(err: BaseException) -> str:
    msg = " ".join(str(err).split())
    for noise in ("[Errno 111] ", "[Errno 110] ", "[Errno 113] ", "[Errno 101] "):
        msg = msg.replace(noise, "")
    return msg[:160] or type(err).__name__


def _split(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise FetchError(f"invalid URL: {err}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {scheme + ':' if scheme else '(none)'}; only http and https")
    if not parts.hostname:
        raise FetchError("URL has no host")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def fetch(url: str, *, settings: Settings | None = None, resolver: Resolver | None = None,
          address_allowed: AddressPolicy | None = None) -> Fetched:
    """Fetch ``url`` under the guarantees of this module; raise :class:`FetchError` on failure.

    HTTP error statuses, refused connections, timeouts, too many redirects and oversize
    bodies all raise :class:`FetchError` (or :class:`PrivateAddressError`) with a short
    reason and ``source`` set to ``url``. ``resolver`` and ``address_allowed`` exist for
    tests (a fake DNS, a policy that treats a local test server as public).
    """
    settings = settings or get_settings()
    try:
        return _fetch(url, settings, resolver, address_allowed)
    except FetchError as err:
        if err.source is None:
            err.source = url
        raise


def _fetch(url: str, settings: Settings, resolver: Resolver | None,
           address_allowed: AddressPolicy | None) -> Fetched:
    budget = float(settings.fetch_timeout)
    deadline = time.monotonic() + budget

    def guard(host: str, port: int) -> list[str]:
        return check_host(host, port, allow_private=settings.allow_private, resolver=resolver,
                          address_allowed=address_allowed)

    redirects: list[str] = []
    current = url
    headers = {"User-Agent": settings.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    with httpx.Client(transport=_GuardedTransport(guard), timeout=httpx.Timeout(budget), follow_redirects=False,
                      headers=headers, trust_env=False) as client:
        for _hop in range(int(settings.fetch_max_redirects) + 1):
            _scheme, host, port = _split(current)
            try:
                guard(host, port)  # refuse before any connection, with a clear reason
            except PrivateAddressError as err:
                if redirects:
                    raise PrivateAddressError(f"redirect to {current} refused: {err}") from None
                raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"timed out after {budget:g} s")
            try:
                with client.stream("GET", current, timeout=httpx.Timeout(remaining)) as resp:
                    if resp.status_code in _REDIRECTS and resp.headers.get("location"):
                        current = urljoin(current, resp.headers["location"].strip())
                        redirects.append(current)
                        continue
                    if resp.status_code >= 400:
                        reason = resp.reason_phrase or ""
                        raise FetchError(f"HTTP {resp.status_code} {reason}".strip())
                    limit = int(settings.fetch_max_bytes)
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise FetchError(f"response is {int(declared)} bytes, over the {limit}-byte limit")
                    chunks: list[bytes] = []
                    total = 0
                    for chunk in resp.iter_bytes():
                        total += len(chunk)
                        if total > limit:
                            raise FetchError(f"response is over the {limit}-byte limit")
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out after {budget:g} s")
                        chunks.append(chunk)
                    ctype = resp.headers.get("content-type", "")
                    return Fetched(url=url, final_url=str(resp.url), status=resp.status_code,
                                   content_type=ctype.split(";", 1)[0].strip().lower(), charset=resp.charset_encoding,
                                   data=b"".join(chunks), redirects=redirects)
            except PrivateAddressError as err:
                if redirects and "redirect" not in str(err):
                    raise PrivateAddressError(f"redirect to {current} refused: {err}") from None
                raise
            except FetchError:
                raise
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {budget:g} s") from None
            except httpx.ConnectError as err:
                raise FetchError(f"cannot connect: {_short(err)}") from None
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects") from None
            except (httpx.HTTPError, httpx.InvalidURL, httpcore.ProtocolError, OSError) as err:
                raise FetchError(f"{type(err).__name__}: {_short(err)}") from None
        raise FetchError(f"more than {settings.fetch_max_redirects} redirects")
