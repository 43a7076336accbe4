"""Keeping two applies on one cluster from interleaving, using only the cluster.

The lock is a topic. Creating a topic is atomic at the controller: of two
applies creating ``_ktr.apply-lock`` at once, exactly one succeeds and the
other gets TOPIC_ALREADY_EXISTS. The winner then creates a second, empty
marker topic whose name records who holds the lock and since when
(``_ktr.apply-lock.holder.<user>.<host>.<pid>.<started-ms>``), because Kafka
topics can carry no free-form data without a producer. Both are deleted when
the apply ends, whatever happens (``finally``).

A lock left behind by a killed apply stays until someone breaks it with
``--force-unlock``; ktr says who held it and for how long, and calls it stale
after :data:`STALE_AFTER_SECONDS`. Every ``_ktr.*`` topic is ktr's own: never
reported as unmanaged, never deleted by a plan (see :mod:`reconciler.settings`).
"""

from __future__ import annotations

import getpass
import os
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reconciler.cluster.admin import Admin, AdminError, ClusterError, NewTopic
from reconciler.problems import UserError

LOCK_TOPIC = "_ktr.apply-lock"
HOLDER_PREFIX = LOCK_TOPIC + ".holder."

#: A lock older than this is reported as probably left behind by a dead apply.
STALE_AFTER_SECONDS = 30 * 60

# Creating the lock right after another apply released it can still see the
# old topic (ZooKeeper-mode deletes are asynchronous): retry a few times.
_ATTEMPTS = 5
_RETRY_DELAY = 0.5

#: Releasing the lock has a budget of its own: a lock left behind blocks every
#: later apply, and the release often follows a step that timed out on a busy
#: cluster. Each request may take RELEASE_REQUEST_TIMEOUT seconds (or the
#: user's --timeout if longer), and failures are retried until RELEASE_BUDGET.
RELEASE_REQUEST_TIMEOUT = 30.0
RELEASE_BUDGET = 120.0


class LockHeld(UserError):
    """Another apply holds the lock (or one was left behind)."""


@dataclass(frozen=True)
class Holder:
    """Who took the lock and when (milliseconds since the epoch)."""

    user: str
    host: str
    pid: int
    started_ms: int

    @property
    def topic(self) -> str:
        return f"{HOLDER_PREFIX}{_safe(self.user)}.{_safe(self.host)}.{self.pid}.{self.started_ms}"

    @classmethod
    def parse(cls, topic: str) -> Holder | None:
        """The holder recorded in a marker topic name, or None if it is not one."""
        if not topic.startswith(HOLDER_PREFIX):
            return None
        parts = topic[len(HOLDER_PREFIX) :].split(".")
        if len(parts) != 4 or not parts[2].isdigit() or not parts[3].isdigit():
            return None
        return cls(parts[0], parts[1], int(parts[2]), int(parts[3]))

    def describe(self, now: float) -> str:
        age = max(0, int(now - self.started_ms / 1000))
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.started_ms / 1000))
        return f"{self.user}@{self.host} (pid {self.pid}) since {started}, {_ago(age)}"


def _safe(text: str) -> str:
    # Topic names allow [a-zA-Z0-9._-]; dots separate the fields here.
    return re.sub(r"[^a-zA-Z0-9-]", "-", text)[:60] or "unknown"


