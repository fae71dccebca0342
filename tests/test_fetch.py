"""Guarded URL fetching: limits, redirects, error reasons and the private-address guard."""
from __future__ import annotations

import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from counterclaim._settings import get_settings
from counterclaim.errors import FetchError, PrivateAddressError
from counterclaim.ingest import _fetch, read_sources
from counterclaim.ingest._fetch import address_is_public, check_host, fetch
from counterclaim.records import RawDoc

PAGE = (b"<html><head><title>Night shelling</title></head><body><article>"
        b"<p>Officials said on Thursday that shelling had damaged a bridge and two schools overnight.</p>"
        b"</article></body></html>")
FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Local Feed</title>'
        b"<item><title>Night shelling</title><link>{base}/page</link><description>short</description></item>"
        b"<item><title>Gone</title><link>{base}/missing</link><description>short</description></item>"
        b"</channel></rss>")


class _Handler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []
    target: dict[str, str] = {}

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        type(self).seen_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path
        if path == "/page":
            self._send(200, PAGE)
        elif path == "/text":
            self._send(200, b"Plain words about a ceasefire that held for a whole day, officials said.\n",
                       "text/plain; charset=utf-8")
        elif path == "/feed":
            self._send(200, FEED.replace(b"{base}", base.encode()), "application/rss+xml")
        elif path == "/redirect":
            self._send(302, Location="/page")
        elif path == "/redirect-abs":
            self._send(301, Location=f"{base}/page")
        elif path == "/loop":
            self._send(302, Location="/loop")
        elif path == "/to-target":
            self._send(302, Location=type(self).target["url"])
        elif path == "/big":
            self._send(200, b"<p>" + b"x" * 50_000 + b"</p>")
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<p>" + b"y" * 5_000 + b"</p>")
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(30):
                    self.wfile.write(b"z" * 10)
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/500":
            self._send(500, b"oops")
        else:
            self._send(404, b"not here")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def local():
    """Settings that allow the local test server."""
    return get_settings(env={}, allow_private=True, fetch_timeout=5.0)


@pytest.fixture
def guarded():
    return get_settings(env={}, allow_private=False, fetch_timeout=5.0)


@pytest.fixture
def no_connect(monkeypatch):
    """Fail the test if the fetcher opens any TCP connection."""
    calls: list[tuple[str, int]] = []

    def _refuse(ip, port, *a, **k):
        calls.append((ip, port))
        raise AssertionError(f"connection attempted to {ip}:{port}")

    monkeypatch.setattr(_fetch, "_open_tcp", _refuse)
    return calls


def test_fetch_page_with_user_agent(server, local):
    got = fetch(f"{server}/page", settings=local)
    assert got.status == 200 and got.data == PAGE
    assert got.content_type == "text/html" and got.charset == "utf-8"
    assert _Handler.seen_agents[-1] == local.user_agent


def test_redirects_are_followed_and_recorded(server, local):
    got = fetch(f"{server}/redirect", settings=local)
    assert got.data == PAGE and got.final_url.endswith("/page") and len(got.redirects) == 1
    assert fetch(f"{server}/redirect-abs", settings=local).data == PAGE


def test_redirect_cap(server, local):
    with pytest.raises(FetchError, match="redirects"):
        fetch(f"{server}/loop", settings=local.with_overrides(fetch_max_redirects=3))


@pytest.mark.parametrize("path,reason", [("/missing", "HTTP 404"), ("/500", "HTTP 500")])
def test_http_errors_give_short_reason(server, local, path, reason):
    with pytest.raises(FetchError) as info:
        fetch(f"{server}{path}", settings=local)
    assert reason in str(info.value)
    assert info.value.one_line().startswith(f"{server}{path}: ")


def test_size_cap_by_header_and_by_stream(server, local):
    small = local.with_overrides(fetch_max_bytes=10_000)
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/big", settings=small)
    with pytest.raises(FetchError, match="limit"):
        fetch(f"{server}/big-chunked", settings=small)


def test_overall_timeout(server, local):
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/slow", settings=local.with_overrides(fetch_timeout=1.0))


def test_connection_refused_is_a_fetch_error(local):
    with pytest.raises(FetchError, match="cannot connect") as info:
        fetch("http://127.0.0.1:9/x", settings=local)
    assert not isinstance(info.value, PrivateAddressError)


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "gopher://x/"])
def test_only_http_and_https(url, local, no_connect):
    with pytest.raises(FetchError, match="scheme"):
        fetch(url, settings=local)
    assert no_connect == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/", "http://10.0.0.1/", "http://[::1]/",
                                 "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/",
                                 "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://224.0.0.1/"])
def test_private_addresses_refused_without_connecting(url, guarded, no_connect):
    with pytest.raises(PrivateAddressError) as info:
        fetch(url, settings=guarded)
    assert no_connect == []
    assert "refused" in info.value.one_line() and info.value.source == url


