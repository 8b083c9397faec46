"""Fixtures: clients on an in-process simulator that never really sleep."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.github.auth import Auth
from tests.helpers.worlds import TOKEN

MakeClient = Callable[..., GitHubClient]


class Recorder:
    """What a client said: log lines, progress calls and the sleeps it asked for."""

    def __init__(self) -> None:
        self.logs: list[str] = []
        self.progress: list[tuple[str, int, int | None]] = []
        self.sleeps: list[float] = []

    def on_progress(self, org: str, read: int, total: int | None) -> None:
        self.progress.append((org, read, total))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_client(recorder: Recorder) -> Iterator[MakeClient]:
    """``make_client(transport, auth=..., **settings)``: closed at teardown."""
    made: list[GitHubClient] = []

    def make(
        transport: httpx.BaseTransport,
        *,
        auth: Auth | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        **settings: Any,
    ) -> GitHubClient:
        extra: dict[str, Any] = {"clock": clock} if clock else {}
        client = GitHubClient(
            ClientSettings(**settings),
            auth or TokenAuth(TOKEN),
            transport=transport,
            log=recorder.logs.append,
            progress=recorder.on_progress,
            sleep=sleep or recorder.sleeps.append,
            rng=random.Random(7),
            **extra,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
