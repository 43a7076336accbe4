"""Is anyone using a topic? Evidence gathered before ktr deletes and recreates it.

Recreating a topic throws away its data and gives it a new topic id that
running clients do not cope with well. So ktr refuses while any of these
shows the topic is in use:

- a consumer group has members assigned to it, or is rebalancing with
  members not yet assigned anything (they may be about to read it);
- a consumer group has committed offsets for it (even an empty group: its
  consumers would resume from offsets that no longer mean anything);
- its end offsets move during a short probe window (someone is producing).

The evidence is named in the refusal so the user can check it.
``evidence_from`` is pure; ``find_usage`` does the reading.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from reconciler.cluster.admin import Admin, GroupInfo

# Group states in which members may have no assignment yet.
_REBALANCING = frozenset({"PreparingRebalance", "CompletingRebalance"})

#: Default length of the window in which end offsets are watched for writes.
DEFAULT_PROBE_SECONDS = 5.0


@dataclass(frozen=True)
class Usage:
    """What shows that one topic is in use. Empty everywhere means unused."""

    topic: str
    active_groups: tuple[str, ...] = ()
    committed: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()
    writes: tuple[tuple[int, int, int], ...] = ()
    rebalancing: tuple[str, ...] = ()

    @property
    def in_use(self) -> bool:
        return bool(self.active_groups or self.committed or self.writes or self.rebalancing)

    def describe(self) -> str:
        """One line naming the evidence (group ids, offsets)."""
        parts: list[str] = []
        if self.active_groups:
            parts.append(
                f"{_groups(self.active_groups)} with members on it: "
                + ", ".join(self.active_groups)
            )
        if self.rebalancing:
            parts.append(
                f"{_groups(self.rebalancing)} rebalancing, whose members' topics are not known "
                "yet: " + ", ".join(self.rebalancing) + " (try again once they settle)"
            )
        for group, offsets in self.committed:
            shown = ", ".join(f"p{p}@{o}" for p, o in offsets[:5])
            more = f" and {len(offsets) - 5} more" if len(offsets) > 5 else ""
            parts.append(f"group {group!r} has committed offsets {shown}{more}")
        if self.writes:
            shown = ", ".join(f"p{p} {a}->{b}" for p, a, b in self.writes[:5])
            more = f" and {len(self.writes) - 5} more" if len(self.writes) > 5 else ""
            parts.append(f"written to during the probe window ({shown}{more})")
        return "; ".join(parts) if parts else "no sign of use"


def evidence_from(
    topics: Collection[str],
    groups: Sequence[GroupInfo],
    committed: Mapping[str, Mapping[str, Mapping[int, int]]],
    ends_before: Mapping[str, Sequence[int]],
    ends_after: Mapping[str, Sequence[int]],
) -> dict[str, Usage]:
    """Combine what was read into per-topic usage. Pure."""
    result: dict[str, Usage] = {}
    rebalancing = tuple(
        sorted(
            g.group_id
            for g in groups
            if g.member_count > 0 and not g.assigned_topics and g.state in _REBALANCING
        )
    )
    for topic in sorted(topics):
        active = tuple(
            sorted(g.group_id for g in groups if g.member_count > 0 and topic in g.assigned_topics)
        )
        offsets = tuple(
            (group, tuple(sorted((p, o) for p, o in by_topic[topic].items() if o >= 0)))
            for group, by_topic in sorted(committed.items())
            if topic in by_topic and any(o >= 0 for o in by_topic[topic].values())
        )
        before = ends_before.get(topic, ())
        after = ends_after.get(topic, ())
        writes = tuple(
            (partition, a, b)
            for partition, (a, b) in enumerate(zip(before, after, strict=False))
            if b != a
        )
        result[topic] = Usage(topic, active, offsets, writes, rebalancing)
    return result


def find_usage(
    admin: Admin,
    topics: Collection[str],
    *,
    probe_seconds: float = DEFAULT_PROBE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Usage]:
    """Read groups, committed offsets and end offsets (twice, ``probe_seconds`` apart).

    Costs one request for the groups, one per group for committed offsets
    (Kafka answers one group at a time), and two for end offsets.
    """
    if not topics:
        return {}
    names = sorted(topics)
    ends_before = admin.end_offsets(names)
    groups = admin.consumer_groups()
    committed = admin.committed_offsets([g.group_id for g in groups]) if groups else {}
    sleep(probe_seconds)
    ends_after = admin.end_offsets(names)
    return evidence_from(names, groups, committed, ends_before, ends_after)


def _groups(ids: Sequence[str]) -> str:
    return "consumer group" if len(ids) == 1 else "consumer groups"
