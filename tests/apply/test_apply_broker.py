"""Apply against a real broker over TCP (Tansu, or KAFKA_BOOTSTRAP_SERVERS)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from reconciler.apply.flow import ApplyRequest, Terminal, apply
from reconciler.apply.guard import LockHeld, acquire
from reconciler.cluster.admin import NewTopic
from reconciler.cluster.kafka import KafkaAdmin
from reconciler.cluster.read import read_cluster_state
from reconciler.model import DesiredState, TopicSpec
from reconciler.plan.diff import PlanOptions, make_plan
from reconciler.plan.document import to_document
from reconciler.settings import Settings
from tests.states import declared

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[2]


def desired(*specs: TopicSpec) -> DesiredState:
    return DesiredState({s.name: s for s in specs})


def terminal() -> tuple[Terminal, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Terminal(out, err, lambda: False, lambda _q: False), out, err


def apply_fresh(admin: KafkaAdmin, state: DesiredState, **options: bool) -> tuple[int, str, str]:
    term, out, err = terminal()
    request = ApplyRequest(
        desired=state, options=PlanOptions(**options), auto_approve=True, probe_seconds=1
    )
    code = apply(admin, Settings(owned=(f"{_prefix(state)}*",)), request, term)
    return code, out.getvalue(), err.getvalue()


def _prefix(state: DesiredState) -> str:
    return next(iter(state.topics)).split(".")[0]


def test_apply_converges_and_a_second_plan_and_apply_change_nothing(
    kafka_admin: KafkaAdmin, topic_name: str
) -> None:
    kafka_admin.create_topics([NewTopic(f"{topic_name}.undeclared", 1, 1)])
    state = desired(
        declared(f"{topic_name}.orders", 3, config={"retention.ms": "3600000"}),
        declared(f"{topic_name}.events", 1, config={"cleanup.policy": "compact"}),
    )

    code, out, err = apply_fresh(kafka_admin, state)

    assert code == 0, err
    assert "Apply finished: 2 done." in out
    topics = kafka_admin.topics()
    assert topics[f"{topic_name}.orders"].partition_count == 3
    configs = kafka_admin.topic_configs([f"{topic_name}.orders"])[f"{topic_name}.orders"]
    assert configs["retention.ms"].value == "3600000"
    plan = make_plan(state, read_cluster_state(kafka_admin), Settings(), PlanOptions())
    assert not plan.has_changes
    before = read_cluster_state(kafka_admin).fingerprint()
    code, out, _ = apply_fresh(kafka_admin, state)
    assert code == 0
    assert "No changes" in out
    assert read_cluster_state(kafka_admin).fingerprint() == before
    assert f"{topic_name}.undeclared" in kafka_admin.topics()


def test_a_tombstoned_topic_is_deleted_and_gone(kafka_admin: KafkaAdmin, topic_name: str) -> None:
    kafka_admin.create_topics([NewTopic(f"{topic_name}.legacy", 1, 1)])
    state = desired(TopicSpec(f"{topic_name}.legacy", 0, 0, {}, absent=True))

    code, _, err = apply_fresh(kafka_admin, state, allow_delete=True)

    assert code == 0, err
    assert f"{topic_name}.legacy" not in kafka_admin.topics()


def test_an_unused_topic_is_recreated_with_a_new_id(
    kafka_admin: KafkaAdmin, topic_name: str
) -> None:
    name = f"{topic_name}.shrink"
    kafka_admin.create_topics([NewTopic(name, 4, 1)])
    old_id = kafka_admin.topics()[name].topic_id

    code, out, err = apply_fresh(kafka_admin, desired(declared(name, 2)), allow_recreate=True)

    assert code == 0, err
    topic = kafka_admin.topics()[name]
    assert topic.partition_count == 2
    assert topic.topic_id != old_id
    assert "restart their producers and consumers" in out


def test_a_topic_with_committed_offsets_is_never_recreated(
    kafka_admin: KafkaAdmin, bootstrap_servers: str, topic_name: str
) -> None:
    name = f"{topic_name}.busy"
    group = f"{topic_name}-billing"
    kafka_admin.create_topics([NewTopic(name, 3, 1)])
    old_id = kafka_admin.topics()[name].topic_id
    _produce_and_commit(bootstrap_servers, name, group)

    code, _, err = apply_fresh(kafka_admin, desired(declared(name, 1)), allow_recreate=True)

    assert code == 1
    assert f"{name}: group '{group}' has committed offsets" in err
    assert kafka_admin.topics()[name].topic_id == old_id


def test_a_second_apply_is_refused_while_the_lock_is_held(kafka_admin: KafkaAdmin) -> None:
    held = acquire(kafka_admin)
    try:
        with pytest.raises(LockHeld, match="another apply is running"):
            acquire(kafka_admin)
    finally:
        held.release()


def test_the_cli_applies_a_saved_plan_and_refuses_it_once_stale(
    kafka_admin: KafkaAdmin, bootstrap_servers: str, topic_name: str, tmp_path: Path
) -> None:
    state = desired(declared(f"{topic_name}.saved", 1, config={"retention.ms": "60000"}))
    plan = make_plan(state, read_cluster_state(kafka_admin), Settings(), PlanOptions())
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(to_document(plan)))

    unconfirmed = _ktr("apply", "--plan", str(saved), "-b", bootstrap_servers)
    assert unconfirmed.returncode == 1
    assert "pass --auto-approve" in unconfirmed.stderr
    assert f"{topic_name}.saved" not in kafka_admin.topics()

    applied = _ktr("apply", "--plan", str(saved), "-b", bootstrap_servers, "--auto-approve")
    assert applied.returncode == 0, applied.stderr
    assert f"{topic_name}.saved" in kafka_admin.topics()

    stale = _ktr("apply", "--plan", str(saved), "-b", bootstrap_servers, "--auto-approve")
    assert stale.returncode == 1
    assert f"{topic_name}.saved: planned as new, but it exists now" in stale.stderr


def _ktr(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )


def _produce_and_commit(bootstrap: str, topic: str, group: str) -> None:
    """Write five records and commit the group's offset after them, as a consumer would."""
    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(5):
        producer.produce(topic, value=f"record {i}".encode(), partition=0)
    assert producer.flush(30) == 0
    # Assigned rather than subscribed: committing needs the group id, not a rebalance.
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False}
    )
    try:
        consumer.commit(offsets=[TopicPartition(topic, 0, 5)], asynchronous=False)
    finally:
        consumer.close()


