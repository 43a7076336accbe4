"""One declared topic against the same topic on the cluster: what differs, as Kafka means it.

Plan and drift both compare through :func:`compare_topic`, so what a plan
would change and what drift reports are the same differences.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from reconciler.kafka import catalogue
from reconciler.model import (
    ActualTopic,
    ConfigSource,
    TopicSpec,
)
from reconciler.plan.model import (
    ConfigChange,
)
from reconciler.plan.model import PlanOptions as PlanOptions  # re-exported: callers plan with it


@dataclass(frozen=True)
class TopicDiff:
    """How one existing topic differs from its declaration.

    ``partitions`` and ``replication_factor`` are (actual, declared) pairs,
    None when equal. ``config`` holds the declared keys whose effective value
    differs (``before`` actual, ``after`` declared); ``undeclared_overrides``
    the keys set on the topic that the declaration does not mention.
    ``pins`` holds the declared keys whose value is right only because a
    broker's settings make it so (see :func:`compare_topic`): not a
    difference, but set on the topic by a plan.
    """

    partitions: tuple[int, int] | None = None
    replication_factor: tuple[int, int] | None = None
    config: tuple[ConfigChange, ...] = ()
    undeclared_overrides: Mapping[str, str | None] = field(default_factory=dict)
    pins: tuple[ConfigChange, ...] = ()

    @property
    def differs(self) -> bool:
        return bool(
            self.partitions or self.replication_factor or self.config or self.undeclared_overrides
        )


def same_value(key: str, declared: str | None, actual: str | None) -> bool:
    """True when Kafka treats the two values of ``key`` as equal."""
    return declared == actual or _canonical(key, declared) == _canonical(key, actual)


# Clusters repeat a handful of values across thousands of topics; parsing
# each once keeps a large plan fast.
_canonical = functools.lru_cache(maxsize=8192)(catalogue.canonical)


def effective_value(topic: ActualTopic, key: str) -> tuple[str | None, str | None]:
    """(value the cluster reports or None, value in effect).

    Some brokers only report keys that were set, so a key missing from the
    description is in effect at Kafka's default.
    """
    entry = topic.config.get(key)
    if entry is not None:
        return entry.value, entry.value
    return None, catalogue.default_value(key)


def compare_topic(spec: TopicSpec, topic: ActualTopic) -> TopicDiff:
    """Compare one declared topic with the same topic on the cluster.

    A declared key whose value is in effect only as inherited from a broker
    (``server.properties`` or a dynamic broker config) is pinned: set on the
    topic, so that the value no longer depends on the brokers. DescribeConfigs
    is answered by whichever broker the client picks, with that broker's own
    settings, so brokers configured differently would otherwise make the
    plan and drift flap, and an operator changing a broker default would
    silently change a declared value. A value at Kafka's built-in default is
    the same on every broker and is left inherited.
    """
    changes = []
    pins = []
    for key in sorted(spec.config):
        wanted = spec.config[key]
        reported, in_effect = effective_value(topic, key)
        if not same_value(key, wanted, in_effect):
            changes.append(ConfigChange(key, reported, wanted))
        elif (entry := topic.config.get(key)) is not None and entry.source is ConfigSource.BROKER:
            pins.append(ConfigChange(key, reported, wanted))
    overrides = topic.overrides
    undeclared = (
        {key: value for key, value in sorted(overrides.items()) if key not in spec.config}
        if overrides
        else {}
    )
    return TopicDiff(
        partitions=(
            (topic.partitions, spec.partitions) if topic.partitions != spec.partitions else None
        ),
        replication_factor=(
            (topic.replication_factor, spec.replication_factor)
            if topic.replication_factor != spec.replication_factor
            else None
        ),
        config=tuple(changes),
        undeclared_overrides=undeclared,
        pins=tuple(pins),
    )
