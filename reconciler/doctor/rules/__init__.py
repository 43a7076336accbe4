"""Every rule's function, by rule id: each a pure function of the facts to its findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reconciler.doctor.facts import Facts
from reconciler.doctor.findings import Finding
from reconciler.doctor.rules import clients, cluster, declarations

RuleFunction = Callable[[Facts], Iterable[Finding]]

CHECKS: dict[str, RuleFunction] = {
    "single-partition": declarations.single_partition,
    "replication-factor": declarations.replication_factor,
    "no-fault-tolerance": declarations.no_fault_tolerance,
    "min-insync": declarations.min_insync_rule,
    "compression": declarations.compression,
    "unlocked": declarations.unlocked,
    "auto-create": cluster.auto_create,
    "default-partitions": cluster.default_partitions,
    "default-replication": cluster.default_replication,
    "auto-created-topics": cluster.auto_created_topics,
    "offsets-retention": cluster.offsets_retention,
    "eager-assignor": cluster.eager_assignor,
    "records-from-the-future": cluster.records_from_the_future,
    "clock-skew": cluster.clock_skew,
    "client-auto-create": clients.client_auto_create,
    "client-assignor": clients.client_assignor,
    "assignor-change": clients.assignor_change,
    "client-compression": clients.client_compression,
    "metadata-refresh": clients.metadata_refresh,
    "codec-unavailable": clients.codec_unavailable,
}
