"""Reads for people rather than for the planner: one user's seat, the two legacy metrics
endpoints, and the usage-metrics reports with their signed download links.

Every API call goes through :meth:`GitHubClient.get` (auth, retries, rate limits, cache).
Report files are fetched from the signed ``download_links`` by a plain httpx client that
shares the API client's transport (so the in-process simulator serves them too) but sends
**no** Authorization header: the links carry their own signature, and the token must never
leave for a storage host. What the API declines to give (a report not published yet, an
expired link, a closed endpoint) comes back as :class:`Unavailable` with an explanation, not
as an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import httpx

from reconciler.errors import RemoteError, TransportError
from reconciler.github.client import GitHubClient, segment
from reconciler.github.replies import json_object
from reconciler.github.requester import USER_AGENT

Scope = Literal["org", "enterprise"]
Level = Literal["totals", "users"]

#: Where GitHub documents the usage reports (pointed to when something is unavailable).
REPORTS_DOCS = "https://docs.github.com/rest/copilot/copilot-usage-metrics"
#: The day GitHub closed the legacy metrics endpoints.
LEGACY_CLOSED_ON = "2026-04-02"
_DOWNLOAD_TRIES = 3
#: A report file larger than this is refused: GitHub splits user-level reports into files of
#: about 1,000 users (tens of MB for 28 days); anything this big is not a report.
MAX_FILE_BYTES = 1024**3


@dataclass(frozen=True)
class Unavailable:
    """Something the API did not give, and why, in words for the report's reader."""

    what: str
    reason: str


@dataclass(frozen=True)
class ReportFiles:
    """A usage report whose files (one per download link) were all handed to the consumer."""

    what: str
    level: Level
    start: date
    end: date
    files: int


#: Receives the content of each report file, in link order, once.
Consume = Callable[[bytes], None]


@dataclass(frozen=True)
class LegacyMetrics:
    """The days the legacy metrics endpoint returned (every page)."""

    what: str
    days: tuple[dict[str, Any], ...]
    pages: int


def get_user_seat(client: GitHubClient, org: str, login: str) -> dict[str, Any] | None:
    """``GET /orgs/{org}/members/{login}/copilot``: the seat, or ``None`` when the user has
    none (GitHub answers 404 both for a member without a seat and for a non-member)."""
    answer = client.get(
        f"/orgs/{segment(org)}/members/{segment(login)}/copilot", org=org, accept=(404,)
    )
    if answer.status == 404:
        return None
    return json_object(answer.body, f"the seat of {login} in {org}")


def legacy_metrics(
    client: GitHubClient,
    org: str,
    team: str | None = None,
    *,
    since: date | None = None,
    per_page: int = 100,
) -> LegacyMetrics | Unavailable:
    """Every day of ``GET /orgs/{org}[/team/{team}]/copilot/metrics`` (pages followed).

    GitHub closed these endpoints on 2026-04-02; their 404 is explained, pointing to the
    usage reports. A 422 (``since`` more than 100 days back) is explained too.
    """
    base = f"/orgs/{segment(org)}"
    path = f"{base}/team/{segment(team)}/copilot/metrics" if team else f"{base}/copilot/metrics"
    what = f"legacy metrics of team {team} in {org}" if team else f"legacy metrics of {org}"
    params: dict[str, str | int] = {"per_page": per_page}
    if since is not None:
        params["since"] = since.isoformat()
    answer = client.get(path, org=org, params=params, accept=(404, 422))
    if answer.status == 404:
        return Unavailable(
            what,
            f"not available (404): GitHub closed the legacy metrics endpoints on "
            f"{LEGACY_CLOSED_ON}; the usage reports above replace them ({REPORTS_DOCS})",
        )
    if answer.status == 422:
        return Unavailable(what, f"refused (422): {_message(answer.body)}")
    days: list[dict[str, Any]] = []
    pages, seen = 1, set()
    while True:
        if not isinstance(answer.body, list):
            raise RemoteError(f"the {what} are not a JSON list")
        days += [day for day in answer.body if isinstance(day, dict)]
        link = answer.links.get("next")
        if not link or link in seen:
            return LegacyMetrics(what, tuple(days), pages)
        seen.add(link)
        answer = client.get(link, org=org)
        pages += 1


_REPORT_PATHS = {
    ("org", "totals"): ("organization-1-day", "organization-28-day/latest"),
    ("org", "users"): ("users-1-day", "users-28-day/latest"),
    ("enterprise", "totals"): ("enterprise-1-day", "enterprise-28-day/latest"),
    ("enterprise", "users"): ("users-1-day", "users-28-day/latest"),
}


