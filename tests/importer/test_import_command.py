"""``ktr import`` from a live cluster: what it writes, and that the round trip holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_cluster import AllDefaultsFakeCluster, FakeCluster
from tests.importer.conftest import Ktr, assert_round_trip, connect_by_address

ORDERS = {"retention.ms": "604800000", "cleanup.policy": "compact,delete"}


@pytest.fixture(params=["faithful", "all defaults", "only set keys"])
def cluster(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> FakeCluster:
    """The same cluster as brokers report it: sources faithfully, or every value a default."""
    broker_config = {"min.insync.replicas": "2", "compression.type": "zstd"}
    made: FakeCluster
    if request.param == "faithful":
        made = FakeCluster(broker_config=broker_config)
    else:
        reported = "all" if request.param == "all defaults" else "set"
        made = AllDefaultsFakeCluster(broker_config=broker_config, reported=reported)
    made.add_topic("orders.created", 12, 3, ORDERS)
    made.add_topic("orders.cancelled", 12, 3, {"retention.ms": "604800000"})
    made.add_topic("payments.settled", 6, 2, {"segment.bytes": "536870912"})
    made.add_topic("payments.dlq", 1, 1, {"cleanup.policy": "delete"})  # override at the default
    made.add_topic("_schemas", 1, 1)
    made.add_topic("_ktr.apply-lock", 1, 1)
    connect_by_address(monkeypatch, {"b:9092": made})
    return made


def test_the_round_trip_holds_however_the_broker_reports_config_sources(
    run: Ktr, cluster: FakeCluster
) -> None:
    result = run("import", "-b", "b:9092")
    assert result.code == 0, result.err
    assert_round_trip(run)


def test_one_file_per_name_prefix_with_shared_values_lifted_into_defaults(
    run: Ktr, faithful: FakeCluster, tmp_path: Path
) -> None:
    faithful.add_topic("orders.created", 12, 3, ORDERS)
    faithful.add_topic("orders.cancelled", 12, 3, {"retention.ms": "604800000"})
    faithful.add_topic("payments.settled", 6, 2)
    run("import", "-b", "b:9092")
    assert sorted(p.name for p in (tmp_path / "topics").iterdir()) == [
        "orders.yaml",
        "payments.yaml",
    ]
    orders = (tmp_path / "topics" / "orders.yaml").read_text()
    assert orders.startswith("# yaml-language-server: $schema=../schemas/topics.schema.json\n")
    assert "defaults:\n  partitions: 12\n  replication_factor: 3\n" in orders
    assert "    retention.ms: 7d\n" in orders
    assert "      cleanup.policy: [compact, delete]\n" in orders


def test_values_are_written_as_people_write_them(
    run: Ktr, faithful: FakeCluster, tmp_path: Path
) -> None:
    faithful.add_topic(
        "logs", 1, 1, {"segment.bytes": "536870912", "preallocate": "true", "segment.ms": "3600000"}
    )
    run("import", "-b", "b:9092")
    text = (tmp_path / "topics" / "logs.yaml").read_text()
    assert "preallocate: true\n" in text
    assert "segment.bytes: 512MiB\n" in text
    assert "segment.ms: 1h\n" in text


def test_internal_protected_and_ktr_topics_are_skipped(run: Ktr, cluster: FakeCluster) -> None:
    result = run("import", "-b", "b:9092", "--dry-run")
    assert "orders.created:" in result.out
    for name in ("_schemas", "_ktr.apply-lock", "__consumer_offsets"):
        assert name not in result.out


def test_match_narrows_the_topics_imported(run: Ktr, cluster: FakeCluster) -> None:
    result = run("import", "-b", "b:9092", "--match", "payments.*", "--dry-run")
    assert "payments.settled:" in result.out
    assert "orders" not in result.out


def test_owned_topics_narrow_the_topics_imported(
    run: Ktr, cluster: FakeCluster, tmp_path: Path
) -> None:
    (tmp_path / "ktr.yaml").write_text("owned_topics: ['orders.*']\n")
    result = run("import", "-b", "b:9092", "--dry-run")
    assert "orders.created:" in result.out
    assert "payments" not in result.out


def test_values_inherited_from_broker_settings_stay_undeclared_with_one_note(
    run: Ktr, faithful: FakeCluster
) -> None:
    faithful.broker_config["compression.type"] = "zstd"
    faithful.add_topic("logs.a", 1, 1, {"retention.ms": "86400000"})
    faithful.add_topic("logs.b", 1, 1)
    result = run("import", "-b", "b:9092", "--dry-run")
    assert "compression.type" not in result.out
    assert (
        "note: compression.type=zstd is inherited from the brokers' settings by 2 topics: "
        "left undeclared"
    ) in result.err


def test_a_value_a_broker_reports_as_a_default_but_is_not_kafka_s_is_declared(
    run: Ktr, all_defaults: AllDefaultsFakeCluster
) -> None:
    all_defaults.broker_config["compression.type"] = "zstd"
    all_defaults.add_topic("logs", 1, 1)
    result = run("import", "-b", "b:9092", "--dry-run")
    assert "compression.type: zstd" in result.out


def test_overrides_only_leaves_out_values_not_set_on_the_topic(
    run: Ktr, faithful: FakeCluster
) -> None:
    faithful.add_topic("logs", 1, 1, {"retention.ms": "86400000"})
    only = run("import", "-b", "b:9092", "--dry-run", "--overrides-only")
    assert "retention.ms: 1d" in only.out


def test_overrides_only_on_a_broker_that_hides_sources_says_it_cannot_work(
    run: Ktr, all_defaults: AllDefaultsFakeCluster
) -> None:
    all_defaults.add_topic("logs", 1, 1, {"retention.ms": "86400000"})
    only = run("import", "-b", "b:9092", "--dry-run", "--overrides-only")
    assert "--overrides-only cannot tell overrides from defaults here" in only.err


def test_overrides_only_also_round_trips(run: Ktr, cluster: FakeCluster) -> None:
    assert run("import", "-b", "b:9092", "--overrides-only").code == 0
    assert_round_trip(run)


def test_group_by_none_writes_one_file(run: Ktr, cluster: FakeCluster, tmp_path: Path) -> None:
    run("import", "-b", "b:9092", "--group-by", "none")
    assert [p.name for p in (tmp_path / "topics").iterdir()] == ["topics.yaml"]
    assert_round_trip(run)


def test_dry_run_prints_the_files_and_writes_nothing(
    run: Ktr, cluster: FakeCluster, tmp_path: Path
) -> None:
    result = run("import", "-b", "b:9092", "--dry-run")
    assert result.code == 0
    assert "# --- topics/orders.yaml\n# yaml-language-server:" in result.out
    assert "would write 4 topics in 2 files" in result.err
    assert not (tmp_path / "topics").exists()


def test_an_existing_file_is_never_overwritten(
    run: Ktr, cluster: FakeCluster, tmp_path: Path
) -> None:
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "orders.yaml").write_text("topics: {}\n")
    result = run("import", "-b", "b:9092")
    assert result.code == 1
    assert "topics/orders.yaml: already exists; nothing was written" in result.err
    assert "--merge" in result.err
    assert (tmp_path / "topics" / "orders.yaml").read_text() == "topics: {}\n"
    assert not (tmp_path / "topics" / "payments.yaml").exists()


def test_an_already_declared_topic_is_reported_and_left_alone(
    run: Ktr, faithful: FakeCluster, tmp_path: Path
) -> None:
    faithful.add_topic("orders.created", 3, 1)
    faithful.add_topic("billing.invoices", 3, 1)
    declared = "topics:\n  orders.created:\n    partitions: 3\n    replication_factor: 1\n"
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "mine.yaml").write_text(declared)
    result = run("import", "-b", "b:9092")
    assert result.code == 0, result.err
    assert "note: orders.created: already declared at topics/mine.yaml:2; left as it is" in (
        result.out
    )
    assert (tmp_path / "topics" / "mine.yaml").read_text() == declared
    assert (tmp_path / "topics" / "billing.yaml").exists()


def test_merge_adds_undeclared_topics_to_the_end_of_existing_files(
    run: Ktr, faithful: FakeCluster, tmp_path: Path
) -> None:
    faithful.add_topic("orders.created", 3, 1)
    faithful.add_topic("orders.shipped", 6, 1, {"retention.ms": "86400000"})
    existing = (
        "# Orders, kept by hand.\n"
        "defaults:\n"
        "  config:\n"
        "    compression.type: zstd\n"
        "    retention.ms: 14d\n"
        "topics:\n"
        "    orders.created:   # four-space indent, a comment\n"
        "        partitions: 3\n"
        "        replication_factor: 1\n"
        "        config: {compression.type: producer, retention.ms: 7d}\n"
    )
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "orders.yaml").write_text(existing)
    result = run("import", "-b", "b:9092", "--merge")
    assert result.code == 0, result.err
    text = (tmp_path / "topics" / "orders.yaml").read_text()
    assert text.startswith(existing)
    added = text[len(existing) :]
    assert added.startswith("    orders.shipped:\n        partitions: 6\n")
    assert "        config:\n            compression.type: producer\n" in added
    # The file's defaults would change it: it keeps its own values explicitly.
    assert "compression.type: producer" in added
    assert "retention.ms: 1d" in added
    assert "added to topics/orders.yaml: 1 topic" in result.out
    assert_round_trip(run)


def test_merge_refuses_a_file_whose_topics_do_not_end_it(
    run: Ktr, faithful: FakeCluster, tmp_path: Path
) -> None:
    faithful.add_topic("orders.shipped", 6, 1)
    existing = "topics:\n  orders.a:\n    partitions: 1\n    replication_factor: 1\ndefaults: {}\n"
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "orders.yaml").write_text(existing)
    result = run("import", "-b", "b:9092", "--merge")
    assert result.code == 1
    assert "cannot add topics to it" in result.err
    assert (tmp_path / "topics" / "orders.yaml").read_text() == existing


def test_an_existing_lock_is_updated(run: Ktr, faithful: FakeCluster, tmp_path: Path) -> None:
    faithful.add_topic("orders.created", 3, 1)
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "topics.lock").write_text("")
    result = run("import", "-b", "b:9092")
    assert "updated topics/topics.lock: 1 topic" in result.out
    assert "orders.created" in (tmp_path / "topics" / "topics.lock").read_text()
    assert_round_trip(run)


def test_without_a_lock_it_says_how_to_make_one(run: Ktr, faithful: FakeCluster) -> None:
    faithful.add_topic("orders.created", 3, 1)
    result = run("import", "-b", "b:9092")
    assert "run `ktr lock topics` to keep one" in result.out


def test_a_topic_whose_inherited_value_breaks_a_rule_keeps_it_undeclared(
    run: Ktr, all_defaults: AllDefaultsFakeCluster
) -> None:
    all_defaults.broker_config["min.insync.replicas"] = "2"
    all_defaults.add_topic("dev.scratch", 1, 1)
    result = run("import", "-b", "b:9092")
    assert result.code == 0, result.err
    assert "inherited min.insync.replicas=2 not declared" in result.out
    assert_round_trip(run)


def test_a_topic_whose_override_breaks_a_rule_is_left_out_with_a_note(
    run: Ktr, faithful: FakeCluster
) -> None:
    faithful.add_topic("dev.scratch", 1, 1, {"min.insync.replicas": "2"})
    faithful.add_topic("dev.ok", 1, 1)
    result = run("import", "-b", "b:9092", "--dry-run")
    assert "dev.scratch: left out: min.insync.replicas 2 is more than" in result.err
    assert "dev.ok:" in result.out


def test_paths_without_from_are_a_usage_error(run: Ktr, faithful: FakeCluster) -> None:
    result = run("import", "somewhere", "-b", "b:9092")
    assert result.code == 2
    assert "--from" in result.err


def test_out_must_be_a_directory(run: Ktr, faithful: FakeCluster, tmp_path: Path) -> None:
    faithful.add_topic("orders.created", 3, 1)
    (tmp_path / "topics").write_text("")
    result = run("import", "-b", "b:9092")
    assert result.code == 1
    assert "topics: not a directory" in result.err
