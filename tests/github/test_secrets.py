"""Odd secrets and failures: a token that cannot be sent, a URL with credentials, errors that
retrying cannot fix, and waits a user can see. No secret is ever quoted back."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from reconciler.cli import cli
from reconciler.errors import AuthenticationError, ReconcilerError, TransportError
from reconciler.github import TokenAuth
from reconciler.github.connect import connect
from reconciler.github.settings import redact_url, validate_api_url
from reconciler.simulator import Simulator
from tests.helpers.worlds import ORG, org_world

from .conftest import MakeClient, Recorder

SECRET = "ghp_" + "S3cr3t" * 6


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(org_world(5, 0)) as simulator:
        yield simulator


@pytest.mark.parametrize(
    ("token", "kind", "position"),
    [
        (SECRET[:20] + "\n" + SECRET[20:], "a line break", 21),
        (SECRET[:10] + "é" + SECRET[10:], "a non-ASCII character", 11),
        (SECRET[:5] + " " + SECRET[5:], "a space or control character", 6),
        (SECRET[:5] + "\x00" + SECRET[5:], "a space or control character", 6),
    ],
    ids=["newline", "non-ASCII", "space", "NUL"],
)
def test_a_token_that_cannot_travel_in_a_header_is_refused_before_any_request(
    sim: Simulator, token: str, kind: str, position: int
) -> None:
    with pytest.raises(AuthenticationError) as caught:
        connect(
            api_url=None, simulate=sim, env={"GITHUB_TOKEN": token}, cache_dir=None, concurrency=1
        )
    assert str(caught.value) == (
        f"the token from $GITHUB_TOKEN contains {kind} at character {position} of "
        f"{len(token)}: GitHub tokens are printable ASCII without spaces; check how the secret "
        "was set"
    )
    assert sim.stats()["total"] == 0


def test_surrounding_whitespace_of_a_token_is_not_part_of_it() -> None:
    auth = TokenAuth(f"  {SECRET}\n", source="$GITHUB_TOKEN")
    assert auth.token(None, lambda *_: {}) == SECRET


def test_the_cli_says_so_in_one_line_and_never_echoes_the_token(tmp_path: Path) -> None:
    world = tmp_path / "world.yaml"
    world.write_text("orgs:\n  octo-org: {owners: [octo-admin]}\n")
    config = tmp_path / "org.yaml"
    config.write_text("version: 1\norg: octo-org\nseats:\n  users: [octo-admin]\n")
    token = SECRET[:20] + "\n" + SECRET[20:]
    result = CliRunner(env={"GITHUB_TOKEN": token}).invoke(
        cli, ["plan", str(config), "--simulate", str(world), "-vv"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"the token from $GITHUB_TOKEN contains a line break at character 21 of {len(token)}: "
        "GitHub tokens are printable ASCII without spaces; check how the secret was set"
    ]
    for part in (SECRET[:20], SECRET[20:]):
        assert part not in result.output


@pytest.mark.parametrize(
    "url",
    [
        f"http://x:{SECRET}@api.example.com",
        f"https://x:{SECRET}@api.github.com",
        f"ftp://octocat:{SECRET}@api.github.com/v3",
        f"https://{SECRET}@api.github.com/?page=1",
    ],
)
def test_a_rejected_api_url_is_shown_without_its_credentials(url: str) -> None:
    with pytest.raises(ReconcilerError) as caught:
        validate_api_url(url)
    message = str(caught.value)
    assert SECRET not in message
    assert "octocat" not in message
    assert "[redacted]@" in message


def test_redaction_keeps_everything_but_the_credentials() -> None:
    assert redact_url("see https://u:p@ss@ghe.example/api/v3?q=a@b and http://h/x@y") == (
        "see https://[redacted]@ghe.example/api/v3?q=a@b and http://h/x@y"
    )


class Raising(httpx.BaseTransport):
    """A transport that fails every request the same way, counting the attempts."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.attempts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        raise self.error


def _connect_error(errno: int) -> httpx.ConnectError:
    try:
        raise socket.gaierror(errno, os.strerror(errno) if errno > 0 else "name error")
    except socket.gaierror as cause:
        error = httpx.ConnectError("[Errno -2] Name or service not known")
        error.__cause__ = cause
        return error


def test_a_request_that_cannot_be_formed_here_is_not_retried(
    make_client: MakeClient, recorder: Recorder
) -> None:
    transport = Raising(httpx.LocalProtocolError("Illegal header value"))
    client = make_client(transport)
    with pytest.raises(TransportError) as caught:
        client.get_billing(ORG)
    assert (transport.attempts, recorder.sleeps) == (1, [])
    assert str(caught.value) == (
        f"GET /orgs/{ORG}/copilot/billing: the request could not be sent: "
        "LocalProtocolError (Illegal header value)"
    )


def test_a_host_that_does_not_resolve_is_not_retried(
    make_client: MakeClient, recorder: Recorder
) -> None:
    transport = Raising(_connect_error(socket.EAI_NONAME))
    client = make_client(transport, api_url="https://api.nowhere.example")
    with pytest.raises(TransportError) as caught:
        client.get_billing(ORG)
    assert (transport.attempts, recorder.sleeps) == (1, [])
    assert str(caught.value) == (
        f"GET /orgs/{ORG}/copilot/billing: the host api.nowhere.example cannot be resolved; "
        "check --api-url / $GITHUB_API_URL and this machine's DNS"
    )


def test_a_temporary_dns_failure_is_retried(make_client: MakeClient, recorder: Recorder) -> None:
    transport = Raising(_connect_error(socket.EAI_AGAIN))
    client = make_client(transport, retries=2)
    with pytest.raises(TransportError):
        client.get_billing(ORG)
    assert (transport.attempts, len(recorder.sleeps)) == (3, 2)


def test_every_wait_is_announced_with_its_attempt_reason_and_seconds(sim: Simulator) -> None:
    waits: list[str] = []
    slept: list[float] = []
    from reconciler.github import ClientSettings, GitHubClient
    from tests.helpers.worlds import TOKEN

    sim.set_faults(error_rate=1.0)
    with (
        GitHubClient(
            ClientSettings(retries=2),
            TokenAuth(TOKEN),
            transport=sim.transport(),
            on_wait=waits.append,
            sleep=slept.append,
        ) as client,
        pytest.raises(ReconcilerError),
    ):
        client.get_billing(ORG)
    assert len(waits) == len(slept) == 2
    for attempt, (line, seconds) in enumerate(zip(waits, slept, strict=True), start=1):
        assert line.startswith(f"waiting {seconds:.1f} s: ")
        assert f"on GET /orgs/{ORG}/copilot/billing (retry {attempt} of 2)" in line
