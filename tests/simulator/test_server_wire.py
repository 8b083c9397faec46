"""`simulator serve` against hostile and sloppy clients, over real loopback sockets: request
framing, disconnects, slow clients, a full accept queue, forged Host headers, methods."""

from __future__ import annotations

import json
import select
import socket
import struct
import threading
import time
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from reconciler.simulator import Simulator
from reconciler.simulator.server import LISTEN_BACKLOG, ServerHandle, listen, start

from .conftest import HEADERS, TOKEN

SEATS = "/orgs/octo-org/copilot/billing/seats"
USERS = "/orgs/octo-org/copilot/billing/selected_users"


@pytest.fixture
def served(sim: Simulator) -> Iterator[ServerHandle]:
    with start(sim) as handle:
        yield handle


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def _exchange(url: str, head: str, body: bytes = b"") -> tuple[HTTPResponse, bool]:
    """Send raw bytes; the parsed answer and whether the server closed the connection after
    it (the connection is kept alive otherwise: a second answer follows a second request)."""
    with _connect(url) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + body)
        answer = HTTPResponse(sock)
        answer.begin()
        answer.read()
        try:
            sock.sendall(_request("GET", "/user").replace("\n", "\r\n").encode())
            closed = sock.recv(1) == b""
        except (BrokenPipeError, ConnectionResetError):
            closed = True
    return answer, closed


def _request(method: str, path: str, extra: str = "") -> str:
    return (
        f"{method} {path} HTTP/1.1\nHost: x\nAuthorization: Bearer {TOKEN}\n"
        f"X-GitHub-Api-Version: 2022-11-28\n{extra}\n"
    )


@pytest.mark.parametrize("length", ["abc", "-5", "+5", "5_0", "1e3"])
def test_a_malformed_content_length_is_400_and_the_connection_closes(
    served: ServerHandle, length: str
) -> None:
    head = _request("POST", USERS, f"Content-Length: {length}\n")
    answer, closed = _exchange(served.url, head, b'{"selected_usernames": ["bob"]}')
    assert answer.status == 400
    assert closed


@pytest.mark.parametrize(
    ("framing", "body"),
    [
        (f"Content-Length: {10**12}", b""),
        ("Content-Length: " + "9" * 5000, b""),  # beyond what int() parses from text
        ("Transfer-Encoding: chunked", b"f" * 40 + b"\r\n"),
    ],
)
def test_a_body_larger_than_the_limit_is_413_without_reading_it(
    served: ServerHandle, framing: str, body: bytes
) -> None:
    answer, closed = _exchange(
        served.url, _request("PUT", "/_simulator/world", framing + "\n"), body
    )
    assert (answer.status, closed) == (413, True)


def test_a_chunked_body_is_read_as_github_does(served: ServerHandle) -> None:
    def body() -> Iterator[bytes]:  # a generator: httpx sends it chunked
        yield b'{"selected_usernames": '
        yield b'["octo-admin"]}'

    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        answer = client.post(USERS, content=body())
        assert answer.request.headers["transfer-encoding"] == "chunked"
        assert (answer.status_code, answer.json()) == (201, {"seats_created": 1})


def test_chunk_extensions_and_trailers_are_accepted_on_a_kept_alive_connection(
    served: ServerHandle,
) -> None:
    chunked = b"e;name=value\r\n" + b'{"selected_use' + b"\r\n"
    chunked += b"11\r\n" + b'rnames":["dave"]}' + b"\r\n0\r\nX-Trailer: 1\r\n\r\n"
    head = _request("POST", USERS, "Transfer-Encoding: chunked\n")
    with _connect(served.url) as sock:
        # The framing ends where it should: the connection carries a second request.
        for created in (1, 0):  # dave's pending seat is reactivated, then already active
            sock.sendall(head.replace("\n", "\r\n").encode() + chunked)
            answer = HTTPResponse(sock)
            answer.begin()
            assert answer.status == 201
            assert json.loads(answer.read()) == {"seats_created": created}


@pytest.mark.parametrize(
    ("coding", "body", "status"),
    [
        ("chunked", b"zz\r\n{}\r\n0\r\n\r\n", 400),
        ("chunked", b"-1\r\n{}\r\n0\r\n\r\n", 400),
        ("chunked", b"2\r\n{}XX0\r\n\r\n", 400),
        ("gzip, chunked", b"0\r\n\r\n", 501),
    ],
)
def test_a_bad_chunked_body_or_another_coding_is_refused_and_closes(
    served: ServerHandle, coding: str, body: bytes, status: int
) -> None:
    head = _request(
        "PUT", "/orgs/octo-org/copilot/content_exclusion", f"Transfer-Encoding: {coding}\n"
    )
    answer, closed = _exchange(served.url, head, body)
    assert (answer.status, closed) == (status, True)


