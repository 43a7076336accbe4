"""The Tansu fixture really serves the Kafka protocol."""

from __future__ import annotations

import pytest
from confluent_kafka.admin import AdminClient

from tests.broker import free_port, start_tansu

pytestmark = pytest.mark.broker


def test_started_broker_answers_metadata_requests() -> None:
    with start_tansu(free_port()) as broker:
        client = AdminClient({"bootstrap.servers": broker.bootstrap})
        metadata = client.list_topics(timeout=10)
        assert metadata.brokers


def test_stopped_broker_no_longer_accepts_connections() -> None:
    import socket

    broker = start_tansu()
    broker.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", broker.port), timeout=1).close()
