"""How long reading and checking a saved plan takes as it grows: it must stay linear.

Builds, in memory, a cluster of N topics and a plan covering all of them
(every topic declared, a tenth of them with a config change), saves it as
JSON, then times the three steps of ``ktr apply --plan`` before anything is
written: parsing within limits (with the digest check), reading the
document, and planning again from its record to compare. Prints the CPU
seconds of each step for each N (CPU time, not wall time, so that other work
on the machine does not blur the figures); they should grow with N, not N².

    python benchmarks/bench_plan_file.py [N ...]      # default: 10000 100000 300000
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconciler.model import (
    ActualTopic,
    ClusterState,
    ConfigEntry,
    ConfigSource,
    DesiredState,
    TopicSpec,
)
from reconciler.plan.diff import make_plan
from reconciler.plan.document import from_document, to_document
from reconciler.plan.integrity import loads
from reconciler.plan.verify import first_difference
from reconciler.settings import Settings


def scenario(count: int) -> tuple[DesiredState, ClusterState]:
    specs, topics = {}, {}
    for number in range(count):
        name = f"team{number % 37}.events-{number}"
        wanted = "86400000" if number % 10 == 0 else "604800000"
        specs[name] = TopicSpec(name, 3, 3, {"retention.ms": wanted})
        topics[name] = ActualTopic(
            name,
            f"id-{number}",
            3,
            3,
            {"retention.ms": ConfigEntry("604800000", ConfigSource.TOPIC)},
        )
    return DesiredState(specs), ClusterState("bench", (1, 2, 3), topics)


def main(counts: list[int]) -> None:
    for count in counts:
        desired, state = scenario(count)
        plan = make_plan(desired, state, Settings())
        text = json.dumps(to_document(plan), indent=2)
        started = time.process_time()
        doc = loads(text)
        parsed = time.process_time()
        saved = from_document(doc)
        read = time.process_time()
        difference = first_difference(saved, state, Settings())
        checked = time.process_time()
        assert difference is None, difference
        print(
            f"{count:>7} topics ({len(text) / 2**20:6.1f} MiB, {len(saved.actions)} actions): "
            f"parse+digest {parsed - started:6.2f} s, read {read - parsed:6.2f} s, "
            f"recompute+compare {checked - read:6.2f} s"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 300_000])
