"""The ETag cache: unchanged reads cost 304s; identities never share cached bodies."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from reconciler.github import TokenAuth, read_live_state
from reconciler.github.cache import CacheEntry, EtagCache
from reconciler.simulator import Simulator
from tests.helpers.worlds import SCOPES, TOKEN, desired, org_config, org_world, team_names

from .conftest import MakeClient, Recorder

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)
URL = "https://api.github.com/orgs/o/copilot/billing"


def test_an_entry_comes_back_from_another_instance_on_the_same_directory(tmp_path: Path) -> None:
    entry = CacheEntry('W/"abc"', 200, {"seats": [1, 2]}, '<https://x?page=2>; rel="next"')
    first = EtagCache(tmp_path)
    first.put(first.partition(b"token:one"), URL, entry)

    again = EtagCache(tmp_path)

    assert again.get(again.partition(b"token:one"), URL) == entry
    assert again.get(again.partition(b"token:two"), URL) is None


def test_partitions_differ_per_identity_and_per_cache_directory(tmp_path: Path) -> None:
    here, there = EtagCache(tmp_path / "a"), EtagCache(tmp_path / "b")

    names = {
        here.partition(b"token:one"),
        here.partition(b"token:two"),
        there.partition(b"token:one"),
    }

    assert len(names) == 3
    assert all(len(name) == 32 and "one" not in name for name in names)


def test_entries_are_private_files_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    cache = EtagCache(tmp_path)
    partition = cache.partition(b"token:one")
    cache.put(partition, URL, CacheEntry('"1"', 200, {}))
    cache.put(partition, URL, CacheEntry('"2"', 200, {}))

    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())

    assert [p.name for p in files] == [p.name for p in files if not p.name.startswith(".")]
    assert len(files) == 2  # the salt and one entry, rewritten in place
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert cache.get(partition, URL) == CacheEntry('"2"', 200, {})


def test_a_corrupt_or_foreign_entry_is_a_miss(tmp_path: Path) -> None:
    cache = EtagCache(tmp_path)
    partition = cache.partition(b"token:one")
    cache.put(partition, URL, CacheEntry('"1"', 200, {}))
    (entry,) = (p for p in tmp_path.rglob("*.json"))
    entry.write_text("{not json")
    corrupt = cache.get(partition, URL)
    entry.write_text('{"url": "https://elsewhere", "etag": "1", "status": 200, "body": {}}')

    assert (corrupt, cache.get(partition, URL)) == (None, None)


def test_an_unwritable_cache_is_reported_once_and_reads_still_work(
    make_client: MakeClient, recorder: Recorder, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory should be")
    sim = Simulator(org_world(250, 0))

    seats, total = make_client(sim.transport(), cache_dir=blocked / "cache").list_seats("octo-org")

    assert (len(seats), total) == (250, 250)
    assert recorder.logs == ["ETag cache unusable (NotADirectoryError: Not a directory)"]


def test_an_unchanged_org_costs_only_304s_and_a_change_refreshes_one_entry(
    make_client: MakeClient, tmp_path: Path
) -> None:
    sim = Simulator(org_world(450, 3))
    config = desired(org_config(teams=team_names(3)))
    first = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)
    sim.reset_stats()
    again = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)
    unchanged = sim.stats()
    make_client(sim.transport()).set_content_exclusion("octo-org", {"*": ["/new/**"]})
    sim.reset_stats()

    changed = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)

    assert again == first
    assert (unchanged["total"], unchanged["not_modified"]) == (10, 10)
    assert (sim.stats()["total"], sim.stats()["not_modified"]) == (10, 9)
    assert changed.orgs["octo-org"].content_exclusion == {"*": ("/new/**",)}


def test_two_users_never_share_cached_bodies(make_client: MakeClient, tmp_path: Path) -> None:
    world = org_world(250, 1)
    world["tokens"]["second-owner"] = {"login": "second-admin", "scopes": SCOPES}
    world["orgs"]["octo-org"]["owners"].append("second-admin")
    world["orgs"]["octo-org"]["members"].append("second-admin")
    sim = Simulator(world)
    config = desired(org_config(teams=team_names(1)))
    read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)
    sim.reset_stats()

    other = make_client(sim.transport(), cache_dir=tmp_path, auth=TokenAuth("second-owner"))
    read_live_state(other, config, now=READ_AT)

    # Same bodies, same ETags, yet the second user's cache partition is empty.
    assert (sim.stats()["total"], sim.stats()["not_modified"]) == (6, 0)
    assert TOKEN not in {p.name for p in tmp_path.iterdir()}


def test_without_a_cache_directory_nothing_is_written(
    make_client: MakeClient, tmp_path: Path
) -> None:
    sim = Simulator(org_world(10, 0))
    before = set(os.listdir(tmp_path))

    make_client(sim.transport()).list_seats("octo-org")

    assert set(os.listdir(tmp_path)) == before


def test_every_directory_the_cache_creates_is_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask, under which mkdir's parents came out 0755
    try:
        cache = EtagCache(tmp_path / "new" / "cache")
        cache.put(cache.partition(b"token:one"), URL, CacheEntry('"1"', 200, {}))
    finally:
        os.umask(previous)

    folders = [tmp_path / "new", *(p for p in (tmp_path / "new").rglob("*") if p.is_dir())]

    assert len(folders) == 5  # new, cache, etag-v1, the partition, the two-hex-digit folder
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {oct(0o700)}
