"""The http.client transport behind the requester, against scripted loopback servers: reuse
of keep-alive connections, servers that close them, answers cut off or not HTTP at all,
timeouts, TLS, and the httpx exception classes the retry policy reads."""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import trustme

from reconciler.github.replies import unresolvable
from reconciler.github.transport import HTTP11Transport

# One exchange: the request's bytes in, the raw answer out (None: close without answering).
Script = Callable[[int, bytes], bytes | None]


def ok(body: bytes = b"{}", *extra: str) -> bytes:
    head = "".join(f"{line}\r\n" for line in extra)
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{head}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


@dataclass
class ScriptedServer:
    """A loopback HTTP/1.1 server answering each request as ``script`` says; it counts the
    connections it accepted and keeps every request it read."""

    script: Script
    tls: ssl.SSLContext | None = None
    close_after_answer: bool = False  # close silently once each answer is sent
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self.closed = threading.Semaphore(0)  # released as each connection is closed
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/") -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            stream = sock.makefile("rb")
            while (request := _read_request(stream)) is not None:
                with self._lock:
                    index = len(self.requests)
                    self.requests.append(request)
                answer = self.script(index, request)
                if answer is None:
                    break
                sock.sendall(answer)
                if self.close_after_answer:
                    break
        except (OSError, ssl.SSLError):
            pass
        finally:
            sock.close()
            self.closed.release()


def _read_request(stream: object) -> bytes | None:
    readline = stream.readline  # type: ignore[attr-defined]
    head = b""
    while (line := readline()) not in (b"\r\n", b""):
        head += line
    if not head:
        return None
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body: bytes = stream.read(length) if length else b""  # type: ignore[attr-defined]
    return head + b"\r\n" + body


