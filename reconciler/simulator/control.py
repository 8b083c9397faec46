"""The control API under ``/_simulator/``: world, clock, team membership, faults, stats, and
the report downloads. Control calls get no faults, need no token and are not counted."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from reconciler.errors import ConfigError
from reconciler.simulator.http import ApiError, Request, Response, json_response, read_json
from reconciler.timestamps import format_time, parse_time


class Simulator(Protocol):
    """What the control API drives: :class:`reconciler.simulator.core.Simulator`, which
    calls :func:`control` and so is named here by shape, not imported."""

    def world(self) -> dict[str, Any]: ...
    def load_world(self, world: Mapping[str, Any], *, keep_tokens: bool = False) -> None: ...
    def now(self) -> datetime: ...
    def set_now(self, now: datetime) -> None: ...
    def advance(self, days: float) -> None: ...
    def add_team_member(self, org: str, team: str, login: str) -> None: ...
    def remove_team_member(self, org: str, team: str, login: str) -> None: ...
    def set_faults(self, **settings: Any) -> None: ...
    def faults(self) -> dict[str, Any]: ...
    def stats(self) -> dict[str, Any]: ...
    def limit_stats(self) -> dict[str, Any]: ...
    def reset_stats(self) -> None: ...
    def download_report(self, request: Request) -> Response: ...


_TEAM_MEMBERS = re.compile(r"^/_simulator/orgs/(?P<org>[^/]+)/teams/(?P<team>[^/]+)/members$")


def control(sim: Simulator, request: Request) -> Response:
    """Answer one control call (or report download)."""
    try:
        return _dispatch(sim, request)
    except ApiError as error:
        return error.response()


def _dispatch(sim: Simulator, request: Request) -> Response:
    path, method = request.path, request.method
    if path.startswith("/_simulator/reports/") and method == "GET":
        return sim.download_report(request)
    handler = _HANDLERS.get(path)
    if handler is not None:
        return handler(sim, request)
    if (found := _TEAM_MEMBERS.match(path)) and method in ("POST", "DELETE"):
        return _team_member(sim, request, found["org"], found["team"])
    raise ApiError(404, "Not Found")


def _world(sim: Simulator, request: Request) -> Response:
    if request.method == "GET":
        return json_response(200, _without_tokens(sim.world()))
    if request.method != "PUT":
        raise ApiError(404, "Not Found")
    body = read_json(request)
    if not isinstance(body, dict):
        raise ApiError(422, "A world is a JSON object in the world-file form.")
    try:
        # A world read back from GET has no tokens: it keeps the current ones.
        sim.load_world(body, keep_tokens="tokens" not in body)
    except ConfigError as error:
        raise ApiError(422, "Invalid world", errors=error.lines()) from None
    return json_response(200, _without_tokens(sim.world()))


def _faults(sim: Simulator, request: Request) -> Response:
    if request.method == "GET":
        return json_response(200, sim.faults())
    if request.method != "PUT":
        raise ApiError(404, "Not Found")
    body = read_json(request)
    if not isinstance(body, dict):
        raise ApiError(422, "Fault settings are a JSON object.")
    try:
        sim.set_faults(**body)
    except (TypeError, ValueError) as error:
        raise ApiError(422, str(error)) from None
    return json_response(200, sim.faults())


def _limits(sim: Simulator, request: Request) -> Response:
    if request.method != "GET":
        raise ApiError(404, "Not Found")
    return json_response(200, sim.limit_stats())


def _stats(sim: Simulator, request: Request) -> Response:
    if request.method == "GET":
        return json_response(200, sim.stats())
    if request.method == "DELETE":
        sim.reset_stats()
        return Response(204)
    raise ApiError(404, "Not Found")


def _clock_call(sim: Simulator, request: Request) -> Response:
    if request.method != "POST":
        raise ApiError(404, "Not Found")
    return _clock(sim, read_json(request))


def _team_member(sim: Simulator, request: Request, org: str, team: str) -> Response:
    body = read_json(request)
    login = body.get("login") if isinstance(body, dict) else None
    if not isinstance(login, str) or not login:
        raise ApiError(422, 'Expected {"login": "<login>"}.')
    change = sim.add_team_member if request.method == "POST" else sim.remove_team_member
    try:
        change(org, team, login)
    except LookupError as error:
        raise ApiError(404, str(error)) from None
    return json_response(200, {"org": org, "team": team, "login": login})


_HANDLERS: dict[str, Callable[[Simulator, Request], Response]] = {
    "/_simulator/world": _world,
    "/_simulator/clock": _clock_call,
    "/_simulator/faults": _faults,
    "/_simulator/stats": _stats,
    "/_simulator/limits": _limits,
}


def _without_tokens(world: dict[str, Any]) -> dict[str, Any]:
    """The world without its tokens: whoever reaches the control API must not learn
    credentials from it. What is left is still a world file, which PUT takes back."""
    world.pop("tokens", None)
    return world


def _clock(sim: Simulator, body: Any) -> Response:
    if not isinstance(body, dict) or len(body) != 1 or not ({"now", "advance_days"} & set(body)):
        raise ApiError(422, 'Expected {"now": "<timestamp>"} or {"advance_days": N}.')
    if "now" in body:
        try:
            when: datetime = parse_time(body["now"])
        except ValueError as error:
            raise ApiError(422, str(error)) from None
        sim.set_now(when)
    else:
        days = body["advance_days"]
        if isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
            raise ApiError(422, "advance_days must be a non-negative number.")
        sim.advance(float(days))
    return json_response(200, {"now": format_time(sim.now())})
