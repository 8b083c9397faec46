"""Opening a connection for a command: the real API, or the embedded simulator.

The CLI turns its options into :class:`ApiOptions` and gets back a :class:`Connection` holding
the client and the clock to plan with. With ``--simulate WORLDFILE`` the world is loaded
in process, the planner's clock is the world's clock (so a fixed ``now`` in the world gives
reproducible plans), and mutations are written back to the file when the connection closes
(in place: a YAML world keeps its comments and key order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reconciler.timestamps import utc_now
from reconciler.typing import Log, Progress

if TYPE_CHECKING:  # the client pulls in httpx: imported only when a connection opens
    from reconciler.github import GitHubClient


@dataclass(frozen=True)
class ApiOptions:
    """The connection options every API command takes."""

    api_url: str | None = None
    simulate: str | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    concurrency: int = 1
    #: GitHub's secondary-limit budgets (None: GitHub's against a remote API, none on loopback).
    points_per_minute: int | None = None
    response_time_per_minute_s: float | None = None


@dataclass(frozen=True)
class Connection:
    """A connected client and the clock that goes with it."""

    client: GitHubClient
    clock: Callable[[], datetime]
    simulated: bool


def _cache_dir(options: ApiOptions) -> Path | None:
    if options.no_cache:
        return None
    if options.cache_dir is not None:
        return options.cache_dir
    # An in-process world is rebuilt from its file on every run; its ETags could collide with
    # those of another world file, so the simulator is only cached when asked for explicitly.
    if options.simulate:
        return None
    from reconciler.github.connect import default_cache_dir

    return default_cache_dir()


@contextmanager
def open_connection(
    options: ApiOptions,
    *,
    env: Mapping[str, str],
    persist: bool = False,
    log: Log | None = None,
    on_wait: Log | None = None,
    progress: Progress | None = None,
    say: Log | None = None,
) -> Iterator[Connection]:
    """Connect to the API or load the simulator; close both (saving the world) on exit.

    With ``persist``, a world file the run changed is written back, and ``say`` is told
    which file and how (``updated WORLD: 2 seat(s) added, 1 cancelled``), even when the run
    ends with an error: what was done is in the file.
    """
    from reconciler.github.connect import connect

    simulator = None
    if options.simulate:
        from reconciler.simulator import Simulator

        simulator = Simulator.from_file(options.simulate, persist=persist)
    try:
        client = connect(
            api_url=options.api_url,
            simulate=simulator,
            env=env,
            cache_dir=_cache_dir(options),
            concurrency=options.concurrency,
            points_per_minute=options.points_per_minute,
            response_time_per_minute_s=options.response_time_per_minute_s,
            log=log,
            on_wait=on_wait,
            progress=progress,
        )
        try:
            clock = simulator.now if simulator is not None else utc_now
            yield Connection(client=client, clock=clock, simulated=simulator is not None)
        finally:
            client.close()
    finally:
        if simulator is not None:
            update = simulator.close()
            if update is not None and say is not None:
                say(f"updated {options.simulate}: {update.describe()}")
