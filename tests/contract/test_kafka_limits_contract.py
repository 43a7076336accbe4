"""What a real Kafka cluster enforces that a lax test broker may not: the
controller's record budget, collisions within one request, topic id format,
and committed offsets that go with a deleted topic."""

from __future__ import annotations

import re
import uuid

import pytest

from reconciler.cluster.admin import NewTopic
from tests.contract.conftest import Cluster, eventually, skip_if_lax

BASE64URL_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


def validates_requests(cluster: Cluster) -> bool:
    """Whether the broker checks requests as Kafka's controller does (Tansu does not)."""
    name = cluster.new_name("probe")
    error = cluster.admin.create_topics([NewTopic(name, 0, 1)], validate_only=True)[name]
    if error is None:
        cluster.forget(name)
    return error is not None


def test_a_create_over_the_record_budget_fails_as_a_whole_with_policy_violation(
    cluster: Cluster,
) -> None:
    if not validates_requests(cluster):
        pytest.skip("the broker does not validate requests as Kafka's controller does")
    # 2 x (1 topic record + 5,000 partition records) = 10,002 > 10,000.
    names = [cluster.new_name("big"), cluster.new_name("big")]
    result = cluster.admin.create_topics(
        [NewTopic(name, 5_000, 1) for name in names], validate_only=True
    )
    for name in names:
        error = result[name]
        skip_if_lax(cluster, name, error, "at most 10,000 metadata records per request")
        assert error is not None and error.code == "POLICY_VIOLATION", error


def test_a_create_within_the_record_budget_is_accepted(cluster: Cluster) -> None:
    # 1 topic record + 9,000 partition records + 1 config record.
    name = cluster.new_name("big")
    topic = NewTopic(name, 9_000, 1, {"retention.ms": "3600000"})
    result = cluster.admin.create_topics([topic], validate_only=True)
    if not validates_requests(cluster):
        cluster.forget(name)  # a lax broker creates it
    assert result == {name: None}


def test_two_names_that_collide_in_one_request_are_both_created(cluster: Cluster) -> None:
    stem = f"ktr-contract-{uuid.uuid4().hex[:8]}"
    dotted, underscored = f"{stem}.orders", f"{stem}_orders"
    result = cluster.admin.create_topics([NewTopic(dotted, 1, 1), NewTopic(underscored, 1, 1)])
    cluster.forget(dotted, underscored)
    assert result == {dotted: None, underscored: None}
    listed = eventually(cluster.admin.topics, lambda t: {dotted, underscored} <= set(t))
    assert {dotted, underscored} <= set(listed)


def test_topic_ids_are_22_character_base64url(cluster: Cluster) -> None:
    name = cluster.create(cluster.new_name())
    topic_id = eventually(
        lambda: cluster.admin.topics(ids_for=[name]).get(name),
        lambda t: t is not None and t.topic_id is not None,
    )
    assert topic_id is not None and topic_id.topic_id is not None
    assert BASE64URL_ID.match(topic_id.topic_id), topic_id.topic_id


def test_committed_offsets_of_a_deleted_topic_do_not_come_back_when_it_is_recreated(
    cluster: Cluster,
) -> None:
    name = cluster.create(cluster.new_name())
    cluster.produce(name, partition=0, count=3)
    group = f"ktr-contract-group-{uuid.uuid4().hex[:8]}"
    cluster.commit(group, name, {0: 3})
    assert cluster.admin.delete_topics([name]) == {name: None}
    eventually(cluster.admin.topics, lambda t: name not in t)
    eventually(
        lambda: cluster.admin.create_topics([NewTopic(name, 1, 1)]),
        lambda outcome: outcome[name] is None,
    )

    offsets = eventually(
        lambda: cluster.admin.committed_offsets([group]), lambda o: name not in o[group]
    )

    assert name not in offsets[group]
