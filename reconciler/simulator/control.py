"""The control API under ``/_simulator/``: world, clock, team membership, faults, stats, and
the report downloads. Control calls get no faults, need no token and are not counted."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reconciler.errors import ConfigError
from reconciler.simulator.http import ApiError, Request, Response, json_response, read_json
from reconciler.timestamps import format_time, parse_time

if TYPE_CHECKING:
    from reconciler.simulator.core import Simulator

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
    if path == "/_simulator/world":
        if method == "GET":
            return json_response(200, sim.world())
        if method == "PUT":
            body = read_json(request)
            if not isinstance(body, dict):
                raise ApiError(422, "A world is a JSON object in the world-file form.")
            try:
                sim.load_world(body)
            except ConfigError as error:
                raise ApiError(422, "Invalid world", errors=error.lines()) from None
            return json_response(200, sim.world())
    elif path == "/_simulator/clock" and method == "POST":
        return _clock(sim, read_json(request))
    elif path == "/_simulator/faults":
        if method == "PUT":
            body = read_json(request)
            if not isinstance(body, dict):
                raise ApiError(422, "Fault settings are a JSON object.")
            try:
                sim.set_faults(**body)
            except (TypeError, ValueError) as error:
                raise ApiError(422, str(error)) from None
            return json_response(200, sim.faults())
        if method == "GET":
            return json_response(200, sim.faults())
    elif path == "/_simulator/limits" and method == "GET":
        return json_response(200, sim.limit_stats())
    elif path == "/_simulator/stats":
        if method == "GET":
            return json_response(200, sim.stats())
        if method == "DELETE":
            sim.reset_stats()
            return Response(204)
    elif (found := _TEAM_MEMBERS.match(path)) and method in ("POST", "DELETE"):
        body = read_json(request)
        login = body.get("login") if isinstance(body, dict) else None
        if not isinstance(login, str) or not login:
            raise ApiError(422, 'Expected {"login": "<login>"}.')
        change = sim.add_team_member if method == "POST" else sim.remove_team_member
        try:
            change(found["org"], found["team"], login)
        except LookupError as error:
            raise ApiError(404, str(error)) from None
        return json_response(200, {"org": found["org"], "team": found["team"], "login": login})
    raise ApiError(404, "Not Found")


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
