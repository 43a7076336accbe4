"""The cluster-wide apply lock: one apply at a time, stale locks reported and breakable."""

from __future__ import annotations

import pytest

from reconciler.apply.guard import (
    HOLDER_PREFIX,
    LOCK_TOPIC,
    RELEASE_BUDGET,
    RELEASE_REQUEST_TIMEOUT,
    Holder,
    LockHeld,
    acquire,
    apply_lock,
)
from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.settings import Settings
from tests.fake_cluster import FakeCluster

NOW = 1_800_000_000.0  # seconds since the epoch
ALICE = Holder("alice", "ci-runner-1", 4242, int(NOW * 1000))


def lock_topics(fake: FakeCluster) -> list[str]:
    return sorted(n for n in fake.topics() if n.startswith(LOCK_TOPIC))


def test_the_lock_is_a_topic_that_exists_only_while_an_apply_runs(
    fake_cluster: FakeCluster,
) -> None:
    with apply_lock(fake_cluster, clock=lambda: NOW, holder=ALICE):
        assert lock_topics(fake_cluster) == [LOCK_TOPIC, ALICE.topic]

    assert lock_topics(fake_cluster) == []


def test_the_lock_is_released_when_the_apply_fails(fake_cluster: FakeCluster) -> None:
    with pytest.raises(RuntimeError), apply_lock(fake_cluster, clock=lambda: NOW, holder=ALICE):
        raise RuntimeError("boom")

    assert lock_topics(fake_cluster) == []


def test_a_second_apply_is_refused_naming_the_holder(fake_cluster: FakeCluster) -> None:
    first = acquire(fake_cluster, clock=lambda: NOW, holder=ALICE)

    with pytest.raises(LockHeld) as refused:
        acquire(fake_cluster, clock=lambda: NOW + 90)

    message = str(refused.value)
    assert message.startswith("another apply is running on this cluster")
    assert "alice@ci-runner-1 (pid 4242)" in message
    assert "90 s ago" in message
    first.release()


def test_an_old_lock_is_reported_as_probably_stale(fake_cluster: FakeCluster) -> None:
    acquire(fake_cluster, clock=lambda: NOW, holder=ALICE)

    with pytest.raises(LockHeld, match=r"probably left behind .* --force-unlock"):
        acquire(fake_cluster, clock=lambda: NOW + 3 * 3600)


def test_force_unlock_breaks_a_lock_and_says_whose_it_was(fake_cluster: FakeCluster) -> None:
    acquire(fake_cluster, clock=lambda: NOW, holder=ALICE)
    warnings: list[str] = []

    mine = acquire(fake_cluster, force=True, warn=warnings.append, clock=lambda: NOW + 60)

    assert warnings == [f"broke the apply lock held by {ALICE.describe(NOW + 60)}"]
    assert ALICE.topic not in fake_cluster.topics()
    assert mine.holder.topic in fake_cluster.topics()


