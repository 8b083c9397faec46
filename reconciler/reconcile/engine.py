"""The reconciliation loop: read the live state, plan, guard, apply, verify.

This module wires the pure planner to the client; it holds no policy of its own beyond the
order of the guards, which is the safety contract of the product:

1. a configuration that fails to load never gets here (the CLI loads it first);
2. a read that fails raises before anything is planned: never an empty live state;
3. a saved plan whose live fingerprint no longer matches is refused (stale);
4. the safety thresholds are checked before asking for confirmation;
5. after applying, the org is read again. The API shows one grant per seat, so a seat the plan
   cancels may turn out to hold another grant (a direct one, or a second selected team) once
   the first is gone. Follow-up rounds are allowed only while every seat they cancel is one
   the approved plan already cancels; anything else that still differs is reported as
   non-convergence.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from reconciler.errors import ApplyError, NotConfirmedError, StalePlanError
from reconciler.github import GitHubClient
from reconciler.github.reader import read_live_state
from reconciler.model import DesiredState, LiveState, key
from reconciler.plan import Change, Plan, check_safety
from reconciler.plan.planner import plan as make_plan
from reconciler.reconcile.steps import StepResult, describe_change, execute

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
        now = self._clock()
        live = self.read(desired, now=now)
        return make_plan(desired, live, today=now.date(), now=now, prices=self._prices)

    def apply(
        self,
        desired: DesiredState,
        *,
        saved: Plan | None = None,
        force: bool = False,
        confirm: Callable[[Plan], bool] = lambda _plan: True,
        on_step: Callable[[StepResult], None] | None = None,
    ) -> ApplyOutcome:
        """Re-read and re-plan, run the guards, apply, and verify convergence."""
        fresh = self.plan(desired)
        if saved is not None and saved.live_fingerprint != fresh.live_fingerprint:
            raise StalePlanError(
                "the live state changed since the saved plan was made "
                f"({saved.live_fingerprint[:19]}… then, {fresh.live_fingerprint[:19]}… now): "
                "run `plan` again and review the new plan"
            )
        approved = saved if saved is not None else fresh
        check_safety(approved, desired, force=force)
        if not approved.has_changes:
            return ApplyOutcome(approved, (), 0)
        if not confirm(approved):
            raise NotConfirmedError("apply cancelled: nothing was changed")

        steps = list(execute(self._client, approved.changes, on_step=on_step))
        rounds = 1
        residual = self.plan(desired).changes
        while residual and rounds < MAX_ROUNDS and _is_follow_up(residual, approved):
            steps += execute(self._client, residual, on_step=on_step)
            rounds += 1
            residual = self.plan(desired).changes
        if residual and self._settle_s > 0:
            # GitHub's reads can lag its writes by a moment: look once more before crying wolf.
            self._sleep(self._settle_s)
            residual = self.plan(desired).changes
        if residual:
            raise ApplyError(
                "apply finished but the live state has not converged; still different:",
                done=[step.describe() for step in steps],
                not_done=[describe_change(change) for change in residual],
            )
        return ApplyOutcome(approved, tuple(steps), rounds)


def cancelled_by(changes: Iterable[Change]) -> set[tuple[str, str]]:
    """Every (org, login) whose seat ``changes`` cancel, directly or through a team."""
    return {
        (key(change.org), key(login))
        for change in changes
        for login in (change.users if change.action == "remove_users" else change.cancelled_logins)
        if change.action in ("remove_users", "remove_teams")
    }


def _is_follow_up(residual: tuple[Change, ...], approved: Plan) -> bool:
    """True when what is left only finishes what the approved plan started: grants to desired
    users, and cancellations of seats the approved plan already cancels (their holders had
    another grant the API could not show)."""
    if any(change.action == "set_content_exclusion" for change in residual):
        return False
    return cancelled_by(residual) <= cancelled_by(approved.changes)
