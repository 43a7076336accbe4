"""The declarations the benchmarks measure, written the same way wherever they are used.

``tests/plan/test_plans_unchanged.py`` plans and validates these very
declarations against committed expectations, so a speed-up measured here
cannot change a plan or a validation problem unnoticed.
"""

from __future__ import annotations

from pathlib import Path

POLICIES = ("delete", "compact", "compact,delete")

# A realistic file header: defaults with overlays, as teams write them.
HEADER = """\
# yaml-language-server: $schema=../schemas/topics.schema.json
defaults:
  replication_factor: 3
  config:
    compression.type: zstd
    min.insync.replicas: 2
  environments:
    development:
      replication_factor: 1
      config:
        min.insync.replicas: 1
topics:
"""


def team_topic_name(number: int) -> str:
    return f"team{number % 37}.events-{number}"


def team_topic(number: int) -> str:
    """One topic of the load benchmark: configs in units, development/production overlays."""
    lines = [
        f"  {team_topic_name(number)}:",
        f"    partitions: {(number % 4 + 1) * 3}",
        "    config:",
        f"      retention.ms: {number % 14 + 1}d",
        f"      cleanup.policy: {POLICIES[number % 3]}",
        "      segment.bytes: 256MiB",
    ]
    if number % 5 == 0:
        lines.append("      max.message.bytes: 2MiB")
    lines += [
        "    environments:",
        "      development:",
        "        partitions: 1",
    ]
    if number % 3 == 0:
        lines += ["      production:", f"        partitions: {(number % 4 + 1) * 6}"]
    return "\n".join(lines) + "\n"


def write_team_files(directory: Path, topics: int, files: int) -> int:
    """``topics`` team topics in ``files`` files in ``directory``; returns the bytes written."""
    per_file = -(-topics // files)
    size = 0
    for index in range(files):
        numbers = range(index * per_file, min(topics, (index + 1) * per_file))
        text = HEADER + "".join(team_topic(n) for n in numbers)
        (directory / f"team-{index:03}.yaml").write_text(text, encoding="utf-8")
        size += len(text)
    return size


def plan_topic_names(count: int) -> list[str]:
    """The topics of the plan benchmark, as they exist on its cluster."""
    return [f"bench.topic-{i:05d}" for i in range(count)]


PLAN_CLUSTER_CONFIG = {"retention.ms": "3600000"}  # what each topic has on the cluster (1h)


def plan_declarations(count: int) -> str:
    """The plan benchmark's one file: every topic declared with retention.ms 1d (a change)."""
    lines = ["topics:"]
    for name in plan_topic_names(count):
        lines += [
            f"  {name}:",
            "    partitions: 1",
            "    replication_factor: 1",
            "    config: {retention.ms: 1d}",
        ]
    return "\n".join(lines) + "\n"
