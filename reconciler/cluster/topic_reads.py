"""Reading topics through confluent-kafka: the listing, topic ids, configs and sightings."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import Future
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka import admin as ck

from reconciler.cluster.access import Operation, is_authorization, with_missing_acl
from reconciler.cluster.admin import AdminError, ClusterError, ClusterInfo, Sighting
from reconciler.cluster.client import KafkaClient
from reconciler.model import ConfigEntry, ConfigSource, PartitionInfo, TopicInfo

_SOURCES = {
    ck.ConfigSource.DYNAMIC_TOPIC_CONFIG.value: ConfigSource.TOPIC,
    ck.ConfigSource.DYNAMIC_BROKER_CONFIG.value: ConfigSource.BROKER,
    ck.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.value: ConfigSource.BROKER,
    ck.ConfigSource.STATIC_BROKER_CONFIG.value: ConfigSource.BROKER,
    ck.ConfigSource.DEFAULT_CONFIG.value: ConfigSource.DEFAULT,
}

# Kafka marks exactly these topics internal (Topic.isInternal); the metadata
# listing carries the flag, but confluent-kafka does not expose it.
KAFKA_INTERNAL_TOPICS = frozenset(
    {"__consumer_offsets", "__transaction_state", "__share_group_state"}
)

_NO_TOPIC_ID = "AAAAAAAAAAAAAAAAAAAAAA"

# The cluster as connecting described it stands for a cluster() call this soon
# after: one request fewer for every command, on an answer a moment old.
PROBE_REUSE_SECONDS = 2.0

# confluent-kafka answers DescribeTopics with a dozen objects per topic
# (partitions, and a broker object for each leader, replica and in-sync
# replica): 70 MB for 20,000 topics, held at once. Asked in up to this many
# parts, one after the other, only one part's answer is held at a time, and
# the number of requests stays bounded whatever the number of topics.
DESCRIBE_PARTS = 4
DESCRIBE_PART_MIN = 2_000  # topics a part holds at least (fewer: one request)


def describe_parts(names: list[str]) -> list[list[str]]:
    """``names`` cut into at most :data:`DESCRIBE_PARTS` parts, in order."""
    if not names:
        return []
    count = min(DESCRIBE_PARTS, -(-len(names) // DESCRIBE_PART_MIN))
    size = -(-len(names) // count)
    return [names[first : first + size] for first in range(0, len(names), size)]


class TopicReads(KafkaClient):
    """Topic layouts, ids and configs, each one batched request for all topics."""

    def cluster(self) -> ClusterInfo:
        probed, self._probed = self._probed, None
        if probed is not None and time.monotonic() - probed[0] < PROBE_REUSE_SECONDS:
            # The first read right after connecting takes the answer connecting got.
            description = probed[1]
        else:
            description = self._call(
                "cannot describe the cluster",
                lambda c: c.describe_cluster(request_timeout=self.timeout).result(
                    timeout=self.timeout + 5.0
                ),
            )
        self._remember_nodes(description)
        self._drain()
        return ClusterInfo(description.cluster_id, tuple(sorted(self._nodes)))

    def topics(self, *, ids_for: Collection[str] | None = None) -> Mapping[str, TopicInfo]:
        # The metadata listing gives every topic's layout; only DescribeTopics
        # gives topic ids. With the names known in advance, both requests are
        # in flight at once: describing a topic that turns out not to exist
        # just answers UNKNOWN_TOPIC_OR_PART.
        parts: list[list[str]] = []
        first: Future[Any] | None = None
        if ids_for is not None:
            parts = describe_parts(sorted(set(ids_for)))
            first = self._describe_topics(parts[0]) if parts else None
        metadata = self._call("cannot list topics", lambda c: c.list_topics(timeout=self.timeout))
        if ids_for is None:
            parts = describe_parts(sorted(metadata.topics))
            first = self._describe_topics(parts[0]) if parts else None
        ids = self._topic_ids(parts[0], first) if parts else {}
        for part in parts[1:]:
            ids.update(self._topic_ids(part, self._describe_topics(part)))
        found: dict[str, TopicInfo] = {}
        internal = KAFKA_INTERNAL_TOPICS
        unknown = KafkaError.UNKNOWN_TOPIC_OR_PART
        # Tight on purpose: this runs for every topic of the cluster.
        for name, meta in metadata.topics.items():
            if meta.error is not None and meta.error.code() == unknown:
                continue
            partitions = meta.partitions
            found[name] = TopicInfo(
                name,
                ids.get(name),
                tuple([_partition(partitions[p]) for p in sorted(partitions)]),
                name in internal,
            )
        if ids_for is None:
            # A topic deleted between the two reads is gone.
            found = {name: topic for name, topic in found.items() if name in ids}
        return found

    def describe_topics(self, names: Collection[str]) -> Mapping[str, TopicInfo | AdminError]:
        # In parts, each answer let go once mapped (see DESCRIBE_PARTS).
        described: dict[str, TopicInfo | AdminError] = {}
        for part in describe_parts(sorted(set(names))):
            self._describe_part(part, described)
        return described

    def _describe_part(
        self, names: list[str], described: dict[str, TopicInfo | AdminError]
    ) -> None:
        for name, description, error in self._described(names, self._describe_topics(names)):
            if error is not None:
                described[name] = with_missing_acl(error, Operation.DESCRIBE, name)
                continue
            described[name] = TopicInfo(
                name=name,
                topic_id=_topic_id(description.topic_id),
                partitions=tuple(
                    _described_partition(p)
                    for p in sorted(description.partitions, key=lambda p: p.id)
                ),
                internal=name in KAFKA_INTERNAL_TOPICS,
            )

    def _describe_topics(self, names: list[str]) -> Future[Any] | None:
        """Start DescribeTopics for ``names``; the answer is read by :meth:`_described`."""
        if not names:
            return None
        return self._send(
            "cannot describe topics",
            # confluent-kafka's own wrapper passes these arguments; its stub says otherwise.
            lambda c, answer: super(ck.AdminClient, c).describe_topics(
                names,
                answer,  # type: ignore[arg-type]
                request_timeout=self.timeout,
            ),
        )

    def _described(
        self, names: list[str], answer: Future[Any] | None
    ) -> Iterator[tuple[str, Any, AdminError | None]]:
        """Each name with its description or error, from :meth:`_describe_topics`'s answer."""
        if answer is None:
            return iter(())
        # The answer lists the descriptions in the order the names were given.
        return self._each_answer(answer, names, lambda whole: zip(names, whole, strict=True))

    def _topic_ids(self, names: list[str], answer: Future[Any] | None) -> dict[str, str | None]:
        """The topic ids from DescribeTopics; each description is let go once read."""
        ids: dict[str, str | None] = {}
        for name, description, error in self._described(names, answer):
            if error is not None:
                if error.code == "UNKNOWN_TOPIC_OR_PART":
                    continue  # deleted since it was listed, or never there
                if is_authorization(error):
                    # Left out, as the listing leaves it out; describe_topics
                    # is how a caller tells such a topic from an absent one.
                    continue
                raise ClusterError(f"cannot describe topic {name!r} on {self.bootstrap}: {error}")
            ids[name] = _topic_id(description.topic_id)
        return ids

    def topic_configs(self, names: Collection[str]) -> Mapping[str, Mapping[str, ConfigEntry]]:
        wanted = sorted(set(names))
        if not wanted:
            return {}
        make, of_topic = ck.ConfigResource, ck.ResourceType.TOPIC
        resources = [make(of_topic, name) for name in wanted]
        answer = self._send(
            "cannot describe topic configs",
            lambda c, answer: super(ck.AdminClient, c).describe_configs(
                resources, answer, request_timeout=self.timeout
            ),
        )
        configs: dict[str, Mapping[str, ConfigEntry]] = {}
        seen: dict[tuple[str | None, int], ConfigEntry] = {}
        # Each topic's entries are let go once mapped: on a real cluster they are
        # ~35 objects per topic, far more than what ktr keeps of them.
        for resource, entries, error in self._each_answer(answer, resources, _by_resource):
            if error is not None:
                if error.code == "UNKNOWN_TOPIC_OR_PART":
                    continue
                error = with_missing_acl(error, Operation.DESCRIBE_CONFIGS, resource.name)
                raise ClusterError(
                    f"cannot read configs of topic {resource.name!r} on {self.bootstrap}: {error}"
                )
            configs[resource.name] = _config_entries(entries, seen)
        return configs

    def sighting(self, names: Collection[str], *, timeout: float | None = None) -> Sighting:
        wanted = set(names)
        client = self._sighting_client()
        self._count()
        only = next(iter(wanted)) if len(wanted) == 1 else None
        limit = self.timeout if timeout is None else max(min(timeout, self.timeout), 0.1)
        try:
            metadata = (
                client.list_topics(topic=only, timeout=limit)
                if only is not None
                else client.list_topics(timeout=limit)
            )
        except KafkaException as e:
            raise self._fail("cannot read topic metadata", e) from None
        topics: dict[str, int | None] = {}
        partitions: dict[str, int] = {}
        for name in wanted:
            meta = metadata.topics.get(name)
            if meta is None or (
                meta.error is not None and meta.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART
            ):
                topics[name] = None
                continue
            parts = meta.partitions.values()
            topics[name] = sum(1 for p in parts if p.leader >= 0 and p.error is None)
            partitions[name] = len(meta.partitions)
        client.poll(0)  # serve its queued callbacks
        return Sighting(broker_id=metadata.orig_broker_id, topics=topics, partitions=partitions)

    def _sighting_client(self) -> ck.AdminClient:
        """The client to ask next: each broker in turn on a multi-broker cluster.

        A metadata request goes to whichever broker librdkafka picks, so each
        broker gets a small client of its own, bootstrapped with only that
        broker's advertised address. librdkafka connects sparsely (only to the
        brokers it needs), so such a client asks its own broker; the answer
        still names the broker that gave it, so a sighting is never mislabelled.
        """
        main = self._usable()
        if len(self._nodes) <= 1:
            return main
        address = self._nodes[next(iter(self._rotation))]
        client = self._broker_clients.get(address)
        if client is None:
            client = self._broker_clients[address] = self._new_client(address)
        return client


