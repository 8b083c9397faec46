"""The HTTP way in: a ThreadingHTTPServer (HTTP/1.1 keep-alive) around Simulator.handle.

``run`` is what ``copilot-reconciler simulator serve`` calls (blocking); ``start`` serves a
Simulator from a background thread for tests and returns a handle that stops it.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any

from reconciler.simulator.core import Simulator
from reconciler.simulator.demo import DEMO_WORLD
from reconciler.simulator.faults import ConnectionDropped
from reconciler.typing import Log


class _Server(ThreadingHTTPServer):
    # Connection threads are joined on close (after their sockets are shut down), so that
    # stop() leaves no thread behind.
    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], simulator: Simulator, log: Log | None) -> None:
        self.simulator = simulator
        self.log = log
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake the threads parked on idle keep-alive connections so that they end."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _address(server: ThreadingHTTPServer) -> tuple[str, int]:
    host, port = server.server_address[:2]
    return (host if isinstance(host, str) else bytes(host).decode()), int(port)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one buffered write, with Nagle off: written separately, a
    # keep-alive client's delayed ACK stalls every answer by ~40 ms on Linux.
    wbufsize = -1
    disable_nagle_algorithm = True
    server_version = "github.com"  # what GitHub's answers name, not BaseHTTP/Python
    sys_version = ""
    server: _Server

    def _serve(self) -> None:
        started = time.perf_counter()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or "{}:{}".format(*_address(self.server))
        try:
            status, headers, content = self.server.simulator.handle(
                self.command,
                self.path,
                dict(self.headers.items()),
                body,
                base_url=f"http://{host}",
            )
        except ConnectionDropped:
            self.close_connection = True  # no answer at all: the client sees a reset
            self._log(f"{self.command} {self.path} dropped")
            return
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)
        elapsed = (time.perf_counter() - started) * 1000
        self._log(f"{self.command} {self.path} {status} {elapsed:.1f}ms")

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD> and answers an HTML 501 page when it is missing.
        # Every method reaches the simulator instead, which answers unknown ones as GitHub
        # does (a JSON 404).
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _log(self, line: str) -> None:
        if self.server.log is not None:
            self.server.log(line)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are logged by _serve through the log callback


class ServerHandle:
    """A running server: ``url``, ``stop()``; a context manager that stops on exit."""

    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = _address(server)
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop serving, close every connection and join the threads. Idempotent."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.close_connections()
        self._server.server_close()

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start(
    sim: Simulator, host: str = "127.0.0.1", port: int = 0, *, log: Log | None = None
) -> ServerHandle:
    """Serve ``sim`` from a background thread (port 0: any free port)."""
    server = _Server((host, port), sim, log)
    thread = threading.Thread(target=server.serve_forever, name="simulator-server", daemon=True)
    thread.start()
    return ServerHandle(server, thread)


def run(
    state: str | None,
    *,
    host: str,
    port: int,
    faults: Mapping[str, Any],
    persist: bool,
    log: Log | None,
    announce: Log | None,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); with ``persist``, write the world back
    to ``state`` on the way out if it changed. World-file errors raise ConfigError."""
    sim = Simulator.from_file(state, persist=persist) if state else Simulator(DEMO_WORLD)
    sim.set_faults(**dict(faults))
    server = _Server((host, port), sim, log)

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, terminate)
    try:
        if announce is not None:
            bound_host, bound_port = _address(server)
            tokens = ", ".join(sim.tokens()) or "none"
            announce(
                f"serving http://{bound_host}:{bound_port} — world {state or '(built-in demo)'}, "
                f"tokens: {tokens}"
            )
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close_connections()
        server.server_close()
        sim.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
