"""Typed page shapes: the seat list and member lists decoded straight into what is used.

A seat page of GitHub is about 180 KB of JSON (every seat carries full user, team and org
objects); decoding it into dicts and then picking a dozen fields cost a 100,000-seat read
about 0.8 s of CPU and most of its memory. msgspec decodes into these structs, which hold
only the fields a reader uses, in C (about 5x faster) and validates them on the way: a page
of the wrong shape is one :class:`~reconciler.errors.RemoteError` naming the bad spot, never
a partly-read state.

Fields are strings as GitHub sends them (timestamps are parsed where they are used) and
absent ones stay ``UNSET``, so that :func:`to_cached` writes back exactly what was received
of them (the ETag cache stores that form, :meth:`Typed.convert` reads it back).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec
from msgspec import UNSET, UnsetType

from reconciler.errors import RemoteError

_T = TypeVar("_T")


class Assignee(msgspec.Struct):
    """The seat's user (or, rarely, another account type); ``id`` names a login-less one."""

    login: str | UnsetType | None = UNSET
    id: int | UnsetType | None = UNSET
    type: str | UnsetType | None = UNSET


class AssigningTeam(msgspec.Struct):
    slug: str | UnsetType | None = UNSET
    name: str | UnsetType | None = UNSET
    id: int | UnsetType | None = UNSET


class Organization(msgspec.Struct):
    login: str | UnsetType | None = UNSET
    id: int | UnsetType | None = UNSET


class RawSeat(msgspec.Struct):
    """One seat object of ``GET /orgs/{org}/copilot/billing/seats``, trimmed."""

    created_at: str
    assignee: Assignee | UnsetType | None = UNSET
    assigning_team: AssigningTeam | UnsetType | None = UNSET
    organization: Organization | UnsetType | None = UNSET
    updated_at: str | UnsetType | None = UNSET
    pending_cancellation_date: str | UnsetType | None = UNSET
    last_activity_at: str | UnsetType | None = UNSET
    last_activity_editor: str | UnsetType | None = UNSET
    last_authenticated_at: str | UnsetType | None = UNSET
    plan_type: str | UnsetType | None = UNSET

    @property
    def org_login(self) -> str | None:
        organization = self.organization
        return (organization.login or None) if isinstance(organization, Organization) else None


class SeatPage(msgspec.Struct):
    total_seats: int
    seats: list[RawSeat]


class Member(msgspec.Struct):
    """A user of a member list; only the login is used."""

    login: str


class Typed(Generic[_T]):
    """Decodes one kind of page; ``what`` names it in errors ("a seat page of octo-org")."""

    def __init__(self, kind: type[_T], what: str) -> None:
        self._kind = kind
        self._decoder = msgspec.json.Decoder(kind)
        self.what = what

    def decode(self, content: bytes) -> _T:
        """The page; ``ValueError`` for text that is not JSON (a truncated answer, retried),
        :class:`RemoteError` for JSON of the wrong shape."""
        try:
            return self._decoder.decode(content)
        except msgspec.ValidationError as exc:
            raise RemoteError(f"{self.what} is malformed: {exc}") from None
        except msgspec.DecodeError as exc:
            raise ValueError(str(exc)) from None

    def convert(self, cached: Any) -> _T:
        """The page from its cached form (see :func:`to_cached`)."""
        try:
            return msgspec.convert(cached, self._kind)
        except msgspec.ValidationError as exc:
            raise RemoteError(f"{self.what} is malformed: {exc}") from None


def to_cached(value: Any) -> Any:
    """A decoded page as JSON-ready builtins (``UNSET`` fields left out)."""
    return msgspec.to_builtins(value)
