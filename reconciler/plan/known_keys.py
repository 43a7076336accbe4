"""Declared config keys the connected cluster does not know, told from what it reports.

Apache Kafka's DescribeConfigs returns every topic config the broker knows,
inherited ones included, so a declared key that no described topic reports is
a key that broker's release lacks: better a plan-time error naming the key and
the releases that have it than an INVALID_CONFIG half-way through an apply.
A broker that reports only overrides (some Kafka-compatible brokers do) says
nothing either way, so the check needs every key all supported releases share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reconciler.kafka.catalogue import CATALOGUE
from reconciler.model import DesiredState
from reconciler.problems import Problem

# Keys every release from 3.7 to 4.4 has: a full report includes them all.
_EVERY_RELEASE = frozenset(
    key for key, spec in CATALOGUE.items() if spec.since is None and spec.removed is None
)


def reported_keys(configs: Iterable[Mapping[str, object]]) -> frozenset[str] | None:
    """The topic configs the cluster knows, from the configs it described, or None when
    its reports cannot tell."""
    reported = frozenset(key for config in configs for key in config)
    return reported if reported >= _EVERY_RELEASE else None


def unknown_keys(
    desired: DesiredState, known: frozenset[str] | None, cluster: str
) -> list[Problem]:
    """One error per declared key the cluster does not know, at the topic declaring it."""
    if known is None:
        return []
    problems: list[Problem] = []
    for name, spec in sorted(desired.topics.items()):
        for key in sorted(set(spec.config) - known):
            problems.append(
                Problem(
                    spec.location.file if spec.location else "",
                    spec.location.line if spec.location else 0,
                    spec.location.column if spec.location else 0,
                    f"{cluster} does not know {key}: {_why(key)}; remove it from topic "
                    f"'{name}' or upgrade the cluster",
                )
            )
    return problems


def _why(key: str) -> str:
    spec = CATALOGUE.get(key)
    if spec is None:
        return "it is not a topic config of Apache Kafka"
    if spec.since is not None:
        return f"Kafka older than {spec.since}"
    if spec.removed is not None:
        return f"Kafka {spec.removed} or later removed it"
    return "the broker does not report it"
