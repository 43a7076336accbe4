"""Naming what moved on the cluster since a plan was made."""

from __future__ import annotations

from dataclasses import replace

from reconciler.apply.staleness import moved_topics, still_current
from reconciler.plan.diff import make_plan
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing


def test_a_plan_is_current_on_the_state_it_was_made_from() -> None:
    state = cluster(existing("t", overrides={"retention.ms": "1"}))
    plan = make_plan(desired(declared("t", 3, config={"retention.ms": "2"})), state, Settings())

    assert still_current(plan, state)
    assert moved_topics(plan, state) == []


def test_a_plan_for_another_cluster_is_not_current() -> None:
    state = cluster(existing("t"))
    plan = make_plan(desired(declared("t", 4)), state, Settings())
    other = replace(state, cluster_id="cluster-2")

    assert not still_current(plan, other)
    assert moved_topics(plan, other) == [
        "the plan was made for cluster cluster-1, this is cluster cluster-2"
    ]


def test_with_the_old_state_every_moved_topic_is_named_exactly() -> None:
    then = cluster(existing("a"), existing("b", overrides={"segment.ms": "1"}))
    plan = make_plan(desired(declared("a"), declared("b"), declared("c")), then, Settings())
    now = cluster(existing("a", partitions=5), existing("b"), existing("c"))

    assert moved_topics(plan, now, then) == [
        "a: partitions were 3, now 5",
        "b: configs changed: segment.ms",
        "c: created since the plan was made",
    ]


def test_without_the_old_state_a_change_outside_the_actions_is_still_reported() -> None:
    then = cluster(existing("quiet", overrides={"segment.ms": "1"}))
    plan = make_plan(desired(declared("quiet")), then, Settings())
    now = cluster(existing("quiet", overrides={"segment.ms": "2"}))

    assert not still_current(plan, now)
    assert moved_topics(plan, now) == [
        "one of the 1 topic the plan covers changed since it was made "
        "(created, deleted, or a partition count or config override changed)"
    ]