@pytest.fixture
def serve() -> Iterator[Callable[..., ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(script: Script, **options: object) -> ScriptedServer:
        server = ScriptedServer(script, **options)  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def transport() -> Iterator[HTTP11Transport]:
    with HTTP11Transport(max_idle=4) as instance:
        yield instance


def send(
    transport: httpx.BaseTransport,
    url: str,
    *,
    method: str = "GET",
    timeout: float = 5.0,
    **options: object,
) -> httpx.Response:
    client = httpx.Client(timeout=timeout)  # only builds requests: nothing is sent through it
    request = client.build_request(method, url, **options)  # type: ignore[arg-type]
    response = transport.handle_request(request)
    response.read()
    return response


def test_answers_come_back_whole_with_status_headers_and_body(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    body = b'{"total_seats": 1}'
    link = 'Link: <https://x/?page=2>; rel="next"'
    server = serve(lambda i, _: ok(body, link, "Vary: a", "Vary: b"))

    response = send(transport, server.url("/orgs/o/copilot/billing/seats?page=1"))

    assert (response.status_code, response.reason_phrase, response.content) == (200, "OK", body)
    assert response.http_version == "HTTP/1.1"
    assert response.headers["link"] == '<https://x/?page=2>; rel="next"'
    assert response.headers.get_list("vary") == ["a", "b"]
    assert server.requests[0].startswith(b"GET /orgs/o/copilot/billing/seats?page=1 HTTP/1.1\r\n")


def test_the_request_carries_httpxs_headers_once_and_its_body(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    server = serve(lambda i, _: ok())

    send(transport, server.url("/x"), method="POST", json={"selected_usernames": ["a"]},
         headers={"Authorization": "Bearer t0k"})  # fmt: skip

    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.lower().split(b"\r\n")
    assert sum(line.startswith(b"host:") for line in lines) == 1
    assert sum(line.startswith(b"accept-encoding:") for line in lines) == 1
    assert b"authorization: bearer t0k" in lines
    assert body == b'{"selected_usernames":["a"]}'


def test_keep_alive_connections_are_reused(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    server = serve(lambda i, _: ok())

    for _ in range(5):
        assert send(transport, server.url()).status_code == 200

    assert (len(server.requests), server.connections) == (5, 1)


def test_an_answer_that_says_close_is_not_reused(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    server = serve(lambda i, _: ok(b"{}", "Connection: close"), close_after_answer=True)

    for _ in range(3):
        assert send(transport, server.url()).status_code == 200

    assert server.connections == 3


def test_a_connection_the_server_closed_while_idle_is_not_sent_on(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    server = serve(lambda i, _: ok(), close_after_answer=True)  # no "Connection: close"

    for _ in range(3):
        send(transport, server.url())
        assert server.closed.acquire(timeout=5)  # the FIN is in this side's socket
        # A POST is never sent twice: it succeeds only if the closed connection was skipped.
        send(transport, server.url(), method="POST", json={})
        assert server.closed.acquire(timeout=5)

    assert (len(server.requests), server.connections) == (6, 6)


def test_a_reused_connection_dropped_as_a_get_goes_out_is_retried_once_on_a_new_one(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    # The server answers the first request, then drops the connection on reading the second
    # without answering (a keep-alive timeout racing the request).
    server = serve(lambda i, _: ok() if i != 1 else None)

    send(transport, server.url())
    response = send(transport, server.url())

    assert response.status_code == 200
    assert (len(server.requests), server.connections) == (3, 2)


@pytest.mark.parametrize("method", ["POST", "DELETE", "PUT"])
def test_a_write_on_a_dropped_connection_is_not_sent_twice(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport, method: str
) -> None:
    server = serve(lambda i, _: ok() if i != 1 else None)
    send(transport, server.url())

    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending"):
        send(transport, server.url(), method=method, json={})

    assert len(server.requests) == 2  # the write went out once; the requester decides the rest


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (None, "Server disconnected without sending a response"),
        (b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"cut', "5 bytes read, 95 more expected"),
        (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", "BadStatusLine"),
        (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 101 + b"\r\n", "got more than 100 headers"),
    ],
)
def test_an_answer_cut_off_or_not_http_is_a_remote_protocol_error(
    serve: Callable[..., ScriptedServer],
    transport: HTTP11Transport,
    answer: bytes | None,
    message: str,
) -> None:
    server = serve(lambda i, _: answer, close_after_answer=True)

    with pytest.raises(httpx.RemoteProtocolError, match=message):
        send(transport, server.url())


def test_chunked_and_gzip_answers_are_decoded(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    packed = gzip.compress(b'{"seats": []}')
    chunked = (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(packed[:7]):x}\r\n".encode() + packed[:7] + b"\r\n"
        + f"{len(packed[7:]):x}\r\n".encode() + packed[7:] + b"\r\n0\r\n\r\n"
    )  # fmt: skip
    server = serve(lambda i, _: chunked)

    assert send(transport, server.url()).json() == {"seats": []}
    assert send(transport, server.url()).json() == {"seats": []}
    assert server.connections == 1


def test_an_http_1_0_answer_ends_with_the_connection(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    server = serve(lambda i, _: b"HTTP/1.0 200 OK\r\n\r\n{}", close_after_answer=True)

    response = send(transport, server.url())

    assert (response.http_version, response.content) == ("HTTP/1.0", b"{}")


def test_a_server_that_never_answers_is_a_read_timeout(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    silent = threading.Event()

    def hold(index: int, request: bytes) -> None:
        silent.wait(30)  # answers nothing, then closes once the test is over

    server = serve(hold)

    with pytest.raises(httpx.ReadTimeout):
        send(transport, server.url(), timeout=0.2)
    silent.set()


def test_a_port_nobody_listens_on_is_a_connect_error(transport: HTTP11Transport) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused

        with pytest.raises(httpx.ConnectError) as caught:
            send(transport, f"http://127.0.0.1:{port}/")

    assert not unresolvable(caught.value)


def test_a_host_that_does_not_resolve_keeps_the_resolver_error_as_its_cause(
    transport: HTTP11Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_such_host(*_: object, **__: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # the OS resolver, not our code

    with pytest.raises(httpx.ConnectError) as caught:
        send(transport, "https://api.github.invalid/")

    assert unresolvable(caught.value)


def test_a_header_that_cannot_be_sent_is_a_local_error_that_does_not_quote_it(
    serve: Callable[..., ScriptedServer], transport: HTTP11Transport
) -> None:
    server = serve(lambda i, _: ok())
    client = httpx.Client()
    request = client.build_request("GET", server.url())
    request.headers["X-Secret"] = "ghp_abc\r\nInjected: yes"

    with pytest.raises(httpx.LocalProtocolError) as caught:
        transport.handle_request(request)

    assert "ghp_abc" not in str(caught.value)
    assert "x-secret" in str(caught.value).lower()
    assert server.requests == []


def test_a_url_without_http_is_an_unsupported_protocol(transport: HTTP11Transport) -> None:
    with pytest.raises(httpx.UnsupportedProtocol):
        transport.handle_request(httpx.Request("GET", "ftp://127.0.0.1/"))


def test_tls_is_verified_against_the_trusted_authorities(
    serve: Callable[..., ScriptedServer],
) -> None:
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(server_context)
    server = serve(lambda i, _: ok(b'{"tls": true}'), tls=server_context)
    trusting = ssl.create_default_context()
    authority.configure_trust(trusting)

    with HTTP11Transport(max_idle=2, ssl_context=trusting) as transport:
        assert send(transport, server.url()).json() == {"tls": True}
        assert send(transport, server.url()).json() == {"tls": True}
    # httpx's defaults (certifi) do not know this authority: the handshake fails.
    with HTTP11Transport(max_idle=2) as transport, pytest.raises(httpx.ConnectError) as caught:
        send(transport, server.url())

    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert server.connections == 2


def test_idle_connections_are_kept_up_to_the_limit_and_closed_with_the_transport(
    serve: Callable[..., ScriptedServer],
) -> None:
    both_in = threading.Barrier(2)

    def together(index: int, request: bytes) -> bytes:
        if index < 2:
            both_in.wait(timeout=5)  # the first two requests are in flight at once
        return ok()

    server = serve(together)
    transport = HTTP11Transport(max_idle=1)
    threads = [threading.Thread(target=send, args=(transport, server.url())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    send(transport, server.url())
    send(transport, server.url())

    assert server.connections == 2  # the one connection kept was reused
    assert server.closed.acquire(timeout=5)  # the other one was closed, not kept
    transport.close()
    assert server.closed.acquire(timeout=5)  # closing the transport closes what it kept
    send(transport, server.url())
    assert server.connections == 3
    transport.close()
