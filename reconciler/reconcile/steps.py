"""Executing a plan against the API, one change at a time, in the plan's order.

Apply never decides what to change: the planner did. It runs each change through the client,
100 names per request (the API's limit), reports each step, and on the first failure stops
with what was done and what was not, down to the part of a step that was made. Because
every call we make sets state (add a grant, remove a grant, replace the map), running apply
again after any failure converges.

A caller may pass ``stop`` (a :class:`threading.Event`, set by the CLI on SIGINT or SIGTERM):
it is checked before every request, so apply stops after the request in flight and reports
the part of a step that was done (``600 of 1,510`` grants) as well as the part that was not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reconciler.errors import ApplyError, ApplyInterrupted, ReconcilerError
from reconciler.github import GitHubClient
from reconciler.github.client import CHUNK
from reconciler.plan import Change

#: The message of an interrupted apply: what to do next comes first.
INTERRUPTED = (
    "apply interrupted: stopped after the request in flight; running `apply` again "
    "converges (it reads the org again and plans only what is left)"
)

_Call = Callable[[GitHubClient, str, Sequence[str]], int]
_CALLS: dict[str, tuple[str, _Call]] = {
    "add_users": ("users", GitHubClient.add_users),
    "remove_users": ("users", GitHubClient.remove_users),
    "add_teams": ("teams", GitHubClient.add_teams),
    "remove_teams": ("teams", GitHubClient.remove_teams),
}


@dataclass(frozen=True)
class StepResult:
    """One executed change and what the API said it did."""

    change: Change
    seats_created: int = 0
    seats_cancelled: int = 0

    def describe(self) -> str:
        return describe_change(self.change) + _counts(self)


class _Cut(Exception):
    """A change ended part-way: ``stop`` was set before a request (``error`` None) or a
    request failed. ``done`` is the part of the change already made (None when nothing
    was), ``rest`` the part that was not."""

    def __init__(
        self, done: StepResult | None, rest: Change, error: ReconcilerError | None = None
    ) -> None:
        super().__init__("cut")
        self.done = done
        self.rest = rest
        self.error = error


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


def execute_change(
    client: GitHubClient, change: Change, *, stop: threading.Event | None = None
) -> StepResult:
    """Run one change through the client, one request per 100 names. ``stop`` is checked
    before each request; a stop or a failed request raises ``_Cut`` with the part done."""
    if change.action == "set_content_exclusion":
        if stop is not None and stop.is_set():
            raise _Cut(None, change)
        after = change.after or {}
        try:
            client.set_content_exclusion(change.org, {r: list(p) for r, p in after.items()})
        except ReconcilerError as error:
            raise _Cut(None, change, error) from error
        return StepResult(change)
    field, call = _CALLS[change.action]
    names: tuple[str, ...] = getattr(change, field)
    count = 0
    for start in range(0, len(names), CHUNK):
        done = _result(_part(change, names[:start]), count) if start else None
        if stop is not None and stop.is_set():
            raise _Cut(done, _part(change, names[start:]))
        try:
            count += call(client, change.org, names[start : start + CHUNK])
        except ReconcilerError as error:
            raise _Cut(done, _part(change, names[start:]), error) from error
    return _result(change, count)


def _part(change: Change, names: tuple[str, ...]) -> Change:
    """The change restricted to ``names`` (its users, or its teams)."""
    if change.action in ("add_users", "remove_users"):
        return replace(change, users=names)
    return replace(change, teams=names)


def _result(change: Change, count: int) -> StepResult:
    if change.action.startswith("add_"):
        return StepResult(change, seats_created=count)
    return StepResult(change, seats_cancelled=count)


def execute(
    client: GitHubClient,
    changes: Sequence[Change],
    *,
    on_step: Callable[[StepResult], None] | None = None,
    stop: threading.Event | None = None,
    done_before: Sequence[StepResult] = (),
) -> tuple[StepResult, ...]:
    """Run ``changes`` in order; stop at the first failure with an :class:`ApplyError`, or
    when ``stop`` is set with an :class:`ApplyInterrupted`, each listing what was done
    (``done_before`` first: earlier rounds of the same apply) and what was not."""
    done: list[StepResult] = []
    for index, change in enumerate(changes):
        try:
            result = execute_change(client, change, stop=stop)
        except _Cut as cut:
            made = [*done_before, *done, *([cut.done] if cut.done else [])]
            lines = {
                "done": [step.describe() for step in made],
                "not_done": [describe_change(c) for c in (cut.rest, *changes[index + 1 :])],
            }
            if cut.error is None:
                raise ApplyInterrupted(INTERRUPTED, **lines) from None
            message = f"apply stopped at '{describe_change(cut.rest)}': {cut.error}"
            raise ApplyError(message, **lines) from cut.error
        done.append(result)
        if on_step is not None:
            on_step(result)
    return tuple(done)
