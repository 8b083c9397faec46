"""Usage-metrics reports: the eight endpoints that hand out download links, and the files.

Links are absolute URLs on the simulator itself (built from the base URL the request came
in on) under ``/_simulator/reports/``, signed with an HMAC over path and expiry and valid
for an hour of simulator time. Downloads need no API token (like blob storage: a bad or
expired signature answers 403) and are not counted in stats. User-level files are NDJSON,
one user-day per line, one file per 1,000 users; org- and enterprise-level files are one
JSON object with ``day_totals[]``. Data is synthetic and deterministic: from the world's
seed, the login and the day.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
from datetime import date, datetime, timedelta
from typing import Any

from reconciler.simulator.auth import owned_enterprise, owned_org
from reconciler.simulator.http import DOCS, ApiError, Request, Response, json_response
from reconciler.simulator.ids import org_id, user_id
from reconciler.simulator.routing import Context, route
from reconciler.simulator.world import World, key

#: The first day for which GitHub has usage reports.
FIRST_DAY = date(2025, 10, 10)
_DOCS = f"{DOCS}/copilot/copilot-usage-metrics"
_ORG_SCOPES = ("manage_billing:copilot", "read:org")
_ENT_SCOPES = ("manage_billing:copilot", "read:enterprise")
_FILE = re.compile(
    r"^/_simulator/reports/(?P<scope>orgs|enterprises)/(?P<name>[^/]+)/(?P<level>users|totals)"
    r"/(?P<start>\d{4}-\d{2}-\d{2})/(?P<end>\d{4}-\d{2}-\d{2})/part-(?P<part>\d+)\.(?:ndjson|json)$"
)
_IDES = ("vscode", "jetbrains", "visualstudio", "neovim")
_LANGUAGES = ("python", "typescript", "go", "java", "ruby", "rust")
_FEATURES = ("code_completion", "chat_panel_ask_mode", "chat_panel_agent_mode", "agent_edit")


def _holders(world: World, scope: str, name: str) -> list[str] | None:
    """The seat holders (canonical logins, sorted caselessly) of an org or enterprise."""
    if scope == "orgs":
        org = world.orgs.get(key(name))
        return None if org is None else [org.seats[k].login for k in org.seat_order()]
    ent = world.enterprises.get(key(name))
    if ent is None:
        return None
    found: dict[str, str] = {}
    for org_key in ent.orgs:
        org = world.orgs.get(org_key)
        if org is not None:
            for user, seat in org.seats.items():
                found.setdefault(user, seat.login)
    return [found[k] for k in sorted(found)]


def _sign(secret: bytes, path: str, expires: int) -> str:
    return hmac.new(secret, f"{path}?expires={expires}".encode(), hashlib.sha256).hexdigest()


def _links(
    ctx: Context, request: Request, scope: str, name: str, level: str, start: date, end: date
) -> list[str]:
    holders = _holders(ctx.world, scope, name) or []
    per_file = max(1, ctx.faults.report_users_per_file)
    parts = max(1, -(-len(holders) // per_file)) if level == "users" else 1
    lifetime = timedelta(seconds=ctx.faults.report_link_lifetime_s)
    expires = int((ctx.now + lifetime).timestamp())
    ext = "ndjson" if level == "users" else "json"
    links = []
    for part in range(1, parts + 1):
        path = f"/_simulator/reports/{scope}/{name}/{level}/{start}/{end}/part-{part}.{ext}"
        signature = _sign(ctx.secret, path, expires)
        links.append(f"{request.base_url}{path}?expires={expires}&sig={signature}")
    return links


def _one_day(ctx: Context, request: Request, scope: str, name: str, level: str) -> Response:
    raw = request.arg("day")
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        raise ApiError(
            422,
            "Invalid day: expected a date in YYYY-MM-DD form.",
            errors=[{"resource": "CopilotUsageReport", "field": "day", "code": "invalid"}],
            documentation_url=_DOCS,
        ) from None
    today = ctx.now.date()
    if day >= today:
        return Response(204)  # not published yet
    if day < FIRST_DAY or day < today - timedelta(days=365):
        raise ApiError(
            404,
            f"No report for {day}: reports exist from {FIRST_DAY} and at most one year back.",
            documentation_url=_DOCS,
        )
    links = _links(ctx, request, scope, name, level, day, day)
    return json_response(200, {"download_links": links, "report_day": day.isoformat()})


def _latest(ctx: Context, request: Request, scope: str, name: str, level: str) -> Response:
    end = ctx.now.date() - timedelta(days=1)
    if end < FIRST_DAY:
        raise ApiError(404, "No report has been published yet.", documentation_url=_DOCS)
    start = max(FIRST_DAY, end - timedelta(days=27))
    links = _links(ctx, request, scope, name, level, start, end)
    return json_response(
        200,
        {
            "download_links": links,
            "report_start_day": start.isoformat(),
            "report_end_day": end.isoformat(),
        },
    )


def _org(ctx: Context, request: Request) -> str:
    assert ctx.principal is not None
    return owned_org(ctx.world, ctx.principal, request.params["org"]).name


def _ent(ctx: Context, request: Request) -> str:
    assert ctx.principal is not None
    return owned_enterprise(ctx.world, ctx.principal, request.params["enterprise"]).slug


_ORG = "/orgs/{org}/copilot/metrics/reports"
_ENT = "/enterprises/{enterprise}/copilot/metrics/reports"


@route("GET", f"{_ORG}/organization-1-day", scopes=_ORG_SCOPES)
def org_daily(ctx: Context, request: Request) -> Response:
    return _one_day(ctx, request, "orgs", _org(ctx, request), "totals")


@route("GET", f"{_ORG}/organization-28-day/latest", scopes=_ORG_SCOPES)
def org_latest(ctx: Context, request: Request) -> Response:
    return _latest(ctx, request, "orgs", _org(ctx, request), "totals")


@route("GET", f"{_ORG}/users-1-day", scopes=_ORG_SCOPES)
def org_users_daily(ctx: Context, request: Request) -> Response:
    return _one_day(ctx, request, "orgs", _org(ctx, request), "users")


@route("GET", f"{_ORG}/users-28-day/latest", scopes=_ORG_SCOPES)
def org_users_latest(ctx: Context, request: Request) -> Response:
    return _latest(ctx, request, "orgs", _org(ctx, request), "users")


@route("GET", f"{_ENT}/enterprise-1-day", scopes=_ENT_SCOPES)
def ent_daily(ctx: Context, request: Request) -> Response:
    return _one_day(ctx, request, "enterprises", _ent(ctx, request), "totals")


@route("GET", f"{_ENT}/enterprise-28-day/latest", scopes=_ENT_SCOPES)
def ent_latest(ctx: Context, request: Request) -> Response:
    return _latest(ctx, request, "enterprises", _ent(ctx, request), "totals")


@route("GET", f"{_ENT}/users-1-day", scopes=_ENT_SCOPES)
def ent_users_daily(ctx: Context, request: Request) -> Response:
    return _one_day(ctx, request, "enterprises", _ent(ctx, request), "users")


@route("GET", f"{_ENT}/users-28-day/latest", scopes=_ENT_SCOPES)
def ent_users_latest(ctx: Context, request: Request) -> Response:
    return _latest(ctx, request, "enterprises", _ent(ctx, request), "users")


# --------------------------------------------------------------------------- the files


def _storage_error(code: str, message: str) -> Response:
    # Report files live in blob storage, which answers in XML, not in GitHub's JSON.
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    return Response(403, body, [("Content-Type", "application/xml")])


def download(
    world: World, now: datetime, secret: bytes, request: Request, users_per_file: int = 1000
) -> Response:
    """Serve one report file behind a signed link (the API token is not needed nor read)."""
    found = _FILE.match(request.path)
    if found is None:
        return Response(404, b"", [("Content-Type", "application/xml")])
    expires_raw, signature = request.arg("expires") or "", request.arg("sig") or ""
    if not expires_raw.isdigit() or not hmac.compare_digest(
        _sign(secret, request.path, int(expires_raw)), signature
    ):
        return _storage_error("AuthenticationFailed", "Signature did not match.")
    if int(expires_raw) <= now.timestamp():
        return _storage_error("AuthenticationFailed", "Signed expiry time has passed.")
    holders = _holders(world, found["scope"], found["name"])
    if holders is None:
        return Response(404, b"", [("Content-Type", "application/xml")])
    start, end = date.fromisoformat(found["start"]), date.fromisoformat(found["end"])
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    if found["level"] == "users":
        part = int(found["part"])
        per_file = max(1, users_per_file)
        chunk = holders[(part - 1) * per_file : part * per_file]
        lines = [
            json.dumps(record, separators=(",", ":"))
            for day in days
            for login in chunk
            if (record := user_day(world.seed, login, day, start, end)) is not None
        ]
        body = ("\n".join(lines) + "\n" if lines else "").encode()
        return Response(200, body, [("Content-Type", "application/x-ndjson")])
    totals = _totals(world.seed, found["scope"], found["name"], holders, days)
    return json_response(200, totals)


def user_day(seed: int, login: str, day: date, start: date, end: date) -> dict[str, Any] | None:
    """One user's activity on one day, or None when the user was idle that day."""
    rng = random.Random(f"{seed}:{key(login)}:{day.isoformat()}")
    if rng.random() < 0.3:
        return None
    interactions = rng.randint(1, 60)
    generated = rng.randint(0, 120)
    accepted = rng.randint(0, generated)
    ides = rng.sample(_IDES, rng.randint(1, 2))
    record = {
        "report_start_day": start.isoformat(),
        "report_end_day": end.isoformat(),
        "day": day.isoformat(),
        "user_id": user_id(login),
        "user_login": login,
        "user_initiated_interaction_count": interactions,
        "code_generation_activity_count": generated,
        "code_acceptance_activity_count": accepted,
        "loc_suggested_to_add_sum": generated * 4,
        "loc_added_sum": accepted * 3,
        "used_chat": rng.random() < 0.6,
        "used_agent": rng.random() < 0.3,
        "totals_by_ide": [
            {
                "ide": ide,
                "user_initiated_interaction_count": interactions // len(ides),
                "code_generation_activity_count": generated // len(ides),
                "code_acceptance_activity_count": accepted // len(ides),
            }
            for ide in ides
        ],
        "totals_by_feature": [
            {"feature": feature, "user_initiated_interaction_count": rng.randint(0, interactions)}
            for feature in _FEATURES
        ],
    }
    # Drawn after everything above, so that adding them left the older fields unchanged.
    languages = rng.sample(_LANGUAGES, rng.randint(1, 3))
    record["used_cli"] = rng.random() < 0.2
    record["totals_by_language_feature"] = [
        {
            "language": language,
            "feature": "code_completion",
            "code_generation_activity_count": generated // len(languages),
            "code_acceptance_activity_count": accepted // len(languages),
        }
        for language in languages
    ]
    return record


