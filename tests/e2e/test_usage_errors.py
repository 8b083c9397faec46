"""Options checked as usage errors before anything is loaded or read: exit 1, one clear
message listing what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli import cli

WORLD = Path(__file__).resolve().parents[2] / "examples" / "worlds" / "octo-org.yaml"


@pytest.mark.parametrize("command", ["plan", "drift", "apply"])
def test_an_unknown_plan_type_in_a_seat_price_lists_the_known_ones(command: str) -> None:
    # The path does not exist: the usage error comes first, before the configuration.
    args = [command, "nowhere", "--seat-price", "team=5", "--simulate", str(WORLD)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for --seat-price: invalid price 'team=5': unknown plan type"
        " 'team'; the plan types are business, enterprise"
    )


def test_a_known_plan_type_is_priced(tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    # bob's seat is pending cancellation in that world: reactivating it costs a month.
    config.write_text("version: 1\norg: octo-org\nseats:\n  mode: additive\n  users: [bob]\n")
    result = CliRunner().invoke(
        cli, ["plan", str(config), "--seat-price", "Business=10", "--simulate", str(WORLD)]
    )
    assert result.exit_code == 0, result.output
    assert "monthly cost +$10.00" in result.stdout
