"""Declaration rules: they run offline, on the topics as resolved for the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.doctor.support import client_file, declare, doctor, fired, healthy

Capsys = pytest.CaptureFixture[str]


def check(capsys: Capsys, topics_dir: Path, *args: str) -> dict[str, object]:
    _, report = doctor(capsys, str(topics_dir), "--env", "production", *args)
    return report


def test_a_healthy_topic_has_no_findings(capsys: Capsys, tmp_path: Path) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy()}))
    assert report["findings"] == []


def test_single_partition_fires_on_a_topic_with_one_partition(
    capsys: Capsys, tmp_path: Path
) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy(partitions=1)}))
    [finding] = fired(report, "single-partition")
    assert finding["topic"] == "orders"
    assert finding["severity"] == "warning"
    assert finding["file"].endswith("topics.yaml") and finding["line"] > 0


def test_single_partition_is_silent_on_two_partitions(capsys: Capsys, tmp_path: Path) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy(partitions=2)}))
    assert fired(report, "single-partition") == []


def test_replication_factor_below_three_is_an_error(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(replication_factor=2, config={"min.insync.replicas": 1})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    [finding] = fired(report, "replication-factor")
    assert finding["severity"] == "error"
    assert "replication_factor: 3" in finding["fix"]


def test_replication_factor_three_is_enough(capsys: Capsys, tmp_path: Path) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy()}))
    assert fired(report, "replication-factor") == []


def test_no_fault_tolerance_fires_when_rf_equals_min_insync(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(config={"min.insync.replicas": 3, "compression.type": "zstd"})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    [finding] = fired(report, "no-fault-tolerance")
    assert "one broker down" in finding["message"]


def test_no_fault_tolerance_is_silent_when_rf_exceeds_min_insync(
    capsys: Capsys, tmp_path: Path
) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy()}))
    assert fired(report, "no-fault-tolerance") == []


def test_min_insync_one_with_three_replicas_fires(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(config={"min.insync.replicas": 1, "compression.type": "zstd"})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    assert [f["topic"] for f in fired(report, "min-insync")] == ["orders"]


def test_min_insync_default_of_one_counts_as_one(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(config={"compression.type": "zstd"})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    assert fired(report, "min-insync") != []


def test_min_insync_is_silent_below_three_replicas(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(replication_factor=2, config={"min.insync.replicas": 1})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    assert fired(report, "min-insync") == []


def test_compression_fires_without_codec_on_topic_or_producer(
    capsys: Capsys, tmp_path: Path
) -> None:
    topic = healthy(config={"min.insync.replicas": 2})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    assert [f["topic"] for f in fired(report, "compression")] == ["orders"]


def test_compression_is_silent_when_the_topic_sets_a_codec(capsys: Capsys, tmp_path: Path) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy()}))
    assert fired(report, "compression") == []


def test_compression_is_silent_when_a_producer_compresses(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(config={"min.insync.replicas": 2})
    producer = client_file(tmp_path, "producer.properties", "compression.type=lz4\n")
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}), "--client", str(producer))
    assert fired(report, "compression") == []


def test_compression_still_fires_when_the_producer_sends_uncompressed(
    capsys: Capsys, tmp_path: Path
) -> None:
    topic = healthy(config={"min.insync.replicas": 2})
    producer = client_file(tmp_path, "producer.properties", "acks=all\n")
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}), "--client", str(producer))
    assert fired(report, "compression") != []


def test_unlocked_fires_for_a_directory_without_topics_lock(capsys: Capsys, tmp_path: Path) -> None:
    topics = declare(tmp_path / "t", {"orders": healthy()}, locked=False)
    [finding] = fired(check(capsys, topics), "unlocked")
    assert finding["file"] == str(topics)
    assert "ktr lock" in finding["fix"]


def test_unlocked_is_silent_with_a_lock(capsys: Capsys, tmp_path: Path) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy()}))
    assert fired(report, "unlocked") == []


def test_tombstones_are_not_checked(capsys: Capsys, tmp_path: Path) -> None:
    report = check(capsys, declare(tmp_path / "t", {"orders": healthy(), "old": {"delete": True}}))
    assert report["findings"] == []


def test_rules_see_the_environment_overlay(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(partitions=1, environments={"production": {"partitions": 12}})
    report = check(capsys, declare(tmp_path / "t", {"orders": topic}))
    assert fired(report, "single-partition") == []


@pytest.mark.parametrize("environment", ["development", "staging"])
def test_production_rules_do_not_run_in_other_environments(
    capsys: Capsys, tmp_path: Path, environment: str
) -> None:
    topics = declare(tmp_path / "t", {"orders": {"partitions": 1, "replication_factor": 1}})
    _, report = doctor(capsys, str(topics), "--env", environment)
    assert report["production"] is False
    assert report["findings"] == []


def test_an_environment_named_prod_is_production(capsys: Capsys, tmp_path: Path) -> None:
    topics = tmp_path / "t"
    topics.mkdir()
    (topics / "topics.yaml").write_text(
        "topics:\n  orders:\n    partitions: 1\n    replication_factor: 3\n"
        "    environments:\n      prod: {}\n"
    )
    _, report = doctor(capsys, str(topics), "--env", "prod")
    assert report["production"] is True
    assert fired(report, "single-partition") != []
