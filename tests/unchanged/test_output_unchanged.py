"""What ktr prints for the benchmarks' declarations is exactly what it printed before.

Plans (JSON, text, Markdown) and validation problems of the declarations
the benchmarks time, and of files broken in every way the checks know, are
compared byte for byte with ``expected/``. Speed-ups must pass this
unchanged; ``python -m tests.unchanged.record`` rewrites the expectations
when a change is meant to alter the output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unchanged.scenarios import EXPECTED, SCENARIOS, run


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_output_is_byte_for_byte_what_was_recorded(scenario: str, tmp_path: Path) -> None:
    outputs = run(scenario, tmp_path)
    for name, output in outputs.items():
        expected = (EXPECTED / name).read_text(encoding="utf-8")
        assert output == expected, f"{name} differs from {EXPECTED / name}"


def test_every_recorded_output_is_still_produced(tmp_path: Path) -> None:
    produced: set[str] = set()
    for scenario in SCENARIOS:
        (tmp_path / scenario).mkdir()
        produced.update(run(scenario, tmp_path / scenario))
    assert {p.name for p in EXPECTED.glob("*.txt")} == produced
