"""Billing, the seat list, one user's seat, and the four seat mutations."""

from __future__ import annotations

import random
from typing import Any

from reconciler.simulator import shapes
from reconciler.simulator.auth import owned_org
from reconciler.simulator.http import (
    DOCS,
    ApiError,
    Request,
    Response,
    json_response,
    link_header,
    not_found,
    page_params,
    read_json,
)
from reconciler.simulator.routing import Context, route
from reconciler.simulator.world import Org, key

_BILLING = "/orgs/{org}/copilot/billing"
_MANAGE = ("manage_billing:copilot",)
_READ = ("manage_billing:copilot", "read:org")
_DOCS_MANAGEMENT = f"{DOCS}/copilot/copilot-user-management"
SEAT_PAGE_DEFAULT = 50


def _org(ctx: Context, request: Request) -> Org:
    assert ctx.principal is not None
    return owned_org(ctx.world, ctx.principal, request.params["org"])


@route("GET", _BILLING, scopes=_READ)
def get_billing(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    body: dict[str, Any] = {"seat_breakdown": org.breakdown(ctx.now)}
    for name in ("seat_management_setting", "ide_chat", "platform_chat", "cli"):
        body[name] = org.settings[name]
    body["public_code_suggestions"] = org.settings["public_code_suggestions"]
    body["plan_type"] = org.settings["plan_type"]
    return json_response(200, body)


def _perturbed_page(order: list[str], start: int, stop: int, rng: random.Random) -> list[str]:
    """The page of an order in which a few seats swapped places with seats up to a page away.

    Not a reshuffle: max(1, n // 500) swaps per request, so a paginated read may see a seat
    twice or miss one, and a client that re-reads and takes the union converges quickly.
    """
    n = len(order)
    if n < 2:
        return order[start:stop]
    span = max(1, stop - start)
    moved: dict[int, int] = {}
    for _ in range(max(1, n // 500)):
        i = rng.randrange(n)
        j = min(n - 1, max(0, i + rng.randint(-span, span)))
        a, b = moved.get(i, i), moved.get(j, j)
        moved[i], moved[j] = b, a
    return [order[moved.get(p, p)] for p in range(start, min(stop, n))]


@route("GET", f"{_BILLING}/seats", scopes=_READ)
def list_seats(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    page, per_page = page_params(request, SEAT_PAGE_DEFAULT)
    order = org.seat_order()
    start, stop = (page - 1) * per_page, page * per_page
    if ctx.order_rng is not None:
        keys = _perturbed_page(order, start, stop, ctx.order_rng)
    else:
        keys = order[start:stop]
    org_body = shapes.organization(org, request.base_url)
    seats = [shapes.seat(org, org.seats[k], request.base_url, org_body) for k in keys]
    link = link_header(request, page, per_page, len(order))
    headers = [("Link", link)] if link else []
    return json_response(200, {"total_seats": len(order), "seats": seats}, headers)


@route("GET", "/orgs/{org}/members/{username}/copilot", scopes=_READ)
def get_seat(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    user = key(request.params["username"])
    if user not in org.members:
        if user in org.invitations:
            raise ApiError(
                422,
                "The user has a pending organization invitation; the seat is not active yet.",
                errors=[],
            )
        raise not_found()
    seat = org.seats.get(user)
    if seat is None:
        raise not_found()
    return json_response(200, shapes.seat(org, seat, request.base_url))


# --------------------------------------------------------------------------- mutations


def _check_settings(org: Org) -> None:
    """The org settings under which GitHub refuses per-user and per-team assignment."""
    setting = org.settings["seat_management_setting"]
    if setting in ("assign_all", "unconfigured", "disabled"):
        raise ApiError(
            422,
            f"Copilot seat management for {org.name} is set to {setting}: seats can be "
            "assigned to users and teams only when it is assign_selected.",
            errors=[],
            documentation_url=_DOCS_MANAGEMENT,
        )
    if org.settings["public_code_suggestions"] == "unconfigured":
        raise ApiError(
            422,
            f"The policy on suggestions matching public code is not configured for {org.name}; "
            "set it before assigning seats.",
            errors=[],
            documentation_url=_DOCS_MANAGEMENT,
        )


def _names(request: Request, field: str) -> list[str]:
    """The non-empty list of names under ``field``, deduplicated caselessly, or 422."""
    body = read_json(request)
    values = body.get(field) if isinstance(body, dict) else None
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v for v in values)
    ):
        code = "missing_field" if not isinstance(body, dict) or field not in body else "invalid"
        raise ApiError(
            422,
            f"Invalid request: {field} must be a non-empty list of names.",
            errors=[{"resource": "Copilot", "field": field, "code": code}],
            documentation_url=_DOCS_MANAGEMENT,
        )
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(key(value), value)
    return list(seen.values())


def _refuse(field: str, offenders: list[tuple[str, str]], summary: str) -> ApiError:
    errors = [
        {"resource": "Copilot", "field": field, "code": "invalid", "value": name, "message": text}
        for name, text in offenders
    ]
    return ApiError(422, summary, errors=errors, documentation_url=_DOCS_MANAGEMENT)


def _users(org: Org, request: Request) -> list[str]:
    names = _names(request, "selected_usernames")
    strangers = [
        (n, f"{n} is not a member of {org.name}") for n in names if key(n) not in org.members
    ]
    if strangers:
        raise _refuse(
            "selected_usernames",
            strangers,
            "The following users are not members of the organization: "
            + ", ".join(n for n, _ in strangers),
        )
    return [key(n) for n in names]


def _teams(org: Org, request: Request) -> list[str]:
    names = _names(request, "selected_teams")
    unknown = [(n, f"no team {n} in {org.name}") for n in names if key(n) not in org.teams]
    if unknown:
        raise _refuse(
            "selected_teams",
            unknown,
            "The following teams do not exist in the organization: "
            + ", ".join(n for n, _ in unknown),
        )
    return [key(n) for n in names]


@route("POST", f"{_BILLING}/selected_users", scopes=_MANAGE)
def add_users(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    users = _users(org, request)
    _check_settings(org)
    for user in users:
        org.selected_users[user] = org.members[user]
    created, _ = org.refresh(users, ctx.now)
    # Re-adding is allowed and "refreshes" the assignment; it still counts as a change.
    ctx.world.version += 1
    return json_response(201, {"seats_created": created})


@route("DELETE", f"{_BILLING}/selected_users", scopes=_MANAGE)
def remove_users(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    users = _users(org, request)
    _check_settings(org)
    team_only = [
        (org.members[u], f"{org.members[u]}'s seat is assigned through a team")
        for u in users
        if u not in org.selected_users and org.granted(u)
    ]
    if team_only:
        raise _refuse(
            "selected_usernames",
            team_only,
            "Seats assigned through team membership cannot be cancelled individually: "
            + ", ".join(n for n, _ in team_only),
        )
    for user in users:
        org.selected_users.pop(user, None)
    _, cancelled = org.refresh(users, ctx.now)
    ctx.world.version += 1
    return json_response(200, {"seats_cancelled": cancelled})


@route("POST", f"{_BILLING}/selected_teams", scopes=_MANAGE)
def add_teams(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    teams = _teams(org, request)
    _check_settings(org)
    org.selected_teams.update(teams)
    members = {m for t in teams for m in org.teams[t].members}
    created, _ = org.refresh(sorted(members), ctx.now)
    ctx.world.version += 1
    return json_response(201, {"seats_created": created})


@route("DELETE", f"{_BILLING}/selected_teams", scopes=_MANAGE)
def remove_teams(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    teams = _teams(org, request)
    _check_settings(org)
    org.selected_teams.difference_update(teams)
    members = {m for t in teams for m in org.teams[t].members}
    _, cancelled = org.refresh(sorted(members), ctx.now)
    ctx.world.version += 1
    return json_response(200, {"seats_cancelled": cancelled})
