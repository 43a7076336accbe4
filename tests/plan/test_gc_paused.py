"""The cyclic collector is paused while a plan's state is built, and only then."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from reconciler.cluster.admin import ClusterError
from reconciler.cluster.read import read_cluster_state
from reconciler.gcpause import gc_paused
from reconciler.plan.model import Plan
from reconciler.render import render_plan
from tests.fake_cluster import FakeCluster


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_inside_the_block_and_runs_again_after() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_nested_block_leaves_the_collector_paused_until_the_outer_one_ends() -> None:
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_runs_again_after_a_failed_read(fake_cluster: FakeCluster) -> None:
    fake_cluster.inject("topics", ClusterError("cannot list topics"))
    with pytest.raises(ClusterError):
        read_cluster_state(fake_cluster)
    assert gc.isenabled()


def test_the_collector_runs_again_after_rendering_a_plan() -> None:
    render_plan(Plan(actions=(), fingerprint="sha256:0"), "text")
    assert gc.isenabled()


def test_overlapping_blocks_on_two_threads_keep_the_collector_paused_until_both_end() -> None:
    import threading

    inside, outer_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def later() -> None:  # enters while the main thread's block runs, outlives it
        with gc_paused():
            inside.set()
            outer_done.wait(5)
            seen.append(gc.isenabled())

    with gc_paused():
        thread = threading.Thread(target=later)
        thread.start()
        inside.wait(5)
    outer_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_what_a_pause_built_is_not_walked_again_by_later_collections() -> None:
    gc.unfreeze()
    with gc_paused():
        built = [[] for _ in range(1000)]
    assert gc.get_freeze_count() >= len(built)
    assert all(not any(o is b for o in gc.get_objects()) for b in built[:3])