def _topic_id(uuid: object) -> str | None:
    """Kafka's printed form of a topic id (URL-safe base64, as kafka-topics.sh shows it)."""
    text = str(uuid) if uuid is not None else ""
    if not text or text == _NO_TOPIC_ID:
        return None
    return text.replace("+", "-").replace("/", "_").rstrip("=")


def _by_resource(whole: dict[Any, Any]) -> Iterator[tuple[Any, Any]]:
    """DescribeConfigs' answer: each resource with its entries, or its own error."""
    for resource in list(whole):
        entries = whole.pop(resource)  # let go as read
        yield resource, resource.error if resource.error is not None else entries


def _config_entries(
    entries: Mapping[str, Any], seen: dict[tuple[str | None, int], ConfigEntry]
) -> dict[str, ConfigEntry]:
    """Map a topic's config entries; equal entries of other topics share one object.

    Most values on a large cluster are the same inherited defaults, so a
    read of thousands of topics makes a few hundred distinct entries instead
    of one per key and topic.
    """
    mapped: dict[str, ConfigEntry] = {}
    for key, entry in entries.items():
        value = None if entry.is_sensitive else entry.value
        source = entry.source
        # By the source's identity: an enum member hashes through a Python
        # method, and a real cluster reports some 35 entries per topic.
        known = seen.get((value, id(source)))
        if known is None:
            raw = int(getattr(source, "value", source))
            known = seen[value, id(source)] = ConfigEntry(
                value, _SOURCES.get(raw, ConfigSource.UNKNOWN)
            )
        mapped[key] = known
    return mapped


def _described_partition(p: Any) -> PartitionInfo:
    """A partition from DescribeTopics, whose leader and replicas are broker nodes."""
    return PartitionInfo(
        id=p.id,
        leader=p.leader.id if p.leader is not None and p.leader.id >= 0 else None,
        replicas=tuple(node.id for node in p.replicas),
        isr=tuple(node.id for node in p.isr),
    )


def _partition(p: Any) -> PartitionInfo:
    """A partition from the metadata listing, where -1 means no leader."""
    leader = p.leader
    return PartitionInfo(p.id, leader if leader >= 0 else None, tuple(p.replicas), tuple(p.isrs))
