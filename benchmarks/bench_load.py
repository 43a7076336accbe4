"""How long loading and validating 10,000 declared topics takes.

Writes a realistic set of declaration files (100 files of 100 topics, each
with configs in units and development/production overlays) into a temporary
directory, then times ``load_declarations`` for no environment (which also
checks every environment) and for one environment. Prints the figures.
Target: under 0.4 s for 10,000 topics with ``--env production``. The
files are those of ``benchmarks/corpus.py``, whose validation and plans
``tests/unchanged`` keeps byte for byte.

    python benchmarks/bench_load.py [TOPICS] [FILES]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import HEADER, team_topic, write_team_files
from reconciler.declarations.resolve import load_declarations


def timed(
    directory: Path, environment: str | None, repeat: int = 3
) -> tuple[float, float, int, int]:
    """Best wall-clock and CPU seconds of ``repeat`` loads, topics loaded, problems found.

    CPU time is printed too because wall-clock time is only meaningful on an
    otherwise idle machine.
    """
    best = best_cpu = float("inf")
    count = problems = 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        declarations = load_declarations([directory], environment)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        count, problems = len(declarations.desired.topics), len(declarations.problems)
    return best, best_cpu, count, problems


def whole_seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def reference_seconds() -> float:
    """A fixed pure-Python workload, to compare figures taken on different machines."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        sum(range(10_000_000))
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    topics = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        size = write_team_files(directory, topics, files)
        print(f"{topics:,} topics in {files} files, {size / 1e6:.1f} MB of YAML")
        print(f"  (reference: sum(range(10_000_000)) takes {reference_seconds():.2f} s CPU here)")
        for environment in (None, "production"):
            seconds, cpu, count, problems = timed(directory, environment)
            label = environment or "no --env (checks every environment)"
            print(
                f"  load_declarations, {label}: {seconds:.2f} s wall, {cpu:.2f} s CPU, "
                f"best of 3 ({count:,} topics, {problems} problems)"
            )
        # What a user waits for: the whole command, start-up included.
        argv = [sys.executable, "-m", "reconciler", "validate", str(directory)]
        runs = sorted(whole_seconds([*argv, "--env", "production"]) for _ in range(5))
        print(
            f"  ktr validate --env production as a process: {statistics.median(runs):.2f} s "
            f"wall, median of 5 ({runs[0]:.2f}-{runs[-1]:.2f})"
        )
        one = directory / "one-file"
        one.mkdir()
        (one / "all.yaml").write_text(
            HEADER + "".join(team_topic(n) for n in range(topics)), encoding="utf-8"
        )
        seconds, cpu, _, _ = timed(one, "production")
        print(f"  the same in one file, production: {seconds:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
