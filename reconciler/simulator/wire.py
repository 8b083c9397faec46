"""What the HTTP server needs below the request line: reads bounded by an idle timeout and a
header deadline, and request bodies framed by ``Content-Length`` or chunked transfer coding.

http.server reads bodies itself only for the methods it implements; the simulator serves
every method through one handler, so it frames bodies here, strictly (RFC 9112 §6): a bad
frame is a 400 and the connection closes, because nothing after it can be trusted.
"""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Mapping
from typing import BinaryIO

#: The largest request body accepted (413 above). A 100,000-seat world is about 5 MB.
MAX_BODY_BYTES = 64 * 1024 * 1024
#: The longest chunk-size or trailer line accepted.
_MAX_LINE = 4096
#: Real clients send chunks of kilobytes; a body of a million one-byte chunks is an attack.
_MAX_CHUNKS = 65536
_MAX_TRAILERS = 100
_HEX = b"0123456789abcdefABCDEF"


class BadFraming(Exception):
    """The request body cannot be read: answer ``status`` with ``message``, then close."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class DeadlineReader(io.RawIOBase):
    """Socket reads that each wait at most ``idle`` seconds and, while a deadline is set,
    no later than the deadline: a client that sends its headers one byte at a time cannot
    hold a thread for longer than the header timeout."""

    def __init__(self, sock: socket.socket, idle: float) -> None:
        super().__init__()
        self._sock = sock
        self._idle = idle
        self._deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        timeout = self._idle
        if self._deadline is not None:
            timeout = min(timeout, self._deadline - time.monotonic())
            if timeout <= 0:
                raise TimeoutError("the request headers did not arrive in time")
        self._sock.settimeout(timeout)
        return self._sock.recv_into(buffer)

    def start_deadline(self, seconds: float) -> None:
        """From now on, reads end ``seconds`` from now at the latest."""
        self._deadline = time.monotonic() + seconds

    def clear_deadline(self) -> None:
        """Back to the idle timeout alone (it also bounds the writes of the answer)."""
        self._deadline = None
        self._sock.settimeout(self._idle)


def read_body(headers: Mapping[str, str], rfile: BinaryIO, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, by ``Transfer-Encoding: chunked`` or ``Content-Length``.

    Raises BadFraming: 400 for a malformed length or chunk, 413 above ``limit``, 501 for a
    transfer coding other than chunked.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    coding = lowered.get("transfer-encoding")
    if coding is not None:
        # Transfer-Encoding overrides Content-Length (RFC 9112 §6.3); chunked must be last.
        codings = [c.strip().lower() for c in coding.split(",") if c.strip()]
        if codings != ["chunked"]:
            raise BadFraming(501, f"Transfer-Encoding {coding!r} is not supported (only chunked)")
        return _read_chunked(rfile, limit)
    raw = lowered.get("content-length")
    if raw is None:
        return b""
    text = raw.strip()
    # int() would take "+5", " 5", "5_0" and "-5": the grammar is 1*DIGIT.
    if not text.isascii() or not text.isdigit():
        raise BadFraming(400, f"Invalid Content-Length header: {raw[:40]!r}")
    # A length of more digits than the limit has is over it (and int() refuses 4,300+ digits).
    length = int(text) if len(text) <= len(str(limit)) else limit + 1
    if length > limit:
        raise BadFraming(413, f"The request body is larger than {limit} bytes")
    body = rfile.read(length) if length else b""
    if len(body) < length:
        raise BadFraming(400, "The request body ended before its Content-Length")
    return body


def _read_chunked(rfile: BinaryIO, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        if len(parts) >= _MAX_CHUNKS:
            raise BadFraming(400, f"A chunked body may have at most {_MAX_CHUNKS} chunks")
        size_text = _line(rfile).split(b";", 1)[0].strip()  # chunk extensions are ignored
        if not size_text or size_text.strip(_HEX):  # int(..., 16) would take "0x1f", "-1"
            raise BadFraming(400, "Malformed chunk size in a chunked body")
        size = int(size_text, 16) if len(size_text) <= 16 else limit + 1
        if size == 0:
            break
        total += size
        if total > limit:
            raise BadFraming(413, f"The request body is larger than {limit} bytes")
        chunk = rfile.read(size)
        if len(chunk) < size or _line(rfile) != b"":
            raise BadFraming(400, "A chunk of the chunked body is cut short")
        parts.append(chunk)
    for _ in range(_MAX_TRAILERS + 1):  # trailer fields, up to the empty line; ignored
        if not _line(rfile):
            return b"".join(parts)
    raise BadFraming(400, "Too many trailer fields after a chunked body")


def _line(rfile: BinaryIO) -> bytes:
    line = rfile.readline(_MAX_LINE + 1)
    if len(line) > _MAX_LINE:
        raise BadFraming(400, "A line of the chunked body is too long")
    if not line.endswith(b"\n"):
        raise BadFraming(400, "The chunked body ended early")
    return line.rstrip(b"\r\n")
