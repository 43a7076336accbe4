"""Large applies stay within the KRaft controller's 10,000 records per request.

The fake refuses, as Kafka does, any request over the limit with
POLICY_VIOLATION for every topic of it, so each of these fails if the
splitting breaks.
"""

from __future__ import annotations

import pytest

from reconciler.apply.outcome import Status
from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.cluster.batches import send_in_requests
from reconciler.kafka.records import RECORD_BUDGET, create_records, split
from reconciler.planning import server_validate
from tests.apply.scenario import plan_for, run
from tests.fake_cluster import MAX_RECORDS_PER_REQUEST, FakeCluster
from tests.states import declared, tombstone


def test_requests_keep_the_order_and_stay_within_the_budget() -> None:
    costs = {"a": 4, "b": 4, "c": 4, "d": 1}

    requests = split(list(costs), costs.__getitem__, budget=8)

    assert requests == [["a", "b"], ["c", "d"]]


def test_an_item_over_the_budget_on_its_own_goes_alone() -> None:
    costs = {"a": 1, "huge": 20, "b": 1}
    assert split(list(costs), costs.__getitem__, budget=8) == [["a"], ["huge"], ["b"]]


def test_a_create_counts_the_topic_its_partitions_and_its_configs() -> None:
    assert create_records(partitions=12, configs=3) == 16


def test_the_budget_leaves_a_margin_below_kafkas_limit() -> None:
    assert RECORD_BUDGET < MAX_RECORDS_PER_REQUEST


def test_creating_1000_topics_of_12_partitions_takes_two_requests_and_creates_them_all(
    fake_cluster: FakeCluster,
) -> None:
    # 1,000 x (1 + 12) = 13,000 records: one request would be refused whole.
    specs = [declared(f"orders.{i:04}", 12) for i in range(1000)]

    result = run(fake_cluster, plan_for(fake_cluster, *specs))

    assert result.ok, result.outcomes[0]
    assert fake_cluster.requests["create_topics"] == 2
    assert len(fake_cluster.topics()) == 1001  # and __consumer_offsets


def test_partition_increases_over_the_budget_are_split(fake_cluster: FakeCluster) -> None:
    for i in range(3):
        fake_cluster.add_topic(f"t{i}", partitions=1)
    specs = [declared(f"t{i}", 4001) for i in range(3)]  # 12,000 new partitions

    result = run(fake_cluster, plan_for(fake_cluster, *specs))

    assert result.ok
    assert fake_cluster.requests["create_partitions"] == 2
    assert {t.partition_count for n, t in fake_cluster.topics().items() if n[0] == "t"} == {4001}


def test_config_changes_over_the_budget_are_split(fake_cluster: FakeCluster) -> None:
    names = [f"t{i:04}" for i in range(3500)]
    for name in names:
        fake_cluster.add_topic(name)
    config = {"retention.ms": "1000", "segment.ms": "1000", "cleanup.policy": "compact"}

    result = run(
        fake_cluster, plan_for(fake_cluster, *(declared(n, 1, config=config) for n in names))
    )

    assert result.ok
    assert fake_cluster.requests["alter_configs"] == 2  # 10,500 keys
    assert fake_cluster.config_overrides("t3499") == config


def test_deletes_over_the_budget_are_split(fake_cluster: FakeCluster) -> None:
    names = [f"old.{i:05}" for i in range(MAX_RECORDS_PER_REQUEST + 1)]
    for name in names:
        fake_cluster.add_topic(name)

    result = run(fake_cluster, plan_for(fake_cluster, *map(tombstone, names), allow_delete=True))

    assert result.ok
    assert fake_cluster.requests["delete_topics"] == 2
    assert set(fake_cluster.topics()) == {"__consumer_offsets"}


def test_a_large_server_validation_is_split_too(fake_cluster: FakeCluster) -> None:
    plan = plan_for(fake_cluster, *(declared(f"orders.{i:04}", 12) for i in range(1000)))

    checked = server_validate(fake_cluster, plan)

    assert checked.refused == ()
    assert fake_cluster.requests["create_topics"] == 2
    assert set(fake_cluster.topics()) == {"__consumer_offsets"}


def test_a_request_failing_after_another_went_through_keeps_what_was_done() -> None:
    sent: list[list[str]] = []

    def send(names: list[str]) -> dict[str, AdminError | None]:
        sent.append(names)
        if len(sent) == 2:
            raise ClusterError("connection lost", ambiguous=True)
        return dict.fromkeys(names)

    outcome = send_in_requests(["a", "b", "c"], lambda _n: 5, send, budget=5)

    assert outcome["a"] is None
    assert outcome["b"] is not None and outcome["b"].ambiguous  # re-read before deciding
    assert outcome["c"] is not None and outcome["c"].retriable and not outcome["c"].ambiguous
    assert "not sent" in outcome["c"].message


def test_a_first_request_that_fails_as_a_whole_fails_the_step_as_before() -> None:
    def send(names: list[str]) -> dict[str, AdminError | None]:
        raise ClusterError("unreachable")

    with pytest.raises(ClusterError, match="unreachable"):
        send_in_requests(["a", "b"], lambda _n: 5, send, budget=5)


def test_a_step_split_in_requests_is_still_one_step_for_what_follows(
    fake_cluster: FakeCluster,
) -> None:
    # A failure in either request of the creates skips the deletes, as for one request.
    fake_cluster.add_topic("old")
    specs = [declared(f"orders.{i:04}", 12) for i in range(1000)]
    fake_cluster.inject(
        "create_topics", AdminError("POLICY_VIOLATION", "refused"), topics=["orders.0999"]
    )

    result = run(fake_cluster, plan_for(fake_cluster, *specs, tombstone("old"), allow_delete=True))

    status = {o.topic: o.status for o in result.outcomes}
    assert [t for t, s in status.items() if s is Status.FAILED] == ["orders.0999"]
    assert status["orders.0000"] is Status.DONE
    assert status["old"] is Status.NOT_DONE and "old" in fake_cluster.topics()
