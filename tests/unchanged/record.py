"""Rewrite ``expected/`` from the code as it is: ``python -m tests.unchanged.record``.

Only for a change that is meant to alter what ktr prints; the diff of
``expected/`` then shows exactly what changed, for review.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.unchanged.scenarios import EXPECTED, SCENARIOS, run


def main() -> None:
    for old in EXPECTED.glob("*.txt"):
        old.unlink()
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory() as tmp:
            for name, output in run(scenario, Path(tmp)).items():
                (EXPECTED / name).write_text(output, encoding="utf-8")
                print(f"wrote {EXPECTED / name}")


if __name__ == "__main__":
    main()
