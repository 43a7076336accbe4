"""Committed offsets read from OffsetFetch: an error on a partition is missing evidence.

Before a recreate or delete, ktr must prove a topic unused; a partition whose
committed offset came back as an error proves nothing, so it must never read
as "no offsets committed". The answer's partitions are plain values here
(topic, partition, offset, error), as confluent-kafka hands them over; the
errors are real ``KafkaError`` values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from confluent_kafka import KafkaError

from reconciler.cluster.admin import ClusterError
from reconciler.cluster.group_reads import committed_by_topic


@dataclass(frozen=True)
class Answered:
    topic: str
    partition: int
    offset: int = -1001
    error: KafkaError | None = None


def test_committed_offsets_are_grouped_by_topic_and_partition() -> None:
    answer = [Answered("orders", 0, 12), Answered("orders", 1, 7), Answered("audit", 0, 3)]
    assert committed_by_topic(answer) == {"orders": {0: 12, 1: 7}, "audit": {0: 3}}


def test_a_partition_without_a_committed_offset_is_left_out() -> None:
    assert committed_by_topic([Answered("orders", 0, -1001)]) == {}


def test_a_partition_the_principal_may_not_describe_is_missing_evidence() -> None:
    denied = Answered("orders", 0, error=KafkaError(KafkaError.TOPIC_AUTHORIZATION_FAILED))
    with pytest.raises(ClusterError, match=r"orders\[0\]"):
        committed_by_topic([Answered("audit", 0, 3), denied])


def test_a_transactional_commit_still_pending_is_missing_evidence() -> None:
    pending = Answered("orders", 2, error=KafkaError(KafkaError.UNSTABLE_OFFSET_COMMIT))
    with pytest.raises(ClusterError):
        committed_by_topic([pending])


def test_a_partition_of_a_topic_that_no_longer_exists_has_nothing_to_read() -> None:
    gone = Answered("orders", 0, error=KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART))
    assert committed_by_topic([gone]) == {}
