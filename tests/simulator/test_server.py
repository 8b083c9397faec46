"""The HTTP way in: start() for tests, and `copilot-reconciler simulator serve` (run())."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from reconciler.simulator import Simulator
from reconciler.simulator.server import ServerHandle, start

from .conftest import BASE_WORLD, HEADERS, logins

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "worlds" / "octo-org.yaml"


@pytest.fixture
def served(sim: Simulator) -> Iterator[ServerHandle]:
    with start(sim) as handle:
        yield handle


def test_start_serves_the_api_over_loopback_with_links_to_itself(served: ServerHandle) -> None:
    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        answer = client.get("/orgs/octo-org/copilot/billing/seats", params={"per_page": 1})
        assert answer.status_code == 200
        assert answer.links["next"]["url"].startswith(f"{served.url}/orgs/octo-org/")
        assert answer.headers["content-length"] == str(len(answer.content))
        assert logins(client)["carol"] is None


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PATCH", "QUERY"])
def test_an_unsupported_method_gets_githubs_json_404_not_an_html_page(
    served: ServerHandle, method: str
) -> None:
    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        answer = client.request(method, "/orgs/octo-org/copilot/billing")
        assert answer.status_code == 404
        assert answer.json()["message"] == "Not Found"


def test_head_answers_gets_headers_without_a_body(served: ServerHandle, sim: Simulator) -> None:
    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        get = client.get("/orgs/octo-org/copilot/billing")
        head = client.head("/orgs/octo-org/copilot/billing")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    in_process = httpx.Client(transport=sim.transport(), base_url="https://api.github.com")
    with in_process:
        local = in_process.head("/orgs/octo-org/copilot/billing", headers=HEADERS)
    assert (local.status_code, local.content) == (200, b"")


def test_connections_are_kept_alive(served: ServerHandle) -> None:
    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        first = client.get("/orgs/octo-org/copilot/billing")
        second = client.get("/orgs/octo-org/copilot/billing")
        assert first.extensions["network_stream"] is second.extensions["network_stream"]


def test_a_dropped_connection_reaches_the_client_as_a_protocol_error(
    sim: Simulator, served: ServerHandle
) -> None:
    sim.set_faults(drop_rate=1.0)
    with httpx.Client(base_url=served.url, headers=HEADERS) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/orgs/octo-org/copilot/billing")
        sim.set_faults()
        assert client.get("/orgs/octo-org/copilot/billing").status_code == 200


def test_stop_ends_every_thread_even_with_idle_keep_alive_connections(sim: Simulator) -> None:
    before = threading.active_count()
    handle = start(sim)
    client = httpx.Client(base_url=handle.url, headers=HEADERS)
    client.get("/orgs/octo-org/copilot/billing")  # leaves an idle connection open
    handle.stop()
    handle.stop()  # idempotent
    client.close()
    assert threading.active_count() == before


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reconciler", "simulator", "serve", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.slow
def test_simulator_serve_announces_serves_a_seat_list_and_persists_on_sigterm(
    tmp_path: Path,
) -> None:
    state = tmp_path / "world.yaml"
    state.write_text(EXAMPLE.read_text())
    port = _free_port()
    process = _serve("--state", str(state), "--port", str(port), "--persist")
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.strip() == (
            f"serving http://127.0.0.1:{port} — world {state}; 2 tokens for octo-admin, "
            f'defined under "tokens:" in {state}; control API: loopback only'
        )
        headers = {"Authorization": "Bearer demo-token"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            seats = client.get("/orgs/octo-org/copilot/billing/seats", params={"per_page": 2})
            assert seats.status_code == 200
            assert seats.headers["link"].startswith(f"<http://127.0.0.1:{port}/orgs/octo-org/")
            added = client.post(
                "/orgs/octo-org/copilot/billing/selected_users",
                json={"selected_usernames": ["bob"]},
            )
            assert added.json() == {"seats_created": 1}
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    assert process.returncode == 0
    saved = yaml.safe_load(state.read_text())
    assert "bob" in saved["orgs"]["octo-org"]["selected_users"]


@pytest.mark.slow
def test_simulator_serve_takes_fault_flags_and_reports_a_bad_world(tmp_path: Path) -> None:
    state = tmp_path / "world.yaml"
    state.write_text(yaml.safe_dump(BASE_WORLD))
    port = _free_port()
    process = _serve("--state", str(state), "--port", str(port), "--error-rate", "1.0")
    try:
        assert process.stderr is not None
        process.stderr.readline()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=HEADERS) as client:
            assert client.get("/orgs/octo-org/copilot/billing").status_code >= 500
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    assert process.returncode == 0
    state.write_text("orgs: [")
    broken = _serve("--state", str(state), "--port", str(port))
    _, err = broken.communicate(timeout=20)
    assert broken.returncode == 1
    assert err.startswith(f"{state}:2:1: ")
