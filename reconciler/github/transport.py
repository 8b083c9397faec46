"""An httpx transport that puts the bytes on the wire with the standard library's http.client.

Why not httpx's own: over the requests of a plan, against a server 20 ms away, httpcore and
h11 cost 0.93 ms of CPU per request and this transport 0.67 ms (http.client alone 0.32; the
rest is httpx's Request and Response), side by side in ``python -m benchmarks.transport``.
A 100,000-seat plan makes 1,352 requests. The requester keeps httpx's Request and Response
as its seam, which is where the simulator's in-process transport plugs in; this class only
replaces what sits behind it, for direct connections (with a proxy configured, httpx's
Client routes requests as before).

What it keeps of httpx's transport: keep-alive connections per origin, reused from a pool and
dropped after 5 s idle or when the server has closed them; httpx's TLS defaults
(:func:`httpx.create_ssl_context`: certifi, or $SSL_CERT_FILE / $SSL_CERT_DIR); the connect,
write and read timeouts of ``request.extensions["timeout"]``; content decoding (the Response
decodes gzip as before); and httpx's exception classes, which the requester's retry policy
reads: connection failures are ConnectError/ConnectTimeout (a DNS failure keeps its
socket.gaierror as the cause), a dropped or malformed answer RemoteProtocolError, a request
this machine cannot form LocalProtocolError or UnsupportedProtocol.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import sys
import threading
import time
from collections.abc import Mapping

import httpx

_Origin = tuple[str, str, int]
_Answer = tuple[http.client.HTTPResponse, bytes]  # the answer, its body read in full

# httpx's default keep-alive expiry: a connection idle longer may have been dropped by a
# proxy or load balancer without a FIN, and a request sent on it would wait for a timeout.
_KEEPALIVE_EXPIRY_S = 5.0
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 9110's safe methods (reads): sent again on a fresh connection when a reused one turns
# out to have been closed by the server as the request went out. A write is never sent twice
# here: it fails, and the requester's retry policy (with its spacing of writes) decides.
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class HTTP11Transport(httpx.BaseTransport):
    """HTTP/1.1 over pooled http.client connections; thread-safe, one request per connection
    at a time (the scheduler already caps requests in flight)."""

    def __init__(self, *, max_idle: int, ssl_context: ssl.SSLContext | None = None) -> None:
        self._max_idle = max_idle
        self._ssl_context = ssl_context
        self._idle: dict[_Origin, list[tuple[http.client.HTTPConnection, float]]] = {}
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(
                f"Request URL has an unsupported protocol '{url.scheme}://'."
            )
        if not url.host:
            raise httpx.UnsupportedProtocol("Request URL is missing a host.")
        origin = (url.scheme, url.host, url.port or _DEFAULT_PORTS[url.scheme])
        timeouts: Mapping[str, float | None] = request.extensions.get("timeout", {})
        body = request.read()
        connection, reused = self._checkout(origin, timeouts)
        try:
            try:
                answer = self._exchange(connection, request, body, timeouts)
            except httpx.RemoteProtocolError:
                if not (reused and request.method in _SAFE):
                    raise
                connection.close()
                connection = self._connect(origin, timeouts)
                answer = self._exchange(connection, request, body, timeouts)
        except BaseException:
            connection.close()  # whatever state it is in, it is not reused
            raise
        response, content = answer
        if response.will_close:
            connection.close()
        else:
            self._checkin(origin, connection)
        return _response(response, content, request)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection, _ in connections:
                connection.close()

    # ----------------------------------------------------------------- the pool

    def _checkout(
        self, origin: _Origin, timeouts: Mapping[str, float | None]
    ) -> tuple[http.client.HTTPConnection, bool]:
        """An idle connection the server has not closed, else a new one; and whether reused."""
        now = time.monotonic()
        while True:
            with self._lock:
                pooled = self._idle.get(origin)
                if not pooled:
                    break
                connection, since = pooled.pop()
            if now - since < _KEEPALIVE_EXPIRY_S and not _readable(connection.sock):
                return connection, True
            connection.close()  # expired, or the server closed it (EOF reads as readable)
        return self._connect(origin, timeouts), False

    def _checkin(self, origin: _Origin, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            pooled = self._idle.setdefault(origin, [])
            if len(pooled) < self._max_idle:
                pooled.append((connection, time.monotonic()))
                return
        connection.close()

    def _connect(
        self, origin: _Origin, timeouts: Mapping[str, float | None]
    ) -> http.client.HTTPConnection:
        scheme, host, port = origin
        connection: http.client.HTTPConnection
        timeout = timeouts.get("connect")
        if scheme == "https":
            if self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context()
            connection = http.client.HTTPSConnection(
                host, port, timeout=timeout, context=self._ssl_context
            )
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.connect()
        except TimeoutError as exc:
            connection.close()
            raise httpx.ConnectTimeout(str(exc) or "timed out") from exc
        except (OSError, http.client.HTTPException) as exc:  # refused, DNS, TLS handshake
            connection.close()
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return connection

    # ----------------------------------------------------------------- one exchange

    def _exchange(
        self,
        connection: http.client.HTTPConnection,
        request: httpx.Request,
        body: bytes,
        timeouts: Mapping[str, float | None],
    ) -> _Answer:
        """Send ``request`` and read the whole answer, mapping failures to httpx's classes."""
        sock = connection.sock
        assert sock is not None  # connected by _connect, or reused while open
        _form(connection, request)
        try:
            sock.settimeout(timeouts.get("write"))
            connection.endheaders(body or None)
        except TimeoutError as exc:
            raise httpx.WriteTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            # A reused connection the server closed meanwhile: as dropped as an answer cut off.
            raise httpx.RemoteProtocolError(f"the connection closed while sending: {exc}") from exc
        try:
            sock.settimeout(timeouts.get("read"))
            answer = connection.getresponse()
            content = answer.read()
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "timed out") from exc
        except http.client.RemoteDisconnected as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response."
            ) from exc
        except http.client.IncompleteRead as exc:
            raise httpx.RemoteProtocolError(
                f"Server disconnected mid-answer ({len(exc.partial)} bytes read, "
                f"{exc.expected} more expected)."
            ) from exc
        except http.client.HTTPException as exc:  # a status line or header that is not HTTP
            raise httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}") from exc
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
        return answer, content


