"""A bare reader: GET every URL read from stdin on THREADS keep-alive connections, bodies
read and dropped. It pays the server's time per request and nothing of a client's own (no
JSON, no retries, no validation): the floor our plan is measured against.

    python -m benchmarks.bare_read URL TOKEN THREADS < paths
"""

from __future__ import annotations

import http.client
import sys
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit


def read_paths(
    host: str, port: int, token: str, paths: Iterator[str], lock: threading.Lock, errors: list[str]
) -> None:
    """GET each path taken from ``paths`` (shared by the threads under ``lock``) on one
    keep-alive connection; the first answer that is not 2xx or 404 goes to ``errors``."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    connection = http.client.HTTPConnection(host, port, timeout=60)
    while True:
        with lock:
            path = next(paths, None)
        if path is None:
            break
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if not (200 <= response.status < 300 or response.status == 404):
            errors.append(f"{path}: {response.status}")
            break
    connection.close()


def main(argv: list[str]) -> int:
    url, token, threads = argv[0], argv[1], int(argv[2])
    parts = urlsplit(url)
    paths = iter([line.strip() for line in sys.stdin if line.strip()])
    lock = threading.Lock()
    errors: list[str] = []
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    workers = [
        threading.Thread(target=read_paths, args=(host, port, token, paths, lock, errors))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
