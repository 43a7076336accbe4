"""What the benchmarks share: their options, a measurement in a fresh process, and how
figures are shown."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys


def in_fresh_process(script: str, *args: str) -> dict[str, float]:
    """``script --measure ARGS`` in a process of its own, so that memory figures do not
    mix; the figures are the JSON object on the last line it prints."""
    done = subprocess.run(
        [sys.executable, script, "--measure", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def spread(values: list[float], digits: int = 2) -> str:
    """Median and range, e.g. ``3.61 (3.40-3.95)``."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def take_option(args: list[str], name: str) -> str | None:
    """The value after ``name`` in ``args`` (both then removed), or None if not given."""
    if name not in args:
        return None
    at = args.index(name)
    value = args[at + 1]
    del args[at : at + 2]
    return value
