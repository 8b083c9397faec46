"""The request handler of ``simulator serve``: one thread per connection, reads bounded by
the idle and header timeouts, bodies framed by wire.py, control calls checked by gate.py,
and every method handed to Simulator.handle (case-sensitive; unknown ones are a JSON 404).
"""

from __future__ import annotations

import io
import time
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol, cast

from reconciler.simulator.faults import ConnectionDropped
from reconciler.simulator.gate import ControlGate, is_control
from reconciler.simulator.http import ApiError, Pipeline
from reconciler.simulator.wire import BadFraming, DeadlineReader, read_body
from reconciler.typing import Log


class Serving(Protocol):
    """What a connection needs of its server (:class:`~reconciler.simulator.server.
    SimulatorServer`, which creates the handlers and so is named here by shape)."""

    simulator: Pipeline
    gate: ControlGate
    idle_timeout: float
    header_timeout: float
    base_url: str
    log: Log | None


#: What a client that hangs up or stalls raises: its own end, not a server error.
DISCONNECTS = (ConnectionError, TimeoutError)


class Handler(BaseHTTPRequestHandler):
    """One connection: keep-alive requests, bounded reads, every method to the simulator."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in one buffered write, with Nagle off: written separately, a
    # keep-alive client's delayed ACK stalls every answer by ~40 ms on Linux.
    wbufsize = -1
    disable_nagle_algorithm = True
    server_version = "github.com"  # what GitHub's answers name, not BaseHTTP/Python
    sys_version = ""
    _reader: DeadlineReader
    _buffer: io.BufferedReader

    @property
    def _serving(self) -> Serving:
        return cast(Serving, self.server)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the plain socket file of StreamRequestHandler, unread
        self._reader = DeadlineReader(self.connection, self._serving.idle_timeout)
        self._buffer = io.BufferedReader(self._reader)
        self.rfile = self._buffer

    def handle(self) -> None:
        try:
            super().handle()
        except DISCONNECTS as error:
            self.close_connection = True
            self._log(f"{self.client_address[0]} went away ({type(error).__name__})")

    def handle_one_request(self) -> None:
        # Waiting for the next request is bounded by the idle timeout; once its first byte is
        # in, the request line and headers must follow within the header timeout.
        self._reader.clear_deadline()
        try:
            first = self._buffer.peek(1)
        except TimeoutError:
            first = b""
        if not first:
            self.close_connection = True
            return
        self._reader.start_deadline(self._serving.header_timeout)
        super().handle_one_request()

    def _serve(self) -> None:
        started = time.perf_counter()
        self._reader.clear_deadline()
        if is_control(self.path):
            refusal = self._serving.gate.refuse(self.client_address[0], dict(self.headers.items()))
            if refusal is not None:
                self.close_connection = True  # the body, if any, is left unread
                self._answer(refusal.status, refusal.headers, refusal.body, started)
                return
        try:
            body = read_body(dict(self.headers.items()), self._buffer)
        except BadFraming as error:
            self.close_connection = True  # the framing is lost: nothing after it is trusted
            answer = ApiError(error.status, error.message).response()
            self._answer(answer.status, answer.headers, answer.body, started)
            return
        try:
            status, headers, content = self._serving.simulator.handle(
                self.command,
                self.path,
                dict(self.headers.items()),
                body,
                base_url=self._serving.base_url,
            )
        except ConnectionDropped:
            self.close_connection = True  # no answer at all: the client sees a reset
            self._log(f"{self.command} {self.path} dropped")
            return
        self._answer(status, headers, content, started)

    def _answer(
        self, status: int, headers: list[tuple[str, str]], content: bytes, started: float
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)
        elapsed = (time.perf_counter() - started) * 1000
        self._log(f"{self.command} {self.path} {status} {elapsed:.1f}ms")

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD> and answers an HTML 501 page when it is missing.
        # Every method reaches the simulator instead, which answers unknown ones as GitHub
        # does (a JSON 404); methods are case-sensitive, so `get` is unknown too.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _log(self, line: str) -> None:
        if self._serving.log is not None:
            self._serving.log(line)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are logged by _serve through the log callback

    def log_error(self, format: str, *args: Any) -> None:
        # http.server's own refusals (a malformed request line, too many headers, a header
        # timeout) go to the -v log, never to stderr.
        self._log(f"{self.client_address[0]}: {format % args}")
