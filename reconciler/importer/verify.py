"""The round trip, checked before anything is written: the files resolve to the topics imported."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import format_problem
from reconciler.model import TopicSpec
from reconciler.plan.diff import same_value
from reconciler.problems import Problem

from .model import ImportedTopic


def mismatches(
    directory: Path,
    expected: Mapping[str | None, Sequence[ImportedTopic]],
    tombstones: Mapping[str | None, Sequence[str]] | None = None,
    warnings: list[Problem] | None = None,
) -> list[str]:
    """What is wrong with the declarations under ``directory``, one line each; empty when
    they validate and, for each environment (None: as written), resolve to exactly
    ``expected`` (and declare ``tombstones`` deleted). Validation warnings are added
    to ``warnings`` when given."""
    found: list[str] = []
    for env, topics in expected.items():
        declarations = load_declarations([directory], env, check_lock=False)
        if warnings is not None:
            warnings.extend(p for p in declarations.warnings if p not in warnings)
        found += [format_problem(p) for p in declarations.errors]
        if declarations.errors:
            return found
        resolved = declarations.desired.topics
        for topic in topics:
            spec = resolved.get(topic.name)
            where = f" in environment '{env}'" if env else ""
            if spec is None or spec.absent:
                found.append(f"{topic.name}: not declared{where}")
            elif not _same(spec, topic):
                found.append(f"{topic.name}: declared{where} as {_show(spec)}, is {_show(topic)}")
        for name in (tombstones or {}).get(env, ()):
            spec = resolved.get(name)
            if spec is None or not spec.absent:
                found.append(f"{name}: should be declared deleted in environment '{env}'")
    return found


def _same(spec: TopicSpec, topic: ImportedTopic) -> bool:
    if (spec.partitions, spec.replication_factor) != (topic.partitions, topic.replication_factor):
        return False
    if set(spec.config) != set(topic.config):
        return False
    return all(same_value(k, spec.config[k], topic.config[k]) for k in spec.config)


def _show(topic: TopicSpec | ImportedTopic) -> str:
    config = ", ".join(f"{k}={v}" for k, v in sorted(topic.config.items()))
    return f"{topic.partitions} partitions, rf {topic.replication_factor}, {{{config}}}"
