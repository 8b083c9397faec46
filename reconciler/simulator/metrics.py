"""The two legacy metrics endpoints (org and team), with deterministic synthetic data.

GitHub closed them on 2026-04-02: from that day on the simulator clock they answer 404 and
point to the usage reports. Before it, a day is reported only if the org (team) had at least
five members with a seat that day; ``since`` may reach at most 100 days back (else 422).
"""

from __future__ import annotations

import bisect
import math
import random
from datetime import date, datetime, timedelta
from typing import Any

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
)
from reconciler.simulator.routing import Context, route
from reconciler.simulator.world import Org, Seat, key

#: The day GitHub switched the legacy metrics endpoints off.
CLOSED_ON = date(2026, 4, 2)
MAX_DAYS_BACK = 100
DEFAULT_DAYS = 28
_SCOPES = ("manage_billing:copilot", "read:org", "read:enterprise")
_DOCS = f"{DOCS}/copilot/copilot-metrics"
_EDITORS = ("vscode", "jetbrains", "neovim", "visualstudio")
_LANGUAGES = ("python", "typescript", "go", "java", "ruby", "rust")


def _day_arg(request: Request, name: str) -> date | None:
    raw = request.arg(name)
    if raw is None or raw == "":
        return None
    try:
        if len(raw) > 10:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            422,
            f"Invalid {name}: expected an ISO 8601 date (YYYY-MM-DD).",
            errors=[{"resource": "CopilotMetrics", "field": name, "code": "invalid"}],
            documentation_url=_DOCS,
        ) from None


def _licensed_per_day(seats: list[Seat]) -> Any:
    """A function day -> number of these seats that existed that day (bisect, not a scan)."""
    created = sorted(s.created_at.date() for s in seats)
    ended = sorted(
        s.pending_cancellation_date for s in seats if s.pending_cancellation_date is not None
    )

    def count(day: date) -> int:
        return bisect.bisect_right(created, day) - bisect.bisect_right(ended, day)

    return count


def _metrics(ctx: Context, request: Request, org: Org, seats: list[Seat], scope: str) -> Response:
    today = ctx.now.date()
    if today >= CLOSED_ON:
        raise ApiError(
            404,
            "This Copilot metrics endpoint was closed on 2026-04-02. Use the Copilot usage "
            f"metrics reports instead: GET /orgs/{org.name}/copilot/metrics/reports/...",
            documentation_url=f"{DOCS}/copilot/copilot-usage-metrics",
        )
    yesterday = today - timedelta(days=1)
    since = _day_arg(request, "since") or today - timedelta(days=DEFAULT_DAYS)
    until = min(_day_arg(request, "until") or yesterday, yesterday)
    if since < today - timedelta(days=MAX_DAYS_BACK):
        raise ApiError(
            422,
            f"Invalid since: metrics are available for at most {MAX_DAYS_BACK} days back.",
            errors=[{"resource": "CopilotMetrics", "field": "since", "code": "invalid"}],
            documentation_url=_DOCS,
        )
    licensed = _licensed_per_day(seats)
    days = []
    day = since
    while day <= until:
        # The five-member rule: no data for a day with fewer than five licensed members.
        if licensed(day) >= 5:
            days.append(day)
        day += timedelta(days=1)
    page, per_page = page_params(request, 100)
    body = [
        _day(ctx.world.seed, scope, d, licensed(d))
        for d in days[(page - 1) * per_page :][:per_page]
    ]
    link = link_header(request, page, per_page, len(days))
    return json_response(200, body, [("Link", link)] if link else [])


def _day(seed: int, scope: str, day: date, licensed: int) -> dict[str, Any]:
    """One day of synthetic metrics, the same for the same seed, scope, day and head count."""
    # Long: it builds GitHub's nested day document in one piece, so its shape reads like the
    # spec's example and can be compared to it field by field.
    rng = random.Random(f"{seed}:{scope}:{day.isoformat()}")
    active = rng.randint(math.ceil(licensed * 0.4), licensed)
    engaged = rng.randint(math.ceil(active * 0.5), active)

    def share(total: int, parts: int) -> list[int]:
        cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
        return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]

    def model(engaged_users: int, **counts: Any) -> dict[str, Any]:
        return {
            "name": "default",
            "is_custom_model": False,
            "custom_model_training_date": None,
            "total_engaged_users": engaged_users,
            **counts,
        }

    editors = []
    for name, users in zip(_EDITORS, share(engaged, len(_EDITORS)), strict=True):
        languages = []
        for language in _LANGUAGES[: rng.randint(1, len(_LANGUAGES))]:
            suggested = rng.randint(users * 5, users * 40 + 1)
            accepted = rng.randint(0, suggested // 3)
            languages.append(
                {
                    "name": language,
                    "total_engaged_users": rng.randint(0, users),
                    "total_code_suggestions": suggested,
                    "total_code_acceptances": accepted,
                    "total_code_lines_suggested": suggested * 3,
                    "total_code_lines_accepted": accepted * 2,
                }
            )
        editors.append(
            {
                "name": name,
                "total_engaged_users": users,
                "models": [model(users, languages=languages)],
            }
        )
    chat_users = rng.randint(0, engaged)
    chat_editors = [
        {
            "name": name,
            "total_engaged_users": users,
            "models": [
                model(
                    users,
                    total_chats=users * rng.randint(1, 8),
                    total_chat_insertion_events=rng.randint(0, users * 3),
                    total_chat_copy_events=rng.randint(0, users * 3),
                )
            ],
        }
        for name, users in zip(_EDITORS, share(chat_users, len(_EDITORS)), strict=True)
    ]
    dotcom = rng.randint(0, engaged)
    pr_users = rng.randint(0, engaged)
    return {
        "date": day.isoformat(),
        "total_active_users": active,
        "total_engaged_users": engaged,
        "copilot_ide_code_completions": {
            "total_engaged_users": engaged,
            "languages": [
                {"name": language, "total_engaged_users": rng.randint(0, engaged)}
                for language in _LANGUAGES
            ],
            "editors": editors,
        },
        "copilot_ide_chat": {"total_engaged_users": chat_users, "editors": chat_editors},
        "copilot_dotcom_chat": {
            "total_engaged_users": dotcom,
            "models": [model(dotcom, total_chats=dotcom * rng.randint(1, 5))],
        },
        "copilot_dotcom_pull_requests": {
            "total_engaged_users": pr_users,
            "repositories": [
                {
                    "name": "octo-repo",
                    "total_engaged_users": pr_users,
                    "models": [model(pr_users, total_pr_summaries_created=pr_users * 2)],
                }
            ],
        },
    }


@route("GET", "/orgs/{org}/copilot/metrics", scopes=_SCOPES)
def org_metrics(ctx: Context, request: Request) -> Response:
    assert ctx.principal is not None
    org = owned_org(ctx.world, ctx.principal, request.params["org"])
    return _metrics(ctx, request, org, list(org.seats.values()), f"org:{key(org.name)}")


@route("GET", "/orgs/{org}/team/{team_slug}/copilot/metrics", scopes=_SCOPES)
def team_metrics(ctx: Context, request: Request) -> Response:
    assert ctx.principal is not None
    org = owned_org(ctx.world, ctx.principal, request.params["org"])
    team = org.teams.get(key(request.params["team_slug"]))
    if team is None:
        raise not_found()
    seats = [org.seats[m] for m in team.members if m in org.seats]
    return _metrics(ctx, request, org, seats, f"team:{key(org.name)}/{key(team.slug)}")
