"""Reads of different endpoints side by side, their outcomes claimed in a fixed order.

With ``concurrency`` above 1, :meth:`Overlap.start` runs a read on a worker thread at once
(the client's :class:`~reconciler.github.scheduler.Scheduler` still holds every request to
the global cap); with 1 it runs nothing until the outcome is claimed, so a serial read sends
its requests in exactly the order the caller claims them. Either way a failure surfaces
when (and only when) its outcome is claimed, so the caller decides which error wins.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Pending(Generic[_T]):
    """The outcome of a started read; :meth:`claim` returns it or raises its error."""

    def __init__(self, future: Future[_T] | None, thunk: Callable[[], _T]) -> None:
        self._future = future
        self._thunk = thunk

    def claim(self) -> _T:
        if self._future is not None:
            return self._future.result()
        return self._thunk()


class Overlap:
    """A context manager; on exit (normal or not) unstarted reads are cancelled and running
    ones are waited for, so no request outlives the read that needed it."""

    def __init__(self, concurrency: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=concurrency) if concurrency > 1 else None

    def start(self, read: Callable[[], _T]) -> Pending[_T]:
        future = self._pool.submit(read) if self._pool is not None else None
        return Pending(future, read)

    def __enter__(self) -> Overlap:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
