"""Executing a plan against the fake cluster: order, batching, retries, re-reads, waits."""

from __future__ import annotations

import io

import pytest

from reconciler.apply.executor import execute
from reconciler.apply.outcome import Status
from reconciler.apply.preflight import StalePlan
from reconciler.apply.progress import Lines
from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.model import ConfigEntry, ConfigSource
from reconciler.plan.model import Action, ActionKind, Plan
from reconciler.settings import Settings
from tests.apply.scenario import FakeClock, Recording, plan_for, run, statuses
from tests.fake_cluster import FakeCluster
from tests.states import declared, tombstone

TIMED_OUT = AdminError("REQUEST_TIMED_OUT", "timed out", retriable=True, ambiguous=True)


def test_steps_run_creates_then_partitions_then_configs_then_deletes_and_recreates(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("grow", partitions=1)
    fake_cluster.add_topic("tune", partitions=1)
    fake_cluster.add_topic("old", partitions=1)
    fake_cluster.add_topic("shrink", partitions=4)
    plan = plan_for(
        fake_cluster,
        declared("new", 2),
        declared("grow", 3),
        declared("tune", 1, config={"retention.ms": "1000"}),
        tombstone("old"),
        declared("shrink", 2),
        allow_delete=True,
        allow_recreate=True,
    )
    admin = Recording(fake_cluster)

    result = run(admin, plan)

    assert result.ok, result
    assert admin.changes() == [
        "create_topics",
        "create_partitions",
        "alter_configs",
        "delete_topics",
        "create_topics",
    ]


def test_each_step_is_one_request_whatever_the_number_of_topics(
    fake_cluster: FakeCluster,
) -> None:
    for i in range(30):
        fake_cluster.add_topic(f"grow.{i}", partitions=1)
        fake_cluster.add_topic(f"tune.{i}", partitions=1)
    plan = plan_for(
        fake_cluster,
        *[declared(f"new.{i}", 2) for i in range(30)],
        *[declared(f"grow.{i}", 2) for i in range(30)],
        *[declared(f"tune.{i}", 1, config={"retention.ms": "1000"}) for i in range(30)],
    )
    before = fake_cluster.requests.copy()

    result = run(fake_cluster, plan)

    assert result.ok
    made = fake_cluster.requests - before
    assert made["create_topics"] == 1
    assert made["create_partitions"] == 1
    assert made["alter_configs"] == 1


def test_a_broker_that_learns_of_new_topics_late_is_waited_for(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.lag_broker(3, calls=4)
    plan = plan_for(fake_cluster, declared("late", 2))

    result = run(fake_cluster, plan)

    assert result.ok
    # Three brokers answer in turn: broker 3 had to be asked four times.
    assert fake_cluster.requests["sighting"] >= 12


def test_a_topic_not_ready_within_the_propagation_timeout_is_named_with_the_broker(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.lag_broker(2, calls=10**6)
    clock = FakeClock()
    plan = plan_for(fake_cluster, declared("slow", 1))

    result = run(fake_cluster, plan, clock=clock, timeout=5)

    [outcome] = result.outcomes
    assert outcome.status is Status.FAILED
    assert "not ready on broker 2 after 5 s" in outcome.detail
    assert 5 <= clock.now < 7


def test_a_new_partition_count_is_waited_for_on_every_broker(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("grow", partitions=1)
    fake_cluster.lag_broker(1, calls=10**6)
    plan = plan_for(fake_cluster, declared("grow", 3))

    result = run(fake_cluster, plan, timeout=2)

    assert statuses(result) == {"add_partitions grow": Status.FAILED}
    assert "not ready on broker 1" in result.outcomes[0].detail


def test_transient_errors_are_retried_with_backoff(fake_cluster: FakeCluster) -> None:
    fake_cluster.inject(
        "create_topics", AdminError("NOT_CONTROLLER", "moved", retriable=True), times=2
    )
    clock = FakeClock()
    plan = plan_for(fake_cluster, declared("t", 1))

    result = run(fake_cluster, plan, clock=clock)

    assert result.ok
    assert fake_cluster.requests["create_topics"] == 3
    assert clock.sleeps[:2] == [0.2, 0.4]


def test_retries_are_bounded(fake_cluster: FakeCluster) -> None:
    fake_cluster.inject(
        "create_topics", AdminError("NOT_CONTROLLER", "moved", retriable=True), times=100
    )
    plan = plan_for(fake_cluster, declared("t", 1))

    result = run(fake_cluster, plan)

    assert statuses(result) == {"create t": Status.FAILED}
    assert "gave up after 5 attempts" in result.outcomes[0].detail
    assert fake_cluster.requests["create_topics"] == 5


def test_a_create_that_timed_out_after_the_broker_applied_it_counts_as_done(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.inject("create_topics", TIMED_OUT, applied=True)
    plan = plan_for(fake_cluster, declared("t", 2, config={"retention.ms": "1000"}))

    result = run(fake_cluster, plan)

    assert result.ok
    assert fake_cluster.requests["create_topics"] == 1


def test_a_create_that_timed_out_before_the_broker_applied_it_is_sent_again(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.inject("create_topics", TIMED_OUT, applied=False)
    plan = plan_for(fake_cluster, declared("t", 2))

    result = run(fake_cluster, plan)

    assert result.ok
    assert fake_cluster.requests["create_topics"] == 2
    assert fake_cluster.topics()["t"].partition_count == 2


def test_a_lost_answer_to_the_whole_call_is_resolved_by_reading_the_cluster(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.inject(
        "create_topics", ClusterError("connection reset", ambiguous=True), applied=True
    )
    plan = plan_for(fake_cluster, declared("a", 1), declared("b", 1))

    result = run(fake_cluster, plan)

    assert result.ok
    assert fake_cluster.requests["create_topics"] == 1


def _created_meanwhile(fake: FakeCluster, name: str, partitions: int) -> None:
    """Someone else creates ``name`` just before ktr's create reaches the controller."""
    original = fake.create_topics

    def racing(topics, **kwargs):  # type: ignore[no-untyped-def]
        if name not in fake.topics():
            fake.add_topic(name, partitions=partitions)
        return original(topics, **kwargs)

    fake.create_topics = racing  # type: ignore[method-assign]


def test_a_topic_created_meanwhile_as_declared_counts_as_done(fake_cluster: FakeCluster) -> None:
    plan = plan_for(fake_cluster, declared("t", 3))
    _created_meanwhile(fake_cluster, "t", partitions=3)

    result = run(fake_cluster, plan)

    assert result.ok


def test_a_topic_created_meanwhile_unlike_the_declaration_is_a_failure(
    fake_cluster: FakeCluster,
) -> None:
    plan = plan_for(fake_cluster, declared("t", 3))
    _created_meanwhile(fake_cluster, "t", partitions=1)

    result = run(fake_cluster, plan)

    assert statuses(result) == {"create t": Status.FAILED}
    assert result.outcomes[0].detail.startswith("TOPIC_ALREADY_EXISTS")


def test_a_topic_created_since_the_plan_makes_the_plan_stale(fake_cluster: FakeCluster) -> None:
    plan = plan_for(fake_cluster, declared("t", 3))
    fake_cluster.add_topic("t", partitions=1)

    with pytest.raises(StalePlan, match="t: planned as new, but it exists now"):
        run(fake_cluster, plan)


def test_a_partial_batch_failure_fails_only_that_topic_and_skips_destructive_steps(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("doomed")
    fake_cluster.inject(
        "create_topics", AdminError("POLICY_VIOLATION", "names must be ..."), topics=["bad"]
    )
    plan = plan_for(
        fake_cluster,
        declared("good", 1),
        declared("bad", 1),
        tombstone("doomed"),
        allow_delete=True,
    )

    result = run(fake_cluster, plan)

    assert statuses(result) == {
        "create bad": Status.FAILED,
        "create good": Status.DONE,
        "delete doomed": Status.NOT_DONE,
    }
    assert "POLICY_VIOLATION" in result.outcomes[0].detail
    assert "doomed" in fake_cluster.topics()


def test_a_partition_increase_that_timed_out_after_it_was_applied_counts_as_done(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("grow", partitions=1)
    fake_cluster.inject("create_partitions", TIMED_OUT, applied=True)
    plan = plan_for(fake_cluster, declared("grow", 4))

    result = run(fake_cluster, plan)

    assert result.ok
    assert fake_cluster.requests["create_partitions"] == 1


def test_config_changes_are_set_and_pruned_in_one_request_and_verified(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("t", config={"retention.ms": "1", "segment.ms": "2"})
    fake_cluster.inject("alter_configs", TIMED_OUT, applied=False)
    plan = plan_for(
        fake_cluster, declared("t", 1, config={"retention.ms": "1000"}), prune_configs=True
    )

    result = run(fake_cluster, plan)

    assert result.ok
    assert fake_cluster.config_overrides("t") == {"retention.ms": "1000"}
    assert fake_cluster.requests["alter_configs"] == 2


def test_a_rejected_config_names_the_topic_and_the_broker_message(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("t")
    plan = Plan(actions=(Action(ActionKind.ALTER_CONFIG, "t", config=(), topic_id=None),))
    fake_cluster.inject("alter_configs", AdminError("INVALID_CONFIG", "bad value"))

    result = run(fake_cluster, plan)

    assert statuses(result) == {"alter_config t": Status.FAILED}
    assert result.outcomes[0].detail == "INVALID_CONFIG: bad value"


def test_deleting_waits_until_no_broker_reports_the_topic(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("old")
    fake_cluster.lag_broker(2, calls=3)
    plan = plan_for(fake_cluster, tombstone("old"), allow_delete=True)

    result = run(fake_cluster, plan)

    assert statuses(result) == {"delete old": Status.DONE}
    assert "old" not in fake_cluster.topics()


def test_a_topic_already_gone_counts_as_deleted(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("old")
    plan = plan_for(fake_cluster, tombstone("old"), allow_delete=True)
    fake_cluster.inject("delete_topics", AdminError("UNKNOWN_TOPIC_OR_PART", "gone"), applied=True)

    result = run(fake_cluster, plan)

    assert result.ok


def test_a_recreate_reports_the_new_topic_id(fake_cluster: FakeCluster) -> None:
    old_id = fake_cluster.add_topic("shrink", partitions=6, config={"retention.ms": "5"})
    plan = plan_for(
        fake_cluster, declared("shrink", 2, config={"retention.ms": "5"}), allow_recreate=True
    )

    result = run(fake_cluster, plan)

    [outcome] = result.outcomes
    assert outcome.status is Status.DONE
    assert outcome.new_topic_id == fake_cluster.topics()["shrink"].topic_id != old_id
    assert fake_cluster.topics()["shrink"].partition_count == 2
    assert fake_cluster.config_overrides("shrink") == {"retention.ms": "5"}


def test_the_delete_step_of_a_recreate_is_reported_as_deleted_not_failed(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("shrink", 2), allow_recreate=True)
    log = io.StringIO()

    clock = FakeClock()
    execute(
        fake_cluster,
        plan,
        Settings(),
        progress=Lines(log),
        clock=clock,
        sleep=clock.sleep,
    )

    assert log.getvalue().splitlines() == [
        "deleting topics (1)...",
        "  1 deleted",
        "creating recreated topics (1)...",
        "  1 recreated",
    ]


def test_a_topic_replaced_since_the_plan_is_refused_before_anything_changes(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("new", 1), declared("shrink", 2), allow_recreate=True)
    fake_cluster.delete_topics(["shrink"])
    fake_cluster.add_topic("shrink", partitions=6)
    before = fake_cluster.requests.copy()

    with pytest.raises(StalePlan, match="shrink: was deleted and recreated since the plan"):
        run(fake_cluster, plan)

    assert set(fake_cluster.requests - before) == {"topics"}
    assert "new" not in fake_cluster.topics()


def test_a_protected_topic_is_never_deleted_whatever_the_plan_says(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("_schemas")
    plan = Plan(actions=(Action(ActionKind.DELETE, "_schemas", partitions=(1, None)),))

    with pytest.raises(StalePlan, match="_schemas: protected topic"):
        run(fake_cluster, plan)

    assert "_schemas" in fake_cluster.topics()


def test_a_stop_request_finishes_the_step_in_flight_and_reports_the_rest_as_not_done(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("tune")
    plan = plan_for(
        fake_cluster, declared("new", 1), declared("tune", 1, config={"retention.ms": "9"})
    )
    stop = {"now": False}
    original = fake_cluster.create_topics

    def create_then_interrupt(*args: object, **kwargs: object) -> object:
        stop["now"] = True  # Ctrl-C arrives while the create is in flight
        return original(*args, **kwargs)  # type: ignore[arg-type]

    fake_cluster.create_topics = create_then_interrupt  # type: ignore[method-assign]

    result = run(fake_cluster, plan, should_stop=lambda: stop["now"])

    assert result.interrupted
    assert "new" in fake_cluster.topics()
    assert statuses(result) == {"create new": Status.DONE, "alter_config tune": Status.NOT_DONE}
    assert fake_cluster.config_overrides("tune") == {}


def test_an_interrupt_raised_inside_a_step_marks_its_outcome_unknown(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("tune")
    plan = plan_for(fake_cluster, declared("tune", 1, config={"retention.ms": "9"}))

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    fake_cluster.alter_configs = interrupted  # type: ignore[method-assign]

    result = run(fake_cluster, plan)

    assert result.interrupted
    assert result.outcomes[0].detail == "interrupted: outcome unknown"


def test_an_empty_plan_touches_nothing(fake_cluster: FakeCluster) -> None:
    before = fake_cluster.request_count()

    result = run(fake_cluster, Plan(actions=()))

    assert result.ok
    assert fake_cluster.request_count() == before


def test_a_config_read_from_a_broker_not_yet_updated_is_read_again(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("t", config={"retention.ms": "1"})
    plan = plan_for(fake_cluster, declared("t", 1, config={"retention.ms": "2"}))
    stale_reads = {"left": 2}
    original = fake_cluster.topic_configs

    def lagging_reads(names):  # type: ignore[no-untyped-def]
        configs = original(names)
        if stale_reads["left"] and "t" in configs:
            stale_reads["left"] -= 1
            return {
                **configs,
                "t": {**configs["t"], "retention.ms": ConfigEntry("1", ConfigSource.TOPIC)},
            }
        return configs

    fake_cluster.topic_configs = lagging_reads  # type: ignore[method-assign]

    result = run(fake_cluster, plan)

    assert result.ok
    assert stale_reads["left"] == 0


def test_a_change_acknowledged_but_not_made_is_an_error_naming_topic_and_key(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("t", config={"retention.ms": "1"})
    plan = plan_for(fake_cluster, declared("t", 1, config={"retention.ms": "2"}))
    fake_cluster.alter_configs = lambda changes, **_: {n: None for n in changes}  # type: ignore[method-assign]
    clock = FakeClock()

    result = run(fake_cluster, plan, clock=clock, timeout=3)

    assert statuses(result) == {"alter_config t": Status.FAILED}
    assert result.outcomes[0].detail == "not applied: retention.ms is '1', expected '2'"
    assert clock.now >= 3


def test_a_stop_request_during_a_recreate_still_creates_the_deleted_topic_again(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("shrink", 2), allow_recreate=True)
    stop = {"now": False}
    original = fake_cluster.delete_topics

    def delete_then_interrupt(names):  # type: ignore[no-untyped-def]
        stop["now"] = True
        return original(names)

    fake_cluster.delete_topics = delete_then_interrupt  # type: ignore[method-assign]

    result = run(fake_cluster, plan, should_stop=lambda: stop["now"])

    assert result.interrupted
    assert fake_cluster.topics()["shrink"].partition_count == 2
    assert statuses(result) == {"recreate shrink": Status.DONE}


def test_a_recreate_whose_create_fails_says_the_topic_was_deleted_and_what_to_do(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("shrink", 2), allow_recreate=True)
    fake_cluster.inject("create_topics", AdminError("POLICY_VIOLATION", "refused by policy"))

    result = run(fake_cluster, plan)

    [outcome] = result.outcomes
    assert outcome.status is Status.FAILED
    assert "shrink" not in fake_cluster.topics()
    assert "DELETED" in outcome.detail and "POLICY_VIOLATION" in outcome.detail
    assert "does not exist now" in outcome.detail and "ktr apply" in outcome.detail


def test_a_recreate_whose_create_request_breaks_says_the_topic_was_deleted(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("shrink", 2), allow_recreate=True)
    fake_cluster.inject("create_topics", ClusterError("cannot create topics: broker down"))

    result = run(fake_cluster, plan)

    [outcome] = result.outcomes
    assert outcome.status is Status.FAILED
    assert "shrink" not in fake_cluster.topics()
    assert "does not exist now" in outcome.detail and "broker down" in outcome.detail


def test_a_cluster_error_after_the_delete_of_a_recreate_says_the_topic_was_deleted(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("shrink", 2), allow_recreate=True)
    fake_cluster.inject("cluster", ClusterError("cannot describe the cluster: broker down"))

    result = run(fake_cluster, plan)

    [outcome] = result.outcomes
    assert outcome.status is Status.FAILED
    assert "shrink" not in fake_cluster.topics()
    assert "DELETED" in outcome.detail and "does not exist now" in outcome.detail
    assert "broker down" in outcome.detail


class _ReadsFailAfterDelete:
    """The fake, except that reading topics fails once a delete was sent."""

    def __init__(self, fake: FakeCluster) -> None:
        self.fake = fake
        self.deleted = False

    def __getattr__(self, name: str) -> object:
        return getattr(self.fake, name)

    def delete_topics(self, names: list[str]) -> object:
        self.deleted = True
        return self.fake.delete_topics(names)

    def topics(self, **kwargs: object) -> object:
        if self.deleted:
            raise ClusterError("cannot list topics: broker down")
        return self.fake.topics(**kwargs)  # type: ignore[arg-type]


def test_a_recreate_whose_delete_outcome_is_unknown_says_it_may_be_deleted(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("shrink", 2), allow_recreate=True)
    fake_cluster.inject("delete_topics", ClusterError("no answer", ambiguous=True), applied=True)

    result = run(_ReadsFailAfterDelete(fake_cluster), plan)

    [outcome] = result.outcomes
    assert outcome.status is Status.FAILED
    assert "may have been DELETED" in outcome.detail and "ktr plan" in outcome.detail


class _SilentBroker:
    """The fake, except that one broker never answers a metadata request."""

    def __init__(self, fake: FakeCluster, broker: int) -> None:
        self.fake = fake
        self.broker = broker

    def __getattr__(self, name: str) -> object:
        return getattr(self.fake, name)

    def sighting(self, names: list[str], *, timeout: float | None = None) -> object:
        seen = self.fake.sighting(names, timeout=timeout)
        if seen.broker_id == self.broker:
            raise ClusterError("cannot read topic metadata: no answer within 30 s")
        return seen


def test_a_broker_that_never_answers_after_a_delete_is_named_without_claiming_it_has_the_topic(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("old")
    plan = plan_for(fake_cluster, tombstone("old"), allow_delete=True)

    result = run(_SilentBroker(fake_cluster, 3), plan, timeout=5.0)

    [outcome] = result.outcomes
    assert outcome.status is Status.FAILED
    assert "broker 3" in outcome.detail and "topic.metadata.propagation.max.ms" in outcome.detail
    assert "still reported" not in outcome.detail


class _ReplacedDuringApply:
    """The fake, except that ``topic`` is deleted and made again once creating starts."""

    def __init__(self, fake: FakeCluster, topic: str) -> None:
        self.fake = fake
        self.topic = topic

    def __getattr__(self, name: str) -> object:
        return getattr(self.fake, name)

    def create_topics(self, topics: list[object], **kwargs: object) -> object:
        result = self.fake.create_topics(topics, **kwargs)  # type: ignore[arg-type]
        if self.topic in self.fake.topics():
            self.fake.delete_topics([self.topic])
            self.fake.add_topic(self.topic)
            self.topic = ""
        return result


def test_a_topic_replaced_while_earlier_steps_ran_is_not_deleted(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("old")
    plan = plan_for(fake_cluster, declared("new", 1), tombstone("old"), allow_delete=True)

    result = run(_ReplacedDuringApply(fake_cluster, "old"), plan)

    assert "old" in fake_cluster.topics()
    assert statuses(result)["delete old"] is Status.FAILED
    assert statuses(result)["create new"] is Status.DONE


def test_a_recreate_whose_topic_vanished_while_earlier_steps_ran_is_a_failure_saying_so(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("shrink", partitions=6)
    plan = plan_for(fake_cluster, declared("new", 1), declared("shrink", 2), allow_recreate=True)
    admin = _ReplacedDuringApply(fake_cluster, "shrink")
    admin.create_topics = lambda topics, **kw: (  # type: ignore[method-assign]
        fake_cluster.delete_topics(["shrink"]),
        fake_cluster.create_topics(topics, **kw),
    )[1]

    result = run(admin, plan)

    [_, recreate] = result.outcomes
    assert recreate.status is Status.FAILED
    assert "already gone" in recreate.detail and "ktr apply" in recreate.detail
    assert fake_cluster.requests["delete_topics"] == 1  # only the one made by the test
