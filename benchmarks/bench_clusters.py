"""``ktr plan --all-clusters`` against the slowest single-cluster plan, on three Tansu brokers.

Three Tansu brokers each hold N topics (default 2,000) with one config
override. The declarations hold the same N topics with development and
production overlays, and ktr.yaml names the three brokers as clusters (one
development, two production). Each repeat runs, as separate processes and
in turn: ``ktr plan --cluster C`` for each cluster, then ``ktr plan
--all-clusters``. It prints the median wall time of each, and per repeat
the ratio of --all-clusters to the slowest single plan of that repeat, with
its median and range, and the CPU time of each process (on a machine busy
with other work, the wall time follows the CPU it can get). Target: within
1.3x (the clusters are read concurrently, so the whole costs about the
slowest one, not the sum).

    python benchmarks/bench_clusters.py [N] [--repeat R]   # default: 2000, R=5
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.measuring import take_option  # noqa: E402

BATCH = 1000  # topics per create request while setting up
CLUSTERS = (("dev", "development"), ("prod-eu", "production"), ("prod-us", "production"))


def populate(bootstrap: str, count: int) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic

    client = AdminClient({"bootstrap.servers": bootstrap})
    names = [f"bench.topic.{i:05d}" for i in range(count)]
    for start in range(0, count, BATCH):
        batch = [
            NewTopic(name, 1, 1, config={"retention.ms": "3600000"})
            for name in names[start : start + BATCH]
        ]
        for future in client.create_topics(batch, request_timeout=60).values():
            future.result()


def write_repository(root: Path, count: int, addresses: dict[str, str]) -> None:
    (root / "topics").mkdir()
    lines = ["topics:"]
    for i in range(count):
        lines += [
            f"  bench.topic.{i:05d}:",
            "    partitions: 1",
            "    replication_factor: 1",
            "    config: {retention.ms: 2h}",
            "    environments:",
            "      development: {config: {retention.ms: 1h}}",
            "      production: {config: {retention.ms: 1d}}",
        ]
    (root / "topics" / "bench.yaml").write_text("\n".join(lines) + "\n")
    clusters = ["clusters:"]
    for name, environment in CLUSTERS:
        clusters += [
            f"  {name}:",
            f"    environment: {environment}",
            f"    bootstrap_servers: {addresses[name]}",
        ]
    (root / "ktr.yaml").write_text("\n".join(clusters) + "\n")


def timed(root: Path, *args: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one ``ktr plan`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reconciler", "plan", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"ktr plan {' '.join(args)} failed: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main(argv: list[str]) -> None:
    from tests.broker import start_tansu

    repeat = int(take_option(argv, "--repeat") or 5)
    count = int(argv[0]) if argv else 2000
    brokers = [start_tansu() for _ in CLUSTERS]
    try:
        addresses = {name: b.bootstrap for (name, _), b in zip(CLUSTERS, brokers, strict=True)}
        for address in addresses.values():
            populate(address, count)
        with tempfile.TemporaryDirectory() as directory:
            root = Path(directory)
            write_repository(root, count, addresses)
            singles: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in CLUSTERS}
            combined: list[tuple[float, float]] = []
            ratios: list[float] = []
            for _ in range(repeat):
                this = {name: timed(root, "--cluster", name) for name, _ in CLUSTERS}
                for name, seconds in this.items():
                    singles[name].append(seconds)
                combined.append(timed(root, "--all-clusters"))
                ratios.append(combined[-1][0] / max(wall for wall, _ in this.values()))
    finally:
        for broker in brokers:
            broker.stop()
    print(f"{count} topics on each of {len(CLUSTERS)} Tansu brokers, {repeat} runs:")
    for name, times in singles.items():
        print(f"  plan --cluster {name:8} {_medians(times)}")
    print(f"  plan --all-clusters    {_medians(combined)}")
    print(
        f"  --all-clusters / slowest single: median {statistics.median(ratios):.2f}x "
        f"(range {min(ratios):.2f}x to {max(ratios):.2f}x; target <= 1.3x)"
    )


def _medians(runs: list[tuple[float, float]]) -> str:
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    return f"median {wall:.2f} s wall, {cpu:.2f} s CPU"


if __name__ == "__main__":
    main(sys.argv[1:])
