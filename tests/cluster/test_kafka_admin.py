"""The confluent-kafka adapter's own behaviour: connecting, errors, secrets, fork safety.

What every Admin implementation must do is in tests/contract; these tests
cover what only the real client has.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import KafkaError, KafkaException

from reconciler.cluster import topic_reads
from reconciler.cluster.admin import AdminError, ClusterError, NewTopic
from reconciler.cluster.connection import ClientSettings
from reconciler.cluster.kafka import ForkedClientError, KafkaAdmin, connect
from reconciler.model import TopicInfo
from reconciler.problems import UserError
from tests.broker import free_port

PASSWORD = "pa55-Word-never-shown"
GENEROUS = 25.0  # seconds: far above the timeout, only to catch a hang


def closed_address() -> str:
    return f"127.0.0.1:{free_port()}"


@pytest.fixture
def silent_address() -> Iterator[str]:
    """An address that accepts connections and never answers, so only the timeout ends a wait."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield f"127.0.0.1:{server.getsockname()[1]}"


def test_unreachable_cluster_fails_with_one_clear_line_within_the_timeout(
    silent_address: str,
) -> None:
    address = silent_address
    started = time.monotonic()
    with pytest.raises(ClusterError) as caught:
        connect(address, timeout=2)
    assert time.monotonic() - started < GENEROUS
    message = str(caught.value)
    assert message.startswith(f"cannot reach Kafka at {address} within 2 s: ")
    assert "\n" not in message


def test_librdkafka_does_not_write_to_stderr_while_failing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ClusterError):
        connect(closed_address(), timeout=1)
    assert capfd.readouterr().err == ""


def test_password_from_x_option_never_appears_in_the_error(silent_address: str) -> None:
    props = [
        "security.protocol=SASL_PLAINTEXT",
        "sasl.mechanism=PLAIN",
        "sasl.username=alice",
        f"sasl.password={PASSWORD}",
    ]
    with pytest.raises(ClusterError) as caught:
        connect(silent_address, props, timeout=1)
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in repr(caught.value)


def test_password_from_a_file_never_appears_in_a_setting_error(tmp_path: Path) -> None:
    path = tmp_path / "client.properties"
    path.write_text(f"sasl.password={PASSWORD}\nno.such.property=1\n")
    with pytest.raises(UserError) as caught:
        connect(closed_address(), client_config=path, timeout=1)
    assert PASSWORD not in str(caught.value)


def test_password_from_a_file_never_appears_in_a_connection_error(
    tmp_path: Path, silent_address: str
) -> None:
    path = tmp_path / "client.properties"
    path.write_text(
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
        f"sasl.username=alice\nsasl.password={PASSWORD}\n"
    )
    with pytest.raises(ClusterError) as caught:
        connect(silent_address, client_config=path, timeout=1)
    assert PASSWORD not in str(caught.value)


def test_secret_text_in_a_broker_message_is_scrubbed() -> None:
    admin = KafkaAdmin(
        ClientSettings({"bootstrap.servers": closed_address(), "sasl.password": PASSWORD}, {}),
        1.0,
    )
    try:
        error = admin._admin_error(KafkaException(KafkaError(40, f"bad value {PASSWORD}")))
        assert PASSWORD not in repr(admin)
    finally:
        admin.close()
    assert PASSWORD not in str(error)


def test_unknown_property_is_a_user_error_naming_where_it_was_set(tmp_path: Path) -> None:
    path = tmp_path / "client.properties"
    path.write_text("client.id=ktr\nno.such.property=1\n")
    with pytest.raises(UserError, match=rf"\({path}:2\).*no.such.property"):
        connect(closed_address(), client_config=path, timeout=1)


def test_bad_value_is_a_user_error_naming_the_option() -> None:
    with pytest.raises(UserError, match=r"\(-X security.protocol\)"):
        connect(closed_address(), ["security.protocol=carrier-pigeon"], timeout=1)


@pytest.mark.broker
def test_connect_learns_the_cluster(bootstrap_servers: str) -> None:
    with connect(bootstrap_servers, timeout=10) as admin:
        info = admin.cluster()
    assert info.broker_ids


@pytest.mark.broker
def test_propagation_timeout_follows_the_client_property(bootstrap_servers: str) -> None:
    with connect(bootstrap_servers, ["topic.metadata.propagation.max.ms=4500"]) as admin:
        assert admin.propagation_timeout == 4.5
    with connect(bootstrap_servers) as admin:
        assert admin.propagation_timeout == 30.0


@pytest.mark.broker
def test_every_method_call_counts_as_one_request(kafka_admin: KafkaAdmin) -> None:
    kafka_admin.cluster()  # takes the answer connecting got
    before = kafka_admin.request_count()
    kafka_admin.cluster()
    kafka_admin.sighting(["x"])
    assert kafka_admin.request_count() == before + 2


@pytest.mark.broker
def test_the_first_cluster_description_after_connecting_costs_no_request(
    bootstrap_servers: str,
) -> None:
    with connect(bootstrap_servers) as admin:
        connected = admin.request_count()
        first = admin.cluster()
        assert admin.request_count() == connected
        again = admin.cluster()
        assert admin.request_count() == connected + 1
    assert first == again and first.broker_ids