def test_a_client_that_hangs_up_is_no_traceback(
    sim: Simulator, capfd: pytest.CaptureFixture[str]
) -> None:
    lines: list[str] = []
    went_away = threading.Event()

    def log(line: str) -> None:
        lines.append(line)
        if "went away" in line:
            went_away.set()

    sim.set_faults(latency_ms=200)  # the answer is written after the client is gone
    handle = start(sim, log=log)
    with _connect(handle.url) as sock:
        sock.sendall(_request("GET", SEATS).replace("\n", "\r\n").encode())
        # Close with a reset, as a killed client does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    went_away.wait(10)  # bounds the wait; what matters is what was printed meanwhile
    handle.stop()  # joins the connection's thread
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert "ConnectionResetError" not in err
    assert went_away.is_set(), lines  # and the -v log says what happened


def test_a_silent_connection_is_closed_after_the_idle_timeout(sim: Simulator) -> None:
    with start(sim, idle_timeout=0.2) as handle, _connect(handle.url) as sock:
        assert sock.recv(1) == b""  # closed by the server; the socket's own timeout is 10 s


def test_headers_sent_a_byte_at_a_time_cannot_hold_a_thread(sim: Simulator) -> None:
    lines: list[str] = []
    with (
        start(sim, header_timeout=0.3, idle_timeout=5, log=lines.append) as handle,
        _connect(handle.url) as sock,
    ):
        sock.sendall(b"GET /user HTTP/1.1\r\n")
        closed = False
        for _ in range(400):  # 400 header lines, 50 ms apart: each read is far inside idle
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                closed = sock.recv(1024) == b""
                break
        assert closed
    assert any("Request timed out" in line for line in lines), lines  # said under -v


def _somaxconn() -> int:
    """The kernel's cap on any listen backlog (Linux), else a common default."""
    try:
        return int(Path("/proc/sys/net/core/somaxconn").read_text())
    except (OSError, ValueError):
        return 128


def _accept_queue(server: socket.socket) -> tuple[int, int]:
    """(connections waiting to be accepted, the backlog) of a listening socket: Linux reports
    them in TCP_INFO's unacked and sacked fields for a socket in the LISTEN state."""
    info = server.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    unacked, sacked = struct.unpack_from("8B6I", info)[12:14]
    return unacked, sacked


@pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="TCP_INFO is Linux's")
def test_the_listen_backlog_holds_a_load_tests_connections(sim: Simulator) -> None:
    server = listen(sim)  # bound and listening, but accepting nothing
    host, port = server.server_address[:2]
    wanted = min(200, _somaxconn())
    assert _accept_queue(server.socket)[1] == min(LISTEN_BACKLOG, _somaxconn())
    clients = [socket.socket() for _ in range(wanted)]
    try:
        for client in clients:
            client.setblocking(False)
            client.connect_ex((host, port))
        # The kernel queues every one of them: counted, not timed. Beyond the backlog a
        # connection would wait for SYN retransmits instead, and the count would stop there;
        # the loop's bound only keeps such a failure from hanging the run.
        for _ in range(500):
            if _accept_queue(server.socket)[0] == wanted:
                break
            time.sleep(0.01)
        assert _accept_queue(server.socket)[0] == wanted
    finally:
        for client in clients:
            client.close()
        server.server_close()


def test_links_use_the_servers_own_url_not_the_host_header(served: ServerHandle) -> None:
    with httpx.Client(base_url=served.url, headers={**HEADERS, "Host": "evil.example"}) as client:
        answer = client.get(SEATS, params={"per_page": 1})
    assert answer.links["next"]["url"].startswith(f"{served.url}{SEATS}?")
    assert "evil.example" not in answer.text + answer.headers["link"]


def test_links_use_the_public_url_when_a_proxy_fronts_the_server(sim: Simulator) -> None:
    public = "https://copilot-sim.example.com/api"
    with (
        start(sim, public_url=public + "/") as handle,
        httpx.Client(base_url=handle.url, headers=HEADERS) as client,
    ):
        seats = client.get(SEATS, params={"per_page": 1})
        report = client.get("/orgs/octo-org/copilot/metrics/reports/users-28-day/latest")
    assert seats.links["next"]["url"].startswith(f"{public}{SEATS}?")
    assert report.json()["download_links"][0].startswith(f"{public}/_simulator/reports/")


def test_injected_5xx_carry_the_standard_reason_phrases(
    sim: Simulator, served: ServerHandle
) -> None:
    sim.set_faults(error_rate=1.0, seed=1)
    seen: dict[int, tuple[str, str]] = {}
    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        for _ in range(100):
            answer = client.get("/orgs/octo-org/copilot/billing")
            seen[answer.status_code] = (answer.reason_phrase, answer.json()["message"])
            if len(seen) == 4:
                break
    assert seen == {
        500: ("Internal Server Error", "Server Error"),  # GitHub's documented body
        502: ("Bad Gateway", "Bad Gateway"),
        503: ("Service Unavailable", "Service Unavailable"),
        504: ("Gateway Timeout", "Gateway Timeout"),
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/orgs/octo-org/copilot/billing"), ("Get", "/user"), ("post", USERS)],
)
def test_methods_are_case_sensitive(served: ServerHandle, method: str, path: str) -> None:
    answer, closed = _exchange(served.url, _request(method, path, "Content-Length: 0\n"))
    assert (answer.status, closed) == (404, False)


def test_a_lowercase_method_does_not_reach_the_control_api(served: ServerHandle) -> None:
    answer, _ = _exchange(served.url, _request("get", "/_simulator/stats"))
    assert answer.status == 404
