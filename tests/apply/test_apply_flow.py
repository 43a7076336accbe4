"""The apply command's flow against the fake cluster: refusals, confirmation, staleness, usage."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field, replace

import pytest

from reconciler.apply.flow import ApplyRequest, Terminal, apply
from reconciler.apply.guard import LOCK_TOPIC, acquire
from reconciler.cluster.admin import ClusterError
from reconciler.cluster.read import read_cluster_state
from reconciler.model import DesiredState, TopicSpec
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.model import Plan
from reconciler.problems import UserError
from reconciler.settings import Settings
from tests.apply.scenario import plan_for
from tests.fake_cluster import WRITE_ACLS, Acl, FakeCluster
from tests.states import declared, tombstone


@dataclass
class Console:
    """A terminal whose answers are scripted."""

    tty: bool = False
    answer: bool = True
    asked: list[str] = field(default_factory=list)
    out: io.StringIO = field(default_factory=io.StringIO)
    err: io.StringIO = field(default_factory=io.StringIO)

    def terminal(self) -> Terminal:
        def confirm(question: str) -> bool:
            self.asked.append(question)
            return self.answer

        return Terminal(self.out, self.err, lambda: self.tty, confirm, lambda _s: None)


def fresh(*specs: TopicSpec, approve: bool = True, **options: bool) -> ApplyRequest:
    return ApplyRequest(
        desired=DesiredState({s.name: s for s in specs}),
        options=PlanOptions(**options),
        auto_approve=approve,
        probe_seconds=0,
    )


def saved(plan: Plan, **flags: bool) -> ApplyRequest:
    """A saved plan to apply, with the apply-time flags (--allow-delete, --allow-recreate)."""
    return ApplyRequest(
        saved=plan, options=PlanOptions(**flags), auto_approve=True, probe_seconds=0
    )


def test_apply_makes_the_cluster_match_and_a_second_apply_does_nothing(
    fake_cluster: FakeCluster,
) -> None:
    request = fresh(declared("orders", 3, config={"retention.ms": "1000"}))
    console = Console()

    assert apply(fake_cluster, Settings(), request, console.terminal()) == 0
    assert fake_cluster.config_overrides("orders") == {"retention.ms": "1000"}
    assert "Apply finished: 1 done." in console.out.getvalue()

    again = Console()
    writes_before = _writes(fake_cluster)
    assert apply(fake_cluster, Settings(), request, again.terminal()) == 0
    assert "No changes" in again.out.getvalue()
    assert _writes(fake_cluster) == writes_before


def test_without_a_terminal_and_without_auto_approve_apply_refuses_instead_of_hanging(
    fake_cluster: FakeCluster,
) -> None:
    console = Console(tty=False)

    code = apply(fake_cluster, Settings(), fresh(declared("t"), approve=False), console.terminal())

    assert code == 1
    assert "pass --auto-approve" in console.err.getvalue()
    assert console.asked == []
    assert "t" not in fake_cluster.topics()


def test_on_a_terminal_apply_asks_and_a_no_changes_nothing(fake_cluster: FakeCluster) -> None:
    console = Console(tty=True, answer=False)

    code = apply(fake_cluster, Settings(), fresh(declared("t"), approve=False), console.terminal())

    assert code == 1
    assert console.asked == ["Apply this change?"]
    assert "t" not in fake_cluster.topics()


def test_any_refused_change_means_nothing_is_applied(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("shrinking", partitions=6)
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        fresh(declared("new"), declared("shrinking", 2)),
        console.terminal(),
    )

    assert code == 1
    assert "shrinking: partitions cannot be decreased" in console.err.getvalue()
    assert "new" not in fake_cluster.topics()


def test_undeclared_topics_survive_an_apply(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("someone.elses")

    assert apply(fake_cluster, Settings(), fresh(declared("mine")), Console().terminal()) == 0

    assert "someone.elses" in fake_cluster.topics()


def test_a_tombstone_is_deleted_with_allow_delete(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("legacy")

    code = apply(
        fake_cluster,
        Settings(),
        fresh(tombstone("legacy"), allow_delete=True),
        Console().terminal(),
    )

    assert code == 0
    assert "legacy" not in fake_cluster.topics()


def test_a_saved_plan_is_applied_when_the_cluster_has_not_moved(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("t", config={"retention.ms": "1"})
    plan = plan_for(fake_cluster, declared("t", 1, config={"retention.ms": "2"}))

    assert apply(fake_cluster, Settings(), saved(plan), Console().terminal()) == 0
    assert fake_cluster.config_overrides("t") == {"retention.ms": "2"}


def test_a_stale_saved_plan_is_refused_naming_what_moved(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("t", config={"retention.ms": "1"})
    plan = plan_for(fake_cluster, declared("t", 1, config={"retention.ms": "2"}), declared("n"))
    fake_cluster.alter_configs({"t": {"retention.ms": "5"}})
    fake_cluster.add_topic("n")
    console = Console()

    code = apply(fake_cluster, Settings(), saved(plan), console.terminal())

    assert code == 1
    err = console.err.getvalue()
    assert "the cluster changed since the plan was made; nothing was applied" in err
    assert "t: retention.ms was '1', now '5'" in err
    assert "n: planned as new, but it exists now" in err
    assert fake_cluster.config_overrides("t") == {"retention.ms": "5"}


def test_a_saved_plan_for_another_cluster_is_refused_as_such(
    fake_cluster: FakeCluster,
) -> None:
    plan = replace(plan_for(fake_cluster, declared("n")), cluster_id="prod-1")
    console = Console()

    code = apply(fake_cluster, Settings(), saved(plan), console.terminal())

    assert code == 1
    assert console.err.getvalue() == (
        "ktr: error: the plan was made for cluster prod-1, but this is cluster "
        "fake-cluster; nothing was applied. Connect to the cluster the plan was made "
        "for, or run ktr plan against this one.\n"
    )
    assert "n" not in fake_cluster.topics()


def test_a_change_between_showing_and_applying_is_refused(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("t", config={"retention.ms": "1"})
    console = Console(tty=True)

    def someone_else_changes_it(_question: str) -> bool:
        fake_cluster.alter_configs({"t": {"segment.ms": "99"}})
        return True

    terminal = console.terminal()
    terminal.confirm = someone_else_changes_it
    request = fresh(declared("t", 1, config={"retention.ms": "2"}), approve=False)

    assert apply(fake_cluster, Settings(), request, terminal) == 1
    assert "t: configs changed: segment.ms" in console.err.getvalue()
    assert fake_cluster.config_overrides("t") == {"retention.ms": "1", "segment.ms": "99"}


def test_a_topic_in_use_is_never_recreated_and_nothing_else_changes(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders", partitions=6)
    fake_cluster.add_consumer_group("billing", offsets={"orders": {0: 42}})
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        fresh(declared("new"), declared("orders", 2), allow_recreate=True),
        console.terminal(),
    )

    assert code == 1
    assert "orders: group 'billing' has committed offsets p0@42" in console.err.getvalue()
    assert fake_cluster.topics()["orders"].partition_count == 6
    assert "new" not in fake_cluster.topics()


def test_an_unused_topic_is_recreated_and_its_new_id_reported(fake_cluster: FakeCluster) -> None:
    old_id = fake_cluster.add_topic("orders", partitions=6)
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        fresh(declared("orders", 2), allow_recreate=True),
        console.terminal(),
    )

    assert code == 0
    new_id = fake_cluster.topics()["orders"].topic_id
    assert new_id != old_id
    out = console.out.getvalue()
    assert f"(new topic id {new_id})" in out
    assert "restart their producers and consumers" in out


def test_a_second_apply_while_the_lock_is_held_fails_clearly(fake_cluster: FakeCluster) -> None:
    held = acquire(fake_cluster)

    with pytest.raises(UserError, match="another apply is running on this cluster"):
        apply(fake_cluster, Settings(), fresh(declared("t")), Console().terminal())

    held.release()
    assert "t" not in fake_cluster.topics()


def test_force_unlock_breaks_a_left_behind_lock_even_with_nothing_to_change(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("t")
    acquire(fake_cluster)  # an apply that died without releasing it
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        replace(fresh(declared("t", 1)), force_unlock=True),
        console.terminal(),
    )

    assert code == 0
    assert "No changes" in console.out.getvalue()
    assert not [n for n in fake_cluster.topics() if n.startswith(LOCK_TOPIC)]
    assert "ktr: warning:" in console.err.getvalue()


def test_the_lock_is_released_after_an_apply(fake_cluster: FakeCluster) -> None:
    apply(fake_cluster, Settings(), fresh(declared("t")), Console().terminal())

    assert not [n for n in fake_cluster.topics() if n.startswith(LOCK_TOPIC)]


def test_a_failed_step_exits_1_and_says_how_to_finish(fake_cluster: FakeCluster) -> None:
    fake_cluster.lag_broker(2, calls=10**6)
    console = Console()
    fake_cluster.propagation_timeout = 0.3

    code = apply(fake_cluster, Settings(), fresh(declared("t")), console.terminal())

    assert code == 1
    out = console.out.getvalue()
    assert "FAILED   create          t: created, but not ready on broker 2" in out
    assert "ktr apply again finishes the job" in out


def _writes(fake: FakeCluster) -> int:
    return sum(
        fake.requests[m]
        for m in ("create_topics", "create_partitions", "alter_configs", "delete_topics")
    )


def test_a_saved_plan_deleting_an_undeclared_owned_topic_is_current_without_its_configs(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("app.old", config={"retention.ms": "5"})
    settings = Settings(owned=("app.*",))
    state = read_cluster_state(fake_cluster, configs_for=["app.new"], ids_for=None)
    plan = make_plan(
        DesiredState({"app.new": declared("app.new", 1)}),
        state,
        settings,
        PlanOptions(allow_delete=True),
    )

    assert apply(fake_cluster, settings, saved(plan, allow_delete=True), Console().terminal()) == 0
    assert "app.old" not in fake_cluster.topics()
    assert "app.new" in fake_cluster.topics()


def test_json_output_is_one_document_with_the_plan_and_what_was_done(
    fake_cluster: FakeCluster,
) -> None:
    console = Console()
    request = replace(fresh(declared("t", 2)), fmt="json")

    assert apply(fake_cluster, Settings(), request, console.terminal()) == 0

    document = json.loads(console.out.getvalue())
    assert document["plan"]["actions"][0]["topic"] == "t"
    assert document["result"]["ok"] is True
    assert document["result"]["outcomes"] == [
        {
            "action": "create",
            "topic": "t",
            "status": "done",
            "detail": "created",
            "new_topic_id": None,
        }
    ]


def test_json_output_of_a_refused_plan_has_no_result(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("shrinking", partitions=6)
    console = Console()
    request = replace(fresh(declared("shrinking", 2)), fmt="json")

    assert apply(fake_cluster, Settings(), request, console.terminal()) == 1

    document = json.loads(console.out.getvalue())
    assert document["plan"]["refused"][0]["topic"] == "shrinking"
    assert document["result"] is None


def test_markdown_output_shows_the_plan_and_a_result_table(fake_cluster: FakeCluster) -> None:
    console = Console()
    request = replace(fresh(declared("t", 2)), fmt="markdown")

    assert apply(fake_cluster, Settings(), request, console.terminal()) == 0

    out = console.out.getvalue()
    assert "### ktr apply: applied" in out
    assert "| ✅ | create | `t` | created |" in out


def test_a_recreate_is_refused_when_the_principal_may_not_see_every_consumer_group(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders", partitions=6)
    # A group the principal may not describe reads the topic: Kafka hides it.
    fake_cluster.add_consumer_group("billing", assigned=["orders"])
    fake_cluster.authorize(allow=[*WRITE_ACLS, Acl("DESCRIBE_CONFIGS", "topic")])
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        fresh(declared("orders", 2), allow_recreate=True),
        console.terminal(),
    )

    assert code == 1
    err = console.err.getvalue()
    assert "orders: cannot prove it is unused" in err
    assert "grant it DESCRIBE on the cluster" in err
    assert fake_cluster.topics()["orders"].partition_count == 6


def test_a_saved_plan_applied_by_credentials_that_may_not_describe_its_topics_changes_nothing(
    fake_cluster: FakeCluster,
) -> None:
    plan = plan_for(fake_cluster, declared("orders"))
    hidden = fake_cluster.as_principal(
        allow=[*WRITE_ACLS, Acl("DESCRIBE_CONFIGS", "topic"), Acl("DESCRIBE", "cluster")],
        deny=[Acl("DESCRIBE", "topic", "orders")],
    )
    console = Console()

    code = apply(hidden, Settings(), saved(plan), console.terminal())

    assert code == 1
    err = console.err.getvalue()
    assert "refusing to apply: the credentials may not describe 1 topic of the plan" in err
    assert "DESCRIBE on topic 'orders'" in err
    assert "orders" not in fake_cluster.topics()


def test_a_topic_in_use_is_never_deleted(fake_cluster: FakeCluster) -> None:
    fake_cluster.add_topic("orders.legacy")
    fake_cluster.add_consumer_group("billing", assigned=["orders.legacy"])
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        fresh(tombstone("orders.legacy"), allow_delete=True),
        console.terminal(),
    )

    assert code == 1
    err = console.err.getvalue()
    assert "refusing to delete or recreate topics in use" in err
    assert "orders.legacy: consumer group with members on it: billing" in err
    assert "orders.legacy" in fake_cluster.topics()


def test_a_delete_is_refused_when_ktr_cannot_read_the_consumer_groups(
    fake_cluster: FakeCluster,
) -> None:
    fake_cluster.add_topic("orders.legacy")
    fake_cluster.inject("consumer_groups", ClusterError("ListGroups: broker 3 did not answer"))
    console = Console()

    code = apply(
        fake_cluster,
        Settings(),
        fresh(tombstone("orders.legacy"), allow_delete=True),
        console.terminal(),
    )

    assert code == 1
    assert "orders.legacy: cannot prove it is unused: cannot list consumer groups" in (
        console.err.getvalue()
    )
    assert "orders.legacy" in fake_cluster.topics()
