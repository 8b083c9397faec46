"""Content exclusion: GET returns the org's whole rule map, PUT replaces it."""

from __future__ import annotations

from reconciler.simulator.auth import owned_org
from reconciler.simulator.http import DOCS, ApiError, Request, Response, json_response, read_json
from reconciler.simulator.routing import Context, route
from reconciler.simulator.world import Org

_PATH = "/orgs/{org}/copilot/content_exclusion"
_DOCS = f"{DOCS}/copilot/copilot-content-exclusion-management"


def _org(ctx: Context, request: Request) -> Org:
    assert ctx.principal is not None
    return owned_org(ctx.world, ctx.principal, request.params["org"])


@route("GET", _PATH, scopes=("copilot", "read:org"))
def get_rules(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    return json_response(200, {k: list(v) for k, v in org.content_exclusion.items()})


@route("PUT", _PATH, scopes=("copilot",))
def set_rules(ctx: Context, request: Request) -> Response:
    org = _org(ctx, request)
    limit = ctx.faults.content_exclusion_max_bytes
    if len(request.body) > limit:
        raise ApiError(
            413,
            f"Payload too large: the content exclusion rules may take at most {limit} bytes.",
            documentation_url=_DOCS,
        )
    body = read_json(request)
    if not isinstance(body, dict):
        raise ApiError(
            422,
            "Invalid request: the body must map repositories to lists of path patterns.",
            errors=[{"resource": "ContentExclusion", "field": "", "code": "invalid"}],
            documentation_url=_DOCS,
        )
    errors = [
        {
            "resource": "ContentExclusion",
            "field": repo,
            "code": "invalid",
            "message": f"{repo}: expected a list of non-empty path patterns",
        }
        for repo, patterns in body.items()
        if not repo
        or not isinstance(patterns, list)
        or not all(isinstance(p, str) and p for p in patterns)
    ]
    if errors:
        raise ApiError(
            422,
            "Invalid request: every value must be a list of path patterns.",
            errors=errors,
            documentation_url=_DOCS,
        )
    org.content_exclusion = {repo: list(patterns) for repo, patterns in body.items()}
    ctx.world.version += 1
    return json_response(200, {"message": "Content exclusion rules updated."})
