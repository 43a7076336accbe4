"""One contract, two clusters: the in-process fake and a real broker.

Every test in this directory runs against both, through the ``cluster``
fixture. Where Apache Kafka defines a behaviour the tests encode Kafka's
behaviour; when the real broker lacks a feature (Tansu: partition increases,
validate_only, config sources, request validation, group members) the test
detects that at run time and skips with the reason, so the fake stays honest
wherever the broker can check it.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from reconciler.cluster.admin import Admin, AdminError, NewTopic
from tests.fake_cluster import FakeCluster

T = TypeVar("T")
WAIT = 30.0  # seconds a real cluster may take to show a change on every broker


class Cluster:
    """A cluster under contract, with ways to arrange what the Admin calls then observe."""

    name: str
    admin: Admin

    def __init__(self) -> None:
        self.created: list[str] = []

    def new_name(self, stem: str = "t") -> str:
        return f"ktr-contract-{stem}-{uuid.uuid4().hex[:8]}"

    def create(
        self, name: str, partitions: int = 1, config: Mapping[str, str] | None = None
    ) -> str:
        outcome = self.admin.create_topics([NewTopic(name, partitions, 1, dict(config or {}))])
        assert outcome == {name: None}, outcome
        self.created.append(name)
        return name

    def forget(self, *names: str) -> None:
        """Delete topics a test made by other means than :meth:`create` (e.g. a lax broker)."""
        self.created.extend(names)

    def produce(self, topic: str, partition: int, count: int) -> None:
        raise NotImplementedError

    def commit(self, group: str, topic: str, offsets: Mapping[int, int]) -> None:
        raise NotImplementedError

    def member(self, group: str, topic: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def cleanup(self) -> None:
        if self.created:
            self.admin.delete_topics(set(self.created))


class Fake(Cluster):
    name = "fake"

    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeCluster(kafka_version="4.1")  # a release, as every real broker is
        self.admin = self.fake
        self.offsets: dict[str, dict[str, dict[int, int]]] = {}

    def produce(self, topic: str, partition: int, count: int) -> None:
        self.fake.produce(topic, partition, count)

    def commit(self, group: str, topic: str, offsets: Mapping[int, int]) -> None:
        self.offsets.setdefault(group, {}).setdefault(topic, {}).update(offsets)
        self.fake.add_consumer_group(group, offsets=self.offsets[group])

    @contextmanager
    def member(self, group: str, topic: str) -> Iterator[None]:
        self.fake.add_consumer_group(group, assigned=[topic], offsets=self.offsets.get(group))
        yield
        self.fake.add_consumer_group(group, offsets=self.offsets.get(group))


class Real(Cluster):
    name = "broker"

    def __init__(self, bootstrap: str, admin: Admin) -> None:
        super().__init__()
        self.bootstrap = bootstrap
        self.admin = admin

    def produce(self, topic: str, partition: int, count: int) -> None:
        producer = Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 0})
        failures: list[object] = []
        for _ in range(count):
            # One record per request: every broker must count records, not batches.
            producer.produce(
                topic, b"x", partition=partition, on_delivery=lambda e, m: e and failures.append(e)
            )
            assert producer.flush(WAIT) == 0
        assert not failures, failures

    def commit(self, group: str, topic: str, offsets: Mapping[int, int]) -> None:
        consumer = Consumer(
            {"bootstrap.servers": self.bootstrap, "group.id": group, "enable.auto.commit": False}
        )
        try:
            consumer.commit(
                offsets=[TopicPartition(topic, p, o) for p, o in offsets.items()],
                asynchronous=False,
            )
        finally:
            consumer.close()

    @contextmanager
    def member(self, group: str, topic: str) -> Iterator[None]:
        assigned: list[TopicPartition] = []
        consumer = Consumer(
            {
                "bootstrap.servers": self.bootstrap,
                "group.id": group,
                "session.timeout.ms": 6000,
                "heartbeat.interval.ms": 500,
                "enable.auto.commit": False,
            }
        )
        try:
            consumer.subscribe([topic], on_assign=lambda c, parts: assigned.extend(parts))
            deadline = time.monotonic() + WAIT
            while not assigned and time.monotonic() < deadline:
                consumer.poll(0.2)
            assert assigned, f"the consumer was not assigned {topic} within {WAIT} s"
            yield
        finally:
            consumer.close()


@pytest.fixture(params=["fake", pytest.param("broker", marks=pytest.mark.broker)])
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    if request.param == "fake":
        chosen: Cluster = Fake()
    else:
        chosen = Real(
            request.getfixturevalue("bootstrap_servers"),
            request.getfixturevalue("kafka_admin"),
        )
    try:
        yield chosen
    finally:
        chosen.cleanup()


def eventually(read: Callable[[], T], done: Callable[[T], bool], limit: float = WAIT) -> T:
    """Read until ``done`` holds (a real cluster propagates changes over time)."""
    deadline = time.monotonic() + limit
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def skip_if_unsupported(error: AdminError | None, what: str) -> None:
    """Skip when the broker says it lacks the feature altogether."""
    if error is not None and error.code in ("_UNSUPPORTED_FEATURE", "UNSUPPORTED_VERSION"):
        pytest.skip(f"the broker does not support {what}: {error}")


def skip_if_lax(cluster: Cluster, name: str, error: AdminError | None, rule: str) -> None:
    """Skip when the broker accepted a create that Kafka refuses (cleaning up after it)."""
    if error is None:
        cluster.forget(name)
        pytest.skip(f"the broker does not enforce Kafka's rule: {rule}")


def reports_all_configs(cluster: Cluster) -> bool:
    """Whether DescribeConfigs reports inherited values too, as Kafka does (with sources)."""
    name = cluster.create(cluster.new_name("probe"))
    return bool(cluster.admin.topic_configs([name]).get(name))


# ------------------------------------------------ a principal with restricted ACLs
#
# On the broker side this needs a cluster with an authorizer and a second
# principal, given as a librdkafka properties file in KTR_TEST_READER_CONFIG
# (tests/kafka-cluster/ sets one up). That principal has the read-only ACLs
# of the README, and is denied DESCRIBE on topics and groups whose names
# start with PRIVATE.
PRIVATE = "ktr-private-"


class Restricted:
    """The same cluster seen by an admin principal and by a read-only one."""

    def __init__(self, cluster: Cluster, reader: Admin) -> None:
        self.cluster = cluster
        self.admin = cluster.admin
        self.reader = reader

    def private_name(self) -> str:
        return f"{PRIVATE}{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=["fake", pytest.param("broker", marks=pytest.mark.broker)])
def restricted(request: pytest.FixtureRequest) -> Iterator[Restricted]:
    from tests.fake_cluster import READ_ONLY_ACLS, Acl

    if request.param == "fake":
        fake = Fake()
        reader: Admin = fake.fake.as_principal(
            allow=READ_ONLY_ACLS,
            deny=[Acl("DESCRIBE", "topic", f"{PRIVATE}*"), Acl("DESCRIBE", "group", f"{PRIVATE}*")],
        )
        chosen: Cluster = fake
        closing = None
    else:
        config = os.environ.get("KTR_TEST_READER_CONFIG")
        if not config:
            pytest.skip("no read-only principal configured (KTR_TEST_READER_CONFIG)")
        from reconciler.cluster.kafka import connect

        chosen = Real(
            request.getfixturevalue("bootstrap_servers"),
            request.getfixturevalue("kafka_admin"),
        )
        reader = closing = connect(None, client_config=Path(config), timeout=30.0)
    try:
        yield Restricted(chosen, reader)
    finally:
        chosen.cleanup()
        if closing is not None:
            closing.close()