@pytest.mark.broker
def test_reading_topics_costs_the_same_for_one_or_forty_topics(
    fresh_broker: str,
) -> None:
    with connect(fresh_broker) as admin:
        admin.create_topics([NewTopic("only", 1, 1)])
        before = admin.request_count()
        admin.topic_configs(admin.topics())
        one = admin.request_count() - before
        admin.create_topics([NewTopic(f"t{i}", 1, 1) for i in range(39)])
        before = admin.request_count()
        admin.topic_configs(admin.topics())
        forty = admin.request_count() - before
    assert one == forty


@pytest.mark.broker
def test_topic_ids_asked_in_parts_are_all_there_and_the_parts_stay_few(
    fresh_broker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topic_reads, "DESCRIBE_PART_MIN", 2)
    names = [f"part-{i}" for i in range(8)]  # four parts of two
    with connect(fresh_broker) as admin:
        admin.create_topics([NewTopic(name, 1, 1) for name in names])
        before = admin.request_count()
        topics = admin.topics(ids_for=names)
        requests = admin.request_count() - before
    assert all(topics[name].topic_id for name in names)
    assert requests == 1 + topic_reads.DESCRIBE_PARTS  # the listing, and each part


@pytest.mark.broker
def test_topics_described_by_name_in_parts_are_all_described(
    fresh_broker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topic_reads, "DESCRIBE_PART_MIN", 2)
    names = [f"named-{i}" for i in range(7)]  # with the missing one, four parts of two
    with connect(fresh_broker) as admin:
        admin.create_topics([NewTopic(name, 1, 1) for name in names])
        before = admin.request_count()
        described = admin.describe_topics([*names, "never-created"])
        requests = admin.request_count() - before
    assert all(isinstance(described[name], TopicInfo) for name in names)
    assert isinstance(described["never-created"], AdminError)
    assert requests == topic_reads.DESCRIBE_PARTS


@pytest.mark.broker
def test_client_used_after_close_raises(bootstrap_servers: str) -> None:
    admin = connect(bootstrap_servers)
    admin.close()
    admin.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        admin.topics()


@pytest.mark.broker
def test_client_made_before_fork_refuses_to_work_in_the_child(kafka_admin: KafkaAdmin) -> None:
    pid = os.fork()
    if pid == 0:  # child: must not touch librdkafka's threads, which did not survive
        code = 1
        try:
            kafka_admin.topics()
        except ForkedClientError:
            code = 0
        except BaseException:
            code = 2
        sys.stdout.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert kafka_admin.cluster().broker_ids  # the parent's client still works


@pytest.mark.parametrize(
    ("code", "ambiguous"),
    [
        (KafkaError.REQUEST_TIMED_OUT, True),
        (KafkaError._TIMED_OUT, True),
        (KafkaError._TRANSPORT, True),
        (KafkaError._DESTROY_BROKER, True),
        (KafkaError.TOPIC_ALREADY_EXISTS, False),
    ],
)
def test_timeouts_and_dropped_connections_are_ambiguous(code: int, ambiguous: bool) -> None:
    admin = KafkaAdmin(ClientSettings({"bootstrap.servers": closed_address()}, {}), 1.0)
    try:
        error = admin._admin_error(KafkaException(KafkaError(code, "broker text")))
    finally:
        admin.close()
    assert error.ambiguous is ambiguous
    assert error.code == KafkaError(code).name()
    assert error.message == "broker text"


@pytest.mark.broker
def test_on_several_brokers_each_sighting_asks_the_next_broker_itself() -> None:
    # Two separate brokers stand in for the brokers of one cluster: only one
    # of them has the topic, so the answers show which broker was asked.
    from tests.broker import start_tansu

    with start_tansu() as first, start_tansu() as second:
        with connect(first.bootstrap) as seeded:
            seeded.create_topics([NewTopic("only-on-first", 1, 1)])
        with connect(first.bootstrap) as admin:
            admin._remember_nodes_from({1: first.bootstrap, 2: second.bootstrap})
            answers = [admin.sighting(["only-on-first"]).topics["only-on-first"] for _ in range(4)]
    assert answers == [1, None, 1, None]


@pytest.fixture
def vanished() -> Iterator[KafkaAdmin]:
    """A client connected to a broker that has since stopped."""
    from tests.broker import start_tansu

    broker = start_tansu()
    admin = connect(broker.bootstrap, timeout=2)
    try:
        broker.stop()
        yield admin
    finally:
        admin.close()


@pytest.mark.broker
def test_reads_fail_with_one_line_when_the_cluster_goes_away(vanished: KafkaAdmin) -> None:
    with pytest.raises(ClusterError) as caught:
        vanished.topics()
    assert str(caught.value).startswith(f"cannot list topics on Kafka at {vanished.bootstrap}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.broker
def test_config_and_by_name_reads_of_a_vanished_cluster_fail_each_topic_with_one_line(
    vanished: KafkaAdmin,
) -> None:
    described = vanished.describe_topics(["orders", "payments"])
    with pytest.raises(ClusterError) as caught:
        vanished.topic_configs(["orders", "payments"])
    assert set(described) == {"orders", "payments"}
    assert all(isinstance(answer, AdminError) for answer in described.values())
    assert str(caught.value).startswith(
        f"cannot read configs of topic 'orders' on {vanished.bootstrap}: "
    )
    assert "\n" not in str(caught.value)


@pytest.mark.broker
def test_writes_to_a_vanished_cluster_are_ambiguous_per_topic(vanished: KafkaAdmin) -> None:
    outcome = vanished.create_topics([NewTopic("lost", 1, 1)])
    error = outcome["lost"]
    assert error is not None
    assert error.ambiguous
