"""What a run changed in a world: the account ``apply --simulate WORLD`` gives of the file it
writes back ("updated WORLD: 2 seat(s) added, 1 cancelled")."""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.simulator.world import World


@dataclass(frozen=True)
class WorldSnapshot:
    """The facts of a world that a run may change through the API."""

    active: frozenset[tuple[str, str]]  # (org key, login key) of every active seat
    exclusion: tuple[tuple[str, str], ...]  # (org name, its rule map as text)


@dataclass(frozen=True)
class WorldUpdate:
    """Seats that became active, seats cancelled (now pending or gone), and the orgs whose
    content-exclusion rules were replaced."""

    seats_added: int
    seats_cancelled: int
    exclusion_orgs: tuple[str, ...] = ()

    def describe(self) -> str:
        """``2 seat(s) added, 1 cancelled`` (and the orgs whose rules were replaced)."""
        text = f"{self.seats_added} seat(s) added, {self.seats_cancelled} cancelled"
        if self.exclusion_orgs:
            text += f"; content exclusion replaced in {', '.join(self.exclusion_orgs)}"
        return text


def snapshot(world: World) -> WorldSnapshot:
    """The facts of ``world`` to compare with later."""
    active = frozenset(
        (org_key, user)
        for org_key, org in world.orgs.items()
        for user, seat in org.seats.items()
        if seat.pending_cancellation_date is None
    )
    exclusion = tuple(
        (org.name, repr(sorted(org.content_exclusion.items()))) for org in world.orgs.values()
    )
    return WorldSnapshot(active, exclusion)


def compare(before: WorldSnapshot, after: WorldSnapshot) -> WorldUpdate:
    """What changed from ``before`` to ``after``."""
    then = dict(before.exclusion)
    replaced = tuple(name for name, rules in after.exclusion if then.get(name, rules) != rules)
    return WorldUpdate(
        seats_added=len(after.active - before.active),
        seats_cancelled=len(before.active - after.active),
        exclusion_orgs=replaced,
    )
