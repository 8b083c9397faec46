"""Running independent reads side by side, in order, failing as a serial loop would; and
reading one page ahead of a serial caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, cast

_T = TypeVar("_T")
_R = TypeVar("_R")


def parallel_map(fn: Callable[[_T], _R], items: Sequence[_T], concurrency: int) -> list[_R]:
    """``[fn(item) for item in items]``, on up to ``concurrency`` threads; same order, and
    the first failure (in item order) is raised after the others were cancelled or ended."""
    if concurrency <= 1 or len(items) <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(fn, item) for item in items]
        try:
            return [future.result() for future in futures]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def one_ahead(items: Iterator[_T]) -> Iterator[_T]:
    """``items``, with the next one fetched on a helper thread while the caller handles
    this one: a serial read still has one request in flight, but turning a page into seats
    (about 3 ms of CPU) no longer waits for the network, nor the network for it."""
    end = object()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next, items, end)
        try:
            while (item := pending.result()) is not end:
                pending = pool.submit(next, items, end)
                yield cast(_T, item)
        finally:
            pending.cancel()
