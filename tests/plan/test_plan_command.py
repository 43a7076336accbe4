"""``ktr plan`` end to end in-process, against the fake cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.cluster.admin import AdminError, ClusterError
from reconciler.cluster.read import read_cluster_state
from reconciler.plan.diff import PlanOptions
from reconciler.plan.document import from_document
from reconciler.planning import compute_plan
from reconciler.render.terminal import use_color
from reconciler.settings import Settings
from tests.commands_support import ktr, use_cluster, write_topics
from tests.fake_cluster import FakeCluster
from tests.states import declared, desired

WRITES = {"create_topics", "create_partitions", "alter_configs", "delete_topics"}

ORDERS = """
topics:
  orders.created:
    partitions: 6
    replication_factor: 3
    config: {retention.ms: 1d}
"""


def topic_names(fake: FakeCluster) -> set[str]:
    """The fake's topics, read after the command closed its client."""
    fake.closed = False
    return set(fake.topics())


@pytest.fixture
def topics(tmp_path: Path) -> Path:
    return write_topics(tmp_path / "topics", ORDERS)


def test_plan_shows_a_missing_topic_as_a_create(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", str(topics), "-b", "x:9092")
    assert result.code == 0
    assert "  + orders.created" in result.out
    assert "      retention.ms:       86400000" in result.out
    assert "Plan: 1 to create" in result.out


def test_plan_never_writes_to_the_cluster(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 12, 3, {"retention.ms": "1000", "segment.ms": "1000"})
    fake.add_topic("stray", 1, 1)
    args = ["--allow-delete", "--allow-recreate", "--prune-configs"]
    result = ktr(capsys, "plan", str(topics), "-b", "x:9092", *args)
    assert result.code == 0 and "-/+ orders.created" in result.out
    assert not WRITES & set(fake.requests)
    assert fake.config_overrides("orders.created") == {"retention.ms": "1000", "segment.ms": "1000"}


def test_plan_closes_the_admin_client(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ktr(capsys, "plan", str(topics))
    assert fake.closed


def test_a_cluster_failure_is_one_line_and_the_client_is_still_closed(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject("topics", ClusterError("cluster x:9092 did not answer within 30s"))
    result = ktr(capsys, "plan", str(topics))
    assert result.code == 1
    assert result.err == "ktr: error: cluster x:9092 did not answer within 30s\n"
    assert fake.closed


def test_invalid_declarations_fail_before_connecting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = use_cluster(monkeypatch, FakeCluster())
    result = ktr(capsys, "plan", str(tmp_path / "nowhere"))
    assert result.code == 1 and result.err.startswith("ktr: error:")
    assert calls == []


def test_detailed_exitcode_is_2_when_changes_are_pending(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ktr(capsys, "plan", str(topics), "--detailed-exitcode").code == 2


def test_detailed_exitcode_is_0_when_the_cluster_matches(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "86400000"})
    result = ktr(capsys, "plan", str(topics), "--detailed-exitcode")
    assert result.code == 0
    assert "No changes" in result.out


def test_without_detailed_exitcode_pending_changes_exit_0(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ktr(capsys, "plan", str(topics)).code == 0


def test_json_format_prints_the_plan_document(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", str(topics), "--format", "json")
    doc = json.loads(result.out)
    assert doc["actions"][0]["action"] == "create"
    assert doc["cluster_id"] == "fake-cluster"


def test_out_saves_the_plan_for_apply(
    fake: FakeCluster, topics: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "plan.json"
    result = ktr(capsys, "plan", str(topics), "--out", str(saved))
    assert result.code == 0 and "  + orders.created" in result.out
    plan = from_document(json.loads(saved.read_text()))
    assert [a.topic for a in plan.actions] == ["orders.created"]
    assert plan.declared == ("orders.created",)


def test_markdown_format(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", str(topics), "--format", "markdown")
    assert "```diff\n+ orders.created" in result.out


def test_server_validate_turns_a_broker_rejection_into_a_refusal(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject("create_topics", AdminError("POLICY_VIOLATION", "retention too short"))
    result = ktr(capsys, "plan", str(topics), "--server-validate", "--format", "json")
    (refusal,) = json.loads(result.out)["refused"]
    assert refusal["topic"] == "orders.created"
    assert "POLICY_VIOLATION: retention too short" in refusal["reason"]
    assert "orders.created" not in topic_names(fake)


def test_server_validate_sends_only_validate_only_requests(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ktr(capsys, "plan", str(topics), "--server-validate")
    assert fake.requests["create_topics"] == 1
    assert "orders.created" not in topic_names(fake)
    assert "!" not in result.out


def test_without_server_validate_nothing_is_sent_for_checking(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ktr(capsys, "plan", str(topics))
    assert fake.requests["create_topics"] == 0


def test_compute_plan_costs_the_same_requests_for_ten_or_a_thousand_topics() -> None:
    counts = []
    for n in (10, 1000):
        cluster = FakeCluster()
        for i in range(n):
            cluster.add_topic(f"t{i}", 1, 1)
        want = desired(*(declared(f"t{i}", 2, 1, {"retention.ms": "1"}) for i in range(n)))
        compute_plan(cluster, want, Settings(), PlanOptions())
        counts.append(cluster.request_count())
    assert counts[0] == counts[1]


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_is_used_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert use_color(_Stream(tty=True))
    assert not use_color(_Stream(tty=False))


def test_no_color_turns_colour_off_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(_Stream(tty=True))


def test_a_dumb_terminal_gets_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    assert not use_color(_Stream(tty=True))


@pytest.mark.parametrize(
    ("settings", "options"),
    [
        (Settings(), PlanOptions()),
        (Settings(owned=("orders.*",)), PlanOptions(allow_delete=True)),
    ],
)
def test_the_fingerprint_can_be_recomputed_from_the_names_the_plan_declares(
    settings: Settings, options: PlanOptions
) -> None:
    cluster = FakeCluster()
    cluster.add_topic("orders.a", 3, 1, {"retention.ms": "1000"})
    cluster.add_topic("orders.stray", 1, 1, {"segment.ms": "1000"})
    plan, _ = compute_plan(cluster, desired(declared("orders.a", 3, 1)), settings, options)
    again = read_cluster_state(cluster, configs_for=plan.declared)
    assert plan.fingerprint == again.fingerprint(set(plan.declared))


def test_the_fingerprint_of_a_plan_changes_when_a_declared_topic_is_recreated() -> None:
    cluster = FakeCluster()
    cluster.add_topic("orders.a", 3, 1)
    cluster.add_topic("other", 1, 1)
    plan, _ = compute_plan(cluster, desired(declared("orders.a", 3, 1)), Settings(), PlanOptions())
    cluster.delete_topics(["orders.a"])
    cluster.add_topic("orders.a", 3, 1)
    again = read_cluster_state(cluster, configs_for=plan.declared)
    assert plan.fingerprint != again.fingerprint(set(plan.declared))


def test_server_validate_checks_config_changes_without_making_them(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "1000"})
    fake.inject("alter_configs", AdminError("INVALID_CONFIG", "retention.ms too large"))
    result = ktr(capsys, "plan", str(topics), "--server-validate")
    assert "      ! refused: the broker rejected the config change (validate only)" in result.out
    assert fake.config_overrides("orders.created") == {"retention.ms": "1000"}


TWO_TEAMS = """
topics:
  orders.created: {partitions: 1, replication_factor: 1}
  orders.updated: {partitions: 1, replication_factor: 1}
  payments.settled: {partitions: 1, replication_factor: 1}
"""


@pytest.mark.parametrize("detailed", [[], ["--detailed-exitcode"]])
def test_a_plan_with_refused_changes_exits_1(
    fake: FakeCluster,
    topics: Path,
    capsys: pytest.CaptureFixture[str],
    detailed: list[str],
) -> None:
    fake.add_topic("orders.created", 12, 3, {"retention.ms": "86400000"})  # 12 => 6 is refused
    result = ktr(capsys, "plan", str(topics), *detailed)
    assert result.code == 1
    assert "1 refused: this plan cannot be applied" in result.out
    assert result.err == "ktr: error: 1 change is refused; this plan cannot be applied\n"


def test_target_plans_only_the_matching_topics(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", TWO_TEAMS)
    result = ktr(capsys, "plan", str(topics), "--target", "orders.*", "--format", "json")
    doc = json.loads(result.out)
    assert [a["topic"] for a in doc["actions"]] == ["orders.created", "orders.updated"]


def test_target_is_repeatable(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", TWO_TEAMS)
    args = ["--target", "orders.created", "--target", "payments.*", "--format", "json"]
    doc = json.loads(ktr(capsys, "plan", str(topics), *args).out)
    assert [a["topic"] for a in doc["actions"]] == ["orders.created", "payments.settled"]


def test_the_saved_plan_records_its_targets(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", TWO_TEAMS)
    saved = tmp_path / "plan.json"
    ktr(capsys, "plan", str(topics), "--target", "pay*", "--out", str(saved))
    assert json.loads(saved.read_text())["made_from"]["options"]["targets"] == ["pay*"]
    assert from_document(json.loads(saved.read_text())).targets == ("pay*",)


def test_an_unknown_env_is_a_command_line_error_with_a_suggestion(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(
        tmp_path / "topics", ORDERS + "    environments: {production: {partitions: 12}}\n"
    )
    result = ktr(capsys, "plan", str(topics), "--env", "prod")
    assert result.code == 1
    assert result.err == (
        "ktr: error: --env: unknown environment 'prod'; did you mean 'production'? "
        "(declared environments: production)\n"
    )


def test_apply_of_a_targeted_saved_plan_applies_exactly_its_topics(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = write_topics(tmp_path / "topics", TWO_TEAMS)
    saved = tmp_path / "plan.json"
    ktr(capsys, "plan", str(topics), "--target", "pay*", "--out", str(saved))
    fake.closed = False
    result = ktr(capsys, "apply", "--plan", str(saved), "--auto-approve")
    assert result.code == 0, result.err
    assert "only topics matching pay*" in result.out
    assert set(topic_names(fake)) == {"__consumer_offsets", "payments.settled"}


def test_a_plan_shown_as_text_does_not_describe_existing_topics_by_name(
    fake: FakeCluster, topics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "1000"})
    result = ktr(capsys, "plan", str(topics))
    assert result.code == 0 and "~ orders.created" in result.out
    assert fake.requests["describe_topics"] == 0


@pytest.mark.parametrize("shown", [["--format", "json"], ["--out", "saved.json"]])
def test_a_plan_shown_as_json_or_saved_carries_the_topic_ids(
    fake: FakeCluster,
    topics: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    shown: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "1000"}, topic_id="id-of-orders")
    result = ktr(capsys, "plan", str(topics), *shown)
    assert result.code == 0
    document = json.loads(Path("saved.json").read_text() if "--out" in shown else result.out)
    [action] = document["actions"]
    assert action["topic_id"] == "id-of-orders"
    assert document["fingerprint"].startswith("sha256:")


def test_a_plan_made_without_topic_ids_has_no_fingerprint_to_apply_it_by(
    fake: FakeCluster,
) -> None:
    fake.add_topic("orders.created", 6, 3, {"retention.ms": "1000"})
    spec = desired(declared("orders.created", 6, 3, {"retention.ms": "86400000"}))
    shown, _ = compute_plan(fake, spec, Settings(), PlanOptions(), topic_ids=False)
    saved, _ = compute_plan(fake, spec, Settings(), PlanOptions())
    assert shown.fingerprint == "" and saved.fingerprint.startswith("sha256:")
    assert [a.topic_id for a in shown.actions] == [None]
    assert shown.actions[0].kind is saved.actions[0].kind
