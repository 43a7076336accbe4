"""Short scenarios for apply tests: read the fake into a state, plan, run with a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reconciler.apply.executor import execute
from reconciler.apply.outcome import ApplyResult, ExecuteOptions, Status
from reconciler.cluster.admin import Admin
from reconciler.model import ActualTopic, ClusterState, DesiredState, TopicSpec
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.model import Plan
from reconciler.settings import Settings


@dataclass
class FakeClock:
    """Time that moves only when someone sleeps."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Recording:
    """Wraps an Admin and records the name of every call, in order."""

    def __init__(self, admin: Any) -> None:
        self.admin = admin
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.admin, name)
        if not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return target(*args, **kwargs)

        return call

    def changes(self) -> list[str]:
        """The calls that change the cluster, consecutive repeats folded."""
        writes = ("create_topics", "create_partitions", "alter_configs", "delete_topics")
        folded: list[str] = []
        for name in self.calls:
            if name in writes and (not folded or folded[-1] != name):
                folded.append(name)
        return folded


def state_of(admin: Admin) -> ClusterState:
    """The cluster as ktr reads it: metadata plus configs of every topic."""
    info = admin.cluster()
    topics = admin.topics()
    configs = admin.topic_configs(list(topics))
    return ClusterState(
        info.cluster_id,
        info.broker_ids,
        {
            name: ActualTopic(
                name,
                t.topic_id,
                t.partition_count,
                t.replication_factor,
                configs.get(name, {}),
                t.internal,
                tuple(p.replicas for p in t.partitions),
            )
            for name, t in topics.items()
        },
    )


def plan_for(
    admin: Admin,
    *specs: TopicSpec,
    settings: Settings | None = None,
    **options: bool,
) -> Plan:
    desired = DesiredState({s.name: s for s in specs})
    return make_plan(desired, state_of(admin), settings or Settings(), PlanOptions(**options))


def run(
    admin: Any,
    plan: Plan,
    *,
    settings: Settings | None = None,
    clock: FakeClock | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    timeout: float = 30.0,
) -> ApplyResult:
    clock = clock or FakeClock()
    return execute(
        admin,
        plan,
        settings or Settings(),
        options=ExecuteOptions(propagation_timeout=timeout),
        clock=clock,
        sleep=clock.sleep,
        should_stop=should_stop,
    )


def statuses(result: ApplyResult) -> dict[str, Status]:
    return {f"{o.action.kind.value} {o.topic}": o.status for o in result.outcomes}
