"""``ktr doctor`` against a real broker: what it lacks is skipped, never a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cluster.kafka import KafkaAdmin
from tests.doctor.support import declare, doctor, fired, healthy, skipped

pytestmark = pytest.mark.broker

Capsys = pytest.CaptureFixture[str]


def test_doctor_runs_to_the_end_on_a_real_broker(
    capsys: Capsys, tmp_path: Path, bootstrap_servers: str, kafka_admin: KafkaAdmin
) -> None:
    topics = declare(tmp_path / "t", {"doctor-broker-orders": healthy(partitions=1)})
    before = set(kafka_admin.topics(ids_for=()))
    result, report = doctor(
        capsys, str(topics), "--env", "production", "-b", bootstrap_servers, "--timeout", "5"
    )
    assert result.code in (0, 2), result.err
    assert report["cluster_id"] is not None
    unreadable = fired(report, "broker-configs-unreadable")
    if unreadable:
        # Said once, and the rules that need broker configs are skipped, not failed.
        assert len(unreadable) == 1
        assert "auto-create" in skipped(report)
    else:
        assert "auto-create" not in skipped(report)
    assert fired(report, "single-partition")
    assert set(kafka_admin.topics(ids_for=())) == before  # nothing was created


def test_doctor_clock_writes_only_to_the_clock_topic(
    capsys: Capsys, tmp_path: Path, bootstrap_servers: str, kafka_admin: KafkaAdmin
) -> None:
    topics = declare(tmp_path / "t", {"doctor-broker-orders": healthy()})
    before = set(kafka_admin.topics(ids_for=()))
    result, report = doctor(
        capsys, str(topics), "-b", bootstrap_servers, "--timeout", "5", "--clock"
    )
    assert result.code in (0, 2), result.err
    assert set(kafka_admin.topics(ids_for=())) - before <= {"_ktr.clock"}
    reason = skipped(report).get("clock-skew")
    if reason is None:
        assert fired(report, "clock-skew") == []  # the broker runs on this machine's clock
    else:
        assert "LogAppendTime" in reason  # a broker that does not stamp records itself
