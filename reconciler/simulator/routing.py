"""The route table: each API operation is a handler registered with its method, path
template, accepted OAuth scopes and kind of authentication."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import unquote

from reconciler.simulator.auth import Principal
from reconciler.simulator.faults import FaultSettings
from reconciler.simulator.http import Request, Response
from reconciler.simulator.world import App, World


@dataclass
class Context:
    """What a handler may use besides the request. ``now`` is the simulator clock (the
    world's, which may be fixed); ``auth_now`` is the clock credentials expire by."""

    world: World
    now: datetime
    auth_now: datetime
    faults: FaultSettings
    secret: bytes
    principal: Principal | None = None
    app: App | None = None
    order_rng: random.Random | None = None


Handler = Callable[[Context, Request], Response]
AuthKind = Literal["token", "jwt"]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    scopes: tuple[str, ...]
    auth: AuthKind
    pattern: re.Pattern[str]

    @property
    def operation(self) -> str:
        """The stats key: "METHOD /path/{template}"."""
        return f"{self.method} {self.template}"


ROUTES: list[Route] = []


def route(
    method: str, template: str, *, scopes: tuple[str, ...] = (), auth: AuthKind = "token"
) -> Callable[[Handler], Handler]:
    """Register a handler for ``method template``."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, handler, scopes, auth, re.compile(f"^{regex}$")))
        return handler

    return register


def match(method: str, path: str) -> tuple[Route | None, dict[str, str]]:
    """The route for a request and its path parameters; (None, {}) when none matches
    (GitHub answers 404 for an unknown path and for an unsupported method alike)."""
    for candidate in ROUTES:
        if candidate.method != method:
            continue
        found = candidate.pattern.match(path)
        if found:
            return candidate, {k: unquote(v) for k, v in found.groupdict().items()}
    return None, {}