def test_name_resolving_to_private_address_is_refused(guarded, no_connect):
    def fake_dns(host: str, port: int) -> list[str]:
        return {"evil.test": ["93.184.216.34", "10.1.2.3"]}[host]

    with pytest.raises(PrivateAddressError, match="10.1.2.3"):
        fetch("http://evil.test/", settings=guarded, resolver=fake_dns)
    assert no_connect == []


def test_public_address_passes_the_policy():
    assert address_is_public(ipaddress.ip_address("93.184.216.34"))
    for ip in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1", "::1",
               "fe80::1", "fc00::1", "::ffff:10.0.0.1", "240.0.0.1", "0.0.0.0", "2002:0a00:0001::1"):
        assert not address_is_public(ipaddress.ip_address(ip)), ip
    assert check_host("127.0.0.1", 80, allow_private=True) == ["127.0.0.1"]


def test_redirect_to_private_address_is_refused_per_hop(server, guarded):
    """The first hop goes to a server the (test) policy treats as public; its redirect
    to a private address must be refused before any connection is made to it."""
    port = int(server.rsplit(":", 1)[1])
    only_test_server = lambda ip: str(ip) == "127.0.0.1"  # noqa: E731 - the test server stands in for the internet
    connects: list[str] = []
    real_open = _fetch._open_tcp

    def watch(ip, p, *a, **k):
        connects.append(ip)
        return real_open(ip, p, *a, **k)

    mp = pytest.MonkeyPatch()
    mp.setattr(_fetch, "_open_tcp", watch)
    try:
        _Handler.target["url"] = "http://internal.test/admin"
        with pytest.raises(PrivateAddressError, match="redirect to http://internal.test/admin refused"):
            fetch(f"{server}/to-target", settings=guarded, address_allowed=only_test_server,
                  resolver=lambda host, p: {"internal.test": ["10.0.0.7"]}[host])
        # a name with one allowed and one refused address is refused as a whole
        _Handler.target["url"] = f"http://localhost:{port}/page"
        with pytest.raises(PrivateAddressError):
            fetch(f"{server}/to-target", settings=guarded, address_allowed=only_test_server,
                  resolver=lambda host, p: ["127.0.0.1", "::1"])
        # and the same redirect is followed when the policy allows the target
        got = fetch(f"{server}/to-target", settings=guarded, address_allowed=only_test_server,
                    resolver=lambda host, p: ["127.0.0.1"])
        assert got.data == PAGE
    finally:
        mp.undo()
    assert connects and set(connects) == {"127.0.0.1"}


def test_connection_pins_the_checked_address(server, guarded):
    """DNS rebinding: the transport connects only to addresses it has just checked, so a
    resolver that answers public first and private second can never get a private connect."""
    port = int(server.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"], ["127.0.0.9"], ["127.0.0.9"]])

    def flipping_dns(host: str, p: int) -> list[str]:
        return next(answers)

    allowed = lambda ip: str(ip) == "127.0.0.1"  # noqa: E731
    with pytest.raises(PrivateAddressError):
        fetch(f"http://rebind.test:{port}/page", settings=guarded, resolver=flipping_dns, address_allowed=allowed)


def test_read_sources_fetches_urls_and_feeds(server, local):
    items = list(read_sources([f"{server}/page", f"{server}/text", f"{server}/missing"], settings=local))
    assert [type(x).__name__ for x in items] == ["RawDoc", "RawDoc", "FetchError"]
    page, text, err = items
    assert isinstance(page, RawDoc) and page.doc == f"{server}/page" and page.format == "html"
    assert page.hints["url"] == f"{server}/page"
    assert text.format == "text"
    assert err.source == f"{server}/missing" and "404" in err.one_line()


def test_feed_follow_fetches_linked_pages(server, local):
    plain = list(read_sources([f"{server}/feed"], settings=local))
    assert [x.data for x in plain if isinstance(x, RawDoc)] == [b"short", b"short"]
    followed = list(read_sources([f"{server}/feed"], follow=True, settings=local))
    assert isinstance(followed[0], RawDoc) and followed[0].data == PAGE
    assert followed[0].hints["title"] == "Night shelling" and followed[0].hints["outlet"] == "Local Feed"
    assert isinstance(followed[1], FetchError) and followed[1].source.endswith("/missing")


def test_unreachable_url_is_yielded_not_raised(local):
    items = list(read_sources(["http://127.0.0.1:9/x"], settings=local))
    assert len(items) == 1 and isinstance(items[0], FetchError)
    assert items[0].one_line().startswith("http://127.0.0.1:9/x: cannot connect")
    guarded_items = list(read_sources(["http://127.0.0.1:9/x"], settings=local.with_overrides(allow_private=False)))
    assert isinstance(guarded_items[0], PrivateAddressError)
