"""`show`: render a plan that `plan --out` saved, without reading the API again.

CI renders one plan twice: in full for the job summary (GitHub takes up to 1 MiB there) and
cut for the pull-request comment (65,536 characters at most). Both come from the one JSON
file, so the comment, the summary and the artifact always describe the same plan.
"""

from __future__ import annotations

from pathlib import Path

import click

from reconciler.cli.app import EXIT_OK, cli
from reconciler.cli.options import Terminal, emit, format_option, max_chars_option, output_options


@cli.command()
@click.argument("plan_file", type=click.Path(dir_okay=False, path_type=Path))
@format_option
@max_chars_option
@output_options
def show(plan_file: Path, fmt: str, max_chars: int, terminal: Terminal) -> int:
    """Render a plan saved by `plan --out` (text, Markdown or JSON)."""
    from reconciler.plan import load_plan

    del terminal  # -v/-q are accepted for symmetry; show has nothing to log
    saved = load_plan(plan_file)
    emit(saved, fmt, max_chars=max_chars)
    return EXIT_OK
