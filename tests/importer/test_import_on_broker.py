"""``ktr import`` against a real broker over TCP: the round trip holds there too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.cluster.admin import NewTopic
from reconciler.cluster.kafka import KafkaAdmin, connect
from tests.importer.conftest import Ktr

pytestmark = pytest.mark.broker


@pytest.fixture
def admin(fresh_broker: str) -> Iterator[KafkaAdmin]:
    client = connect(fresh_broker, timeout=30.0)
    try:
        yield client
    finally:
        client.close()


def test_a_live_cluster_imported_plans_to_no_change(
    run: Ktr, admin: KafkaAdmin, fresh_broker: str, tmp_path: Path
) -> None:
    created = admin.create_topics(
        [
            NewTopic(
                "orders.created",
                3,
                1,
                {"retention.ms": "604800000", "cleanup.policy": "compact,delete"},
            ),
            NewTopic("orders.cancelled", 2, 1, {"retention.ms": "86400000"}),
            NewTopic(
                "payments.settled", 1, 1, {"segment.bytes": "536870912", "preallocate": "true"}
            ),
            NewTopic("payments.dlq", 1, 1, {"cleanup.policy": "delete"}),
        ]
    )
    assert all(error is None for error in created.values()), created
    result = run("import", "-b", fresh_broker)
    assert result.code == 0, result.err
    assert "wrote topics/orders.yaml: 2 topics" in result.out
    text = (tmp_path / "topics" / "payments.yaml").read_text()
    assert "segment.bytes: 512MiB" in text
    assert "preallocate: true" in text
    assert run("validate", "topics").code == 0
    for flags in ((), ("--prune-configs",)):
        planned = run("plan", "topics", "-b", fresh_broker, "--detailed-exitcode", *flags)
        assert planned.code == 0, planned.out + planned.err
