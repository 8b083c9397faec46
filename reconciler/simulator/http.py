"""Requests, answers and the HTTP conventions every endpoint shares: GitHub's error bodies,
JSON bodies, ETags, and page/per_page pagination with a ``Link`` header."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode

DOCS = "https://docs.github.com/rest"

#: A served request as both ways in write it out: status, headers, body.
Answer = tuple[int, list[tuple[str, str]], bytes]


class Pipeline(Protocol):
    """The one request pipeline (:meth:`reconciler.simulator.core.Simulator.handle`) that the
    in-process transport and the HTTP server both call."""

    def handle(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        base_url: str,
    ) -> Answer: ...


@dataclass
class Request:
    """One request as the core sees it; header names are lower-case."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    base_url: str
    params: dict[str, str] = field(default_factory=dict)
    template: str = ""

    @classmethod
    def parse(cls, method: str, target: str, headers: Any, body: bytes, base_url: str) -> Request:
        path, _, query = target.partition("?")
        lowered = {str(k).lower(): str(v) for k, v in headers.items()}
        return cls(
            method,  # case-sensitive (RFC 9110 §9.1): `get` is not GET
            path,
            parse_qs(query, keep_blank_values=True),
            lowered,
            body,
            base_url.rstrip("/"),
        )

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass
class Response:
    """One answer: status, headers in order, body bytes."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class ApiError(Exception):
    """An error answer with GitHub's body: ``{"message", "documentation_url"}`` plus
    ``errors`` on 422."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: Sequence[Any] | None = None,
        headers: Sequence[tuple[str, str]] = (),
        documentation_url: str = DOCS,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = list(errors) if errors is not None else None
        self.headers = list(headers)
        self.documentation_url = documentation_url

    def response(self) -> Response:
        body: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        body["documentation_url"] = self.documentation_url
        return json_response(self.status, body, self.headers)


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def json_response(status: int, value: Any, headers: Sequence[tuple[str, str]] = ()) -> Response:
    """A JSON answer; compact separators keep large pages small."""
    body = json.dumps(value, separators=(",", ":")).encode()
    return Response(status, body, [("Content-Type", "application/json; charset=utf-8"), *headers])


def read_json(request: Request) -> Any:
    """The request body as JSON.

    A body that does not parse is "not the documented object": 422, the status the spec
    documents for these operations and api-semantics.md gives such a body, with GitHub's
    message (GitHub itself answers it with 400, which the spec does not list).
    """
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            422,
            "Problems parsing JSON",
            errors=[{"resource": "Request", "field": "body", "code": "invalid"}],
        ) from None


def etag(body: bytes) -> str:
    """A weak ETag over the body (pages are small, so hashing them is cheap)."""
    return 'W/"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'


def etag_matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return tag.removeprefix("W/") in wanted


def page_params(request: Request, default_per_page: int) -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (clamped to 1..100, as GitHub does)."""

    def number(name: str, default: int) -> int:
        raw = request.arg(name)
        try:
            return int(raw) if raw else default
        except ValueError:
            return default

    page = max(1, number("page", 1))
    per_page = min(100, max(1, number("per_page", default_per_page)))
    return page, per_page


def link_header(request: Request, page: int, per_page: int, total: int) -> str | None:
    """RFC 8288 links to the next, last, first and prev pages; None when one page holds all."""
    last = max(1, -(-total // per_page))
    if last == 1 and page == 1:
        return None

    def url(number: int) -> str:
        query = {k: v[-1] for k, v in request.query.items()}
        query["per_page"] = str(per_page)
        query["page"] = str(number)
        return f"{request.base_url}{request.path}?{urlencode(query)}"

    links = []
    if page < last:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links += [f'<{url(1)}>; rel="first"', f'<{url(min(page - 1, last))}>; rel="prev"']
    return ", ".join(links) if links else None
