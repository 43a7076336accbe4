"""Waiting until every broker sees a change, and checking that changes took.

A successful create or delete only means the controller committed it; each
broker learns of it on its own schedule (KRaft brokers replay the metadata
log independently). Until a broker has, clients talking to it get
UNKNOWN_TOPIC_OR_PART. So after creating, ktr asks for metadata repeatedly
(each answer comes from whichever broker the client picks) and keeps the
latest view of every broker, until each live broker has reported each topic
with all its partitions led.

The decision (``pending``) is pure; the loop (``wait_for``) takes its clock
and sleep from the caller so tests can drive it without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from reconciler.cluster.admin import Admin, ClusterError, Sighting
from reconciler.model import ConfigEntry, TopicInfo
from reconciler.problems import plural

# Seconds between metadata polls: start small, since most changes land
# within a few hundred milliseconds, and back off while nothing moves.
FIRST_DELAY = 0.1
MAX_DELAY = 1.6

#: One broker's view of one topic: (partitions with a leader, total partitions),
#: or None when that broker says the topic does not exist.
View = tuple[int, int] | None


@dataclass
class Views:
    """The latest answer of each broker about each topic, gathered while polling."""

    by_broker: dict[int, dict[str, View]] = field(default_factory=dict)

    def record(self, sighting: Sighting) -> bool:
        """Remember what one broker said. Returns True when anything changed."""
        seen = self.by_broker.setdefault(sighting.broker_id, {})
        changed = False
        for name, led in sighting.topics.items():
            view: View = None if led is None else (led, sighting.partitions.get(name, led))
            if name not in seen or seen[name] != view:
                changed = True
            seen[name] = view
        return changed


def pending(
    expected: Mapping[str, int],
    views: Views,
    broker_ids: Collection[int],
) -> dict[str, tuple[int, ...]]:
    """Topics not yet as expected on every broker, with the brokers still lagging.

    ``expected`` maps a topic to the number of partitions every broker must
    report, all of them led; 0 means the topic must be gone (unknown to every
    broker). A broker that has not answered yet counts as lagging.
    """
    result: dict[str, tuple[int, ...]] = {}
    for name, partitions in expected.items():
        lagging = tuple(
            sorted(
                broker
                for broker in broker_ids
                if not _settled(views.by_broker.get(broker, {}), name, partitions)
            )
        )
        if lagging:
            result[name] = lagging
    return result


def _settled(seen: Mapping[str, View], name: str, partitions: int) -> bool:
    if name not in seen:
        return False
    view = seen[name]
    if partitions == 0:
        return view is None
    return view is not None and view == (partitions, partitions)


@dataclass(frozen=True)
class WaitResult:
    """Topics that did not settle in time, each with the brokers that lagged."""

    not_ready: Mapping[str, tuple[int, ...]]
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.not_ready


def wait_for(
    admin: Admin,
    expected: Mapping[str, int],
    *,
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_poll: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> WaitResult:
    """Poll metadata until every live broker sees ``expected`` (see :func:`pending`).

    Gives up after ``timeout`` seconds, or early when ``should_stop`` says so
    (Ctrl-C), returning what was still pending. ``on_poll(settled, total)``
    reports progress after each answer.
    """
    if not expected:
        return WaitResult({})
    deadline = clock() + timeout
    broker_ids = admin.cluster().broker_ids
    views = Views()
    delay = FIRST_DELAY
    remaining = pending(expected, views, broker_ids)
    while True:
        try:
            left = deadline - clock()
            changed = views.record(admin.sighting(sorted(remaining), timeout=left))
        except ClusterError:
            # A broker that cannot answer now may answer on the next poll; the
            # deadline bounds how long we keep trying.
            changed = False
        remaining = pending(expected, views, broker_ids)
        if on_poll is not None:
            on_poll(len(expected) - len(remaining), len(expected))
        if not remaining:
            return WaitResult({})
        if should_stop():
            return WaitResult(remaining, interrupted=True)
        now = clock()
        if now >= deadline:
            # A broker may have left the cluster meanwhile: judge against the
            # brokers that are live now before calling it a failure.
            try:
                broker_ids = admin.cluster().broker_ids
            except ClusterError:
                return WaitResult(remaining)
            return WaitResult(pending(expected, views, broker_ids))
        # A new answer (often from a broker not heard yet) means polls are
        # paying off, so poll again soon; otherwise back off.
        delay = FIRST_DELAY if changed else min(delay * 2, MAX_DELAY)
        sleep(min(delay, max(deadline - now, 0.0)))


# ------------------------------------------------------------------ verification

T = TypeVar("T")


def settle(
    check: Callable[[], dict[str, T]],
    *,
    timeout: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, T]:
    """Re-run ``check`` (what is still wrong, by topic) until it finds nothing or time is up.

    Config and partition changes reach brokers through the same metadata
    log as creates, and a read may be answered by a broker that has not
    applied them yet; a mismatch only counts once it outlasts ``timeout``.
    """
    deadline = clock() + timeout
    delay = FIRST_DELAY
    while True:
        wrong = check()
        now = clock()
        if not wrong or now >= deadline:
            return wrong
        sleep(min(delay, deadline - now))
        delay = min(delay * 2, MAX_DELAY)


def partition_mismatches(
    wanted: Mapping[str, int], topics: Mapping[str, TopicInfo]
) -> dict[str, str]:
    """Topics whose partition count is not the wanted one, with what was found."""
    result: dict[str, str] = {}
    for name, count in wanted.items():
        topic = topics.get(name)
        if topic is None:
            result[name] = "topic not found"
        elif topic.partition_count != count:
            result[name] = f"has {plural(topic.partition_count, 'partition')}, expected {count}"
    return result


def config_mismatches(
    wanted: Mapping[str, Mapping[str, str | None]],
    configs: Mapping[str, Mapping[str, ConfigEntry]],
    same: Callable[[str, str | None, str | None], bool] | None = None,
) -> dict[str, dict[str, str]]:
    """Keys whose effective value is not the wanted one: topic → key → what was found.

    A wanted value of None means the override must be gone (the key inherits).
    ``same(key, a, b)`` compares two values as Kafka means them; exact string
    equality when not given.
    """
    equal = same or (lambda _key, a, b: a == b)
    result: dict[str, dict[str, str]] = {}
    for name, keys in wanted.items():
        entries = configs.get(name)
        for key, value in keys.items():
            entry = None if entries is None else entries.get(key)
            problem: str | None = None
            if entries is None:
                problem = "topic not found"
            elif value is None:
                if entry is not None and entry.is_override:
                    problem = f"still overridden as {entry.value!r}"
            elif entry is None:
                problem = f"not set, expected {value!r}"
            elif not equal(key, entry.value, value):
                problem = f"is {entry.value!r}, expected {value!r}"
            if problem is not None:
                result.setdefault(name, {})[key] = problem
    return result
