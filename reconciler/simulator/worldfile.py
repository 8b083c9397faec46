"""The world file (docs/simulator.md): a mapping <-> :class:`World`, and atomic file I/O.

Parsing collects every problem and raises one :class:`~reconciler.errors.ConfigError`; the
problems carry the file's line and column when the world came from a file. Files are read
with the fast parsers (libyaml, json) and only re-read for positions when a problem was found,
so that a world of 100,000 seats loads in a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from reconciler.errors import ConfigError, Problem
from reconciler.files import write_atomic
from reconciler.model import Source
from reconciler.simulator.ids import stable_int
from reconciler.simulator.world import (
    SETTING_VALUES,
    App,
    Clock,
    Enterprise,
    Org,
    Seat,
    Team,
    Token,
    World,
    cycle_start,
    key,
)
from reconciler.timestamps import format_time, parse_day, parse_time
from reconciler.typing import KeyPath

Locate = Callable[[KeyPath], tuple[int, int]]

_SEAT_FIELDS = (
    "created_at",
    "updated_at",
    "pending_cancellation_date",
    "last_activity_at",
    "last_activity_editor",
    "last_authenticated_at",
    "plan_type",
)
_ORG_KEYS = {
    "owners",
    "settings",
    "members",
    "teams",
    "selected_teams",
    "selected_users",
    "seats",
    "content_exclusion",
    "invitations",
    "description",
}


class _Parser:
    """Builds a World from a mapping, collecting (path, message) problems."""

    def __init__(self) -> None:
        self.problems: list[tuple[KeyPath, str]] = []

    def fail(self, path: KeyPath, message: str) -> None:
        self.problems.append((path, message))

    def mapping(self, value: object, path: KeyPath) -> Mapping[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, "expected a mapping")
            return {}
        return value

    def names(self, value: object, path: KeyPath) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(path, "expected a list of names")
            return []
        return value

    def time(self, value: object, path: KeyPath) -> datetime | None:
        try:
            return parse_time(value)
        except ValueError as error:
            self.fail(path, str(error))
            return None

    def day(self, value: object, path: KeyPath) -> date | None:
        try:
            return parse_day(value)
        except ValueError as error:
            self.fail(path, str(error))
            return None

    def world(self, data: Mapping[str, Any]) -> World:
        known = {"now", "tokens", "orgs", "enterprises", "apps", "seed"}
        for name in data:
            if name not in known:
                self.fail((str(name),), f"unknown key {name!r} (known: {', '.join(sorted(known))})")
        world = World()
        if data.get("now") is not None:
            world.clock = Clock(self.time(data["now"], ("now",)))
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            self.fail(("seed",), "expected an integer")
        else:
            world.seed = seed
        for token, spec in self.mapping(data.get("tokens"), ("tokens",)).items():
            self.token(world, str(token), spec, ("tokens", str(token)))
        now = world.clock.now().replace(microsecond=0)
        for name, spec in self.mapping(data.get("orgs"), ("orgs",)).items():
            org = self.org(str(name), self.mapping(spec, ("orgs", str(name))), now)
            world.orgs[key(org.name)] = org
        for slug, spec in self.mapping(data.get("enterprises"), ("enterprises",)).items():
            self.enterprise(world, str(slug), spec, ("enterprises", str(slug)))
        for app_id, spec in self.mapping(data.get("apps"), ("apps",)).items():
            self.app(world, str(app_id), spec, ("apps", str(app_id)))
        return world

    def token(self, world: World, token: str, spec: object, path: KeyPath) -> None:
        body = self.mapping(spec, path)
        login = body.get("login")
        if not isinstance(login, str) or not login:
            self.fail((*path, "login"), "a token needs the login of its user")
            return
        scopes = self.names(body.get("scopes"), (*path, "scopes"))
        expires = body.get("expires_at")
        expires_at = self.time(expires, (*path, "expires_at")) if expires is not None else None
        world.tokens[token] = Token(login, frozenset(scopes), expires_at)

    def org(self, name: str, spec: Mapping[str, Any], now: datetime) -> Org:
        path: KeyPath = ("orgs", name)
        for field_name in spec:
            if field_name not in _ORG_KEYS:
                self.fail((*path, str(field_name)), f"unknown org key {field_name!r}")
        org = Org(name, description=spec.get("description"))
        for login in self.names(spec.get("owners"), (*path, "owners")):
            org.owners[key(login)] = org.add_member(login)
        for login in self.names(spec.get("members"), (*path, "members")):
            org.add_member(login)
        for login in self.names(spec.get("invitations"), (*path, "invitations")):
            org.invitations[key(login)] = login
        self.settings(org, spec.get("settings"), (*path, "settings"))
        for slug, team_spec in self.mapping(spec.get("teams"), (*path, "teams")).items():
            tpath = (*path, "teams", str(slug))
            body = self.mapping(team_spec, tpath)
            team = Team(
                str(slug),
                str(body.get("name") or slug),
                description=body.get("description"),
                privacy=str(body.get("privacy", "closed")),
            )
            org.teams[key(team.slug)] = team
            for login in self.names(body.get("members"), (*tpath, "members")):
                org.add_team_member(team, login)
        for slug in self.names(spec.get("selected_teams"), (*path, "selected_teams")):
            if key(slug) not in org.teams:
                self.fail((*path, "selected_teams"), f"team {slug!r} is not defined in teams")
            org.selected_teams.add(key(slug))
        for login in self.names(spec.get("selected_users"), (*path, "selected_users")):
            org.selected_users[key(login)] = org.add_member(login)
        for login, seat_spec in self.mapping(spec.get("seats"), (*path, "seats")).items():
            self.seat(org, str(login), seat_spec, (*path, "seats", str(login)), now)
        for user in list(org.members):
            if user not in org.seats and org.granted(user):
                org.seats[user] = _default_seat(org.members[user], now)
        self.exclusions(org, spec.get("content_exclusion"), (*path, "content_exclusion"))
        org.seat_order()  # sort once at load, not on the first request
        return org

    def settings(self, org: Org, spec: object, path: KeyPath) -> None:
        for name, value in self.mapping(spec, path).items():
            allowed = SETTING_VALUES.get(str(name))
            if allowed is None:
                self.fail((*path, str(name)), f"unknown setting {name!r}")
            elif value not in allowed:
                self.fail((*path, str(name)), f"{name} must be one of {', '.join(allowed)}")
            else:
                org.settings[str(name)] = str(value)

    def seat(self, org: Org, login: str, spec: object, path: KeyPath, now: datetime) -> None:
        body = self.mapping(spec, path)
        for name in body:
            if name not in _SEAT_FIELDS:
                self.fail((*path, str(name)), f"unknown seat field {name!r}")
        user = key(org.add_member(login))
        seat = _default_seat(org.members[user], now)
        for name in ("created_at", "updated_at", "last_activity_at", "last_authenticated_at"):
            if body.get(name) is not None:
                setattr(seat, name, self.time(body[name], (*path, name)) or getattr(seat, name))
        if "updated_at" not in body:
            seat.updated_at = seat.created_at
        if body.get("last_activity_editor") is not None:
            seat.last_activity_editor = str(body["last_activity_editor"])
        if body.get("plan_type") is not None:
            seat.plan_type = str(body["plan_type"])
        if body.get("pending_cancellation_date") is not None:
            day = self.day(body["pending_cancellation_date"], (*path, "pending_cancellation_date"))
            if org.granted(user):
                self.fail(
                    (*path, "pending_cancellation_date"),
                    f"{login} still has a grant (selected_users or a selected team), "
                    "so the seat cannot be pending cancellation",
                )
            elif day is not None:
                seat.pending_cancellation_date = day
                org.note_pending(day)
        elif not org.granted(user):
            self.fail(
                path,
                f"{login} has a seat but no grant: add them to selected_users or a selected "
                "team, or give the seat a pending_cancellation_date",
            )
        org.seats[user] = seat

    def exclusions(self, org: Org, spec: object, path: KeyPath) -> None:
        for repo, patterns in self.mapping(spec, path).items():
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                self.fail((*path, str(repo)), "expected a list of path patterns")
                continue
            org.content_exclusion[str(repo)] = list(patterns)

    def enterprise(self, world: World, slug: str, spec: object, path: KeyPath) -> None:
        body = self.mapping(spec, path)
        ent = Enterprise(slug)
        for name in self.names(body.get("orgs"), (*path, "orgs")):
            if key(name) not in world.orgs:
                self.fail((*path, "orgs"), f"org {name!r} is not defined in orgs")
            ent.orgs.append(key(name))
        for login in self.names(body.get("owners"), (*path, "owners")):
            ent.owners[key(login)] = login
        world.enterprises[key(slug)] = ent

    def app(self, world: World, app_id: str, spec: object, path: KeyPath) -> None:
        body = self.mapping(spec, path)
        public_key = body.get("public_key")
        if not isinstance(public_key, str) or "PUBLIC KEY" not in public_key:
            self.fail((*path, "public_key"), "expected the app's public key in PEM form")
            return
        app = App(app_id, public_key, slug=body.get("slug"))
        installations = self.mapping(body.get("installations"), (*path, "installations"))
        for inst_id, inst in installations.items():
            ipath = (*path, "installations", str(inst_id))
            org_name = self.mapping(inst, ipath).get("org")
            if not isinstance(org_name, str) or key(org_name) not in world.orgs:
                self.fail((*ipath, "org"), "an installation names an org defined in orgs")
                continue
            app.installations[str(inst_id)] = key(org_name)
        world.apps[app_id] = app


def _default_seat(login: str, now: datetime) -> Seat:
    # A seat the world does not describe was granted some days before this billing cycle
    # began; the offset comes from the login so that it is the same on every load.
    start = datetime.combine(cycle_start(now.date()), datetime.min.time(), UTC)
    created = start - timedelta(days=1 + stable_int(login, 60), hours=stable_int(login, 24))
    return Seat(login, created, created)


def parse_world(data: object, *, file: str = "<world>", locate: Locate | None = None) -> World:
    """Build a World from its world-file form; raises ConfigError listing every problem."""
    parser = _Parser()
    if not isinstance(data, Mapping):
        raise ConfigError([Problem(Source(file, 1, 1), "a world file is a mapping")])
    world = parser.world(data)
    if parser.problems:
        problems = []
        for path, message in parser.problems:
            line, column = locate(path) if locate else (1, 1)
            where = ".".join(str(p) for p in path)
            problems.append(Problem(Source(file, line, column), f"{where}: {message}"))
        raise ConfigError(problems)
    return world


def dump_world(world: World) -> dict[str, Any]:
    """The world-file form of ``world``: JSON-serializable, and parsed back to the same world."""
    out: dict[str, Any] = {}
    if world.clock.fixed is not None:
        out["now"] = format_time(world.clock.fixed)
    if world.seed:
        out["seed"] = world.seed
    tokens: dict[str, Any] = {}
    for token, spec in world.tokens.items():
        if spec.installation_org is not None:
            continue  # minted by an app: ephemeral, like on GitHub
        entry: dict[str, Any] = {"login": spec.login, "scopes": sorted(spec.scopes)}
        if spec.expires_at is not None:
            entry["expires_at"] = format_time(spec.expires_at)
        tokens[token] = entry
    out["tokens"] = tokens
    out["orgs"] = {org.name: _dump_org(org) for org in world.orgs.values()}
    if world.enterprises:
        out["enterprises"] = {}
        for ent in world.enterprises.values():
            orgs = [world.orgs[o].name for o in ent.orgs if o in world.orgs]
            entry = {"orgs": orgs}
            if ent.owners:
                entry["owners"] = list(ent.owners.values())
            out["enterprises"][ent.slug] = entry
    if world.apps:
        out["apps"] = {}
        for app in world.apps.values():
            installs = {i: {"org": world.orgs[o].name} for i, o in app.installations.items()}
            app_entry: dict[str, Any] = {"public_key": app.public_key, "installations": installs}
            if app.slug:
                app_entry["slug"] = app.slug
            out["apps"][app.app_id] = app_entry
    return out


def _dump_org(org: Org) -> dict[str, Any]:
    out: dict[str, Any] = {"owners": list(org.owners.values())}
    if org.description is not None:
        out["description"] = org.description
    out["settings"] = dict(org.settings)
    out["members"] = list(org.members.values())
    if org.invitations:
        out["invitations"] = list(org.invitations.values())
    teams: dict[str, Any] = {}
    for team in org.teams.values():
        entry: dict[str, Any] = {"name": team.name, "members": list(team.members.values())}
        if team.description is not None:
            entry["description"] = team.description
        if team.privacy != "closed":
            entry["privacy"] = team.privacy
        teams[team.slug] = entry
    out["teams"] = teams
    out["selected_teams"] = sorted(org.teams[t].slug for t in org.selected_teams)
    out["selected_users"] = list(org.selected_users.values())
    seats: dict[str, Any] = {}
    for user in org.seat_order():
        seat = org.seats[user]
        detail: dict[str, Any] = {"created_at": format_time(seat.created_at)}
        if seat.updated_at != seat.created_at:
            detail["updated_at"] = format_time(seat.updated_at)
        if seat.pending_cancellation_date is not None:
            detail["pending_cancellation_date"] = seat.pending_cancellation_date.isoformat()
        for name in ("last_activity_at", "last_authenticated_at"):
            value = getattr(seat, name)
            if value is not None:
                detail[name] = format_time(value)
        if seat.last_activity_editor is not None:
            detail["last_activity_editor"] = seat.last_activity_editor
        if seat.plan_type is not None:
            detail["plan_type"] = seat.plan_type
        seats[seat.login] = detail
    out["seats"] = seats
    out["content_exclusion"] = {k: list(v) for k, v in org.content_exclusion.items()}
    return out


# --------------------------------------------------------------------------- files


def _yaml_locator(text: str) -> Locate:
    """Positions of paths in a YAML (or JSON) text, composed only when a problem needs them."""

    def locate(path: KeyPath) -> tuple[int, int]:
        try:
            node: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return (1, 1)
        mark = node.start_mark if node else None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if str(k.value) == str(part)]
                if not match:
                    break
                node = match[0][1]
                mark = match[0][0].start_mark
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)

    return locate


def read_world_file(path: str | Path) -> World:
    """Load a world file (YAML, or JSON by extension); ConfigError names the file."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError([Problem(Source(file, 1, 1), f"cannot read: {error.strerror}")]) from None
    try:
        if file.endswith(".json"):
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=yaml.CSafeLoader)
    except json.JSONDecodeError as error:
        raise ConfigError([Problem(Source(file, error.lineno, error.colno), error.msg)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = getattr(error, "problem", None) or str(error)
        raise ConfigError([Problem(Source(file, line, column), str(message))]) from None
    return parse_world(data if data is not None else {}, file=file, locate=_yaml_locator(text))


def write_world_file(path: str | Path, data: Mapping[str, Any]) -> None:
    """Write a world atomically (:func:`reconciler.files.write_atomic`), YAML or JSON; an
    existing YAML file is updated in place, its comments and key order kept
    (:mod:`reconciler.simulator.roundtrip`)."""
    target = Path(path)
    if target.suffix == ".json":
        write_atomic(target, json.dumps(data, indent=2) + "\n")
        return
    from reconciler.simulator.roundtrip import update_yaml  # ruamel: only when writing

    try:
        old = target.read_text(encoding="utf-8")
    except OSError:
        old = ""
    text = update_yaml(old, data) if old.strip() else None
    if text is None:
        text = yaml.dump(dict(data), Dumper=yaml.CSafeDumper, sort_keys=False, width=100)
    write_atomic(target, text)
