"""``ktr import`` against a real broker over TCP (Tansu, or KAFKA_BOOTSTRAP_SERVERS):
the round trip holds there too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.cluster.admin import NewTopic
from reconciler.cluster.kafka import KafkaAdmin
from tests.importer.conftest import Ktr

pytestmark = pytest.mark.broker


@pytest.fixture
def prefix(kafka_admin: KafkaAdmin, topic_name: str) -> Iterator[str]:
    """A name prefix of this test's own, its topics deleted afterwards."""
    yield topic_name
    mine = [name for name in kafka_admin.topics() if name.startswith(topic_name)]
    if mine:
        kafka_admin.delete_topics(mine)


def test_a_live_cluster_imported_plans_to_no_change(
    run: Ktr, kafka_admin: KafkaAdmin, bootstrap_servers: str, prefix: str, tmp_path: Path
) -> None:
    configs = {
        "orders.created": {"retention.ms": "604800000", "cleanup.policy": "compact,delete"},
        "orders.cancelled": {"retention.ms": "86400000"},
        "payments.settled": {"segment.bytes": "536870912", "preallocate": "true"},
        "payments.dlq": {"cleanup.policy": "delete"},
    }
    created = kafka_admin.create_topics(
        [NewTopic(f"{prefix}-{name}", 2, 1, config) for name, config in configs.items()]
    )
    assert all(error is None for error in created.values()), created
    result = run("import", "-b", bootstrap_servers, "--match", f"{prefix}-*")
    assert result.code == 0, result.err
    text = (tmp_path / "topics" / f"{prefix.split('-')[0]}.yaml").read_text()
    assert "segment.bytes: 512MiB" in text
    assert "preallocate: true" in text
    assert "cleanup.policy: [compact, delete]" in text
    assert run("validate", "topics").code == 0
    for flags in ((), ("--prune-configs",)):
        planned = run("plan", "topics", "-b", bootstrap_servers, "--detailed-exitcode", *flags)
        assert planned.code == 0, planned.out + planned.err
