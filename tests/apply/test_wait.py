"""Deciding when a change has reached every broker, and checking that changes took."""

from __future__ import annotations

from reconciler.apply.wait import (
    Views,
    config_mismatches,
    pending,
    wait_for,
)
from reconciler.cluster.admin import Sighting
from reconciler.model import ConfigEntry, ConfigSource
from tests.apply.scenario import FakeClock
from tests.fake_cluster import FakeCluster


def views(*sightings: Sighting) -> Views:
    result = Views()
    for sighting in sightings:
        result.record(sighting)
    return result


def test_a_topic_is_ready_once_every_broker_reports_all_its_partitions_led() -> None:
    seen = views(
        Sighting(1, {"t": 3}, {"t": 3}),
        Sighting(2, {"t": 3}, {"t": 3}),
    )

    assert pending({"t": 3}, seen, [1, 2]) == {}


def test_a_broker_not_heard_from_yet_is_lagging() -> None:
    seen = views(Sighting(1, {"t": 3}, {"t": 3}))

    assert pending({"t": 3}, seen, [1, 2]) == {"t": (2,)}


def test_a_broker_reporting_a_leaderless_partition_is_lagging() -> None:
    seen = views(Sighting(1, {"t": 2}, {"t": 3}), Sighting(2, {"t": 3}, {"t": 3}))

    assert pending({"t": 3}, seen, [1, 2]) == {"t": (1,)}


def test_a_broker_reporting_the_old_partition_count_is_lagging() -> None:
    seen = views(Sighting(1, {"t": 1}, {"t": 1}), Sighting(2, {"t": 3}, {"t": 3}))

    assert pending({"t": 3}, seen, [1, 2]) == {"t": (1,)}


def test_the_latest_answer_of_a_broker_counts() -> None:
    seen = views(Sighting(1, {"t": None}), Sighting(1, {"t": 1}, {"t": 1}))

    assert pending({"t": 1}, seen, [1]) == {}


def test_a_deleted_topic_is_gone_once_no_broker_reports_it() -> None:
    seen = views(Sighting(1, {"t": None}), Sighting(2, {"t": 1}, {"t": 1}))

    assert pending({"t": 0}, seen, [1, 2]) == {"t": (2,)}
    assert (
        pending({"t": 0}, views(Sighting(1, {"t": None}), Sighting(2, {"t": None})), [1, 2]) == {}
    )


def test_waiting_stops_at_the_deadline_naming_what_is_still_pending(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("seen")
    fake_cluster.lag_broker(3, calls=10**6)
    clock = FakeClock()

    result = wait_for(
        fake_cluster, {"seen": 1, "never": 1}, timeout=3, clock=clock, sleep=clock.sleep
    )

    assert dict(result.not_ready) == {"never": (1, 2, 3)}
    assert 3 <= clock.now < 4


def test_polling_backs_off_while_nothing_changes(fake_cluster: FakeCluster) -> None:
    clock = FakeClock()

    wait_for(fake_cluster, {"never": 1}, timeout=10, clock=clock, sleep=clock.sleep)

    assert clock.sleeps[0] == 0.1
    assert max(clock.sleeps) == 1.6


def test_waiting_for_nothing_asks_nothing(fake_cluster: FakeCluster) -> None:
    before = fake_cluster.request_count()

    assert wait_for(fake_cluster, {}, timeout=1).ok
    assert fake_cluster.request_count() == before


def test_a_stop_request_ends_the_wait_early(fake_cluster: FakeCluster) -> None:
    clock = FakeClock()

    result = wait_for(
        fake_cluster,
        {"never": 1},
        timeout=30,
        clock=clock,
        sleep=clock.sleep,
        should_stop=lambda: True,
    )

    assert result.interrupted
    assert clock.now == 0


def test_config_verification_names_each_key_that_did_not_take() -> None:
    actual = {
        "t": {
            "retention.ms": ConfigEntry("1", ConfigSource.TOPIC),
            "segment.ms": ConfigEntry("5", ConfigSource.TOPIC),
        }
    }

    mismatches = config_mismatches(
        {"t": {"retention.ms": "1000", "segment.ms": None, "cleanup.policy": "compact"}}, actual
    )

    assert mismatches == {
        "t": {
            "retention.ms": "is '1', expected '1000'",
            "segment.ms": "still overridden as '5'",
            "cleanup.policy": "not set, expected 'compact'",
        }
    }


def test_config_verification_passes_when_values_match_and_deleted_overrides_inherit() -> None:
    actual = {
        "t": {
            "retention.ms": ConfigEntry("1000", ConfigSource.TOPIC),
            "segment.ms": ConfigEntry("604800000", ConfigSource.DEFAULT),
        }
    }

    assert config_mismatches({"t": {"retention.ms": "1000", "segment.ms": None}}, actual) == {}


class _TimedSightings:
    """The fake, recording the timeout each sighting was given."""

    def __init__(self, fake: FakeCluster) -> None:
        self.fake = fake
        self.timeouts: list[float | None] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.fake, name)

    def sighting(self, names: list[str], *, timeout: float | None = None) -> object:
        self.timeouts.append(timeout)
        return self.fake.sighting(names, timeout=timeout)


def test_each_poll_is_bounded_by_the_time_left_before_the_deadline() -> None:
    fake = FakeCluster(brokers=(1, 2))
    fake.lag_broker(2, calls=100)
    fake.add_topic("orders")  # seen at once by every broker: the lag applies to later changes
    fake.delete_topics(["orders"])
    admin = _TimedSightings(fake)
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    wait_for(admin, {"orders": 0}, timeout=3.0, clock=lambda: now[0], sleep=sleep)

    assert admin.timeouts and all(t is not None and t <= 3.0 for t in admin.timeouts)
    assert admin.timeouts == sorted(admin.timeouts, reverse=True)
