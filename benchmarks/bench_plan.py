"""How ``ktr plan`` scales: 5,000 to 50,000 topics on one Tansu broker.

One Tansu broker serves every size, in increasing order: for each size N it
creates the topics still missing (batches of 1,000 sent by four threads at
once), declares all N (each with one config value differing from the
cluster), then measures whole processes, alternately, R times each:

- bare: ``python -c`` with one confluent-kafka AdminClient listing all
  topics and describing all their configs, the least any plan must do;
- plan: ``ktr plan DIR -b BROKER`` (``python -m reconciler``), output
  thrown away: start-up, imports, loading the YAML, reading the cluster,
  diffing and rendering the text plan, everything a user waits for.

Wall time runs from start to exit of each process; peak RSS is the
process's own (wait4). It prints, per size, the medians with their range
over the R runs, the ratio plan/bare of each pair (median and range), and
then one in-process run of the plan pipeline split into phases, with its
admin requests (``KafkaAdmin.request_count()``), which must not grow with N.
Targets: plan within 1.5x of bare, peak RSS at 20,000 topics under 200 MB.
The machine's load shows in the ranges: read them, not one figure.

    python benchmarks/bench_plan.py [N ...] [--repeat R]   # default: 5000 20000, R=5

Setting up 50,000 topics takes Tansu much longer than measuring them, so a
broker can be populated once and reused by later runs:

    python benchmarks/bench_plan.py --serve 50000          # prints its address
    python benchmarks/bench_plan.py 50000 --broker ADDRESS
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from benchmarks.measuring import in_fresh_process, spread, take_option  # noqa: E402

BATCH = 1000  # topics per create request while setting up
SETUP_THREADS = 2  # create requests in flight at once (Tansu serves creates one by one)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


BARE = """\
import sys
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType
client = AdminClient({"bootstrap.servers": sys.argv[1], "allow.auto.create.topics": "false"})
metadata = client.list_topics(timeout=60)
names = [name for name in metadata.topics if not name.startswith("__")]
futures = client.describe_configs(
    [ConfigResource(ResourceType.TOPIC, name) for name in names], request_timeout=60
)
assert all(future.result() is not None for future in futures.values())
"""


def whole_process(argv: list[str]) -> tuple[float, float]:
    """Wall seconds from start to exit of ``argv``, and its peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed ({process.returncode}): {errors}")
    return elapsed, usage.ru_maxrss / 1024


def plan(bootstrap: str, topics_dir: str) -> dict[str, float]:
    """The ``ktr plan`` pipeline, in-process, timed from loading the declarations.

    As ``ktr plan`` shows a plan as text: without topic ids or fingerprint.
    """
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
        result, state = compute_plan(admin, desired, Settings(), PlanOptions(), topic_ids=False)
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
        make_plan(desired, state, Settings(), PlanOptions(), fingerprint=False)
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


def populate(bootstrap: str, count: int) -> int:
    """Make the first ``count`` benchmark topics exist (retention.ms=1h); returns how many
    benchmark topics the broker holds.

    Topics already there are kept, so a broker populated once serves later
    runs. Tansu takes longer to create a topic the more it holds (about a
    millisecond per thousand topics already there), which makes setting up
    the large sizes the slow part of the benchmark.
    """
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    # A batch can wait behind the other in flight for longer than librdkafka's
    # default socket timeout of a minute (librdkafka allows five at most).
    admin = connect(bootstrap, ["socket.timeout.ms=300000"], timeout=600.0)
    try:
        there = {name for name in admin.topics(ids_for=()) if name.startswith("bench.topic-")}
        missing = [name for name in corpus.plan_topic_names(count) if name not in there]

        def create(first: int) -> None:
            batch = [NewTopic(n, 1, 1, corpus.PLAN_CLUSTER_CONFIG) for n in missing[first:][:BATCH]]
            failed = {n: e for n, e in admin.create_topics(batch).items() if e is not None}
            if failed:
                raise SystemExit(f"setup failed: {next(iter(failed.items()))}")

        with ThreadPoolExecutor(SETUP_THREADS) as pool:
            list(pool.map(create, range(0, len(missing), BATCH)))
        return len(there) + len(missing)
    finally:
        admin.close()


