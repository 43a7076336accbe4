"""What moved on the cluster since a plan was made, named per topic.

A plan carries the fingerprint of the state it was computed from. When the
live fingerprint differs, apply refuses; this module says why, in terms a
person can check: which topics appeared, vanished, were replaced, or had a
value change under the plan's feet.
"""

from __future__ import annotations

from dataclasses import replace

from reconciler.model import ClusterState
from reconciler.plan.diff import same_value
from reconciler.plan.model import ActionKind, Plan
from reconciler.problems import plural


def moved_topics(plan: Plan, now: ClusterState, then: ClusterState | None = None) -> list[str]:
    """Lines naming what differs between the plan's view and ``now``. Pure.

    With ``then`` (the state the plan was computed from) every covered topic is
    compared exactly; a saved plan only keeps what its actions say (topic ids,
    partition counts, config values before the change), so the answer may be
    less precise, but it always names something when the fingerprints differ.
    """
    lines: list[str] = []
    if plan.cluster_id and now.cluster_id and plan.cluster_id != now.cluster_id:
        return [
            f"the plan was made for cluster {plan.cluster_id}, this is cluster {now.cluster_id}"
        ]
    names = set(plan.declared)
    if then is not None:
        for name in sorted(names):
            if then.fingerprint({name}) != now.fingerprint({name}):
                lines.append(f"{name}: {_change(then, now, name)}")
        return lines
    for action in plan.actions:
        live = now.topics.get(action.topic)
        if action.kind is ActionKind.CREATE:
            if live is not None:
                lines.append(f"{action.topic}: planned as new, but it exists now")
            continue
        if live is None:
            lines.append(f"{action.topic}: deleted since the plan was made")
        elif action.topic_id and live.topic_id and action.topic_id != live.topic_id:
            lines.append(f"{action.topic}: deleted and recreated since the plan was made")
        elif action.partitions[0] is not None and action.partitions[0] != live.partitions:
            lines.append(
                f"{action.topic}: partitions were {action.partitions[0]}, now {live.partitions}"
            )
        elif action.kind is ActionKind.ALTER_CONFIG:
            for change in action.config:
                entry = live.config.get(change.key)
                value = entry.value if entry is not None else None
                if not same_value(change.key, change.before, value):
                    lines.append(
                        f"{action.topic}: {change.key} was {change.before!r}, now {value!r}"
                    )
    if not lines and now.fingerprint(names) != plan.fingerprint:
        lines.append(
            f"one of the {plural(len(names), 'topic')} the plan covers changed since it was made "
            "(created, deleted, or a partition count or config override changed)"
        )
    return lines


def _change(then: ClusterState, now: ClusterState, name: str) -> str:
    before, after = then.topics.get(name), now.topics.get(name)
    if before is None:
        return "created since the plan was made"
    if after is None:
        return "deleted since the plan was made"
    if before.topic_id != after.topic_id:
        return "deleted and recreated since the plan was made"
    if before.partitions != after.partitions:
        return f"partitions were {before.partitions}, now {after.partitions}"
    if before.replication_factor != after.replication_factor:
        return f"replication factor was {before.replication_factor}, now {after.replication_factor}"
    keys = sorted(
        k
        for k in set(before.config) | set(after.config)
        if before.config.get(k) != after.config.get(k)
    )
    return "configs changed: " + ", ".join(keys) if keys else "changed"


def still_current(plan: Plan, now: ClusterState) -> bool:
    """True when ``now`` is the state ``plan`` was computed from, as far as the plan cares.

    A plan reads configs for the declared topics; a topic it deletes because
    it is no longer declared may have been fingerprinted without its configs,
    which do not matter for a delete. Both readings are accepted, so no extra
    request is needed to tell.
    """
    if plan.cluster_id and plan.cluster_id != now.cluster_id:
        return False
    names = set(plan.declared)
    if now.fingerprint(names) == plan.fingerprint:
        return True
    deleted = {a.topic for a in plan.actions if a.kind is ActionKind.DELETE}
    without = {
        name: replace(topic, config={}) if name in deleted else topic
        for name, topic in now.topics.items()
    }
    return replace(now, topics=without).fingerprint(names) == plan.fingerprint