def test_the_cli_applies_declarations_and_then_plan_shows_nothing_to_do(
    bootstrap_servers: str, topic_name: str, tmp_path: Path
) -> None:
    (tmp_path / "topics.yaml").write_text(
        "topics:\n"
        f"  {topic_name}.cli:\n"
        "    partitions: 2\n"
        "    replication_factor: 1\n"
        "    config: {retention.ms: 2h}\n"
    )

    applied = _ktr("apply", str(tmp_path), "-b", bootstrap_servers, "--auto-approve")
    assert applied.returncode == 0, applied.stderr
    assert f"{topic_name}.cli" in applied.stdout

    planned = _ktr("plan", str(tmp_path), "-b", bootstrap_servers, "--detailed-exitcode")
    assert planned.returncode == 0, planned.stdout + planned.stderr


def test_an_apply_over_the_controller_record_budget_creates_every_topic_and_deletes_them(
    kafka_admin: KafkaAdmin, topic_name: str
) -> None:
    # 800 x (1 topic + 12 partitions + 1 config) = 11,200 metadata records:
    # Kafka's controller refuses that in one request.
    specs = [
        declared(f"{topic_name}.{i:03}", 12, config={"retention.ms": "3600000"}) for i in range(800)
    ]

    code, _, err = apply_fresh(kafka_admin, desired(*specs))
    listed = kafka_admin.topics()
    gone, _, gone_err = apply_fresh(
        kafka_admin,
        desired(*(TopicSpec(s.name, 0, 0, {}, absent=True) for s in specs)),
        allow_delete=True,
    )

    assert code == 0, err
    assert all(listed[s.name].partition_count == 12 for s in specs)
    assert gone == 0, gone_err
    assert not any(name.startswith(f"{topic_name}.") for name in kafka_admin.topics())
