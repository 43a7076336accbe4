"""``ktr doctor`` as a command: exit codes, formats, suppression, settings, what it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands_support import ktr
from tests.doctor.support import (
    client_file,
    declare,
    doctor,
    fired,
    healthy,
    settings_file,
    skipped,
)
from tests.fake_cluster import FakeCluster

Capsys = pytest.CaptureFixture[str]

READS = {
    "cluster",
    "topics",
    "topic_configs",
    "consumer_groups",
    "broker_configs",
    "record_timestamps_from",
}


@pytest.fixture
def risky(tmp_path: Path) -> Path:
    """One error (replication factor 2) and one warning (1 partition)."""
    return declare(
        tmp_path / "topics",
        {
            "orders": healthy(replication_factor=2, config={"compression.type": "zstd"}),
            "audit": healthy(partitions=1),
        },
    )


# ------------------------------------------------------------------ exit codes


def test_exit_2_when_an_error_is_found(capsys: Capsys, risky: Path) -> None:
    result, _ = doctor(capsys, str(risky), "--env", "production")
    assert result.code == 2


def test_exit_0_when_only_warnings_are_found(capsys: Capsys, tmp_path: Path) -> None:
    topics = declare(tmp_path / "t", {"audit": healthy(partitions=1)})
    result, report = doctor(capsys, str(topics), "--env", "production")
    assert fired(report, "single-partition")
    assert result.code == 0


def test_fail_on_warning_makes_warnings_fail(capsys: Capsys, tmp_path: Path) -> None:
    topics = declare(tmp_path / "t", {"audit": healthy(partitions=1)})
    result, _ = doctor(capsys, str(topics), "--env", "production", "--fail-on", "warning")
    assert result.code == 2


def test_exit_1_on_invalid_declarations(capsys: Capsys, tmp_path: Path) -> None:
    topics = declare(tmp_path / "t", {"orders": {"partitions": 0, "replication_factor": 3}})
    result, _ = doctor(capsys, str(topics), "--env", "production")
    assert result.code == 1
    assert "ktr: error:" in result.err


def test_exit_1_when_the_cluster_is_unreachable(
    capsys: Capsys, risky: Path, fake: FakeCluster
) -> None:
    from reconciler.cluster.admin import ClusterError

    fake.inject("cluster", ClusterError("cannot reach Kafka at fake:9092 within 30 s"))
    result, _ = doctor(capsys, str(risky), "--env", "production", "-b", "fake:9092")
    assert result.code == 1
    assert result.err.startswith("ktr: error: cannot reach Kafka")


# ---------------------------------------------------------------------- output


def test_json_findings_carry_rule_severity_place_message_and_fix(
    capsys: Capsys, risky: Path
) -> None:
    _, report = doctor(capsys, str(risky), "--env", "production")
    [finding] = fired(report, "replication-factor")
    assert set(finding) == {"rule", "severity", "topic", "file", "line", "message", "fix"}
    assert report["production"] is True
    assert report["summary"]["error"] >= 1


def test_text_names_each_finding_with_its_fix(capsys: Capsys, risky: Path) -> None:
    result = ktr(capsys, "doctor", str(risky), "--env", "production")
    assert "error    replication-factor: " in result.out
    assert "fix: declare replication_factor: 3" in result.out
    assert result.out.rstrip().splitlines()[-1].startswith("Doctor: ")


def test_markdown_is_a_table(capsys: Capsys, risky: Path) -> None:
    result = ktr(capsys, "doctor", str(risky), "--env", "production", "--format", "markdown")
    assert result.out.startswith("### ktr doctor: ")
    assert "| Severity | Rule | Where | Finding | Fix |" in result.out
    assert "| error | `replication-factor` |" in result.out


def test_errors_come_first(capsys: Capsys, risky: Path) -> None:
    _, report = doctor(capsys, str(risky), "--env", "production")
    severities = [f["severity"] for f in report["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_without_a_connection_cluster_rules_are_skipped_and_offline_ones_run(
    capsys: Capsys, risky: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    _, report = doctor(capsys, str(risky), "--env", "production")
    assert "no connection" in skipped(report)["auto-create"]
    assert "no connection" in skipped(report)["assignor-change"]
    assert fired(report, "replication-factor")


def test_github_actions_gets_annotations_and_a_summary(
    capsys: Capsys, risky: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = ktr(capsys, "doctor", str(risky), "--env", "production")
    assert "::error file=" in result.err and "replication-factor" in result.err
    assert "| error | `replication-factor` |" in summary.read_text()


# ----------------------------------------------------------------- suppression


def test_a_topic_can_ignore_a_rule_with_a_reason(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(partitions=1, doctor={"ignore": ["single-partition"], "reason": "strict order"})
    topics = declare(tmp_path / "t", {"ledger": topic, "audit": healthy(partitions=1)})
    _, report = doctor(capsys, str(topics), "--env", "production")
    assert [f["topic"] for f in fired(report, "single-partition")] == ["audit"]


def test_ignoring_without_a_reason_is_a_validation_error(capsys: Capsys, tmp_path: Path) -> None:
    topic = healthy(partitions=1, doctor={"ignore": ["single-partition"]})
    topics = declare(tmp_path / "t", {"ledger": topic})
    result = ktr(capsys, "validate", str(topics))
    assert result.code == 1
    assert "missing 'reason:'" in result.out


def test_an_unknown_rule_id_in_a_declaration_is_a_validation_error(
    capsys: Capsys, tmp_path: Path
) -> None:
    topic = healthy(doctor={"ignore": ["single-partiton"], "reason": "typo"})
    topics = declare(tmp_path / "t", {"ledger": topic})
    result = ktr(capsys, "validate", str(topics))
    assert result.code == 1
    assert "unknown doctor rule 'single-partiton' in topic 'ledger'" in result.out
    assert "did you mean 'single-partition'?" in result.out


def test_ktr_yaml_can_switch_a_rule_off_per_environment(
    capsys: Capsys, risky: Path, tmp_path: Path
) -> None:
    settings = settings_file(
        tmp_path, {"environments": {"production": {"ignore": ["replication-factor"]}}}
    )
    _, report = doctor(capsys, str(risky), "--env", "production", "--settings", str(settings))
    assert fired(report, "replication-factor") == []
    assert fired(report, "single-partition") != []


def test_an_unknown_rule_id_in_ktr_yaml_is_an_error_with_its_line(
    capsys: Capsys, risky: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "ktr.yaml"
    settings.write_text("environments:\n  production:\n    ignore: [auto-creat]\n")
    result, _ = doctor(capsys, str(risky), "--env", "production", "--settings", str(settings))
    assert result.code == 1
    assert f"{settings}:3:14: unknown doctor rule 'auto-creat'; did you mean 'auto-create'?" in (
        result.err
    )


def test_ktr_yaml_can_mark_an_environment_as_production(
    capsys: Capsys, risky: Path, tmp_path: Path
) -> None:
    settings = settings_file(tmp_path, {"environments": {"staging": {"production": True}}})
    _, report = doctor(capsys, str(risky), "--env", "staging", "--settings", str(settings))
    assert report["production"] is True
    assert fired(report, "replication-factor") != []


def test_ktr_yaml_can_say_production_is_not(capsys: Capsys, risky: Path, tmp_path: Path) -> None:
    settings = settings_file(tmp_path, {"environments": {"production": {"production": False}}})
    _, report = doctor(capsys, str(risky), "--env", "production", "--settings", str(settings))
    assert report["production"] is False


def test_ktr_yaml_clients_apply_only_to_their_environments(
    capsys: Capsys, risky: Path, tmp_path: Path
) -> None:
    client_file(tmp_path, "dev.properties", "group.id=g\nallow.auto.create.topics=true\n")
    settings = settings_file(
        tmp_path,
        {
            "environments": {"staging": {"production": True}},
            "clients": [
                {"file": "dev.properties", "consumes": ["*"], "environments": ["development"]}
            ],
        },
    )
    _, report = doctor(capsys, str(risky), "--env", "staging", "--settings", str(settings))
    assert fired(report, "client-auto-create") == []


def test_ktr_yaml_client_paths_are_relative_to_ktr_yaml(
    capsys: Capsys, risky: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clients").mkdir()
    client_file(tmp_path / "clients", "c.properties", "group.id=g\nallow.auto.create.topics=true\n")
    settings = settings_file(
        tmp_path, {"clients": [{"file": "clients/c.properties", "consumes": ["orders"]}]}
    )
    monkeypatch.chdir(tmp_path / "clients")
    _, report = doctor(capsys, str(risky), "--env", "production", "--settings", str(settings))
    [finding] = fired(report, "client-auto-create")
    assert finding["file"] == str(tmp_path / "clients" / "c.properties")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("environments: [production]\n", "environments must map environment names"),
        ("environments:\n  production:\n    productoin: true\n", "did you mean 'production'?"),
        ("environments:\n  production:\n    production: yes please\n", "true or false"),
        ("environments:\n  production:\n    max_consumer_downtime: 3 days\n", "duration unit"),
        ("clients:\n  - file: a.properties\n", "needs 'produces:' or 'consumes:'"),
        ("clients:\n  - produces: ['*']\n", "needs 'file:'"),
        ("clients:\n  - {file: a.properties, consumes: orders}\n", "list of topic name patterns"),
    ],
)
def test_bad_doctor_settings_are_one_line_errors(
    capsys: Capsys, risky: Path, tmp_path: Path, text: str, message: str
) -> None:
    settings = tmp_path / "ktr.yaml"
    settings.write_text(text)
    result, _ = doctor(capsys, str(risky), "--env", "production", "--settings", str(settings))
    assert result.code == 1
    assert message in result.err
    assert result.err.startswith(f"ktr: error: {settings}")
    assert result.err.count("\n") == 1


# ------------------------------------------------------------------- the cluster


def test_doctor_only_reads_the_cluster(capsys: Capsys, risky: Path, fake: FakeCluster) -> None:
    fake.add_topic("orders", 6, 2)
    fake.add_topic("stray", 1, 1)
    fake.add_consumer_group("billing", assigned=["orders"])
    doctor(capsys, str(risky), "--env", "production", "-b", "fake:9092")
    assert set(fake.requests) <= READS
    assert fake.clock_records() == []


def test_with_clock_the_one_write_is_the_clock_record(
    capsys: Capsys, risky: Path, fake: FakeCluster
) -> None:
    fake.add_topic("orders", 6, 2)
    doctor(capsys, str(risky), "--env", "production", "-b", "fake:9092", "--clock")
    writes = set(fake.requests) - READS
    assert writes == {"create_topics", "probe_clock"}
    assert fake.requests["create_topics"] == 1
    assert fake.clock_records() == ["_ktr.clock"]
    assert set(fake.config_overrides("orders")) == set()


def test_an_existing_clock_topic_is_not_created_again(
    capsys: Capsys, risky: Path, fake: FakeCluster
) -> None:
    fake.add_topic("_ktr.clock", 1, 3, {"message.timestamp.type": "LogAppendTime"})
    doctor(capsys, str(risky), "--env", "production", "-b", "fake:9092", "--clock")
    assert fake.requests["create_topics"] == 0
    assert fake.clock_records() == ["_ktr.clock"]


@pytest.mark.parametrize("count", [3, 300])
def test_requests_do_not_grow_with_the_number_of_topics(
    capsys: Capsys, tmp_path: Path, fake: FakeCluster, count: int
) -> None:
    names = [f"t{i:04d}" for i in range(count)]
    for name in names:
        fake.add_topic(name, 3, 3)
        fake.add_topic(f"stray{name}", 1, 1)
    fake.add_consumer_group("g1", assigned=names[:2])
    fake.add_consumer_group("g2", assigned=names[-2:])
    topics = declare(tmp_path / "t", {name: healthy(partitions=3) for name in names})
    doctor(capsys, str(topics), "--env", "production", "-b", "fake:9092")
    # three brokers: one DescribeConfigs each; everything else one request.
    assert fake.request_count() == 5 + 3


def test_the_json_report_is_valid_json_even_with_no_findings(
    capsys: Capsys, tmp_path: Path
) -> None:
    topics = declare(tmp_path / "t", {"orders": healthy()})
    result = ktr(capsys, "doctor", str(topics), "--format", "json")
    assert json.loads(result.out)["findings"] == []


# --------------------------------------------------------------------- clusters


def clusters_file(tmp_path: Path, clusters: dict[str, object]) -> Path:
    return settings_file(tmp_path, {"clusters": clusters})


def test_cluster_names_the_environment_and_the_address(
    capsys: Capsys, risky: Path, tmp_path: Path, fake: FakeCluster
) -> None:
    settings = clusters_file(
        tmp_path, {"prod-eu": {"environment": "production", "bootstrap_servers": "fake:9092"}}
    )
    result, report = doctor(capsys, str(risky), "--cluster", "prod-eu", "--settings", str(settings))
    assert result.code == 2
    assert report["environment"] == "production"
    assert report["cluster_id"] == "fake-cluster"
    assert fired(report, "auto-create") != []


def test_a_cluster_can_be_marked_production(
    capsys: Capsys, risky: Path, tmp_path: Path, fake: FakeCluster
) -> None:
    settings = clusters_file(
        tmp_path,
        {"eu": {"environment": "staging", "production": True, "bootstrap_servers": "fake:9092"}},
    )
    _, report = doctor(capsys, str(risky), "--cluster", "eu", "--settings", str(settings))
    assert (report["environment"], report["production"]) == ("staging", True)


def test_cluster_and_a_contradicting_env_are_refused(
    capsys: Capsys, risky: Path, tmp_path: Path
) -> None:
    settings = clusters_file(tmp_path, {"eu": {"environment": "production"}})
    result, _ = doctor(
        capsys, str(risky), "--cluster", "eu", "--env", "staging", "--settings", str(settings)
    )
    assert result.code == 1
    assert "contradicts cluster 'eu'" in result.err


def test_a_cluster_production_flag_must_be_a_boolean(
    capsys: Capsys, risky: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "ktr.yaml"
    settings.write_text("clusters:\n  eu:\n    environment: production\n    production: maybe\n")
    result, _ = doctor(capsys, str(risky), "--cluster", "eu", "--settings", str(settings))
    assert result.code == 1
    assert f"{settings}:4:5: production must be true or false" in result.err


def test_a_rule_switched_off_is_not_listed_as_skipped(
    capsys: Capsys, risky: Path, tmp_path: Path, fake: FakeCluster
) -> None:
    settings = settings_file(tmp_path, {"environments": {"production": {"ignore": ["clock-skew"]}}})
    _, report = doctor(
        capsys, str(risky), "--env", "production", "-b", "fake:9092", "--settings", str(settings)
    )
    assert "clock-skew" not in skipped(report)
