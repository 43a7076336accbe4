"""The KRaft controller's record budget: how many metadata records an admin
request makes it write, and how to split requests so that each stays within it.

The controller refuses any single request that would write more than
10,000 records (``QuorumController.MAX_RECORDS_PER_USER_OP``, enforced in
``ReplicationControlManager.createTopics``, ``createPartitions`` and
``deleteTopics`` and in ``ConfigurationControlManager.incrementalAlterConfigs``):
the whole request fails, every topic with ``POLICY_VIOLATION``. So the number
of requests ktr sends grows with records / budget, not with topics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Kafka's limit per request.
MAX_RECORDS_PER_REQUEST = 10_000
#: What ktr puts in one request: a margin below Kafka's limit, for records a
#: later Kafka version may add to the same operations.
RECORD_BUDGET = 9_000


def create_records(partitions: int, configs: int) -> int:
    """A new topic: one TopicRecord, one PartitionRecord per partition, one ConfigRecord per key."""
    return 1 + max(partitions, 0) + configs


def partition_records(added: int) -> int:
    """A partition increase: one PartitionRecord per new partition."""
    return max(added, 0)


def config_records(keys: int) -> int:
    """An incremental config change: at most one ConfigRecord per key set or deleted."""
    return keys


def delete_records() -> int:
    """A deleted topic: one RemoveTopicRecord (its partitions and configs go on replay)."""
    return 1


def split(
    items: Sequence[T], cost: Callable[[T], int], budget: int = RECORD_BUDGET
) -> list[list[T]]:
    """``items`` in their order, cut into consecutive requests of at most ``budget`` records.

    An item that alone costs more than the budget goes in a request of its
    own: Kafka refuses it, and says so for that topic only.
    """
    requests: list[list[T]] = []
    current: list[T] = []
    used = 0
    for item in items:
        records = cost(item)
        if current and used + records > budget:
            requests.append(current)
            current, used = [], 0
        current.append(item)
        used += records
    if current:
        requests.append(current)
    return requests
