"""Planning with credentials that cannot see everything, and with brokers down."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.model import ClusterState
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.settings import Settings
from tests.commands_support import ktr, write_topics
from tests.fake_cluster import READ_ONLY_ACLS, Acl, FakeCluster
from tests.states import cluster, declared, desired, existing, tombstone

HIDDEN = "not authorized: the principal ktr connects as needs DESCRIBE on topic 'orders.created'"


def hidden(state: ClusterState, *names: str) -> ClusterState:
    return ClusterState(
        state.cluster_id, state.broker_ids, state.topics, {name: HIDDEN for name in names}
    )


def test_a_declared_topic_ktr_may_not_describe_is_refused_not_created() -> None:
    plan = make_plan(
        desired(declared("orders.created")), hidden(cluster(), "orders.created"), Settings()
    )

    assert plan.actions == ()
    (refusal,) = plan.refused
    assert refusal.reason.startswith("not authorized to describe orders.created")
    assert refusal.hint is not None and "DESCRIBE on topic 'orders.created'" in refusal.hint


def test_a_tombstone_ktr_may_not_describe_is_refused_too() -> None:
    plan = make_plan(
        desired(tombstone("orders.created")),
        hidden(cluster(), "orders.created"),
        Settings(),
        PlanOptions(allow_delete=True),
    )
    assert plan.actions == () and len(plan.refused) == 1


def test_a_replication_factor_within_the_brokers_down_warns_of_under_replication() -> None:
    # Broker 3 is down: DescribeCluster leaves it out, its replicas remain.
    state = cluster(existing("payments", replicas=((1, 2, 3),)), brokers=(1, 2))

    plan = make_plan(desired(declared("orders", rf=3)), state, Settings())

    (warning,) = plan.warnings
    assert "only 2 of the cluster's 3 brokers are live (down: 3)" in warning
    assert "under-replicated" in warning and "reject" not in warning


def test_a_replication_factor_above_every_known_broker_warns_that_kafka_will_reject_it() -> None:
    plan = make_plan(desired(declared("orders", rf=4)), cluster(brokers=(1, 2, 3)), Settings())
    (warning,) = plan.warnings
    assert "3 live brokers; Kafka will reject it" in warning


ORDERS = """
topics:
  orders.created:
    partitions: 3
    replication_factor: 3
  orders.updated:
    partitions: 3
    replication_factor: 3
"""


def test_plan_by_a_principal_that_cannot_describe_a_declared_topic_says_which_acl_is_missing(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 3, 3)
    fake.authorize(allow=READ_ONLY_ACLS, deny=[Acl("DESCRIBE", "topic", "orders.created")])
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "plan", str(topics), "-b", "x:9092")

    assert "+ orders.created" not in result.out
    assert "+ orders.updated" in result.out
    assert "! orders.created: not authorized to describe orders.created" in result.out
    assert "grant DESCRIBE on topic 'orders.created'" in result.out


def test_a_read_only_principal_can_plan(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 3, 3)
    fake.add_topic("orders.updated", 3, 3)
    fake.authorize(allow=READ_ONLY_ACLS)
    topics = write_topics(tmp_path / "topics", ORDERS)

    result = ktr(capsys, "plan", str(topics), "-b", "x:9092", "--detailed-exitcode")

    assert result.code == 0, result.err
