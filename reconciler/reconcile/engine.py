"""The reconciliation loop: read the live state, plan, guard, apply, verify.

This module wires the pure planner to the client; it holds no policy of its own beyond the
order of the guards, which is the safety contract of the product:

1. a configuration that fails to load never gets here (the CLI loads it first);
2. a read that fails raises before anything is planned: never an empty live state;
3. a saved plan whose live or desired fingerprint no longer matches, or that differs from a
   plan made now, is refused (stale; :mod:`reconciler.reconcile.saved`);
4. the safety thresholds are checked before asking for confirmation;
5. after applying, the org is read again. The API shows one grant per seat, so a seat the plan
   cancels may turn out to hold another grant (a direct one, or a second selected team) once
   the first is gone. Follow-up rounds may only finish what the approved plan started
   (:mod:`reconciler.reconcile.followup`); anything else stops the run before any further
   request and is reported as non-convergence, naming another writer when the live state
   changed in ways no step explains (:mod:`reconciler.reconcile.writers`);
6. a ``stop`` event (SIGINT, SIGTERM) ends the run after the request in flight.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from reconciler.errors import ApplyError, ApplyInterrupted, NotConfirmedError
from reconciler.github import GitHubClient
from reconciler.github.reader import read_live_state
from reconciler.model import DesiredState, LiveState
from reconciler.plan import Change, Plan, check_safety
from reconciler.plan.planner import plan as make_plan
from reconciler.reconcile.followup import is_follow_up
from reconciler.reconcile.saved import check_saved_plan
from reconciler.reconcile.steps import INTERRUPTED, StepResult, describe_change, execute
from reconciler.reconcile.writers import unexplained_changes

#: How long apply waits before one last verifying read against GitHub, whose reads may lag
#: its writes for a moment. The simulator's never do, so it gets no wait.
GITHUB_SETTLE_S = 2.0

#: Rounds of apply in one run: the approved plan, then follow-ups for grants the API hid
#: (each round reveals the next grant of a seat held through several).
MAX_ROUNDS = 4


@dataclass(frozen=True)
class ApplyOutcome:
    """What an apply run did: the plan it executed, each step, and the rounds it took."""

    plan: Plan
    steps: tuple[StepResult, ...]
    rounds: int


class Engine:
    """Reads, plans and applies for one desired state through one client.

    ``simulated`` says the client talks to the simulator, whose reads never lag its writes;
    against GitHub, a verification that still differs is read once more after
    :data:`GITHUB_SETTLE_S` before apply reports non-convergence. ``after_read`` is called
    after each read (the CLI freezes the garbage collector's long-lived objects there).
    """

    def __init__(
        self,
        client: GitHubClient,
        *,
        clock: Callable[[], datetime],
        prices: Mapping[str, float] | None = None,
        simulated: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        after_read: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        self._after_read = after_read
        self._clock = clock
        self._prices = prices
        self._settle_s = 0.0 if simulated else GITHUB_SETTLE_S
        self._sleep = sleep

    def read(self, desired: DesiredState, *, now: datetime | None = None) -> LiveState:
        live = read_live_state(self._client, desired, now=now or self._clock())
        if self._after_read is not None:
            self._after_read()
        return live

    def plan(self, desired: DesiredState) -> Plan:
        """Read the live state and plan against it, both at one moment: the reader skips the
        membership check of users whose seat has expired, so it must agree with the planner
        on what "today" is."""
        return self._survey(desired)[1]

    def _survey(self, desired: DesiredState) -> tuple[LiveState, Plan]:
        now = self._clock()
        live = self.read(desired, now=now)
        return live, make_plan(desired, live, today=now.date(), now=now, prices=self._prices)

    def apply(
        self,
        desired: DesiredState,
        *,
        saved: Plan | None = None,
        force: bool = False,
        confirm: Callable[[Plan], bool] = lambda _plan: True,
        on_step: Callable[[StepResult], None] | None = None,
        stop: threading.Event | None = None,
    ) -> ApplyOutcome:
        """Re-read and re-plan, run the guards, apply, and verify convergence.

        ``stop`` (set by the CLI on SIGINT or SIGTERM) is checked before every request:
        apply then ends after the request in flight with :class:`ApplyInterrupted`, listing
        what was done and what was not.
        """
        before, fresh = self._survey(desired)
        if saved is not None:
            check_saved_plan(saved, fresh)
        approved = saved if saved is not None else fresh
        check_safety(approved, desired, force=force)
        if not approved.has_changes:
            return ApplyOutcome(approved, (), 0)
        if not confirm(approved):
            raise NotConfirmedError("apply cancelled: nothing was changed")

        steps = list(self._execute(approved.changes, (), on_step, stop))
        executed = list(approved.changes)
        rounds = 1
        after, residual = self._survey_changes(desired)
        while residual and rounds < MAX_ROUNDS and is_follow_up(residual, approved, before):
            steps += self._execute(residual, steps, on_step, stop)
            executed += residual
            rounds += 1
            after, residual = self._survey_changes(desired)
        if residual and self._settle_s > 0:
            # GitHub's reads can lag its writes by a moment: look once more before crying wolf.
            self._sleep(self._settle_s)
            after, residual = self._survey_changes(desired)
        if residual:
            raise _not_converged(before, after, executed, steps, residual, approved)
        return ApplyOutcome(approved, tuple(steps), rounds)

    def _execute(
        self,
        changes: Sequence[Change],
        done_before: Sequence[StepResult],
        on_step: Callable[[StepResult], None] | None,
        stop: threading.Event | None,
    ) -> tuple[StepResult, ...]:
        done = execute(self._client, changes, on_step=on_step, stop=stop, done_before=done_before)
        if stop is not None and stop.is_set():
            # Every request was made, but the user asked to stop: no verifying read.
            raise ApplyInterrupted(
                INTERRUPTED,
                done=[step.describe() for step in (*done_before, *done)],
                not_done=["the verifying read (and any follow-up round it would call for)"],
            )
        return done

    def _survey_changes(self, desired: DesiredState) -> tuple[LiveState, tuple[Change, ...]]:
        live, residual = self._survey(desired)
        return live, residual.changes


def _not_converged(
    before: LiveState,
    after: LiveState,
    executed: Sequence[Change],
    steps: Sequence[StepResult],
    residual: tuple[Change, ...],
    approved: Plan,
) -> ApplyError:
    """The error of an apply whose verifying read still differs, saying why it stopped."""
    others = unexplained_changes(before, after, executed)
    if others:
        message = (
            "another writer changed the org during this apply ("
            + "; ".join(others)
            + "); run one apply per org at a time, then apply again. Still different:"
        )
    elif not is_follow_up(residual, approved, before):
        message = (
            "apply stopped before a follow-up round: what is left is not part of the "
            "approved plan (review it with `plan`, then apply again). Still different:"
        )
    else:
        message = "apply finished but the live state has not converged; still different:"
    return ApplyError(
        message,
        done=[step.describe() for step in steps],
        not_done=[describe_change(change) for change in residual],
    )
