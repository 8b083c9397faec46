"""The HTTP way in: a ThreadingHTTPServer (HTTP/1.1 keep-alive) around Simulator.handle.

``run`` is what ``copilot-reconciler simulator serve`` calls (blocking); ``start`` serves a
Simulator from a background thread for tests and returns a handle that stops it.

Links in answers (``Link``, report download URLs) are built from the server's own base URL,
or ``public_url`` when a proxy fronts it, never from the request's ``Host`` header.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
import socketserver
import sys
import threading
from collections.abc import Mapping
from http.server import ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit

from reconciler.errors import ReconcilerError
from reconciler.simulator.core import Simulator
from reconciler.simulator.demo import DEMO_WORLD
from reconciler.simulator.gate import ControlGate
from reconciler.simulator.handler import DISCONNECTS, Handler
from reconciler.typing import Log

#: How long a connection may wait for its next request, and any single read or write may take.
IDLE_TIMEOUT_S = 60.0
#: How long a request line and its headers may take to arrive once their first byte has.
HEADER_TIMEOUT_S = 10.0
#: Pending connections the kernel queues before the server accepts them; a load test opens
#: hundreds at once (the kernel caps it at net.core.somaxconn).
LISTEN_BACKLOG = 1024


class ServeError(ReconcilerError):
    """The server cannot start: the address cannot be bound, or an option is unusable."""


class SimulatorServer(ThreadingHTTPServer):
    """A bound server around one Simulator (``listen`` makes one; ``base_url`` prefixes
    every link it answers with)."""

    # Connection threads are joined on close (after their sockets are shut down), so that
    # stop() leaves no thread behind.
    daemon_threads = False
    block_on_close = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        simulator: Simulator,
        log: Log | None,
        *,
        gate: ControlGate,
        idle_timeout: float,
        header_timeout: float,
    ) -> None:
        self.simulator = simulator
        self.log = log
        self.gate = gate
        self.idle_timeout = idle_timeout
        self.header_timeout = header_timeout
        self.base_url = ""
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's FQDN, which nothing here uses and
        # which can stall for seconds on a machine without a resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = _address(self)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up or stalls ends its own connection; that is no server error.
        # Anything else is a bug and keeps socketserver's traceback.
        if isinstance(sys.exc_info()[1], DISCONNECTS):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Wake the threads parked on idle keep-alive connections so that they end."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _address(server: socketserver.TCPServer) -> tuple[str, int]:
    host, port = server.server_address[:2]
    return (host if isinstance(host, str) else bytes(host).decode()), int(port)


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class ServerHandle:
    """A running server: ``url``, ``stop()``; a context manager that stops on exit."""

    def __init__(self, server: SimulatorServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.url = _url(*_address(server))

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


def check_public_url(url: str) -> str:
    """``url`` without a trailing slash if it can prefix links; raises ServeError (which
    never quotes a URL that carries credentials)."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        raise ServeError("--public-url: a URL with credentials cannot be a public base URL")
    try:
        _ = parts.port  # a port outside 0-65535, or not a number, raises ValueError
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable:
        raise ServeError(f"--public-url {url!r}: expected http(s)://HOST[:PORT][/PATH]")
    if parts.query or parts.fragment:
        raise ServeError("--public-url: a base URL has no query or fragment")
    return url.rstrip("/")


def listen(
    sim: Simulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log: Log | None = None,
    public_url: str | None = None,
    control_token: str | None = None,
    idle_timeout: float = IDLE_TIMEOUT_S,
    header_timeout: float = HEADER_TIMEOUT_S,
) -> SimulatorServer:
    """A server bound to ``host:port`` (not yet serving); ServeError says why it cannot be."""
    base_url = check_public_url(public_url) if public_url else None
    try:
        server = SimulatorServer(
            (host, port),
            sim,
            log,
            gate=ControlGate(control_token),
            idle_timeout=idle_timeout,
            header_timeout=header_timeout,
        )
    except OverflowError:
        raise ServeError(f"cannot listen on port {port}: ports are 0-65535") from None
    except OSError as error:
        raise ServeError(_bind_message(host, port, error)) from None
    server.base_url = base_url or _url(*_address(server))
    return server


def _bind_message(host: str, port: int, error: OSError) -> str:
    where = f"cannot listen on {_url(host, port).removeprefix('http://')}"
    if isinstance(error, socket.gaierror):
        return f"{where}: {host!r} is not an address or a known host name"
    if error.errno == errno.EADDRINUSE:
        return f"{where}: the port is in use (choose another --port, or 0 for any free port)"
    if error.errno == errno.EADDRNOTAVAIL:
        return (
            f"{where}: {host} is not an address of this machine (use --host 127.0.0.1, "
            "or 0.0.0.0 for every interface)"
        )
    if error.errno == errno.EACCES:
        return f"{where}: permission denied (ports below 1024 need privileges)"
    return f"{where}: {error.strerror or error}"


def start(
    sim: Simulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log: Log | None = None,
    public_url: str | None = None,
    control_token: str | None = None,
    idle_timeout: float = IDLE_TIMEOUT_S,
    header_timeout: float = HEADER_TIMEOUT_S,
) -> ServerHandle:
    """Serve ``sim`` from a background thread (port 0: any free port). See ``listen``."""
    server = listen(
        sim,
        host,
        port,
        log=log,
        public_url=public_url,
        control_token=control_token,
        idle_timeout=idle_timeout,
        header_timeout=header_timeout,
    )
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
    public_url: str | None = None,
    control_token: str | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); with ``persist``, write the world back
    to ``state`` on the way out if it changed. World-file errors raise ConfigError; an
    address that cannot be bound raises ServeError."""
    sim = Simulator.from_file(state, persist=persist) if state else Simulator(DEMO_WORLD)
    sim.set_faults(**dict(faults))
    server = listen(sim, host, port, log=log, public_url=public_url, control_token=control_token)

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, terminate)
    try:
        if announce is not None:
            announce(announcement(server, sim, state))
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close_connections()
        server.server_close()
        sim.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def announcement(server: SimulatorServer, sim: Simulator, state: str | None) -> str:
    """The startup line: where, which world, whom its tokens act for and where they are
    defined (never their values), and who may use the control API."""
    logins = sim.token_logins()
    count = len(sim.tokens())
    origin = f'under "tokens:" in {state}' if state else "in the built-in demo world"
    tokens = (
        f"{count} token{'s' if count != 1 else ''} for {', '.join(logins)}, defined {origin}"
        if count
        else f"no tokens ({origin})"
    )
    control = "token required" if server.gate.protected else "loopback only"
    host, port = _address(server)
    where = _url(host, port)
    line = f"serving {where}"
    if server.base_url != where:
        line += f" as {server.base_url}"
    line += f" — world {state or '(built-in demo)'}; {tokens}; control API: {control}"
    if host in ("0.0.0.0", "::") and server.base_url == where:
        line += "; links name this address: set --public-url for clients on other machines"
    return line
