"""When a step ends without an answer, the report says what the cluster shows, not "failed"."""

from __future__ import annotations

from typing import Any

from reconciler.apply.outcome import Status
from reconciler.cluster.admin import ClusterError
from reconciler.model import TopicSpec
from tests.apply.scenario import plan_for, run
from tests.fake_cluster import FakeCluster
from tests.states import declared


class Overwhelmed:
    """A cluster that creates only the first ``manages`` topics of a create, then times out,
    and whose next ``blind`` metadata reads time out too."""

    def __init__(self, fake: FakeCluster, manages: int, blind: int = 1) -> None:
        self.fake = fake
        self.manages = manages
        self.blind = blind
        self.created = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fake, name)

    def create_topics(self, topics: list[Any], **kwargs: Any) -> Any:
        if self.created:
            return self.fake.create_topics(topics, **kwargs)
        self.created = True
        self.fake.create_topics(topics[: self.manages], **kwargs)
        raise ClusterError("cannot create topics: no answer within 1 s", ambiguous=True)

    def topics(self, **kwargs: Any) -> Any:
        if self.created and self.blind > 0:
            self.blind -= 1
            raise ClusterError("cannot list topics: no answer within 1 s", ambiguous=True)
        return self.fake.topics(**kwargs)


def many(count: int) -> list[TopicSpec]:
    return [declared(f"t{number:04}", 1) for number in range(count)]


def test_a_create_that_timed_out_is_reported_as_what_the_cluster_then_shows(
    fake_cluster: FakeCluster,
) -> None:
    plan = plan_for(fake_cluster, *many(300))

    result = run(Overwhelmed(fake_cluster, manages=285), plan)

    done = result.by_status(Status.DONE)
    failed = result.by_status(Status.FAILED)
    assert (len(done), len(failed)) == (285, 15)
    assert all("not created" in o.detail for o in failed)
    assert "reading the cluster again shows" in done[0].detail


def test_when_the_cluster_cannot_be_read_again_either_the_outcome_is_called_unknown(
    fake_cluster: FakeCluster,
) -> None:
    plan = plan_for(fake_cluster, *many(3))

    result = run(Overwhelmed(fake_cluster, manages=2, blind=100), plan)

    assert all(o.status is Status.FAILED for o in result.outcomes)
    assert all("reading the cluster again failed too" in o.detail for o in result.outcomes)
    assert all("ktr plan" in o.detail for o in result.outcomes)


def test_the_re_read_has_its_own_time_budget(fake_cluster: FakeCluster) -> None:
    seen: list[list[float]] = []
    plan = plan_for(fake_cluster, *many(2))
    cluster = Overwhelmed(fake_cluster, manages=2)
    original = fake_cluster.topic_configs

    def configs(names: Any) -> Any:
        seen.append(list(fake_cluster.patience))
        return original(names)

    fake_cluster.topic_configs = configs  # type: ignore[method-assign]

    run(cluster, plan)

    assert seen and seen[-1] == [30.0]
