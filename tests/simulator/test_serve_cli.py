"""`simulator serve` flags, its startup line and who may reach its control API."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from reconciler.cli import cli
from reconciler.cli.simulator import simulator_serve
from reconciler.simulator import Simulator
from reconciler.simulator.gate import ControlGate, is_loopback
from reconciler.simulator.server import announcement, listen, start

from .conftest import BASE_WORLD, HEADERS


def _serve(*args: str) -> tuple[int, list[str]]:
    """Run `simulator serve ARGS` in process (for flags that must stop it before it serves)."""
    result = CliRunner().invoke(cli, ["simulator", "serve", *args])
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "80000"], "Error: Invalid value for '--port': 80000 is not in the range"),
        (["--port", "-1"], "Error: Invalid value for '--port': -1 is not in the range"),
        (["--error-rate", "2"], "Error: Invalid value for '--error-rate': 2.0 is not in the"),
        (["--latency-ms", "-5"], "Error: Invalid value for '--latency-ms': -5 is not in the"),
        (["--drop-rate", "-1"], "Error: Invalid value for '--drop-rate': -1.0 is not in the"),
        (["--seed", "-1"], "Error: Invalid value for '--seed': -1 is not in the range"),
        (["--retry-after-s", "-1"], "Error: Invalid value for '--retry-after-s': -1 is not"),
        (["--host", "10.9.9.9", "--port", "0"], "cannot listen on 10.9.9.9:0: 10.9.9.9 is not an"),
        (["--host", "no-such-host.invalid"], "cannot listen on no-such-host.invalid:8080: "),
        (["--public-url", "ftp://x"], "--public-url 'ftp://x': expected http(s)://HOST"),
        (["--public-url", "http://x:99999"], "--public-url 'http://x:99999': expected http"),
        (["--public-url", "http://u:p@x"], "--public-url: a URL with credentials cannot be"),
        (["--public-url", "ftp://u:p@x"], "--public-url: a URL with credentials cannot be"),
        (["--control-token", "two words"], "Error: Invalid value for '--control-token' (env var"),
    ],
)
def test_a_bad_flag_is_one_line_and_exit_1(args: list[str], message: str) -> None:
    code, lines = _serve(*args)
    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith(message)
    assert "two words" not in lines[0]  # a rejected control token is not echoed


def test_a_port_in_use_is_one_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, lines = _serve("--port", str(port))
    assert (code, lines) == (
        1,
        [
            f"cannot listen on 127.0.0.1:{port}: the port is in use (choose another --port, "
            "or 0 for any free port)"
        ],
    )


def test_every_serve_option_has_help() -> None:
    result = CliRunner().invoke(cli, ["simulator", "serve", "--help"])
    assert [p.name for p in simulator_serve.params if not getattr(p, "help", None)] == []
    assert "Address to listen on" in result.output
    assert "retry-after header" in result.output


def test_the_startup_line_names_whom_the_tokens_act_for_never_their_values(
    tmp_path: Path,
) -> None:
    state = tmp_path / "world.yaml"
    state.write_text(yaml.safe_dump(BASE_WORLD))
    sim = Simulator.from_file(state)
    server = listen(sim)
    try:
        line = announcement(server, sim, str(state))
    finally:
        server.server_close()
    host, port = server.server_address[:2]
    assert line == (
        f"serving http://{host}:{port} — world {state}; 5 tokens for mallory, octo-admin, "
        f'defined under "tokens:" in {state}; control API: loopback only'
    )
    for token in BASE_WORLD["tokens"]:
        assert token not in line


def test_the_startup_line_says_when_links_need_a_public_url(sim: Simulator) -> None:
    wildcard = listen(sim, "0.0.0.0", control_token="s3cret-control")
    proxied = listen(sim, public_url="https://sim.example.com")
    try:
        open_line = announcement(wildcard, sim, None)
        proxied_line = announcement(proxied, sim, None)
    finally:
        wildcard.server_close()
        proxied.server_close()
    assert "control API: token required" in open_line
    assert open_line.endswith("set --public-url for clients on other machines")
    assert "s3cret-control" not in open_line
    assert " as https://sim.example.com — world (built-in demo); " in proxied_line


@pytest.fixture
def guarded(sim: Simulator) -> Iterator[str]:
    with start(sim, control_token="s3cret-control") as handle:
        yield handle.url


def test_with_a_control_token_the_control_api_needs_it_even_on_loopback(guarded: str) -> None:
    with httpx.Client(base_url=guarded) as client:
        assert client.get("/_simulator/stats").status_code == 401
        wrong = client.get("/_simulator/stats", headers={"Authorization": "Bearer demo-token"})
        assert wrong.status_code == 401
        assert "s3cret" not in wrong.text
        right = client.get("/_simulator/stats", headers={"Authorization": "Bearer s3cret-control"})
        assert right.status_code == 200


def test_the_control_token_guards_neither_the_api_nor_signed_report_links(guarded: str) -> None:
    with httpx.Client(base_url=guarded, headers=HEADERS) as client:
        assert client.get("/orgs/octo-org/copilot/billing").status_code == 200
        report = client.get("/orgs/octo-org/copilot/metrics/reports/users-28-day/latest")
        (link,) = report.json()["download_links"]
        assert httpx.get(link).status_code == 200  # no token at all


def test_without_a_control_token_other_machines_get_403_from_the_control_api(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests reach no address but loopback, so the server is told that its loopback peer is
    # another machine: the request still travels the real socket, handler and gate.
    monkeypatch.setattr("reconciler.simulator.gate.is_loopback", lambda _peer: False)
    with start(sim) as handle, httpx.Client(base_url=handle.url) as client:
        refused = client.get("/_simulator/world")
        assert refused.status_code == 403
        assert "--control-token" in refused.json()["message"]
        assert client.get("/orgs/octo-org/copilot/billing", headers=HEADERS).status_code == 200
    with start(sim, control_token="s3cret-control") as handle:
        admitted = httpx.get(
            f"{handle.url}/_simulator/stats", headers={"Authorization": "Bearer s3cret-control"}
        )
        assert admitted.status_code == 200


@pytest.mark.parametrize(
    ("peer", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("192.0.2.7", False),
        ("::ffff:192.0.2.7", False),
        ("fe80::1%eth0", False),
        ("", False),
    ],
)
def test_loopback_peers_are_recognised(peer: str, loopback: bool) -> None:
    assert is_loopback(peer) is loopback
    assert (ControlGate().refuse(peer, {}) is None) is loopback
