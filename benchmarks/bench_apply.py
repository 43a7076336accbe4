"""How ``ktr apply`` scales: creating 100 and 1,000 new topics.

For each size N it applies N new topics (3 partitions, one config each) to
an empty cluster, through the whole apply flow (read the cluster, plan, take
the lock, re-check, create in batches, wait until every broker serves
every topic, release the lock), against:

- the in-process fake cluster (three brokers), which shows the cost of ktr
  itself; and the same with one broker learning of new topics three
  metadata answers late, where the time is the wait's backoff sleeps;
- a fresh Tansu broker over TCP.

It prints wall time, the number of admin requests, and (on the fake, which
counts them per kind) the CreateTopics requests among them. Requests do not
grow with N but with the metadata records written: Kafka's controller takes
at most 10,000 per request, so creates go in requests of at most 9,000
records (1 per topic, 1 per partition, 1 per config); waits poll all
pending topics in one metadata request each. ``--partitions P`` sets the
partitions per topic; ``--fake`` skips Tansu (slow for large N).

    python benchmarks/bench_apply.py [N ...]      # default: 100 1000, and 5000 x 12 on the fake
    python benchmarks/bench_apply.py --fake --partitions 12 5000
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


PARTITIONS = 3


def desired(n: int) -> Any:
    from reconciler.model import DesiredState, TopicSpec

    specs = [
        TopicSpec(f"bench.{i:05d}", PARTITIONS, 1, {"retention.ms": "3600000"}) for i in range(n)
    ]
    return DesiredState({s.name: s for s in specs})


def apply_once(admin: Any, n: int) -> float:
    from reconciler.apply.flow import ApplyRequest, Terminal, apply
    from reconciler.settings import Settings

    terminal = Terminal(io.StringIO(), io.StringIO(), lambda: False, lambda _q: False)
    start = time.perf_counter()
    code = apply(admin, Settings(), ApplyRequest(desired=desired(n), auto_approve=True), terminal)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(
            f"apply failed ({code}):\n{terminal.out.getvalue()}{terminal.err.getvalue()}"
        )
    return elapsed


def on_fake(n: int, lag: int = 0) -> tuple[float, int, int | None]:
    from tests.fake_cluster import FakeCluster

    fake = FakeCluster()
    if lag:
        fake.lag_broker(3, calls=lag)
    seconds = apply_once(fake, n)
    assert sum(1 for name in fake.topics() if name.startswith("bench.")) == n
    # The apply lock's two topics are created one request each.
    return seconds, fake.request_count(), fake.requests["create_topics"] - 2


def on_tansu(n: int) -> tuple[float, int, int | None]:
    from reconciler.cluster.kafka import connect
    from tests.broker import start_tansu

    with start_tansu() as broker:
        admin = connect(broker.bootstrap, timeout=60)
        try:
            before = admin.request_count()
            seconds = apply_once(admin, n)
            requests = admin.request_count() - before
            assert sum(1 for name in admin.topics() if name.startswith("bench.")) == n
        finally:
            admin.close()
    return seconds, requests, None


def main(args: list[str]) -> None:
    global PARTITIONS
    fake_only = "--fake" in args
    if "--partitions" in args:
        PARTITIONS = int(args[args.index("--partitions") + 1])
        args = args[: args.index("--partitions")] + args[args.index("--partitions") + 2 :]
    sizes = [int(a) for a in args if a != "--fake"]
    header = ("cluster", "topics", "parts", "seconds", "requests", "creates")
    print("{:<9} {:>7} {:>6} {:>9} {:>9} {:>8}".format(*header))
    targets: list[tuple[str, Any]] = [
        ("fake", on_fake),
        ("fake+lag", lambda n: on_fake(n, lag=3)),
    ]
    if not fake_only:
        targets.append(("tansu", on_tansu))
    runs = [(target, run, n, PARTITIONS) for target, run in targets for n in sizes or (100, 1000)]
    if not sizes:
        # Over the controller's record budget many times: 5,000 x (1 + 12 + 1) records.
        runs.append(("fake", on_fake, 5000, 12))
    for target, run, n, partitions in runs:
        PARTITIONS = partitions
        seconds, requests, creates = run(n)
        shown = "-" if creates is None else str(creates)
        print(
            f"{target:<9} {n:>7} {partitions:>6} {seconds:>9.2f} {requests:>9} {shown:>8}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