def _form(connection: http.client.HTTPConnection, request: httpx.Request) -> None:
    """Request line and headers into the connection's buffer (sent with the body)."""
    what = "the request line"
    try:
        # httpx already set Host and Accept-Encoding among the request's headers.
        connection.putrequest(
            request.method,
            request.url.raw_path.decode("ascii"),
            skip_host=True,
            skip_accept_encoding=True,
        )
        for name, value in request.headers.raw:
            what = f"the {name.decode('latin-1')} header"
            connection.putheader(name, value)
    except ValueError:  # http.client's message quotes the value, which may be a token
        raise httpx.LocalProtocolError(
            f"{what} cannot be sent: it holds a character that HTTP does not allow there"
        ) from None


def _response(
    answer: http.client.HTTPResponse, body: bytes, request: httpx.Request
) -> httpx.Response:
    return httpx.Response(
        status_code=answer.status,
        headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.getheaders()],
        stream=httpx.ByteStream(body),
        extensions={
            "http_version": b"HTTP/1.1" if answer.version == 11 else b"HTTP/1.0",
            "reason_phrase": answer.reason.encode("latin-1", "replace"),
        },
        request=request,
    )


def _readable(sock: socket.socket | None) -> bool:
    """True when an idle connection has something to read: EOF or stray bytes, either way
    not a connection to send the next request on."""
    if sock is None or sock.fileno() < 0:
        return True
    if sys.platform == "win32" or not hasattr(select, "poll"):
        ready, _, _ = select.select([sock], [], [], 0)
        return bool(ready)
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))
