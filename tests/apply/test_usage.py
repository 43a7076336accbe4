"""Evidence that a topic is in use, gathered before a delete or recreate."""

from __future__ import annotations

from reconciler.apply.usage import Usage, evidence_from, find_usage
from reconciler.cluster.admin import ClusterError, GroupInfo
from tests.fake_cluster import Acl, FakeCluster


def probe(fake: FakeCluster, *topics: str) -> dict[str, Usage]:
    slept: list[float] = []
    result = find_usage(fake, topics, probe_seconds=2, sleep=slept.append)
    assert slept == [2]
    return result


def test_a_topic_nobody_uses_shows_no_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("idle")
    fake_cluster.add_consumer_group("other", assigned=["elsewhere"])

    usage = probe(fake_cluster, "idle")["idle"]

    assert not usage.in_use
    assert usage.describe() == "no sign of use"


def test_a_group_with_members_assigned_to_the_topic_is_evidence(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("busy")
    fake_cluster.add_consumer_group("billing", assigned=["busy"])

    usage = probe(fake_cluster, "busy")["busy"]

    assert usage.active_groups == ("billing",)
    assert "consumer group with members on it: billing" in usage.describe()


def test_committed_offsets_of_an_empty_group_are_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders", partitions=2)
    fake_cluster.add_consumer_group("reports", offsets={"orders": {0: 42, 1: 7}})

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use
    assert usage.describe() == "group 'reports' has committed offsets p0@42, p1@7"


def test_writes_during_the_probe_window_are_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("events")
    fake_cluster.produce("events", count=10)
    fake_cluster.keep_writing("events")

    usage = probe(fake_cluster, "events")["events"]

    assert usage.writes == ((0, 11, 12),)
    assert "written to during the probe window (p0 11->12)" in usage.describe()


def test_old_records_without_new_writes_are_no_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("archive")
    fake_cluster.produce("archive", count=10)

    assert not probe(fake_cluster, "archive")["archive"].in_use


def test_no_topics_to_probe_costs_no_request_and_no_wait(fake_cluster: FakeCluster) -> None:
    before = fake_cluster.request_count()

    assert find_usage(fake_cluster, [], sleep=lambda _s: None) == {}
    assert fake_cluster.request_count() == before


def test_a_rebalancing_group_whose_members_have_no_assignment_yet_is_evidence() -> None:
    # Mid-rebalance, members are known but not yet what they read: they may be
    # about to read the topic, with no offsets committed so far.
    joining = GroupInfo("billing", "CompletingRebalance", member_count=2)

    usage = evidence_from(["orders"], [joining], {}, {"orders": [5]}, {"orders": [5]})["orders"]

    assert usage.in_use
    assert "billing" in usage.describe() and "rebalancing" in usage.describe()


def test_a_stable_group_with_members_on_other_topics_is_no_evidence() -> None:
    other = GroupInfo("billing", "Stable", member_count=2, assigned_topics=frozenset({"x"}))

    usage = evidence_from(["orders"], [other], {}, {"orders": [5]}, {"orders": [5]})["orders"]

    assert not usage.in_use


def test_a_group_in_a_state_librdkafka_does_not_know_is_evidence(
    fake_cluster: FakeCluster,
) -> None:
    # A KIP-848 group Reconciling: librdkafka reports it as Unknown, and its
    # members may be about to read the topic.
    fake_cluster.add_topic("orders")
    fake_cluster.add_consumer_group("billing", state="Reconciling", members=2)

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use and usage.rebalancing == ("billing",)


def test_a_principal_that_may_not_see_every_group_cannot_prove_a_topic_unused(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.authorize(allow=[Acl("DESCRIBE", "topic"), Acl("DESCRIBE", "group")])

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use
    assert usage.describe().startswith("cannot prove it is unused: the principal ktr connects as")
    assert "DESCRIBE on the cluster" in usage.describe()


def test_groups_that_cannot_be_listed_are_missing_evidence_not_no_evidence(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.inject("consumer_groups", ClusterError("ListGroups: broker 2 did not answer"))

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use
    assert "cannot list consumer groups: ListGroups: broker 2 did not answer" in usage.describe()


def test_a_group_that_cannot_be_described_is_missing_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_consumer_group("billing")
    fake_cluster.authorize(
        allow=[Acl("DESCRIBE", "topic"), Acl("DESCRIBE", "cluster")],
        deny=[Acl("DESCRIBE", "group", "billing")],
    )

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use
    assert "cannot list consumer groups" in usage.describe()
    assert "DESCRIBE on group 'billing'" in usage.describe()


def test_offsets_that_cannot_be_read_are_missing_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.add_consumer_group("billing")
    fake_cluster.inject("committed_offsets", ClusterError("OffsetFetch: coordinator not available"))

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use
    assert "cannot read committed offsets: OffsetFetch: coordinator" in usage.describe()


def test_end_offsets_that_cannot_be_read_are_missing_evidence(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders")
    fake_cluster.inject("end_offsets", ClusterError("ListOffsets timed out"), times=2)

    usage = probe(fake_cluster, "orders")["orders"]

    assert usage.in_use and "cannot read end offsets: ListOffsets timed out" in usage.describe()
