"""What single brokers report while changes propagate."""

from __future__ import annotations

from reconciler.cluster.admin import Sighting
from tests.contract.conftest import Cluster, eventually


def test_a_created_topic_is_sighted_with_every_partition_led(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name(), partitions=3)
    seen = eventually(lambda: cluster.admin.sighting([name]), lambda s: s.topics[name] == 3)
    assert seen.topics[name] == 3
    assert seen.partitions[name] == 3


def test_an_unknown_topic_is_sighted_as_none_and_never_created(cluster: Cluster) -> None:
    name = cluster.new_name()
    seen = cluster.admin.sighting([name])
    assert seen.topics == {name: None}
    assert name not in seen.partitions
    assert name not in cluster.admin.topics()


def test_one_sighting_answers_for_every_name_asked(cluster: Cluster) -> None:
    known = cluster.create(cluster.new_name())
    unknown = cluster.new_name()
    seen = eventually(
        lambda: cluster.admin.sighting([known, unknown]), lambda s: s.topics[known] is not None
    )
    assert seen.topics == {known: 1, unknown: None}


def test_a_deleted_topic_is_eventually_sighted_as_none(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    eventually(lambda: cluster.admin.sighting([name]), lambda s: s.topics[name] is not None)
    cluster.admin.delete_topics([name])
    seen = eventually(lambda: cluster.admin.sighting([name]), lambda s: s.topics[name] is None)
    assert seen.topics[name] is None


def test_sightings_come_from_live_brokers_and_in_turn_from_all_of_them(
    cluster: Cluster,
) -> None:
    brokers = set(cluster.admin.cluster().broker_ids)

    def sight() -> Sighting:
        return cluster.admin.sighting(["any"])

    seen: set[int] = set()
    for _ in range(4 * len(brokers)):
        seen.add(sight().broker_id)
    assert seen == brokers
