"""Rules over client properties files (``--client FILE``, ``clients:`` in ktr.yaml)."""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.doctor.catalogue import RULES
from reconciler.doctor.facts import ClientFile, Facts
from reconciler.doctor.findings import Finding
from reconciler.doctor.rules.declarations import finding, live_topics

COOPERATIVE = "cooperative-sticky"
EAGER_ASSIGNORS = frozenset({"range", "roundrobin", "sticky"})
# librdkafka's default partition.assignment.strategy: eager.
DEFAULT_STRATEGY = ("range", "roundrobin")
CODECS = ("gzip", "snappy", "lz4", "zstd")
_JAVA_ASSIGNORS = {
    "org.apache.kafka.clients.consumer.rangeassignor": "range",
    "org.apache.kafka.clients.consumer.roundrobinassignor": "roundrobin",
    "org.apache.kafka.clients.consumer.stickyassignor": "sticky",
    "org.apache.kafka.clients.consumer.cooperativestickyassignor": COOPERATIVE,
}
METADATA_REFRESH_FLOOR_MS = 60_000


def client_finding(rule: str, client: ClientFile, key: str, message: str, fix: str) -> Finding:
    return Finding(
        rule=rule,
        severity=RULES[rule].severity,
        message=message,
        fix=fix,
        file=client.path,
        line=client.line(key),
    )


def strategy(client: ClientFile) -> tuple[str, ...]:
    """The assignors a consumer offers, in its order of preference, by their protocol names."""
    raw = client.properties.get("partition.assignment.strategy")
    if raw is None or not raw.strip():
        return DEFAULT_STRATEGY
    names = [part.strip() for part in raw.split(",") if part.strip()]
    return tuple(_JAVA_ASSIGNORS.get(name.lower(), name.lower()) for name in names)


def uses_consumer_protocol(client: ClientFile) -> bool:
    """KIP-848's ``consumer`` group protocol: the broker assigns, incrementally."""
    return client.properties.get("group.protocol", "classic").strip().lower() == "consumer"


def is_consumer(client: ClientFile) -> bool:
    return bool(client.consumes) or "group.id" in client.properties


def client_auto_create(facts: Facts) -> Iterator[Finding]:
    for client in facts.clients:
        if client.properties.get("allow.auto.create.topics", "").strip().lower() == "true":
            yield client_finding(
                "client-auto-create",
                client,
                "allow.auto.create.topics",
                "the client sets allow.auto.create.topics=true: a misspelt topic is "
                "created with the broker's defaults",
                "remove allow.auto.create.topics (or set it to false) and declare the topics",
            )


def client_assignor(facts: Facts) -> Iterator[Finding]:
    for client in facts.clients:
        if not is_consumer(client) or uses_consumer_protocol(client):
            continue
        offered = strategy(client)
        if offered[0] == COOPERATIVE:
            continue
        written = "partition.assignment.strategy" in client.properties
        said = (
            f"partition.assignment.strategy={','.join(offered)}"
            if written
            else f"no partition.assignment.strategy (librdkafka's default is {','.join(offered)})"
        )
        yield client_finding(
            "client-assignor",
            client,
            "partition.assignment.strategy",
            f"the consumer has {said}: an eager assignor stops the whole group on every "
            "rebalance, so a rolling deploy of N consumers stops it N times",
            "set partition.assignment.strategy=cooperative-sticky (stop every consumer of "
            "the group to switch), or group.protocol=consumer on Kafka 4",
        )


def assignor_change(facts: Facts) -> Iterator[Finding]:
    if facts.cluster is None:
        return
    groups = {group.group_id: group for group in facts.cluster.groups}
    for client in facts.clients:
        group_id = client.properties.get("group.id", "").strip()
        group = groups.get(group_id)
        if group is None or not group.assignor or uses_consumer_protocol(client):
            continue
        if group.protocol == "consumer":
            continue  # the broker assigns; the client's strategy does not take part
        offered = strategy(client)
        if group.assignor in offered:
            continue
        yield Finding(
            rule="assignor-change",
            severity=RULES["assignor-change"].severity,
            message=f"the consumer offers {','.join(offered)} but live group '{group_id}' "
            f"uses {group.assignor}: members with no assignor in common cannot join one "
            "group, so a rolling deploy fails with 'Inconsistent group protocol'",
            fix=f"stop every consumer of group '{group_id}', then deploy; or list "
            f"{group.assignor} too in partition.assignment.strategy for one rolling deploy "
            "and remove it in the next",
            group=group_id,
            file=client.path,
            line=client.line("partition.assignment.strategy"),
        )


def client_compression(facts: Facts) -> Iterator[Finding]:
    for client in facts.clients:
        if not client.produces:
            continue
        codec = client.codec
        plain: list[str] = []
        other: list[str] = []
        for spec in live_topics(facts):
            topic_codec = spec.config.get("compression.type", "producer")
            if topic_codec not in CODECS or not client.produces_to(spec.name):
                continue
            if codec == "none":
                plain.append(spec.name)
            elif codec in CODECS and codec != topic_codec:
                other.append(f"{spec.name} ({topic_codec})")
        if plain:
            yield client_finding(
                "client-compression",
                client,
                client.codec_key,
                f"the producer sends uncompressed batches to topics that compress "
                f"({_some(plain)}): the broker compresses on arrival and no network "
                "traffic is saved",
                f"set {client.codec_key}={_topic_codec(facts, plain[0])} in the client's settings",
            )
        if other:
            yield client_finding(
                "client-compression",
                client,
                client.codec_key,
                f"the producer compresses with {codec}, but {_some(other)} use another "
                "codec: the broker decompresses and compresses every batch again",
                f"use the topic's codec in {client.codec_key}, or declare compression.type: "
                f"{codec} on those topics",
            )


def metadata_refresh(facts: Facts) -> Iterator[Finding]:
    key = "topic.metadata.refresh.interval.ms"
    for client in facts.clients:
        raw = client.properties.get(key, "").strip()
        try:
            interval = int(raw)
        except ValueError:
            continue  # unset (librdkafka's default is 5 minutes) or not a number
        if 0 <= interval < METADATA_REFRESH_FLOOR_MS:
            yield client_finding(
                "metadata-refresh",
                client,
                key,
                f"the client sets {key}={interval}: a development value; every client "
                "asks for metadata that often, which loads the brokers",
                f"remove {key} (librdkafka's default is 300000, 5 minutes), or set it to "
                "60000 or more",
            )


def codec_unavailable(facts: Facts) -> Iterator[Finding]:
    available = facts.codecs_available
    for client in facts.clients:
        if client.produces and client.codec in CODECS and client.codec not in available:
            yield client_finding(
                "codec-unavailable",
                client,
                client.codec_key,
                f"the producer uses {client.codec}, which this machine's librdkafka was "
                "built without: the client fails when it is configured",
                f"install a librdkafka built with {client.codec}, or use another codec",
            )
    for spec in live_topics(facts):
        codec = spec.config.get("compression.type", "producer")
        if codec in CODECS and codec not in available:
            yield finding(
                "codec-unavailable",
                spec,
                f"topic '{spec.name}' is compressed with {codec}, which this machine's "
                "librdkafka was built without: consumers here cannot read it",
                f"install a librdkafka built with {codec}, or declare another compression.type",
            )


def _topic_codec(facts: Facts, name: str) -> str:
    return facts.desired.topics[name].config.get("compression.type", "zstd")


def _some(names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
