"""How ``ktr plan`` scales: 5,000 and 10,000 topics on a Tansu broker.

For each size N it starts a fresh Tansu broker, creates N topics, declares
them (each with one config value differing from the cluster), then measures
in separate processes:

- bare: one confluent-kafka AdminClient listing all topics and describing
  all their configs, the least any plan must do;
- plan: the whole ``ktr plan`` pipeline (load the YAML, connect, read the
  cluster, diff, render the text plan).

It prints wall time, the ratio plan/bare, admin requests
(``KafkaAdmin.request_count()``) and peak RSS. Targets: plan within 3x of
bare, requests constant in N, peak RSS under 300 MB.

    python benchmarks/bench_plan.py [N ...]      # default: 5000 10000
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 1000  # topics per create request while setting up


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bare(bootstrap: str) -> dict[str, float]:
    """List every topic and describe every topic's configs, nothing else."""
    from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

    start = time.perf_counter()
    client = AdminClient({"bootstrap.servers": bootstrap, "allow.auto.create.topics": "false"})
    metadata = client.list_topics(timeout=60)
    names = [name for name in metadata.topics if not name.startswith("__")]
    futures = client.describe_configs(
        [ConfigResource(ResourceType.TOPIC, name) for name in names], request_timeout=60
    )
    described = sum(1 for future in futures.values() if future.result() is not None)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "topics": described, "requests": 2, "rss_mb": peak_rss_mb()}


def plan(bootstrap: str, topics_dir: str) -> dict[str, float]:
    """The ``ktr plan`` pipeline, in-process, timed from loading the declarations."""
    from reconciler.cluster.kafka import connect
    from reconciler.commands.plan import compute_plan
    from reconciler.declarations import load_valid
    from reconciler.diff import PlanOptions
    from reconciler.render import render_plan
    from reconciler.settings import Settings

    start = time.perf_counter()
    desired = load_valid([Path(topics_dir)], None)
    loaded = time.perf_counter()
    admin = connect(bootstrap, timeout=60.0)
    try:
        result, _ = compute_plan(admin, desired, Settings(), PlanOptions())
        requests = admin.request_count()
    finally:
        admin.close()
    planned = time.perf_counter()
    text = render_plan(result, "text")
    end = time.perf_counter()
    assert len(result.actions) == len(desired.topics), "every topic should have one change"
    return {
        "seconds": end - start,
        "load_seconds": loaded - start,
        "read_and_diff_seconds": planned - loaded,
        "render_seconds": end - planned,
        "actions": len(result.actions),
        "output_bytes": len(text),
        "requests": requests,
        "rss_mb": peak_rss_mb(),
    }


def setup(bootstrap: str, count: int, topics_dir: Path) -> None:
    """Create ``count`` topics with retention.ms=1h; declare them with 1d."""
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    names = [f"bench.topic-{i:05d}" for i in range(count)]
    admin = connect(bootstrap, timeout=120.0)
    try:
        for first in range(0, count, BATCH):
            batch = [NewTopic(n, 1, 1, {"retention.ms": "3600000"}) for n in names[first:][:BATCH]]
            failed = {n: e for n, e in admin.create_topics(batch).items() if e is not None}
            if failed:
                raise SystemExit(f"setup failed: {next(iter(failed.items()))}")
    finally:
        admin.close()
    lines = ["topics:"]
    for name in names:
        lines += [
            f"  {name}:",
            "    partitions: 1",
            "    replication_factor: 1",
            "    config: {retention.ms: 1d}",
        ]
    topics_dir.mkdir(parents=True, exist_ok=True)
    (topics_dir / "topics.yaml").write_text("\n".join(lines) + "\n")


def measure(mode: str, *args: str) -> dict[str, float]:
    """Run one measurement in a fresh process, so memory figures do not mix."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", mode, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(sizes: list[int]) -> None:
    from tests.broker import start_tansu

    print(f"{'topics':>7} {'bare s':>8} {'plan s':>8} {'ratio':>6} {'requests':>9} {'peak MB':>8}")
    for count in sizes:
        with start_tansu() as broker, tempfile.TemporaryDirectory() as tmp:
            topics_dir = Path(tmp) / "topics"
            setup(broker.bootstrap, count, topics_dir)
            measure("bare", broker.bootstrap)  # warm the broker's caches
            base = measure("bare", broker.bootstrap)
            result = measure("plan", broker.bootstrap, str(topics_dir))
        ratio = result["seconds"] / base["seconds"]
        print(
            f"{count:>7} {base['seconds']:>8.2f} {result['seconds']:>8.2f} {ratio:>6.2f} "
            f"{int(result['requests']):>9} {result['rss_mb']:>8.1f}"
        )
        print(
            f"         plan: load {result['load_seconds']:.2f} s, read+diff "
            f"{result['read_and_diff_seconds']:.2f} s, render {result['render_seconds']:.2f} s; "
            f"bare peak {base['rss_mb']:.1f} MB"
        )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        mode, rest = sys.argv[2], sys.argv[3:]
        figures = bare(*rest) if mode == "bare" else plan(*rest)
        print(json.dumps(figures))
    else:
        main([int(n) for n in sys.argv[1:]] or [5000, 10000])
