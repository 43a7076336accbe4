"""``ktr plan --all-clusters`` against the slowest single-cluster plan, on three Tansu brokers.

Three Tansu brokers each hold N topics (default 2,000) with one config
override. The declarations hold the same N topics with development and
production overlays, and ktr.yaml names the three brokers as clusters (one
development, two production). Each repeat runs, as separate processes and
in turn: ``ktr plan --cluster C`` for each cluster, then ``ktr plan
--all-clusters``. It prints the median wall time of each, and per repeat
the ratio of --all-clusters to the slowest single plan of that repeat, with
its median and range. Target: within 1.3x (the clusters are read
concurrently, so the whole costs about the slowest one, not the sum).

    python benchmarks/bench_clusters.py [N] [--repeat R]   # default: 2000, R=5
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def timed(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reconciler", "plan", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"ktr plan {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def main(argv: list[str]) -> None:
    from tests.broker import start_tansu

    repeat = 5
    if "--repeat" in argv:
        at = argv.index("--repeat")
        repeat = int(argv[at + 1])
        del argv[at : at + 2]
    count = int(argv[0]) if argv else 2000
    brokers = [start_tansu() for _ in CLUSTERS]
    try:
        addresses = {name: b.bootstrap for (name, _), b in zip(CLUSTERS, brokers, strict=True)}
        for address in addresses.values():
            populate(address, count)
        with tempfile.TemporaryDirectory() as directory:
            root = Path(directory)
            write_repository(root, count, addresses)
            singles: dict[str, list[float]] = {name: [] for name, _ in CLUSTERS}
            combined: list[float] = []
            ratios: list[float] = []
            for _ in range(repeat):
                this = {name: timed(root, "--cluster", name) for name, _ in CLUSTERS}
                for name, seconds in this.items():
                    singles[name].append(seconds)
                combined.append(timed(root, "--all-clusters"))
                ratios.append(combined[-1] / max(this.values()))
    finally:
        for broker in brokers:
            broker.stop()
    print(f"{count} topics on each of {len(CLUSTERS)} Tansu brokers, {repeat} runs:")
    for name, times in singles.items():
        print(f"  plan --cluster {name:8} median {statistics.median(times):.2f} s")
    print(f"  plan --all-clusters    median {statistics.median(combined):.2f} s")
    print(
        f"  --all-clusters / slowest single: median {statistics.median(ratios):.2f}x "
        f"(range {min(ratios):.2f}x to {max(ratios):.2f}x; target <= 1.3x)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