def _ago(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def current_holder(now: float) -> Holder:
    """The holder record for this process."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Holder(user, socket.gethostname(), os.getpid(), int(now * 1000))


@dataclass
class ApplyLock:
    """The lock as held by this process; :func:`apply_lock` takes and releases it."""

    admin: Admin
    holder: Holder
    warn: Callable[[str], None]
    marked: bool = True
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def release(self) -> None:
        """Delete the marker and the lock, retried within :data:`RELEASE_BUDGET`.

        A failure is a warning, never an exception.
        """
        deadline = self.clock() + RELEASE_BUDGET
        delay = _RETRY_DELAY
        with self.admin.patient(RELEASE_REQUEST_TIMEOUT):
            while True:
                reason, retriable = self._release_once()
                if reason is None:
                    return
                if not retriable or self.clock() + delay > deadline:
                    self.warn(_left_behind(reason))
                    return
                self.sleep(delay)
                delay = min(delay * 2, 8.0)

    def _release_once(self) -> tuple[str | None, bool]:
        """(None, _) when released (or not ours to release); else (why not, worth retrying)."""
        try:
            names = self.admin.topics(ids_for=()) if self.marked else {}
            others = [n for n in names if n.startswith(HOLDER_PREFIX) and n != self.holder.topic]
            if self.marked and self.holder.topic not in names and others:
                # Our marker is gone and another's is there: someone broke the lock
                # (--force-unlock) and another apply holds it now. (Our marker alone
                # missing may just be a broker that has not heard of it yet.)
                self.warn(
                    f"the apply lock {LOCK_TOPIC} was broken by someone else while this apply "
                    "ran; the lock there now is left alone"
                )
                return None, False
            outcome = self.admin.delete_topics([self.holder.topic, LOCK_TOPIC])
        except ClusterError as cluster_error:
            return str(cluster_error), True
        error = outcome.get(LOCK_TOPIC)
        if error is None or error.code == "UNKNOWN_TOPIC_OR_PART":
            return None, False
        return str(error), error.retriable or error.ambiguous


def _left_behind(reason: str) -> str:
    return (
        f"could not release the apply lock {LOCK_TOPIC} ({reason}); "
        "once sure no apply is running, pass --force-unlock to the next apply"
    )


@contextmanager
def apply_lock(
    admin: Admin,
    *,
    force: bool = False,
    stale_after: float = STALE_AFTER_SECONDS,
    warn: Callable[[str], None] = lambda _message: None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    holder: Holder | None = None,
) -> Iterator[ApplyLock]:
    """Hold the cluster-wide apply lock for the duration of the ``with`` block.

    Raises :class:`LockHeld` naming the holder when another apply has it.
    With ``force``, an existing lock is broken first (and a warning names who
    held it).
    """
    lock = acquire(
        admin,
        force=force,
        stale_after=stale_after,
        warn=warn,
        clock=clock,
        sleep=sleep,
        holder=holder,
    )
    try:
        yield lock
    finally:
        lock.release()


def acquire(
    admin: Admin,
    *,
    force: bool = False,
    stale_after: float = STALE_AFTER_SECONDS,
    warn: Callable[[str], None] = lambda _message: None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    holder: Holder | None = None,
) -> ApplyLock:
    """Take the lock (see :func:`apply_lock`). The caller must ``release()`` it."""
    if force:
        _break(admin, clock(), warn)
    me = holder or current_holder(clock())
    for _attempt in range(_ATTEMPTS):
        error = _create_lock(admin)
        if error is None:
            return ApplyLock(admin, me, warn, marked=_mark(admin, me, warn), sleep=sleep)
        if not (error.code == "TOPIC_ALREADY_EXISTS" or error.ambiguous or error.retriable):
            raise UserError(f"cannot take the apply lock {LOCK_TOPIC}: {error}")
        names = admin.topics(ids_for=())
        if LOCK_TOPIC not in names:
            # Just released by someone else, or the create did not happen.
            sleep(_RETRY_DELAY)
            continue
        holders = [h for h in (Holder.parse(n) for n in names) if h is not None]
        if force and _attempt < _ATTEMPTS - 1:
            # The lock just broken may still be visible for a moment.
            sleep(_RETRY_DELAY)
            continue
        if error.ambiguous and not holders:
            raise LockHeld(
                f"could not tell whether the apply lock {LOCK_TOPIC} was taken ({error}); "
                "if no other apply is running, run again with --force-unlock"
            )
        raise LockHeld(_held_message(holders, clock(), stale_after))
    raise LockHeld(f"could not take the apply lock {LOCK_TOPIC} after {_ATTEMPTS} attempts")


def _create_lock(admin: Admin) -> AdminError | None:
    try:
        outcome = admin.create_topics([NewTopic(LOCK_TOPIC, 1, 1)])
    except ClusterError as error:
        if not error.ambiguous:
            raise
        return AdminError("_TIMED_OUT", str(error), retriable=True, ambiguous=True)
    return outcome.get(LOCK_TOPIC)


def _mark(admin: Admin, holder: Holder, warn: Callable[[str], None]) -> bool:
    # The marker only informs whoever finds the lock taken; failing to make
    # it does not weaken the lock itself.
    try:
        error = admin.create_topics([NewTopic(holder.topic, 1, 1)]).get(holder.topic)
    except ClusterError as cluster_error:
        error = AdminError("_TIMED_OUT", str(cluster_error))
    if error is not None and error.code != "TOPIC_ALREADY_EXISTS":
        warn(f"took the apply lock but could not record who holds it: {error}")
        return False
    return True


def _held_message(holders: list[Holder], now: float, stale_after: float) -> str:
    if not holders:
        return (
            f"another apply holds the lock {LOCK_TOPIC} (holder unknown: it may still be "
            "starting); if no other apply is running, run again with --force-unlock"
        )
    holder = max(holders, key=lambda h: h.started_ms)
    who = holder.describe(now)
    if now - holder.started_ms / 1000 > stale_after:
        return (
            f"the apply lock {LOCK_TOPIC} is held by {who}: probably left behind by an "
            "apply that was killed; if no other apply is running, run again with --force-unlock"
        )
    return (
        f"another apply is running on this cluster: lock {LOCK_TOPIC} held by {who}; "
        "wait for it to finish (or, if it died, run again with --force-unlock)"
    )


def _break(admin: Admin, now: float, warn: Callable[[str], None]) -> None:
    names = [n for n in admin.topics(ids_for=()) if n == LOCK_TOPIC or n.startswith(HOLDER_PREFIX)]
    if not names:
        return
    holders = [h for h in (Holder.parse(n) for n in names) if h is not None]
    who = ", ".join(h.describe(now) for h in holders) or "an unknown holder"
    outcome = admin.delete_topics(names)
    failed = {
        n: e for n, e in outcome.items() if e is not None and e.code != "UNKNOWN_TOPIC_OR_PART"
    }
    if failed:
        raise UserError(
            "cannot break the apply lock: "
            + "; ".join(f"{n}: {e}" for n, e in sorted(failed.items()))
        )
    warn(f"broke the apply lock held by {who}")
