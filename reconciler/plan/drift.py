"""Drift: where the cluster no longer matches the declarations, for scheduled checks.

A plan says what ktr would do; a drift report says what differs, including
what ktr would never touch (replication factors, undeclared overrides,
topics nobody declared). The comparison itself is the diff's, so plan and
drift can never disagree about whether a topic matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.model import ActualTopic, ClusterState, DesiredState, Location
from reconciler.plan.compare import compare_topic, effective_value
from reconciler.plan.diff import unmanaged_topics
from reconciler.settings import Settings


@dataclass(frozen=True)
class ConfigDrift:
    """A declared key whose value on the cluster differs. ``actual`` is the value in effect."""

    key: str
    declared: str | None
    actual: str | None


@dataclass(frozen=True)
class TopicDrift:
    """How one declared topic differs on the cluster. Pairs are (declared, actual)."""

    topic: str
    partitions: tuple[int, int] | None = None
    replication_factor: tuple[int, int] | None = None
    config: tuple[ConfigDrift, ...] = ()
    undeclared_overrides: Mapping[str, str | None] = field(default_factory=dict)
    location: Location | None = None


@dataclass(frozen=True)
class UnmanagedTopic:
    """A topic on the cluster that nobody declared.

    ``auto_created`` flags the shape a broker gives a topic it creates on
    first use (one partition, no overrides): usually a typo in a client.
    """

    name: str
    partitions: int
    auto_created: bool = False


@dataclass(frozen=True)
class DriftReport:
    """Everything that differs between the declarations and the cluster."""

    unmanaged: tuple[UnmanagedTopic, ...] = ()
    missing: tuple[str, ...] = ()
    changed: tuple[TopicDrift, ...] = ()
    lingering: tuple[str, ...] = ()
    cluster_id: str | None = None
    environment: str | None = None

    @property
    def drift(self) -> bool:
        return bool(self.unmanaged or self.missing or self.changed or self.lingering)


def detect_drift(desired: DesiredState, actual: ClusterState, settings: Settings) -> DriftReport:
    """Compare the declarations with the cluster, without judging what to do about it."""
    missing, changed, lingering = [], [], []
    for name in sorted(desired.topics):
        spec = desired.topics[name]
        topic = actual.topics.get(name)
        if spec.absent:
            if topic is not None:
                lingering.append(name)
        elif topic is None:
            missing.append(name)
        else:
            diff = compare_topic(spec, topic)
            if diff.differs:
                changed.append(
                    TopicDrift(
                        topic=name,
                        partitions=_declared_first(diff.partitions),
                        replication_factor=_declared_first(diff.replication_factor),
                        config=tuple(
                            ConfigDrift(c.key, c.after, effective_value(topic, c.key)[1])
                            for c in diff.config
                        ),
                        undeclared_overrides=diff.undeclared_overrides,
                        location=spec.location,
                    )
                )
    return DriftReport(
        unmanaged=tuple(
            _unmanaged(actual.topics[name]) for name in unmanaged_topics(desired, actual, settings)
        ),
        missing=tuple(missing),
        changed=tuple(changed),
        lingering=tuple(lingering),
        cluster_id=actual.cluster_id,
        environment=desired.environment,
    )


def _declared_first(pair: tuple[int, int] | None) -> tuple[int, int] | None:
    return None if pair is None else (pair[1], pair[0])


def _unmanaged(topic: ActualTopic) -> UnmanagedTopic:
    return UnmanagedTopic(
        topic.name, topic.partitions, auto_created=topic.partitions == 1 and not topic.overrides
    )


def drift_document(report: DriftReport) -> dict[str, Any]:
    """The JSON of ``ktr drift --format json``."""
    return {
        "drift": report.drift,
        "cluster_id": report.cluster_id,
        "environment": report.environment,
        "unmanaged": [
            {"topic": u.name, "partitions": u.partitions, "auto_created": u.auto_created}
            for u in report.unmanaged
        ],
        "missing": list(report.missing),
        "lingering": list(report.lingering),
        "changed": [
            {
                "topic": c.topic,
                "partitions": _pair(c.partitions),
                "replication_factor": _pair(c.replication_factor),
                "config": [
                    {"key": d.key, "declared": d.declared, "actual": d.actual} for d in c.config
                ],
                "undeclared_overrides": dict(c.undeclared_overrides),
            }
            for c in report.changed
        ],
    }


def _pair(pair: tuple[int, int] | None) -> dict[str, int] | None:
    return None if pair is None else {"declared": pair[0], "actual": pair[1]}
