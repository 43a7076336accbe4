"""How ``ktr doctor`` compares with ``ktr plan`` on the same declarations: 5,000 topics.

One Tansu broker holds N topics (12 partitions each would be slow to make on
Tansu, so 3), all declared with a production overlay. Each run is a fresh
process, alternating plan and doctor, R times each:

- plan: load the YAML, connect, read the cluster, diff, render the text plan;
- doctor: load the YAML, connect, gather the cluster facts (topics, configs
  of the undeclared one-partition topics, broker configs, groups, ListOffsets
  by timestamp for every partition), run every production rule, render text.

It prints the median wall times with their range, the ratio doctor/plan of
each pair and the admin requests each made. Target: doctor within 2x of plan,
requests constant in N.

    python benchmarks/bench_doctor.py [N ...] [--repeat R]   # default: 5000, R=3
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.measuring import in_fresh_process, spread, take_option  # noqa: E402

BATCH = 1000
PARTITIONS = 3


def plan(bootstrap: str, topics_dir: str) -> dict[str, float]:
    from reconciler.cluster.kafka import connect
    from reconciler.commands.declared import load_valid
    from reconciler.plan.diff import PlanOptions
    from reconciler.planning import compute_plan
    from reconciler.render import render_plan
    from reconciler.settings import Settings

    start = time.perf_counter()
    desired = load_valid([Path(topics_dir)], "production")
    admin = connect(bootstrap, timeout=60.0)
    try:
        result, _ = compute_plan(admin, desired, Settings(), PlanOptions())
        requests = admin.request_count()
    finally:
        admin.close()
    render_plan(result, "text")
    return {"seconds": time.perf_counter() - start, "requests": requests}


def doctor(bootstrap: str, topics_dir: str) -> dict[str, float]:
    from dataclasses import replace

    from reconciler.cluster.kafka import connect
    from reconciler.commands.declared import load_valid
    from reconciler.doctor.diagnose import diagnose
    from reconciler.doctor.facts import Facts
    from reconciler.doctor.gather import gather_cluster, wanted_reads
    from reconciler.doctor.profile import profile_for, rules_to_run
    from reconciler.render.doctor import render_report
    from reconciler.settings import Settings

    start = time.perf_counter()
    desired = load_valid([Path(topics_dir)], "production")
    profile = profile_for("production", Settings())
    facts = Facts(profile=profile, desired=desired)
    admin = connect(bootstrap, timeout=60.0)
    try:
        cluster, skipped = gather_cluster(
            admin, desired, profile, wanted_reads(rules_to_run(profile), clock=False)
        )
        requests = admin.request_count()
    finally:
        admin.close()
    report = diagnose(replace(facts, cluster=cluster, skipped=tuple(skipped)))
    render_report(report, "text")
    return {
        "seconds": time.perf_counter() - start,
        "requests": requests,
        "findings": len(report.findings),
    }


def setup(bootstrap: str, have: int, count: int, topics_dir: Path) -> None:
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    names = [f"bench.topic-{i:05d}" for i in range(count)]
    admin = connect(bootstrap, timeout=120.0)
    try:
        for first in range(have, count, BATCH):
            batch = [NewTopic(n, PARTITIONS, 1, {}) for n in names[first:][:BATCH]]
            failed = {n: e for n, e in admin.create_topics(batch).items() if e is not None}
            if failed:
                raise SystemExit(f"setup failed: {next(iter(failed.items()))}")
    finally:
        admin.close()
    lines = ["defaults:", "  environments:", "    production: {}", "topics:"]
    for name in names:
        lines += [
            f"  {name}:",
            f"    partitions: {PARTITIONS}",
            "    replication_factor: 1",
            "    config: {retention.ms: 1d}",
        ]
    topics_dir.mkdir(parents=True, exist_ok=True)
    (topics_dir / "topics.yaml").write_text("\n".join(lines) + "\n")


def measure(mode: str, *args: str) -> dict[str, float]:
    return in_fresh_process(__file__, mode, *args)


def main(sizes: list[int], repeat: int) -> None:
    from tests.broker import start_tansu

    print(f"{repeat} runs per size; median (range)")
    print(f"{'topics':>7} {'plan s':>18} {'doctor s':>18} {'ratio':>18} {'requests':>12}")
    have = 0
    with start_tansu() as broker, tempfile.TemporaryDirectory() as tmp:
        topics_dir = Path(tmp) / "topics"
        for count in sorted(sizes):
            setup(broker.bootstrap, have, count, topics_dir)
            have = count
            measure("plan", broker.bootstrap, str(topics_dir))  # warm the broker
            plans, doctors = [], []
            for _ in range(repeat):
                plans.append(measure("plan", broker.bootstrap, str(topics_dir)))
                doctors.append(measure("doctor", broker.bootstrap, str(topics_dir)))
            ratios = [d["seconds"] / p["seconds"] for d, p in zip(doctors, plans, strict=True)]
            requests = f"{int(plans[0]['requests'])}/{int(doctors[0]['requests'])}"  # plan/doctor
            print(
                f"{count:>7} {spread([p['seconds'] for p in plans]):>18} "
                f"{spread([d['seconds'] for d in doctors]):>18} {spread(ratios):>18} "
                f"{requests:>12}"
            )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        mode, rest = sys.argv[2], sys.argv[3:]
        figures = plan(*rest) if mode == "plan" else doctor(*rest)
        print(json.dumps(figures))
    else:
        args = sys.argv[1:]
        runs = int(take_option(args, "--repeat") or 3)
        main([int(n) for n in args] or [5000], runs)
