"""The ETag cache on disk: an unchanged org costs only 304 answers.

Layout: ``ROOT/etag-v1/salt`` (16 random bytes, created once) and
``ROOT/etag-v1/PARTITION/XX/SHA256(URL).json``, one JSON entry per URL. A partition separates
identities: two tokens for different users never share cached bodies. The partition name is
``scrypt(identity, salt)``: for a GitHub App the identity is the app and installation id (its
tokens rotate hourly, the installation does not); for a token it is the token itself, hashed
with a memory-hard function so that the name cannot be turned back into the token. Why this
and not "one cache per API URL": see docs/client.md.

Writes are atomic (a temporary file renamed over the entry); files are private to the user
(0600, directories 0700). The cache is an optimisation: any unreadable or corrupt entry is a
miss, and a failed write is reported to ``log`` once and otherwise ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.files import make_private_dirs, write_atomic
from reconciler.typing import Log

_VERSION_DIR = "etag-v1"
# scrypt cost: ~16 MiB and tens of milliseconds, paid once per identity and process.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 16, "maxmem": 64 * 1024 * 1024}


@dataclass(frozen=True)
class CacheEntry:
    """A cached answer: what to send as ``If-None-Match`` and what a 304 stands for."""

    etag: str
    status: int
    body: Any
    link: str | None = None


class EtagCache:
    """Conditional-request cache under ``root`` (created on first use)."""

    def __init__(self, root: Path, *, log: Log | None = None) -> None:
        self._dir = Path(root) / _VERSION_DIR
        self._log = log
        self._partitions: dict[str, str] = {}
        self._lock = threading.Lock()
        self._write_failed = False

    def __repr__(self) -> str:
        return f"EtagCache({str(self._dir.parent)!r})"

    def partition(self, identity: bytes) -> str:
        """The directory name for one identity (memoised: scrypt runs once per identity)."""
        memo = hashlib.sha256(identity).hexdigest()  # in memory only, never written
        with self._lock:
            found = self._partitions.get(memo)
            if found is None:
                found = hashlib.scrypt(identity, salt=self._salt(), **_SCRYPT).hex()
                self._partitions[memo] = found
            return found

    def get(self, partition: str, url: str) -> CacheEntry | None:
        """The entry for ``url``, or ``None`` when absent or unreadable."""
        try:
            data = json.loads(self._path(partition, url).read_text(encoding="utf-8"))
            if data.get("url") != url:
                return None
            return CacheEntry(
                etag=str(data["etag"]),
                status=int(data["status"]),
                body=data["body"],
                link=data.get("link"),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, partition: str, url: str, entry: CacheEntry) -> None:
        """Store ``entry`` for ``url`` atomically."""
        record = {
            "url": url,
            "etag": entry.etag,
            "status": entry.status,
            "link": entry.link,
            "body": entry.body,
        }
        path = self._path(partition, url)
        try:
            _atomic_write(path, json.dumps(record, separators=(",", ":")).encode("utf-8"))
        except OSError as exc:
            self._report(f"ETag cache not written ({type(exc).__name__}: {exc.strerror})")

    def _path(self, partition: str, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self._dir / partition / digest[:2] / f"{digest}.json"

    def _salt(self) -> bytes:
        path = self._dir / "salt"
        try:
            return path.read_bytes()
        except OSError:
            pass  # not there yet (or unusable: the creation below reports it)
        try:
            # Two processes may race to create the salt: os.link refuses to overwrite, so the
            # first one wins and the other reads the winner's salt.
            make_private_dirs(self._dir)
            fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".salt-")
            try:
                os.write(fd, secrets.token_bytes(16))
                os.close(fd)
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, path)
            finally:
                os.unlink(tmp)
            return path.read_bytes()
        except OSError as exc:
            self._report(f"ETag cache unusable ({type(exc).__name__}: {exc.strerror})")
            # A throw-away salt keeps this run working; entries simply will not be found again.
            return secrets.token_bytes(16)

    def _report(self, line: str) -> None:
        if self._log is not None and not self._write_failed:
            self._log(line)
        self._write_failed = True


def _atomic_write(path: Path, data: bytes) -> None:
    make_private_dirs(path.parent)
    write_atomic(path, data, mode=0o600)
