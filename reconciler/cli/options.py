"""Options and helpers the commands share: paths, output, connection, prices, rendering.

``output_options`` turns `-v`/`-q` into a :class:`Terminal` passed as ``terminal``;
``api_options`` adds the connection options of product.md and passes them as ``api``
(an :class:`~reconciler.cli.connection.ApiOptions`), so commands take two values, not seven.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from reconciler.cli.connection import ApiOptions, Connection
from reconciler.typing import Format

if TYPE_CHECKING:
    from reconciler.model import DesiredState
    from reconciler.plan import Plan
    from reconciler.reconcile.engine import Engine

FORMATS = click.Choice(["text", "json", "markdown"])
Command = Callable[..., Any]


#: Back to the start of the line and clear it (ECMA-48 "erase in line"): a progress line is
#: redrawn in place and erased when done, never left in the scrollback.
_ERASE_LINE = "\r\033[K"


class Terminal:
    """Log and progress lines on stderr; progress only when stderr is a terminal.

    A progress line is live until :meth:`finish` erases it; anything else written to the
    terminal (a log line, a result on stdout) must call :meth:`finish` first, or it would
    continue the progress line.
    """

    def __init__(self, *, verbose: int = 0, quiet: bool = False) -> None:
        self.verbose = verbose
        self.quiet = quiet
        self._live_line = False

    def log(self, line: str) -> None:
        """A line shown with -v: waits, retries, requests."""
        if self.verbose:
            self.finish()
            click.echo(line, err=True)

    def wait(self, line: str) -> None:
        """A wait before a retry (attempt, reason, seconds): a log line with -v; otherwise on
        the live line of a terminal, or one line each in a log (a CI job), unless -q. A user
        never sits in front of a silent wait."""
        if self.verbose:
            self.log(line)
        elif self.quiet:
            return
        elif sys.stderr.isatty():
            click.echo(f"\r{line}", err=True, nl=False)
            self._live_line = True
        else:
            click.echo(line, err=True)

    def progress(self, org: str, pages: int, total: int | None) -> None:
        """Redraw the one progress line (a :data:`~reconciler.typing.Progress`)."""
        if self.quiet or not sys.stderr.isatty():
            return
        of_total = f"/{total}" if total else ""
        click.echo(f"{_ERASE_LINE}reading {org}: {pages}{of_total} pages", err=True, nl=False)
        self._live_line = True

    def say(self, line: str) -> None:
        """A line for people, on stderr, unless -q."""
        if not self.quiet:
            self.finish()
            click.echo(line, err=True)

    def result(self, line: str) -> None:
        """A line of results on stdout, printed even with -q."""
        self.finish()
        click.echo(line)

    def finish(self) -> None:
        """Erase the progress line, if one is showing."""
        if self._live_line:
            click.echo(_ERASE_LINE, err=True, nl=False)
            self._live_line = False


def format_option(command: Command) -> Command:
    return click.option(
        "--format",
        "fmt",
        type=FORMATS,
        default="text",
        show_default=True,
        help="Output: text for a terminal, markdown for a pull-request comment, json for scripts.",
    )(command)


def paths_argument(command: Command) -> Command:
    # readable=False: the loader reports an unreadable file as FILE:1:1, like one in a folder.
    path = click.Path(path_type=str, readable=False)
    return click.argument("paths", nargs=-1, type=path)(command)


def output_options(command: Command) -> Command:
    @functools.wraps(command)
    def with_terminal(*args: Any, verbose: int, quiet: bool, **kwargs: Any) -> Any:
        return command(*args, terminal=Terminal(verbose=verbose, quiet=quiet), **kwargs)

    with_terminal = click.option("-q", "--quiet", is_flag=True, help="Print only results.")(
        with_terminal
    )
    return click.option("-v", "--verbose", count=True, help="Say more (waits, retries).")(
        with_terminal
    )


_API_OPTIONS = [
    click.option(
        "--api-url",
        metavar="URL",
        help="API base URL [default: $GITHUB_API_URL, else https://api.github.com].",
    ),
    click.option(
        "--simulate",
        metavar="WORLDFILE",
        type=click.Path(dir_okay=False, path_type=str),
        help="Run against the embedded simulator loaded from WORLDFILE (no network).",
    ),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where to keep the ETag cache [default: the user's cache directory].",
    ),
    click.option("--no-cache", is_flag=True, help="Do not use the ETag cache."),
    click.option(
        "--concurrency",
        default=1,
        show_default=True,
        type=click.IntRange(1, 16),
        help="Parallel reads (GitHub recommends serial; raise it for large orgs).",
    ),
    click.option(
        "--points-per-minute",
        type=click.IntRange(0),
        help="Pace requests to this many points per endpoint and minute (GET 1, write 5) "
        "[default: GitHub's 900 against a remote API, none on loopback; 0: none].",
    ),
    click.option(
        "--response-time-per-minute",
        "response_time_per_minute_s",
        metavar="SECONDS",
        type=click.FloatRange(0),
        help="Pace requests so their response times add up to at most this per minute "
        "[default: GitHub's 90 against a remote API, none on loopback; 0: none].",
    ),
]


def api_options(command: Command) -> Command:
    @functools.wraps(command)
    def with_api(
        *args: Any,
        api_url: str | None,
        simulate: str | None,
        cache_dir: Path | None,
        no_cache: bool,
        concurrency: int,
        points_per_minute: int | None,
        response_time_per_minute_s: float | None,
        **kwargs: Any,
    ) -> Any:
        api = ApiOptions(
            api_url,
            simulate,
            cache_dir,
            no_cache,
            concurrency,
            points_per_minute=points_per_minute,
            response_time_per_minute_s=response_time_per_minute_s,
        )
        return command(*args, api=api, **kwargs)

    for option in reversed(_API_OPTIONS):
        with_api = option(with_api)
    return output_options(with_api)


def _check_prices(
    _ctx: click.Context, _param: click.Parameter, specs: tuple[str, ...]
) -> tuple[str, ...]:
    # A usage error before anything is loaded or read, like click's own checks.
    seat_prices_from(specs)
    return specs


def price_option(command: Command) -> Command:
    return click.option(
        "--seat-price",
        "seat_prices",
        multiple=True,
        metavar="PLAN=USD",
        callback=_check_prices,
        help="Monthly seat price of a plan type, business or enterprise (repeatable)"
        " [default: business=19, enterprise=39].",
    )(command)


def load_config(paths: tuple[str, ...], terminal: Terminal) -> DesiredState:
    """The desired state from PATHS (the current directory when none is given); what a
    folder scan skipped is logged under -v."""
    from reconciler.config import load_desired_state

    desired = load_desired_state(list(paths) or ["."], note=terminal.log)
    # The configuration (64,000 declared users in a large org) and, after each read, the live
    # state live until the command ends: frozen, they are no longer walked by every full
    # collection (0.4 s of a 100,000-seat plan). A CLI process is short, so nothing leaks.
    gc.freeze()
    return desired


def seat_prices_from(specs: tuple[str, ...]) -> dict[str, float] | None:
    """The prices of --seat-price PLAN=USD options (None: the defaults); a usage error when
    one does not parse."""
    if not specs:
        return None
    from reconciler.plan.pricing import parse_prices

    try:
        return parse_prices(specs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--seat-price") from exc


@contextmanager
def connection_for(
    terminal: Terminal, api: ApiOptions, *, persist: bool = False
) -> Iterator[Connection]:
    """A connection opened from ``api`` that reports to ``terminal``; the progress line is
    ended when it closes."""
    from reconciler.cli.connection import open_connection

    try:
        with open_connection(
            api,
            env=os.environ,
            persist=persist,
            log=terminal.log,
            on_wait=terminal.wait,
            progress=terminal.progress,
            say=terminal.say,
        ) as connection:
            yield connection
    finally:
        terminal.finish()


@contextmanager
def engine(
    terminal: Terminal,
    api: ApiOptions,
    *,
    seat_prices: tuple[str, ...] = (),
    persist: bool = False,
) -> Iterator[Engine]:
    """An engine on a connection opened from ``api``; the connection closes (and a simulated
    world is saved when ``persist``) on exit."""
    from reconciler.reconcile.engine import Engine

    prices = seat_prices_from(seat_prices)
    with connection_for(terminal, api, persist=persist) as connection:
        yield Engine(
            connection.client,
            clock=connection.clock,
            prices=prices,
            simulated=connection.simulated,
            after_read=gc.freeze,
        )


def _use_color(stream: TextIO) -> bool:
    # no-color.org: any non-empty NO_COLOR turns colour off.
    return stream.isatty() and not os.environ.get("NO_COLOR")


def emit(plan: Plan, fmt: str, *, max_chars: int | None = None) -> None:
    """Render ``plan`` to stdout; colour only on a terminal and without NO_COLOR; Markdown
    cut under ``max_chars`` (default: what fits in a pull-request comment)."""
    from reconciler.render import render
    from reconciler.render.markdown import MAX_CHARS

    stream = sys.stdout
    color = fmt == "text" and _use_color(stream)
    render(plan, cast(Format, fmt), stream, color=color, max_chars=max_chars or MAX_CHARS)


def max_chars_option(command: Command) -> Command:
    from reconciler.render.markdown import MAX_CHARS, MIN_CHARS

    return click.option(
        "--max-chars",
        type=click.IntRange(min=MIN_CHARS),
        default=MAX_CHARS,
        show_default=True,
        metavar="N",
        help="Markdown only: cut the tables so that the output stays under N characters "
        "(GitHub refuses comments over 65,536; a job summary takes up to 1,048,576).",
    )(command)
