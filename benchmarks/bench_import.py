"""How ``ktr import`` scales: 5,000 live topics on a Tansu broker.

Creates N topics (default 5,000) under 50 name prefixes, each with a few
configs that differ from Kafka's defaults, then measures in a fresh process,
R times (default 3):

- read: connecting and reading the cluster the way ``ktr import`` does (the
  same batched reader as plan), with the admin requests it took;
- files: everything the import adds to the read: the topics as declarations,
  laid out in files, checked (written to a scratch copy, validated and
  resolved back to the topics read) and written;
- plan: the round-trip ``ktr plan`` over the files just written, which must
  find nothing to change, with its admin requests.

Target: the files add under 2 s to the read; requests constant in N.

    python benchmarks/bench_import.py [N] [--repeat R]
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


def setup(bootstrap: str, count: int) -> None:
    from reconciler.cluster.admin import NewTopic
    from reconciler.cluster.kafka import connect

    retention = ("3600000", "86400000", "604800000", "1209600000")
    admin = connect(bootstrap, timeout=120.0)
    try:
        topics = [
            NewTopic(
                f"team{i % 50:02d}.topic-{i:05d}",
                1 + i % 3,
                1,
                {
                    "retention.ms": retention[i % 4],
                    "cleanup.policy": "compact,delete" if i % 5 == 0 else "delete",
                    "segment.bytes": "536870912",
                },
            )
            for i in range(count)
        ]
        for first in range(0, count, BATCH):
            failed = {n: e for n, e in admin.create_topics(topics[first:][:BATCH]).items() if e}
            if failed:
                raise SystemExit(f"setup failed: {next(iter(failed.items()))}")
    finally:
        admin.close()


def run_once(bootstrap: str, workdir: str) -> dict[str, float]:
    from reconciler.cluster.kafka import connect
    from reconciler.cluster.read import read_cluster_state
    from reconciler.commands.declared import load_valid
    from reconciler.importer import files
    from reconciler.importer.build import Options, build
    from reconciler.importer.live import from_cluster
    from reconciler.plan.diff import PlanOptions
    from reconciler.planning import compute_plan
    from reconciler.settings import Settings

    out = Path(workdir) / "topics"
    start = time.perf_counter()
    admin = connect(bootstrap, timeout=60.0)
    try:
        state = read_cluster_state(admin, configs_for=None, ids_for=())
        read_requests = admin.request_count()
    finally:
        admin.close()
    read = time.perf_counter()
    imported = from_cluster(state, Settings())
    output = build({None: imported}, out, Options())
    built = time.perf_counter()
    files.check(output, out)
    checked = time.perf_counter()
    files.write(output)
    written = time.perf_counter()

    desired = load_valid([out], None)
    admin = connect(bootstrap, timeout=60.0)
    try:
        before = admin.request_count()
        plan, _ = compute_plan(admin, desired, Settings(), PlanOptions(prune_configs=True))
        plan_requests = admin.request_count() - before
    finally:
        admin.close()
    planned = time.perf_counter()
    assert not plan.has_changes, "the round trip must plan to no change"
    return {
        "topics": float(len(imported.topics)),
        "files": float(len(output.texts)),
        "read_seconds": read - start,
        "build_seconds": built - read,
        "check_seconds": checked - built,
        "write_seconds": written - checked,
        "files_seconds": written - read,
        "plan_seconds": planned - written,
        "read_requests": float(read_requests),
        "plan_requests": float(plan_requests),
    }


def measure(bootstrap: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as workdir:
        return in_fresh_process(__file__, bootstrap, workdir)


def main(count: int, repeat: int) -> None:
    from tests.broker import start_tansu

    with start_tansu() as broker:
        setup(broker.bootstrap, count)
        runs = [measure(broker.bootstrap) for _ in range(repeat)]
    first = runs[0]
    topics, written = int(first["topics"]), int(first["files"])
    print(f"{topics} topics in {written} files; {repeat} runs, median (range)")
    for phase in ("read", "build", "check", "write", "files", "plan"):
        print(f"  {phase:>6}: {spread([r[phase + '_seconds'] for r in runs])} s")
    print(
        f"  requests: read {sorted({int(r['read_requests']) for r in runs})}, "
        f"round-trip plan {sorted({int(r['plan_requests']) for r in runs})}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(run_once(sys.argv[2], sys.argv[3])))
    else:
        args = sys.argv[1:]
        runs = int(take_option(args, "--repeat") or 3)
        main(int(args[0]) if args else 5000, runs)
