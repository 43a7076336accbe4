"""How long ``ktr --help`` and ``ktr validate`` of this repository's ``topics/`` take.

Each is run R times as a whole process (``python -m reconciler ...``, from
start to exit, interpreter start-up and imports included), alternating with
a bare ``python -c pass`` for the interpreter's own start-up. It prints the
median wall time with its range, and the modules that would make a command
slow to start which each one imported (there should be none). Target: both
under 150 ms.

    python benchmarks/bench_startup.py [--repeat R]     # default R=11
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "ktr --help": [sys.executable, "-m", "reconciler", "--help"],
    "ktr validate": [sys.executable, "-m", "reconciler", "validate", "topics"],
}
# Slow to import, and needed by neither command.
HEAVY = ("confluent_kafka", "jsonschema", "deepdiff", "pydantic", "rich")


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def heavy_imports(argv: list[str]) -> list[str]:
    """The HEAVY packages the command imports (run once more, with ``-X importtime``)."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    return sorted(name for name in names if name.split(".")[0] in HEAVY and "." not in name)


def main(repeat: int) -> None:
    times: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for argv in COMMANDS.values():
        wall(argv)  # warm the file cache
    for _ in range(repeat):
        for label, argv in COMMANDS.items():
            times[label].append(wall(argv))
    print(f"{repeat} runs each, alternating; median (range), whole processes")
    for label, argv in COMMANDS.items():
        values = times[label]
        heavy = heavy_imports(argv) if label.startswith("ktr") else []
        print(
            f"  {label:16} {statistics.median(values) * 1000:6.0f} ms "
            f"({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"
            + (f"; imports {', '.join(heavy)}" if heavy else "")
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[args.index("--repeat") + 1]) if "--repeat" in args else 11)