def _totals(
    seed: int, scope: str, name: str, holders: list[str], days: list[date]
) -> dict[str, Any]:
    """The org- or enterprise-level file: one entry per day, summed from the user-days."""
    start, end = days[0], days[-1]
    day_totals = []
    for day in days:
        records = [r for login in holders if (r := user_day(seed, login, day, start, end))]
        by_ide: dict[str, int] = {}
        for record in records:
            for ide in record["totals_by_ide"]:
                by_ide[ide["ide"]] = by_ide.get(ide["ide"], 0) + 1
        day_totals.append(
            {
                "day": day.isoformat(),
                "daily_active_users": len(records),
                "user_initiated_interaction_count": sum(
                    r["user_initiated_interaction_count"] for r in records
                ),
                "code_generation_activity_count": sum(
                    r["code_generation_activity_count"] for r in records
                ),
                "code_acceptance_activity_count": sum(
                    r["code_acceptance_activity_count"] for r in records
                ),
                "loc_suggested_to_add_sum": sum(r["loc_suggested_to_add_sum"] for r in records),
                "loc_added_sum": sum(r["loc_added_sum"] for r in records),
                "chat_users": sum(1 for r in records if r["used_chat"]),
                "agent_users": sum(1 for r in records if r["used_agent"]),
                "cli_users": sum(1 for r in records if r["used_cli"]),
                "totals_by_ide": [
                    {"ide": ide, "active_users": count} for ide, count in sorted(by_ide.items())
                ],
            }
        )
    body: dict[str, Any] = {
        "report_start_day": start.isoformat(),
        "report_end_day": end.isoformat(),
    }
    if scope == "orgs":
        body["organization_id"] = org_id(name)
        body["organization_login"] = name
    else:
        body["enterprise_slug"] = name
    body["seats_total"] = len(holders)
    body["day_totals"] = day_totals
    return body
