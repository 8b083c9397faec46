"""Executing a plan against the API, one change at a time, in the plan's order.

Apply never decides what to change: the planner did. It runs each change through the client
(which chunks names by 100, spaces and retries mutations), reports each step, and on the
first failure stops with what was done and what was not. Because every call we make sets
state (add a grant, remove a grant, replace the map), running apply again after any failure
converges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reconciler.errors import ApplyError, ReconcilerError
from reconciler.github import GitHubClient
from reconciler.plan import Change


@dataclass(frozen=True)
class StepResult:
    """One executed change and what the API said it did."""

    change: Change
    seats_created: int = 0
    seats_cancelled: int = 0

    def describe(self) -> str:
        return describe_change(self.change) + _counts(self)


def describe_change(change: Change) -> str:
    """A one-line description of a change, used in progress lines and error reports."""
    org = change.org
    if change.action == "add_users":
        return f"{org}: grant seats to {_names(change.users)}"
    if change.action == "remove_users":
        return f"{org}: cancel the direct seats of {_names(change.users)}"
    if change.action == "add_teams":
        return f"{org}: select teams {_names(change.teams)}"
    if change.action == "remove_teams":
        return f"{org}: unselect teams {_names(change.teams)}"
    return f"{org}: replace the content-exclusion rules"


def _names(names: Sequence[str], shown: int = 5) -> str:
    head = ", ".join(names[:shown])
    return f"{head} and {len(names) - shown} more" if len(names) > shown else head


def _counts(result: StepResult) -> str:
    if result.change.action in ("add_users", "add_teams"):
        return f" ({result.seats_created} seat(s) activated)"
    if result.change.action in ("remove_users", "remove_teams"):
        return f" ({result.seats_cancelled} seat(s) set to pending cancellation)"
    return ""


def execute_change(client: GitHubClient, change: Change) -> StepResult:
    """Run one change through the client; errors propagate as ReconcilerError."""
    if change.action == "add_users":
        return StepResult(change, seats_created=client.add_users(change.org, change.users))
    if change.action == "add_teams":
        return StepResult(change, seats_created=client.add_teams(change.org, change.teams))
    if change.action == "remove_teams":
        return StepResult(change, seats_cancelled=client.remove_teams(change.org, change.teams))
    if change.action == "remove_users":
        return StepResult(change, seats_cancelled=client.remove_users(change.org, change.users))
    after = change.after or {}
    client.set_content_exclusion(change.org, {repo: list(p) for repo, p in after.items()})
    return StepResult(change)


def execute(
    client: GitHubClient,
    changes: Sequence[Change],
    *,
    on_step: Callable[[StepResult], None] | None = None,
) -> tuple[StepResult, ...]:
    """Run ``changes`` in order; stop at the first failure with an :class:`ApplyError`
    that lists what was done and what was not."""
    done: list[StepResult] = []
    for index, change in enumerate(changes):
        try:
            result = execute_change(client, change)
        except ReconcilerError as error:
            raise ApplyError(
                f"apply stopped at '{describe_change(change)}': {error}",
                done=[step.describe() for step in done],
                not_done=[describe_change(c) for c in changes[index:]],
            ) from error
        done.append(result)
        if on_step is not None:
            on_step(result)
    return tuple(done)
