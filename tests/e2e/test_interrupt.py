"""A signal sent to a real `apply` mid-step (issue 10, point 3): it stops after the request in
flight, says what was done and what was not, exits 130 (SIGINT) or 1 (SIGTERM), and running
it again converges."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e.conftest import TOKEN, world

USERS = [f"dev{i:04d}" for i in range(1000)]  # ten requests of 100 grants in one step
ORG: dict[str, Any] = {
    "owners": ["octo-admin"],
    "settings": {"plan_type": "business", "seat_management_setting": "assign_selected"},
    "members": ["octo-admin", *USERS],
    "teams": {},
    "selected_teams": [],
    "selected_users": [],
    "content_exclusion": {},
}
CONFIG = {"version": 1, "org": "big-org", "seats": {"users": USERS}}
SERVE = [sys.executable, "-m", "reconciler", "simulator", "serve"]
APPLY = [sys.executable, "-m", "reconciler", "apply"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`simulator serve` on loopback, every answer 150 ms late so that a step is slow."""
    state = tmp_path / "world.yaml"
    state.write_text(yaml.safe_dump(world({"big-org": ORG})))
    port = _free_port()
    server = subprocess.Popen(
        [*SERVE, "--state", str(state), "--port", str(port), "--latency-ms", "150", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # bounded by attempts, not time
            try:
                httpx.get(f"{url}/_simulator/world", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def _apply(url: str, config: Path, out: Path) -> subprocess.Popen[str]:
    # stdout (the plan: tens of KB) goes to a file: a full pipe would block the process.
    with out.open("w") as stdout:
        return subprocess.Popen(
            [*APPLY, str(config), "--yes", "--no-cache", "--api-url", url],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "GITHUB_TOKEN": TOKEN, "NO_COLOR": "1"},
        )


def _granted(url: str) -> int:
    data = httpx.get(f"{url}/_simulator/world", timeout=10.0).json()
    return len(data["orgs"]["big-org"]["selected_users"])


@pytest.mark.slow  # two subprocesses and a slow simulator: about 15 s each
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 1)],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_mid_step_stops_after_the_request_in_flight_and_a_rerun_converges(
    served: str, tmp_path: Path, signum: int, code: int
) -> None:
    config = tmp_path / "big.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    output = tmp_path / "out.txt"
    process = _apply(served, config, output)
    polls = 0
    while _granted(served) == 0 and process.poll() is None and polls < 1000:
        polls += 1
        time.sleep(0.02)  # poll until the first 100 grants have landed: mid-step
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    out = output.read_text()

    assert process.returncode == code, err
    granted = _granted(served)
    assert 100 <= granted < 1000  # stopped part-way through the one step, on a chunk boundary
    assert granted % 100 == 0
    lines = err.splitlines()
    name = signal.Signals(signum).name
    assert lines[0] == (
        f"{name} received: stopping after the request in flight (again to stop at once)"
    )
    assert lines[1] == (
        "apply interrupted: stopped after the request in flight; running `apply` again "
        "converges (it reads the org again and plans only what is left)"
    )
    done = re.fullmatch(
        r"  done: big-org: grant seats to dev0000, .* \((\d+) seat\(s\) activated\)", lines[2]
    )
    assert done is not None, lines
    assert int(done.group(1)) == granted  # what it says it did is what the org shows
    assert lines[3] == (
        f"  not done: big-org: grant seats to dev{granted:04d}, dev{granted + 1:04d}, "
        f"dev{granted + 2:04d}, dev{granted + 3:04d}, dev{granted + 4:04d} and "
        f"{1000 - granted - 5} more"
    )
    assert len(lines) == 4
    assert "Apply complete" not in out

    again = _apply(served, config, output)
    _, err = again.communicate(timeout=120)
    out = output.read_text()
    assert again.returncode == 0, err
    assert "Apply complete in 1 round(s)" in out
    assert f"{1000 - granted} seat(s) activated" in out
    assert _granted(served) == 1000