def test_a_lock_without_a_holder_marker_is_still_a_lock(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic(LOCK_TOPIC)

    with pytest.raises(LockHeld, match="holder unknown"):
        acquire(fake_cluster, clock=lambda: NOW)


def test_a_lock_create_that_timed_out_after_it_was_made_is_not_taken_as_someone_elses(
    fake_cluster: FakeCluster,
) -> None:
    timed_out = AdminError("REQUEST_TIMED_OUT", "", retriable=True, ambiguous=True)
    fake_cluster.inject("create_topics", timed_out, topics=[LOCK_TOPIC], applied=True)

    with pytest.raises(LockHeld, match="could not tell whether the apply lock"):
        acquire(fake_cluster, clock=lambda: NOW, sleep=lambda _s: None)


def test_a_lock_just_released_elsewhere_is_taken_after_a_retry(fake_cluster: FakeCluster) -> None:
    gone_by_now = AdminError("TOPIC_ALREADY_EXISTS", "Topic is marked for deletion.")
    fake_cluster.inject("create_topics", gone_by_now, topics=[LOCK_TOPIC])

    lock = acquire(fake_cluster, clock=lambda: NOW, sleep=lambda _s: None)

    assert LOCK_TOPIC in fake_cluster.topics()
    lock.release()


def test_a_failed_release_is_a_warning_telling_how_to_recover(fake_cluster: FakeCluster) -> None:
    warnings: list[str] = []
    lock = acquire(fake_cluster, clock=lambda: NOW, warn=warnings.append, holder=ALICE)
    fake_cluster.inject("delete_topics", AdminError("TOPIC_AUTHORIZATION_FAILED", "denied"))

    lock.release()

    assert "could not release the apply lock" in warnings[0]
    assert "--force-unlock" in warnings[0]


def test_holder_markers_round_trip_through_topic_names() -> None:
    holder = Holder("bob smith", "host.example.com", 7, 123)

    assert holder.topic == f"{HOLDER_PREFIX}bob-smith.host-example-com.7.123"
    assert Holder.parse(holder.topic) == Holder("bob-smith", "host-example-com", 7, 123)
    assert Holder.parse("orders") is None


def test_lock_topics_are_never_unmanaged_and_never_deletable() -> None:
    settings = Settings()

    for name in (LOCK_TOPIC, ALICE.topic):
        assert settings.is_internal(name)
        assert settings.is_protected(name)


def test_an_apply_whose_lock_was_broken_does_not_release_the_new_holders_lock(
    fake_cluster: FakeCluster,
) -> None:
    warnings: list[str] = []
    alices = acquire(fake_cluster, clock=lambda: NOW, warn=warnings.append, holder=ALICE)
    bobs = acquire(fake_cluster, force=True, clock=lambda: NOW + 60)

    alices.release()

    assert lock_topics(fake_cluster) == sorted([LOCK_TOPIC, bobs.holder.topic])
    assert "broken" in warnings[0]


def test_a_release_that_cannot_see_its_own_marker_yet_still_releases_the_lock(
    fake_cluster: FakeCluster,
) -> None:
    lock = acquire(fake_cluster, clock=lambda: NOW, holder=ALICE)
    fake_cluster.delete_topics([ALICE.topic])  # as a broker not yet told of it would answer

    lock.release()

    assert lock_topics(fake_cluster) == []


def test_a_release_that_times_out_is_retried_with_its_own_budget(
    fake_cluster: FakeCluster,
) -> None:
    warnings: list[str] = []
    slept: list[float] = []
    lock = acquire(
        fake_cluster, clock=lambda: NOW, warn=warnings.append, holder=ALICE, sleep=slept.append
    )
    patience: list[list[float]] = []
    fake_cluster.inject(
        "delete_topics", ClusterError("no answer within 1 s", ambiguous=True), times=3
    )
    original = fake_cluster.delete_topics

    def delete(names: object) -> object:
        patience.append(list(fake_cluster.patience))
        return original(names)  # type: ignore[arg-type]

    fake_cluster.delete_topics = delete  # type: ignore[method-assign,assignment]

    lock.release()

    assert warnings == []
    assert lock_topics(fake_cluster) == []
    assert len(slept) == 3
    assert patience == [[RELEASE_REQUEST_TIMEOUT]] * 4


def test_a_release_that_keeps_failing_gives_up_within_its_budget_with_a_warning(
    fake_cluster: FakeCluster,
) -> None:
    warnings: list[str] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    lock = acquire(fake_cluster, clock=lambda: NOW, warn=warnings.append, holder=ALICE)
    lock.clock, lock.sleep = (lambda: now[0]), sleep
    fake_cluster.inject("delete_topics", ClusterError("no answer", ambiguous=True), times=1000)

    lock.release()

    assert now[0] <= RELEASE_BUDGET
    assert len(warnings) == 1 and "--force-unlock" in warnings[0]