def setup(bootstrap: str, count: int, topics_dir: Path) -> None:
    """The broker holds exactly the first ``count`` benchmark topics; all are declared with 1d."""
    held = populate(bootstrap, count)
    if held != count:
        raise SystemExit(
            f"the broker holds {held} benchmark topics, more than {count}: "
            "give sizes in increasing order, none below what the broker already holds"
        )
    topics_dir.mkdir(parents=True, exist_ok=True)
    (topics_dir / "topics.yaml").write_text(corpus.plan_declarations(count))


def measure(mode: str, *args: str) -> dict[str, float]:
    return in_fresh_process(__file__, mode, *args)


def main(sizes: list[int], repeat: int, broker: str | None) -> None:
    from tests.broker import start_tansu

    print(f"{repeat} runs per size, whole processes, alternating; median (range)")
    print(
        f"{'topics':>7} {'bare s':>18} {'plan s':>18} {'ratio':>18} {'plan MB':>8} {'bare MB':>8}"
    )
    with contextlib.ExitStack() as stack:
        bootstrap = broker or stack.enter_context(start_tansu()).bootstrap
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        topics_dir = Path(tmp) / "topics"
        bare_argv = [sys.executable, "-c", BARE, bootstrap]
        plan_argv = [sys.executable, "-m", "reconciler", "plan", str(topics_dir)]
        plan_argv += ["-b", bootstrap, "--timeout", "300"]
        for count in sorted(sizes):
            started = time.perf_counter()
            setup(bootstrap, count, topics_dir)
            made = time.perf_counter() - started
            whole_process(bare_argv)  # warm the broker's caches
            bases, plans = [], []
            for _ in range(repeat):
                bases.append(whole_process(bare_argv))
                plans.append(whole_process(plan_argv))
            ratios = [p[0] / b[0] for p, b in zip(plans, bases, strict=True)]
            print(
                f"{count:>7} {spread([b[0] for b in bases]):>18} "
                f"{spread([p[0] for p in plans]):>18} {spread(ratios):>18} "
                f"{max(p[1] for p in plans):>8.1f} {max(b[1] for b in bases):>8.1f}"
            )
            phases = measure("plan", bootstrap, str(topics_dir))
            split = ", ".join(
                f"{phase} {phases[phase + '_seconds']:.2f}"
                for phase in ("load", "connect", "read", "diff", "render")
            )
            print(
                f"         in-process phases (s): {split}; {int(phases['requests'])} admin "
                f"requests; cluster set up in {made:.0f} s",
                flush=True,
            )


def serve(count: int) -> None:
    """Start a Tansu broker holding ``count`` benchmark topics and keep it until Ctrl-C."""
    from tests.broker import start_tansu

    with start_tansu() as broker:
        started = time.perf_counter()
        populate(broker.bootstrap, count)
        print(
            f"{broker.bootstrap} holds {count} benchmark topics (set up in "
            f"{time.perf_counter() - started:.0f} s); run bench_plan.py SIZES --broker "
            f"{broker.bootstrap}, sizes from {count} up; Ctrl-C stops it",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            broker.process.wait()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1:3] == ["--measure", "plan"]:
        print(json.dumps(plan(*sys.argv[3:])))
    else:
        args = sys.argv[1:]
        runs = int(take_option(args, "--repeat") or 5)
        broker = take_option(args, "--broker")
        to_serve = take_option(args, "--serve")
        if to_serve is not None:
            serve(int(to_serve))
        else:
            main([int(n) for n in args] or [5000, 20000], runs, broker)
