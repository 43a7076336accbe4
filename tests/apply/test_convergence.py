"""Property: after any faults, applying again converges, and only planned deletes happen."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reconciler.apply.outcome import Status
from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.model import TopicSpec
from reconciler.plan.model import ActionKind
from tests.apply.scenario import plan_for, run
from tests.fake_cluster import FakeCluster
from tests.states import declared, tombstone

NAMES = ("a", "b", "c", "d", "e", "f")
METHODS = ("create_topics", "create_partitions", "alter_configs", "delete_topics", "sighting")

ERRORS = st.sampled_from(
    [
        AdminError("REQUEST_TIMED_OUT", "timed out", retriable=True, ambiguous=True),
        AdminError("_TRANSPORT", "connection dropped", retriable=True, ambiguous=True),
        AdminError("NOT_CONTROLLER", "moved", retriable=True),
        AdminError("THROTTLING_QUOTA_EXCEEDED", "slow down", retriable=True),
        AdminError("POLICY_VIOLATION", "rejected"),
        ClusterError("connection reset", ambiguous=True),
    ]
)

faults = st.lists(
    st.tuples(
        st.sampled_from(METHODS),
        ERRORS,
        st.booleans(),  # applied before the error
        st.integers(1, 3),  # times
        st.one_of(st.none(), st.sets(st.sampled_from(NAMES), min_size=1)),
    ),
    max_size=5,
)

existing_topics = st.dictionaries(
    st.sampled_from(NAMES),
    st.tuples(st.integers(1, 4), st.sampled_from([None, "1000", "2000"])),
    max_size=4,
)

wishes = st.dictionaries(
    st.sampled_from(NAMES),
    st.one_of(
        st.just("tombstone"),
        st.tuples(st.integers(1, 5), st.sampled_from([None, "1000", "3000"])),
    ),
    max_size=6,
)


def _spec(name: str, wish: object) -> TopicSpec:
    if wish == "tombstone":
        return tombstone(name)
    assert isinstance(wish, tuple)
    partitions, retention = wish
    return declared(name, partitions, config={"retention.ms": retention} if retention else {})


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(existing=existing_topics, wanted=wishes, injected=faults, lagging=st.integers(0, 4))
def test_after_any_faults_applying_again_converges_and_deletes_only_what_was_planned(
    existing: dict[str, tuple[int, str | None]],
    wanted: dict[str, object],
    injected: list[tuple[str, AdminError | ClusterError, bool, int, set[str] | None]],
    lagging: int,
) -> None:
    fake = FakeCluster()
    for name, (partitions, retention) in existing.items():
        fake.add_topic(name, partitions, config={"retention.ms": retention} if retention else {})
    ids = {name: info.topic_id for name, info in fake.topics().items()}
    specs = [_spec(name, wish) for name, wish in wanted.items()]
    plan = plan_for(fake, *specs, allow_delete=True, allow_recreate=True)
    destroyable = {
        a.topic for a in plan.actions if a.kind in (ActionKind.DELETE, ActionKind.RECREATE)
    }
    if lagging:
        fake.lag_broker(2, calls=lagging)
    for method, error, applied, times, topics in injected:
        fake.inject(method, error, applied=applied, times=times, topics=topics)

    first = run(fake, plan, timeout=5)

    fake._faults.clear()  # the faults are over; the cluster behaves again
    second = run(fake, plan_for(fake, *specs, allow_delete=True, allow_recreate=True), timeout=30)
    assert second.ok, second
    assert not plan_for(fake, *specs, allow_delete=True, allow_recreate=True).actions
    survivors = fake.topics()
    for name, topic_id in ids.items():
        if name not in destroyable:
            assert survivors.get(name) is not None, f"{name} was deleted without being planned"
            assert survivors[name].topic_id == topic_id, f"{name} was replaced without a plan"
    event("first apply " + ("succeeded" if first.ok else "failed"))
    event(f"{len(plan.actions)} action(s)")
    assert all(o.status in Status for o in first.outcomes)