def usage_report(
    client: GitHubClient,
    scope: Scope,
    name: str,
    level: Level,
    day: date | None = None,
    *,
    consume: Consume,
) -> ReportFiles | Unavailable:
    """The usage report of an org or enterprise: the 1-day report of ``day``, or the latest
    28-day report when ``day`` is ``None``. Every download link is fetched without the token
    and its content handed to ``consume`` as it arrives, so that one file at a time is held.

    A report not yet published (204), one out of range (404), and links that keep failing
    (expired or refused) come back as :class:`Unavailable`; files consumed before a failure
    are not consumed again when fresh links are asked for (the links keep their order).
    """
    path, what = _report_target(scope, name, level, day)
    org = name if scope == "org" else None
    params: dict[str, str | int] = {"day": day.isoformat()} if day else {}
    failure, done = "", 0
    # A link can expire between the API's answer and its download (they live about an hour):
    # ask for fresh links once before giving up.
    for _attempt in range(2):
        # Never from the ETag cache: a cached answer would hand out links that expired.
        answer = client.get(path, org=org, params=params, accept=(204, 404), cache=False)
        if answer.status in (204, 404):
            return _not_given(answer.status, answer.body, what, scope)
        links, start, end = _links(answer.body, what)
        try:
            for content in _downloads(client, links[done:], what):
                consume(content)
                done += 1
        except _LinkRefused as refused:
            failure = str(refused)
            client.note(f"{what}: {failure}; asking for fresh links")
            continue
        return ReportFiles(what, level, start, end, len(links))
    return Unavailable(
        what,
        f"the download was refused twice ({failure}): signed links expire after about an "
        "hour, so the machine's clock or a slow network may be to blame; run the report again",
    )


def _report_target(scope: Scope, name: str, level: Level, day: date | None) -> tuple[str, str]:
    """The API path of a report and its name for people."""
    daily, latest = _REPORT_PATHS[(scope, level)]
    owner = f"/orgs/{segment(name)}" if scope == "org" else f"/enterprises/{segment(name)}"
    path = f"{owner}/copilot/metrics/reports/{daily if day else latest}"
    kind = "user-level" if level == "users" else f"{scope}-level"
    period = f"1-day report of {day.isoformat()}" if day else "latest 28-day report"
    return path, f"{kind} {period} for {name}"


def _not_given(status: int, body: Any, what: str, scope: Scope) -> Unavailable:
    if status == 204:
        return Unavailable(
            what,
            "not published yet (204): GitHub publishes a day's report after the day ends, "
            "usually within a day; try again later",
        )
    owner = "organization" if scope == "org" else "enterprise"
    return Unavailable(
        what,
        f"not available (404: {_message(body)}): reports exist from 2025-10-10 and at most a "
        f"year back, and only for an owner of the {owner}",
    )


class _LinkRefused(Exception):
    """A signed link answered 401/403/404: expired, or a signature that does not match."""


def _links(body: Any, what: str) -> tuple[list[str], date, date]:
    if not isinstance(body, dict) or not isinstance(body.get("download_links"), list):
        raise RemoteError(f"the {what} answer lacks download_links")
    links = [str(link) for link in body["download_links"]]
    try:
        if "report_day" in body:
            start = end = date.fromisoformat(str(body["report_day"]))
        else:
            start = date.fromisoformat(str(body["report_start_day"]))
            end = date.fromisoformat(str(body["report_end_day"]))
    except (KeyError, ValueError):
        raise RemoteError(f"the {what} answer lacks a valid report day") from None
    return links, start, end


def _downloads(client: GitHubClient, links: Sequence[str], what: str) -> Iterator[bytes]:
    # A client of its own: no Authorization header can leak, whatever the links point to.
    with httpx.Client(
        transport=client.transport,
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(120.0, connect=10.0),
        follow_redirects=True,
    ) as plain:
        for link in links:
            yield _download(client, plain, link, what)


def _download(client: GitHubClient, plain: httpx.Client, link: str, what: str) -> bytes:
    url = httpx.URL(link)
    if url.scheme != "https" and url.host not in ("localhost", "127.0.0.1", "::1"):
        raise RemoteError(f"the {what} links to {url.scheme}://{url.host}: only https is fetched")
    shown = f"{url.scheme}://{url.host}{url.path}"  # the query holds the signature
    for attempt in range(1, _DOWNLOAD_TRIES + 1):
        try:
            with plain.stream("GET", url) as response:
                if response.status_code in (401, 403, 404):
                    raise _LinkRefused(f"{response.status_code} from {shown}")
                if response.status_code < 500:
                    if response.status_code != 200:
                        raise RemoteError(f"{shown}: {response.status_code} for the {what}")
                    return _read_bounded(response, shown)
                reason = f"{response.status_code} from {shown}"
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__} on {shown}"
        if attempt == _DOWNLOAD_TRIES:
            raise TransportError(
                f"the {what}: {reason}, still failing after {attempt} attempts; retry later"
            )
        client.wait(2.0 ** (attempt - 1), reason)
    raise AssertionError("unreachable")  # pragma: no cover


def _read_bounded(response: httpx.Response, shown: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise RemoteError(f"{shown} is larger than {MAX_FILE_BYTES} bytes: not a report")
        chunks.append(chunk)
    return b"".join(chunks)


def _message(body: Any) -> str:
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return "no message"
