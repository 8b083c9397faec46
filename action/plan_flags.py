"""Print two words for action/run.sh: whether a saved plan changes anything, and whether
apply would refuse it ("true"/"false" each).

A plan changes something when it lists changes or settings drift; it is refused when its
``refusals`` (written by plans of format 1 that know refusals) is not empty. Standard
library only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def flags(plan: dict[str, object]) -> tuple[bool, bool]:
    """(has changes, refused) of a plan JSON object."""
    return bool(plan.get("changes") or plan.get("settings_drift")), bool(plan.get("refusals"))


if __name__ == "__main__":
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    has_changes, refused = flags(data)
    print(str(has_changes).lower(), str(refused).lower())
