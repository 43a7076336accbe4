"""The way out of a refused replication-factor change: a reassignment document.

ktr never changes a replication factor itself (it moves data between
brokers for hours); the refusal carries the JSON ``kafka-reassign-partitions.sh``
takes, built from the topic's current replicas.
"""

from __future__ import annotations

from collections import Counter

from reconciler.model import ActualTopic


def reassignment(
    topic: ActualTopic, replication_factor: int, broker_ids: tuple[int, ...]
) -> dict[str, object]:
    """The ``kafka-reassign-partitions.sh`` document that sets ``replication_factor``.

    Current replicas are kept in order (the first is the preferred leader).
    Growing adds the brokers holding the fewest replicas so far; shrinking
    drops replicas from the end. Ties go to the lowest broker id, so the
    same cluster always gives the same document.
    """
    brokers = sorted(broker_ids)
    current = list(topic.replica_assignment) or [() for _ in range(topic.partitions)]
    load: Counter[int] = Counter({broker: 0 for broker in brokers})
    for replicas in current:
        load.update(replicas)
    partitions = []
    for index, replicas in enumerate(current):
        chosen = list(replicas[:replication_factor])
        for dropped in replicas[replication_factor:]:
            load[dropped] -= 1
        while len(chosen) < replication_factor:
            candidates = [b for b in brokers if b not in chosen]
            # Rotating by partition spreads ties across brokers.
            start = index % len(candidates)
            rotated = candidates[start:] + candidates[:start]
            best = min(rotated, key=lambda b: load[b])
            chosen.append(best)
            load[best] += 1
        partitions.append({"topic": topic.name, "partition": index, "replicas": chosen})
    return {"version": 1, "partitions": partitions}
