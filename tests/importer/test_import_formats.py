"""``ktr import --from FORMAT``: other tools' files, from fixtures written after their docs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reconciler.declarations.resolve import load_declarations
from reconciler.model import TopicSpec
from tests.importer.conftest import Ktr

FIXTURES = Path(__file__).parent / "fixtures"


def imported(run: Ktr, fmt: str, *paths: Path) -> dict[str, TopicSpec]:
    """Import with ``--from fmt``; the topics the written files declare, once validated."""
    result = run("import", "--from", fmt, *map(str, paths), "--out", "topics")
    assert result.code == 0, result.err
    validated = run("validate", "topics")
    assert validated.code == 0, validated.out
    return dict(load_declarations([Path("topics")], None).desired.topics)


def spec(topics: dict[str, TopicSpec], name: str) -> tuple[int, int, dict[str, str]]:
    topic = topics[name]
    return topic.partitions, topic.replication_factor, dict(topic.config)


def test_topicctl_topics_with_retention_minutes(run: Ktr) -> None:
    topics = imported(run, "topicctl", FIXTURES / "topicctl")
    assert spec(topics, "orders.created") == (
        6,
        1,
        {"cleanup.policy": "delete", "max.message.bytes": "5542880", "retention.ms": "604800000"},
    )
    assert spec(topics, "orders.audit")[2] == {
        "compression.type": "lz4",
        "message.timestamp.type": "LogAppendTime",
        "retention.ms": "6000000",
        "segment.bytes": "573741823",
    }


def test_topicctl_placement_and_metadata_are_noted_not_dropped(run: Ktr) -> None:
    result = run("import", "--from", "topicctl", str(FIXTURES / "topicctl"), "--dry-run")
    where = f"{FIXTURES / 'topicctl' / 'topics.yaml'}"
    assert (
        f"note: {where}:14: spec.placement not carried over: ktr leaves replica placement"
        in result.err
    )
    assert f"note: {where}:7: meta.description not carried over" in result.err


def test_strimzi_resources_several_per_file_and_in_a_list(run: Ktr) -> None:
    topics = imported(run, "strimzi", FIXTURES / "strimzi")
    assert spec(topics, "my-topic") == (
        1,
        1,
        {"retention.ms": "7200000", "segment.bytes": "1073741824"},
    )
    # spec.topicName wins over the resource name.
    assert spec(topics, "payments.settled") == (
        3,
        1,
        {"cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.05"},
    )
    assert spec(topics, "inventory.levels")[2] == {"retention.bytes": "-1", "retention.ms": "-1"}
    assert "payments-settled-k8s-name" not in topics


def test_strimzi_other_kinds_are_noted_as_skipped(run: Ktr) -> None:
    result = run("import", "--from", "strimzi", str(FIXTURES / "strimzi"), "--dry-run")
    assert "ConfigMap skipped: not a KafkaTopic" in result.err


def test_jikkou_topic_and_topic_list(run: Ktr) -> None:
    topics = imported(run, "jikkou", FIXTURES / "jikkou")
    assert spec(topics, "my-first-topic") == (
        12,
        1,
        {"cleanup.policy": "delete", "min.insync.replicas": "1"},
    )
    assert spec(topics, "priv.pay.blacklist.state.v1") == (
        2,
        1,
        {
            "cleanup.policy": "compact",
            "delete.retention.ms": "100",
            "min.cleanable.dirty.ratio": "0.001",
            "segment.ms": "100",
        },
    )


def test_jikkou_config_map_refs_are_noted(run: Ktr) -> None:
    result = run("import", "--from", "jikkou", str(FIXTURES / "jikkou"), "--dry-run")
    assert "spec.configMapRefs not carried over" in result.err
    assert "metadata.labels not carried over" in result.err


def test_kafka_gitops_topics_with_the_default_replication(run: Ktr) -> None:
    topics = imported(run, "kafka-gitops", FIXTURES / "kafka-gitops" / "state.yaml")
    assert spec(topics, "my-topic-name") == (
        6,
        1,
        {"cleanup.policy": "compact", "segment.bytes": "1048576"},
    )
    assert spec(topics, "topic-name-one") == (3, 1, {})
    assert spec(topics, "topic-name-two") == (3, 1, {"retention.ms": "86400000"})


def test_kafka_gitops_services_and_users_are_noted_as_acls(run: Ktr) -> None:
    result = run("import", "--from", "kafka-gitops", str(FIXTURES / "kafka-gitops"), "--dry-run")
    assert "services (1) not carried over: they define ACLs" in result.err
    assert "users (1) not carried over" in result.err


def test_terraform_kafka_topic_resources(run: Ktr) -> None:
    pytest.importorskip("hcl2")
    topics = imported(run, "terraform", FIXTURES / "terraform")
    assert spec(topics, "systemd_logs") == (
        100,
        1,
        {"cleanup.policy": "compact", "segment.ms": "20000"},
    )
    assert spec(topics, "metrics.raw") == (
        6,
        1,
        {"retention.ms": "604800000", "segment.bytes": "536870912"},
    )
    assert "metrics.templated" not in topics


def test_terraform_expressions_are_noted_with_their_line(run: Ktr) -> None:
    pytest.importorskip("hcl2")
    result = run("import", "--from", "terraform", str(FIXTURES / "terraform"), "--dry-run")
    where = FIXTURES / "terraform" / "topics.tf"
    assert (
        f"note: {where}:40: kafka_topic.templated left out: config retention.ms is the "
        "Terraform expression '${var.retention}'"
    ) in result.err


def test_terraform_without_the_parser_says_how_to_install_it(
    run: Ktr, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "hcl2", None)
    result = run("import", "--from", "terraform", str(FIXTURES / "terraform"))
    assert result.code == 1
    assert "pip install 'ktr[terraform]'" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("fmt", "fixture", "where", "message"),
    [
        ("topicctl", "topicctl-bad-value.yaml", 8, "cleanup.policy: 'forever' is not"),
        ("strimzi", "strimzi-bad-partitions.yaml", 6, "spec.partitions -1: the tool leaves it"),
        ("terraform", "bad.tf", 6, "retention.ms: 'a week'"),
        ("kafka-gitops", "kafka-gitops-bad-compression.yaml", 8, "compression.type: 'brotli'"),
    ],
)
def test_a_bad_value_is_a_problem_naming_the_file_and_line(
    run: Ktr, tmp_path: Path, fmt: str, fixture: str, where: int, message: str
) -> None:
    if fmt == "terraform":
        pytest.importorskip("hcl2")
    path = FIXTURES / "bad" / fixture
    result = run("import", "--from", fmt, str(path))
    assert result.code == 1
    assert f"{path}:{where}:" in result.err
    assert message in result.err
    assert "nothing was written" in result.err
    assert not (tmp_path / "topics").exists()


def test_an_unknown_format_is_a_usage_error(run: Ktr) -> None:
    result = run("import", "--from", "kafkactl", "x.yaml")
    assert result.code == 2
    assert "known formats: topicctl, strimzi, jikkou, kafka-gitops, terraform" in result.err


def test_cluster_options_with_from_are_a_usage_error(run: Ktr) -> None:
    result = run("import", "--from", "strimzi", str(FIXTURES / "strimzi"), "--env", "prod")
    assert result.code == 2
    assert "--from reads files" in result.err


def test_terraform_numbers_written_as_strings_are_numbers(run: Ktr, tmp_path: Path) -> None:
    pytest.importorskip("hcl2")
    source = tmp_path / "main.tf"
    source.write_text(
        'resource "kafka_topic" "t" {\n  name = "orders.x"\n  partitions = "3"\n'
        '  replication_factor = "1"\n}\n'
    )
    topics = imported(run, "terraform", source)
    assert spec(topics, "orders.x") == (3, 1, {})


def test_kafka_internal_topics_in_a_tool_s_files_are_noted_and_skipped(run: Ktr) -> None:
    result = run("import", "--from", "strimzi", str(FIXTURES / "strimzi"), "--dry-run")
    assert "__consumer_offsets skipped: one of Kafka's internal topics" in result.err
    assert "__consumer_offsets:" not in result.out


def test_match_narrows_the_topics_taken_from_files(run: Ktr) -> None:
    result = run(
        "import", "--from", "strimzi", str(FIXTURES / "strimzi"), "--match", "pay*", "--dry-run"
    )
    assert "payments.settled:" in result.out
    assert "my-topic" not in result.out


def test_validation_warnings_about_the_written_files_are_shown(run: Ktr, tmp_path: Path) -> None:
    source = tmp_path / "state.yaml"
    source.write_text(
        "topics:\n  my-topic-name:\n    partitions: 6\n    replication: 1\n"
        "    configs:\n      segment.bytes: 1000000\n"
    )
    result = run("import", "--from", "kafka-gitops", str(source))
    assert result.code == 0, result.err
    assert "topics/my.yaml:7:22: warning: segment.bytes 1000000 is below 1048576" in result.out
