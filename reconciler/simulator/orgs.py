"""What a reconciler needs from the wider GitHub API: the organization, its teams, team
members, org membership, the authenticated user, and the GitHub App installation endpoints."""

from __future__ import annotations

from typing import Any

from reconciler.simulator import shapes
from reconciler.simulator.auth import (
    find_installation,
    installation,
    member_org,
    mint_installation_token,
)
from reconciler.simulator.http import (
    ApiError,
    Request,
    Response,
    json_response,
    link_header,
    not_found,
    page_params,
)
from reconciler.simulator.routing import Context, route
from reconciler.simulator.world import Org, Team, key

_READ_ORG = ("read:org",)
#: GitHub's default page size for these lists (the Copilot seat list uses 50).
LIST_PAGE_DEFAULT = 30


def _org(ctx: Context, request: Request) -> Org:
    assert ctx.principal is not None
    return member_org(ctx.world, ctx.principal, request.params["org"])


def _team(org: Org, request: Request) -> Team:
    team = org.teams.get(key(request.params["team_slug"]))
    if team is None:
        raise not_found()
    return team


def _paged(request: Request, items: list[Any]) -> Response:
    page, per_page = page_params(request, LIST_PAGE_DEFAULT)
    body = items[(page - 1) * per_page : page * per_page]
    link = link_header(request, page, per_page, len(items))
    return json_response(200, body, [("Link", link)] if link else [])


def organization_full(org: Org, api: str) -> dict[str, Any]:
    """GitHub's full organization object as any authenticated user sees it (the fields only
    owners see, such as ``plan`` and ``billing_email``, are left out)."""
    body = shapes.organization(org, api)
    body.update(
        {
            "name": org.name,
            "company": None,
            "blog": None,
            "location": None,
            "email": None,
            "twitter_username": None,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": f"https://github.com/{org.name}",
            # Orgs carry no history in the world file: a fixed, plausible creation time.
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
            "archived_at": None,
            "type": "Organization",
        }
    )
    return body


@route("GET", "/orgs/{org}")
def get_org(ctx: Context, request: Request) -> Response:
    # Public on GitHub: any authenticated caller may read it, members or not.
    org = ctx.world.orgs.get(key(request.params["org"]))
    if org is None:
        raise not_found()
    return json_response(200, organization_full(org, request.base_url))


@route("GET", "/orgs/{org}/teams", scopes=_READ_ORG)
def list_teams(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    teams = sorted(org.teams.values(), key=lambda t: (t.name.lower(), key(t.slug)))
    return _paged(request, [shapes.team(org, t, request.base_url) for t in teams])


@route("GET", "/orgs/{org}/teams/{team_slug}", scopes=_READ_ORG)
def get_team(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    return json_response(200, shapes.team_full(org, _team(org, request), request.base_url))


@route("GET", "/orgs/{org}/teams/{team_slug}/members", scopes=_READ_ORG)
def list_team_members(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    team = _team(org, request)
    page, per_page = page_params(request, LIST_PAGE_DEFAULT)
    # Only the requested page is built (a team may have thousands of members).
    keys = sorted(team.members)[(page - 1) * per_page : page * per_page]
    body = [shapes.user(team.members[k], request.base_url) for k in keys]
    link = link_header(request, page, per_page, len(team.members))
    return json_response(200, body, [("Link", link)] if link else [])


@route("GET", "/orgs/{org}/members", scopes=_READ_ORG)
def list_members(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    page, per_page = page_params(request, LIST_PAGE_DEFAULT)
    # Only the requested page is built: an org may have 100,000 members.
    keys = sorted(org.members)[(page - 1) * per_page : page * per_page]
    body = [shapes.user(org.members[k], request.base_url) for k in keys]
    link = link_header(request, page, per_page, len(org.members))
    return json_response(200, body, [("Link", link)] if link else [])


@route("GET", "/orgs/{org}/members/{username}", scopes=_READ_ORG)
def check_member(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    if key(request.params["username"]) not in org.members:
        raise ApiError(404, "User does not exist or is not a member of the organization")
    return Response(204)


@route("GET", "/user")
def get_user(ctx: Context, request: Request) -> Response:
    assert ctx.principal is not None
    return json_response(200, shapes.user(ctx.principal.login, request.base_url))


@route("GET", "/orgs/{org}/installation", auth="jwt")
def get_installation(ctx: Context, request: Request) -> Response:
    assert ctx.app is not None
    wanted = key(request.params["org"])
    for raw, org_key in ctx.app.installations.items():
        if org_key == wanted:
            return json_response(200, installation(ctx.world, ctx.app, raw, request.base_url))
    raise not_found()


@route("POST", "/app/installations/{installation_id}/access_tokens", auth="jwt")
def create_installation_token(ctx: Context, request: Request) -> Response:
    assert ctx.app is not None
    raw = find_installation(ctx.app, request.params["installation_id"])
    if raw is None:
        raise not_found()
    return json_response(201, mint_installation_token(ctx.world, ctx.app, raw, now=ctx.auth_now))
