"""Stable ids for the simulator's users, orgs and teams.

GitHub's ids never change for an object, and clients cache them; so the simulator derives
each from a hash of the object's lower-cased name. The same name gets the same id in every
process and after every restart (unlike ``hash()``, which is salted per process).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from reconciler.simulator.world import key


def stable_int(text: str, modulo: int = 2**31 - 1) -> int:
    """A number derived from ``text`` that is the same in every process (unlike hash())."""
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % modulo


@lru_cache(maxsize=65536)
def user_id(login: str) -> int:
    """The numeric id of a user: stable per login, caselessly."""
    return 1 + stable_int(f"user:{key(login)}", 2**31 - 2)


@lru_cache(maxsize=65536)
def org_id(name: str) -> int:
    """The numeric id of an organization: stable per name, caselessly."""
    return 1 + stable_int(f"org:{key(name)}", 2**31 - 2)


@lru_cache(maxsize=65536)
def team_id(org: str, slug: str) -> int:
    """The numeric id of a team: stable per org and slug, caselessly."""
    return 1 + stable_int(f"team:{key(org)}/{key(slug)}", 2**31 - 2)


@lru_cache(maxsize=65536)
def node_id(kind: str, number: int) -> str:
    """GitHub's legacy node id: base64 of ``0<len(kind)>:<kind><number>`` ("04:User123")."""
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()
