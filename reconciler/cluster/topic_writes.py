"""Writing topics through confluent-kafka: creates, partition increases, config changes, deletes."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from confluent_kafka import admin as ck

from reconciler.cluster.access import Operation, with_missing_acl
from reconciler.cluster.admin import AdminError, NewTopic
from reconciler.cluster.client import KafkaClient


def _naming_acls(
    outcome: Mapping[str, AdminError | None], operation: Operation
) -> dict[str, AdminError | None]:
    """Per-topic outcomes, with the missing ACL named in each authorization error."""
    return {
        name: None if error is None else with_missing_acl(error, operation, name)
        for name, error in outcome.items()
    }


class TopicWrites(KafkaClient):
    """Each write is one request for all its topics; per-topic outcomes are returned."""

    def create_topics(
        self, topics: Sequence[NewTopic], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        outcome: dict[str, AdminError | None] = {}
        counts: dict[str, int] = {}
        for topic in topics:
            counts[topic.name] = counts.get(topic.name, 0) + 1
        for name, count in counts.items():
            if count > 1:
                # Kafka refuses every entry of a name given twice in one request.
                outcome[name] = AdminError(
                    "INVALID_REQUEST", f"topic {name!r} appears {count} times in one request"
                )
        new = [
            ck.NewTopic(
                t.name,
                num_partitions=t.partitions,
                replication_factor=t.replication_factor,
                config=dict(t.config),
            )
            for t in topics
            if counts[t.name] == 1
        ]
        if new:
            futures = self._call(
                "cannot create topics",
                lambda c: c.create_topics(
                    new,
                    operation_timeout=self._op_timeout,
                    request_timeout=self.timeout,
                    validate_only=validate_only,
                ),
            )
            outcome.update(_naming_acls(self._settle(futures), Operation.CREATE))
        return outcome

    def create_partitions(
        self, totals: Mapping[str, int], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        if not totals:
            return {}
        new = [ck.NewPartitions(name, int(total)) for name, total in totals.items()]
        futures = self._call(
            "cannot add partitions",
            lambda c: c.create_partitions(
                new,
                operation_timeout=self._op_timeout,
                request_timeout=self.timeout,
                validate_only=validate_only,
            ),
        )
        return _naming_acls(self._settle(futures), Operation.CREATE_PARTITIONS)

    def alter_configs(
        self, changes: Mapping[str, Mapping[str, str | None]], *, validate_only: bool = False
    ) -> Mapping[str, AdminError | None]:
        outcome: dict[str, AdminError | None] = {}
        resources = []
        for name, keys in changes.items():
            if not keys:
                outcome[name] = None  # nothing to change
                continue
            entries = [
                ck.ConfigEntry(
                    key,
                    value,
                    incremental_operation=(
                        ck.AlterConfigOpType.DELETE if value is None else ck.AlterConfigOpType.SET
                    ),
                )
                for key, value in keys.items()
            ]
            resources.append(
                ck.ConfigResource(ck.ResourceType.TOPIC, name, incremental_configs=entries)
            )
        if resources:
            futures = self._call(
                "cannot alter topic configs",
                lambda c: c.incremental_alter_configs(
                    resources, request_timeout=self.timeout, validate_only=validate_only
                ),
            )
            settled = {resource.name: error for resource, error in self._settle(futures).items()}
            outcome.update(_naming_acls(settled, Operation.ALTER_CONFIGS))
        return outcome

    def delete_topics(self, names: Collection[str]) -> Mapping[str, AdminError | None]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        futures = self._call(
            "cannot delete topics",
            lambda c: c.delete_topics(
                wanted, operation_timeout=self._op_timeout, request_timeout=self.timeout
            ),
        )
        return _naming_acls(self._settle(futures), Operation.DELETE)
