"""Usage reports."""

from __future__ import annotations

from datetime import datetime

from reconciler.simulator.http import ApiError, Request, Response
from reconciler.simulator.world import World


def download(world: World, now: datetime, secret: bytes, request: Request) -> Response:
    raise ApiError(404, "Not Found")
