"""Is anyone using a topic? Evidence gathered before ktr deletes or recreates it.

Deleting a topic throws away its data under its running clients; recreating
it also gives it a new topic id that they do not cope with well. So ktr
refuses either while any of these shows the topic is in use:

- a consumer group has members assigned to it, or is rebalancing with
  members not yet assigned anything (they may be about to read it);
- a consumer group has committed offsets for it (even an empty group: its
  consumers would resume from offsets that no longer mean anything);
- its end offsets move during a short probe window (someone is producing).

Missing evidence counts as evidence: when ktr cannot read the groups, their
offsets or the end offsets, or the principal may not see every group (Kafka
silently leaves out groups it may not describe), it cannot prove the topic
unused, and refuses. A group in a state librdkafka does not know (a KIP-848
group Assigning or Reconciling) counts as rebalancing, not as idle.

The evidence is named in the refusal so the user can check it.
``evidence_from`` is pure; ``find_usage`` does the reading.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reconciler.cluster.access import EVERY_GROUP
from reconciler.cluster.admin import Admin, ClusterError, GroupInfo

# Group states in which members may have no assignment yet.
_REBALANCING = frozenset({"PreparingRebalance", "CompletingRebalance"})
# The states whose meaning is known; any other (librdkafka's "Unknown" for the
# KIP-848 states Assigning and Reconciling) may hide members about to read.
_KNOWN_STATES = _REBALANCING | {"Stable", "Empty", "Dead"}

T = TypeVar("T")

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
    unproven: tuple[str, ...] = ()

    @property
    def in_use(self) -> bool:
        """True unless the evidence read shows nothing and nothing could not be read."""
        return bool(
            self.active_groups or self.committed or self.writes or self.rebalancing or self.unproven
        )

    def describe(self) -> str:
        """One line naming the evidence (group ids, offsets) or what could not be read."""
        parts: list[str] = []
        if self.unproven:
            parts.append("cannot prove it is unused: " + "; ".join(self.unproven))
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
    unproven: Sequence[str] = (),
) -> dict[str, Usage]:
    """Combine what was read into per-topic usage. Pure.

    ``unproven`` says what could not be read: it makes every topic in use.
    """
    result: dict[str, Usage] = {}
    rebalancing = tuple(
        sorted(
            g.group_id
            for g in groups
            if (g.member_count > 0 and not g.assigned_topics and g.state in _REBALANCING)
            or g.state not in _KNOWN_STATES
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
        result[topic] = Usage(topic, active, offsets, writes, rebalancing, tuple(unproven))
    return result


def find_usage(
    admin: Admin,
    topics: Collection[str],
    *,
    probe_seconds: float = DEFAULT_PROBE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Usage]:
    """Read groups, committed offsets and end offsets (twice, ``probe_seconds`` apart).

    Costs one request to check that every group is visible, one for the
    groups, one per group for committed offsets (Kafka answers one group at
    a time), and two for end offsets. A read that fails is not an error but
    missing evidence: every topic is then reported in use, saying why.
    """
    if not topics:
        return {}
    names = sorted(topics)
    unproven: list[str] = []

    def read(what: str, call: Callable[[], T], empty: T) -> T:
        try:
            return call()
        except ClusterError as error:
            unproven.append(f"{what}: {error}")
            return empty

    no_ends: Mapping[str, Sequence[int]] = {}
    no_groups: Sequence[GroupInfo] = ()
    no_offsets: Mapping[str, Mapping[str, Mapping[int, int]]] = {}
    ends_before = read("cannot read end offsets", lambda: admin.end_offsets(names), no_ends)
    if not read("cannot check that every consumer group is visible", admin.sees_every_group, True):
        unproven.append(
            "the principal ktr connects as may not see every consumer group (Kafka leaves "
            f"out the groups it may not describe); grant it {EVERY_GROUP}"
        )
    groups = read("cannot list consumer groups", admin.consumer_groups, no_groups)
    ids = [g.group_id for g in groups]
    committed = read(
        "cannot read committed offsets", lambda: admin.committed_offsets(ids), no_offsets
    )
    sleep(probe_seconds)
    ends_after = read("cannot read end offsets", lambda: admin.end_offsets(names), no_ends)
    return evidence_from(names, groups, committed, ends_before, ends_after, unproven)


def _groups(ids: Sequence[str]) -> str:
    return "consumer group" if len(ids) == 1 else "consumer groups"
