"""Reading consumer groups, their committed offsets and topics' end offsets: evidence of use."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from confluent_kafka import (
    ConsumerGroupTopicPartitions,
    KafkaException,
    TopicCollection,
    TopicPartition,
)
from confluent_kafka import admin as ck

from reconciler.cluster.access import Operation, with_missing_acl
from reconciler.cluster.admin import ClusterError, GroupInfo
from reconciler.cluster.client import KafkaClient

# Kafka's own names for group states (as kafka-consumer-groups.sh prints them).
_GROUP_STATES = {
    "UNKNOWN": "Unknown",
    "PREPARING_REBALANCING": "PreparingRebalance",
    "COMPLETING_REBALANCING": "CompletingRebalance",
    "STABLE": "Stable",
    "DEAD": "Dead",
    "EMPTY": "Empty",
}

# ConsumerGroupType names: the classic protocol, or KIP-848's broker-side assignment.
_PROTOCOLS = {"CLASSIC": "classic", "CONSUMER": "consumer"}


class GroupReads(KafkaClient):
    """What shows that a topic is in use: groups, committed and end offsets."""

    def consumer_groups(self) -> Sequence[GroupInfo]:
        listing = self._call(
            "cannot list consumer groups",
            lambda c: c.list_consumer_groups(request_timeout=self.timeout).result(
                timeout=self.timeout + 5.0
            ),
        )
        if listing.errors:
            # ListGroups asks every broker for the groups it coordinates: one that
            # did not answer hides its groups, and with them evidence of use.
            raise self._fail("cannot list every consumer group", listing.errors[0])
        ids = sorted({g.group_id for g in listing.valid})
        if not ids:
            self._drain()
            return []
        futures = self._call(
            "cannot describe consumer groups",
            lambda c: c.describe_consumer_groups(ids, request_timeout=self.timeout),
        )
        groups: list[GroupInfo] = []
        for group_id, (description, error) in self._results(futures).items():
            if error is not None:
                if error.code == "GROUP_ID_NOT_FOUND":
                    continue  # deleted since it was listed
                error = with_missing_acl(error, Operation.DESCRIBE_GROUP, group_id)
                raise ClusterError(
                    f"cannot describe consumer group {group_id!r} on {self.bootstrap}: {error}"
                )
            members = description.members or []
            assigned = {
                tp.topic
                for member in members
                if member.assignment is not None
                for tp in member.assignment.topic_partitions
            }
            state = getattr(description.state, "name", str(description.state))
            groups.append(
                GroupInfo(
                    group_id=group_id,
                    state=_GROUP_STATES.get(state, state),
                    member_count=len(members),
                    assigned_topics=frozenset(assigned),
                    assignor=description.partition_assignor or None,
                    protocol=_PROTOCOLS.get(getattr(description.type, "name", "")),
                )
            )
        return groups

    def sees_every_group(self) -> bool:
        # DescribeAcls needs DESCRIBE on the cluster, the same permission that
        # makes ListGroups hide nothing; a cluster without an authorizer says
        # SECURITY_DISABLED. Anything else proves nothing.
        # None matches any name, principal and host (the stubs say str).
        anything: tuple[Any, ...] = (
            ck.ResourceType.ANY,
            None,
            ck.ResourcePatternType.ANY,
            None,
            None,
            ck.AclOperation.ANY,
            ck.AclPermissionType.ANY,
        )
        everything = ck.AclBindingFilter(*anything)
        future = self._call(
            "cannot check which consumer groups are visible",
            lambda c: c.describe_acls(everything, request_timeout=self.timeout),
        )
        ((_, error),) = self._results({"acls": future}).values()
        if error is None or error.code == "SECURITY_DISABLED":
            return True
        if error.ambiguous or error.retriable:
            raise ClusterError(
                f"cannot check which consumer groups are visible on {self.bootstrap}: {error}",
                ambiguous=error.ambiguous,
            )
        return False

    def committed_offsets(
        self, group_ids: Collection[str]
    ) -> Mapping[str, Mapping[str, Mapping[int, int]]]:
        ids = sorted(set(group_ids))
        if not ids:
            return {}
        client = self._usable()
        futures: dict[str, Future[Any]] = {}
        for group_id in ids:
            self._count()
            try:
                futures.update(
                    client.list_consumer_group_offsets(
                        [ConsumerGroupTopicPartitions(group_id)],
                        request_timeout=self.timeout,
                    )
                )
            except KafkaException as e:
                raise self._fail(f"cannot read offsets of group {group_id!r}", e) from None
        offsets: dict[str, dict[str, dict[int, int]]] = {}
        for group_id, (result, error) in self._results(futures).items():
            if error is not None:
                if error.code == "GROUP_ID_NOT_FOUND":
                    offsets[group_id] = {}
                    continue
                error = with_missing_acl(error, Operation.DESCRIBE_GROUP, group_id)
                raise ClusterError(
                    f"cannot read committed offsets of group {group_id!r} "
                    f"on {self.bootstrap}: {error}"
                )
            by_topic: dict[str, dict[int, int]] = {}
            for tp in result.topic_partitions or []:
                if tp.error is None and tp.offset >= 0:
                    by_topic.setdefault(tp.topic, {})[tp.partition] = tp.offset
            offsets[group_id] = by_topic
        return offsets

    def end_offsets(self, names: Collection[str]) -> Mapping[str, tuple[int, ...]]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        futures = self._call(
            "cannot describe topics",
            lambda c: c.describe_topics(TopicCollection(wanted), request_timeout=self.timeout),
        )
        counts: dict[str, int] = {}
        for name, (description, error) in self._results(futures).items():
            if error is None:
                counts[name] = len(description.partitions)
            elif error.code != "UNKNOWN_TOPIC_OR_PART":
                raise ClusterError(f"cannot describe topic {name!r} on {self.bootstrap}: {error}")
        latest = ck.OffsetSpec.latest()  # type: ignore[no-untyped-call]
        requests = {
            TopicPartition(name, p): latest for name, count in counts.items() for p in range(count)
        }
        if not requests:
            return {name: () for name in counts}
        offset_futures = self._call(
            "cannot list offsets",
            lambda c: c.list_offsets(requests, request_timeout=self.timeout),
        )
        ends: dict[str, dict[int, int]] = {name: {} for name in counts}
        for tp, (info, error) in self._results(offset_futures).items():
            if error is not None:
                raise ClusterError(
                    f"cannot read the end offset of {tp.topic}[{tp.partition}] "
                    f"on {self.bootstrap}: {error}"
                )
            ends[tp.topic][tp.partition] = info.offset
        return {
            name: tuple(by_partition[p] for p in sorted(by_partition))
            for name, by_partition in ends.items()
        }
