"""How ``ktr plan`` scales: 5,000 and 10,000 topics on a Tansu broker.

One Tansu broker serves every size, in increasing order: for each size N it
creates the topics still missing, declares all N (each with one config
value differing from the cluster), then measures, in separate processes and
alternately, R times each:

- bare: one confluent-kafka AdminClient listing all topics and describing
  all their configs, the least any plan must do;
- plan: the whole ``ktr plan`` pipeline (load the YAML, connect, read the
  cluster, diff, render the text plan).

It prints, per size, the median wall times with their range over the R
runs, the ratio plan/bare of each pair (median and range), admin requests
(``KafkaAdmin.request_count()``) and the highest peak RSS. Targets: plan
within 3x of bare, requests constant in N, peak RSS under 300 MB. The
machine's load shows in the ranges: read them, not one figure.

    python benchmarks/bench_plan.py [N ...] [--repeat R]   # default: 5000 10000, R=3
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

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
    from reconciler.commands.declared import load_valid
    from reconciler.gcpause import gc_paused
    from reconciler.plan.diff import PlanOptions, make_plan
    from reconciler.planning import compute_plan
    from reconciler.render import render_plan
    from reconciler.settings import Settings

    start = time.perf_counter()
    desired = load_valid([Path(topics_dir)], None)
    loaded = time.perf_counter()
    admin = connect(bootstrap, timeout=60.0)
    try:
        connected = time.perf_counter()
        result, state = compute_plan(admin, desired, Settings(), PlanOptions())
        requests = admin.request_count()
    finally:
        admin.close()
    planned = time.perf_counter()
    text = render_plan(result, "text")
    end = time.perf_counter()
    assert len(result.actions) == len(desired.topics), "every topic should have one change"
    # The diff alone, again on the state just read, to tell it from the reads.
    with gc_paused():
        diff_start = time.perf_counter()
        make_plan(desired, state, Settings(), PlanOptions())
        diff_seconds = time.perf_counter() - diff_start
    return {
        "seconds": end - start,
        "load_seconds": loaded - start,
        "connect_seconds": connected - loaded,
        "read_seconds": planned - connected - diff_seconds,
        "diff_seconds": diff_seconds,
        "render_seconds": end - planned,
        "actions": len(result.actions),
        "output_bytes": len(text),
        "requests": requests,
        "rss_mb": peak_rss_mb(),
    }


def setup(bootstrap: str, have: int, count: int, topics_dir: Path) -> None:
    """Create topics ``have`` to ``count`` with retention.ms=1h; declare all ``count`` with 1d."""
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    names = corpus.plan_topic_names(count)
    admin = connect(bootstrap, timeout=120.0)
    try:
        for first in range(have, count, BATCH):
            batch = [NewTopic(n, 1, 1, corpus.PLAN_CLUSTER_CONFIG) for n in names[first:][:BATCH]]
            failed = {n: e for n, e in admin.create_topics(batch).items() if e is not None}
            if failed:
                raise SystemExit(f"setup failed: {next(iter(failed.items()))}")
    finally:
        admin.close()
    topics_dir.mkdir(parents=True, exist_ok=True)
    (topics_dir / "topics.yaml").write_text(corpus.plan_declarations(count))


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


def spread(values: list[float], digits: int = 2) -> str:
    """Median and range, e.g. ``3.61 (3.40-3.95)``."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def main(sizes: list[int], repeat: int) -> None:
    from tests.broker import start_tansu

    print(f"{repeat} runs per size; median (range)")
    print(
        f"{'topics':>7} {'bare s':>18} {'plan s':>18} {'ratio':>18} {'requests':>9} {'peak MB':>8}"
    )
    have = 0
    with start_tansu() as broker, tempfile.TemporaryDirectory() as tmp:
        topics_dir = Path(tmp) / "topics"
        for count in sorted(sizes):
            setup(broker.bootstrap, have, count, topics_dir)
            have = count
            measure("bare", broker.bootstrap)  # warm the broker's caches
            bases, plans = [], []
            for _ in range(repeat):
                bases.append(measure("bare", broker.bootstrap))
                plans.append(measure("plan", broker.bootstrap, str(topics_dir)))
            ratios = [p["seconds"] / b["seconds"] for p, b in zip(plans, bases, strict=True)]
            requests = sorted({int(p["requests"]) for p in plans})
            print(
                f"{count:>7} {spread([b['seconds'] for b in bases]):>18} "
                f"{spread([p['seconds'] for p in plans]):>18} {spread(ratios):>18} "
                f"{','.join(map(str, requests)):>9} {max(p['rss_mb'] for p in plans):>8.1f}"
            )
            phases = ", ".join(
                f"{phase} {spread([p[phase + '_seconds'] for p in plans])} s"
                for phase in ("load", "connect", "read", "diff", "render")
            )
            print(f"         plan: {phases}; bare peak {max(b['rss_mb'] for b in bases):.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        mode, rest = sys.argv[2], sys.argv[3:]
        figures = bare(*rest) if mode == "bare" else plan(*rest)
        print(json.dumps(figures))
    else:
        args = sys.argv[1:]
        runs = 3
        if "--repeat" in args:
            at = args.index("--repeat")
            runs = int(args[at + 1])
            del args[at : at + 2]
        main([int(n) for n in args] or [5000, 10000], runs)
