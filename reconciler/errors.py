"""The one error tree of copilot-reconciler.

The CLI catches :class:`ReconcilerError` once, prints one line per problem (no traceback) and
exits with :attr:`ReconcilerError.exit_code`. Anything else that escapes is a bug and says so.

::

    ReconcilerError                       exit 1 unless noted
    ├── ConfigError                       the desired-state files are invalid (every Problem)
    ├── RemoteError                       the API failed or answered something unusable
    │   ├── AuthenticationError           401: token missing, invalid or expired
    │   ├── ForbiddenError                403: a scope or permission is missing
    │   ├── NotFoundError                 404: no such org/team, or the token's user is no owner
    │   ├── RateLimitError                the primary or secondary limit will not clear in time
    │   ├── PreconditionError             422: an org setting forbids the call
    │   ├── PayloadTooLargeError          413: the content-exclusion map is too large
    │   ├── IncompleteReadError           a paginated read did not add up: never a partial state
    │   └── TransportError                connection failures that outlived the retries
    ├── RefusedError                      exit 3: the tool declined to act
    │   ├── UnsafePlanError               a safety threshold was exceeded (use --force)
    │   ├── StalePlanError                the live state moved since the saved plan was made
    │   └── NotConfirmedError             no --yes and no terminal, or the user said no
    └── ApplyError                        apply stopped part-way or did not converge
        └── ApplyInterrupted              a signal stopped apply after the request in flight

Messages never contain a token: the client scrubs them before raising.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reconciler.model import Source


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the configuration, at a place in a file."""

    source: Source
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ReconcilerError(Exception):
    """Root of every error the tool reports to its user."""

    exit_code = 1

    def lines(self) -> list[str]:
        """The lines the CLI prints for this error, one per problem."""
        return [str(self)]


class ConfigError(ReconcilerError):
    """The desired state cannot be loaded; carries every problem found, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__(f"{len(self.problems)} problem(s) in the configuration")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class RemoteError(ReconcilerError):
    """The GitHub API (or the simulator) failed, or answered something unusable."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class AuthenticationError(RemoteError):
    """401: the token is missing, invalid or expired."""


class ForbiddenError(RemoteError):
    """403 without a rate limit: a scope or an org role is missing."""


class NotFoundError(RemoteError):
    """404: the org or team does not exist, or the token's user is not an owner."""


class RateLimitError(RemoteError):
    """A rate limit that will not clear within the configured wait bound."""


class PreconditionError(RemoteError):
    """422: the org's Copilot settings forbid the call, or the request named unknowns."""


class PayloadTooLargeError(RemoteError):
    """413: the content-exclusion map is larger than GitHub accepts."""


class IncompleteReadError(RemoteError):
    """A paginated read did not add up (pages shifted twice): nothing partial is returned."""


class TransportError(RemoteError):
    """Connection failures and timeouts that outlived every retry."""


class RefusedError(ReconcilerError):
    """The tool declined to act; nothing was changed."""

    exit_code = 3


class UnsafePlanError(RefusedError):
    """The plan cancels more seats than the safety threshold allows."""


class StalePlanError(RefusedError):
    """The live state no longer matches the one the saved plan was made from."""


class NotConfirmedError(RefusedError):
    """Apply needs --yes, or a terminal on which the user confirms."""


class ApplyError(ReconcilerError):
    """Apply stopped at a failed step, or finished without the org converging."""

    def __init__(
        self, message: str, *, done: Iterable[str] = (), not_done: Iterable[str] = ()
    ) -> None:
        self.done = tuple(done)
        self.not_done = tuple(not_done)
        super().__init__(message)

    def lines(self) -> list[str]:
        out = [str(self)]
        out += [f"  done: {step}" for step in self.done]
        out += [f"  not done: {step}" for step in self.not_done]
        return out


class ApplyInterrupted(ApplyError):
    """Apply was asked to stop (SIGINT, SIGTERM) and did, after the request in flight.

    The CLI sets :attr:`exit_code` per signal (130 for SIGINT, 1 for SIGTERM)."""
