"""``ktr import --env NAME -b ADDRESS ...``: several clusters into one set of files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_cluster import FakeCluster
from tests.importer.conftest import Ktr, connect_by_address


@pytest.fixture
def dev_and_prod(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeCluster, FakeCluster]:
    dev, prod = FakeCluster(cluster_id="dev"), FakeCluster(cluster_id="prod")
    connect_by_address(monkeypatch, {"dev:9092": dev, "prod:9092": prod})
    return dev, prod


ENVS = ("--env", "development", "-b", "dev:9092", "--env", "production", "-b", "prod:9092")


def round_trip(run: Ktr, *extra: str) -> None:
    assert run("validate", "topics").code == 0
    for env, address in (("development", "dev:9092"), ("production", "prod:9092")):
        for flags in ((), ("--prune-configs",)):
            planned = run(
                "plan", "topics", "-b", address, "--env", env, "--detailed-exitcode", *flags
            )
            assert planned.code == 0, planned.out + planned.err


def test_shared_values_on_top_and_differences_as_overlays(
    run: Ktr, dev_and_prod: tuple[FakeCluster, FakeCluster], tmp_path: Path
) -> None:
    dev, prod = dev_and_prod
    dev.add_topic("orders.created", 1, 1, {"retention.ms": "86400000", "cleanup.policy": "delete"})
    prod.add_topic(
        "orders.created", 12, 3, {"retention.ms": "604800000", "cleanup.policy": "delete"}
    )
    result = run("import", *ENVS)
    assert result.code == 0, result.err
    text = (tmp_path / "topics" / "orders.yaml").read_text()
    assert text == (
        "# yaml-language-server: $schema=../schemas/topics.schema.json\n"
        "topics:\n"
        "  orders.created:\n"
        "    partitions: 1\n"
        "    replication_factor: 1\n"
        "    config:\n"
        "      cleanup.policy: delete\n"
        "    environments:\n"
        "      development:\n"
        "        config:\n"
        "          retention.ms: 1d\n"
        "      production:\n"
        "        partitions: 12\n"
        "        replication_factor: 3\n"
        "        config:\n"
        "          retention.ms: 7d\n"
    )
    round_trip(run)


def test_a_topic_missing_from_an_environment_gets_a_tombstone_there(
    run: Ktr, dev_and_prod: tuple[FakeCluster, FakeCluster], tmp_path: Path
) -> None:
    dev, prod = dev_and_prod
    dev.add_topic("orders.debug", 1, 1)
    prod.add_topic("orders.created", 3, 1)
    dev.add_topic("orders.created", 3, 1)
    assert run("import", *ENVS).code == 0
    text = (tmp_path / "topics" / "orders.yaml").read_text()
    assert "  orders.debug:\n    partitions: 3\n" not in text
    assert "      production:\n        delete: true\n" in text
    round_trip(run)


def test_missing_skip_leaves_such_a_topic_out_with_a_note(
    run: Ktr, dev_and_prod: tuple[FakeCluster, FakeCluster], tmp_path: Path
) -> None:
    dev, prod = dev_and_prod
    dev.add_topic("orders.debug", 1, 1)
    prod.add_topic("orders.created", 3, 1)
    dev.add_topic("orders.created", 3, 1)
    result = run("import", *ENVS, "--missing", "skip")
    assert result.code == 0, result.err
    assert "note: orders.debug: left out: on development only, not on production" in result.out
    assert "orders.debug" not in (tmp_path / "topics" / "orders.yaml").read_text()
    round_trip(run)


def test_environments_that_agree_on_everything_are_still_declared(
    run: Ktr, dev_and_prod: tuple[FakeCluster, FakeCluster], tmp_path: Path
) -> None:
    for cluster in dev_and_prod:
        cluster.add_topic("orders.created", 3, 1)
    assert run("import", *ENVS).code == 0
    text = (tmp_path / "topics" / "orders.yaml").read_text()
    assert "defaults:\n  environments:\n    development: {}\n    production: {}\n" in text
    round_trip(run)


def test_a_single_named_environment_is_declared_so_plan_env_works(
    run: Ktr, dev_and_prod: tuple[FakeCluster, FakeCluster]
) -> None:
    dev_and_prod[1].add_topic("orders.created", 3, 1, {"retention.ms": "86400000"})
    assert run("import", "--env", "production", "-b", "prod:9092").code == 0
    planned = run("plan", "-b", "prod:9092", "--env", "production", "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err


def test_each_env_needs_its_own_bootstrap(run: Ktr, dev_and_prod: object) -> None:
    result = run("import", "--env", "development", "--env", "production", "-b", "dev:9092")
    assert result.code == 2
    assert "give one -b for each --env, in the same order" in result.err


def test_several_clusters_need_environment_names(run: Ktr, dev_and_prod: object) -> None:
    result = run("import", "-b", "dev:9092", "-b", "prod:9092")
    assert result.code == 2
    assert "--env" in result.err


def test_merge_keeps_each_environment_s_own_values_against_a_file_s_defaults(
    run: Ktr, dev_and_prod: tuple[FakeCluster, FakeCluster], tmp_path: Path
) -> None:
    dev, prod = dev_and_prod
    for cluster in dev_and_prod:
        cluster.add_topic("orders.created", 3, 1)
    dev.add_topic("orders.shipped", 1, 1, {"retention.ms": "3600000"})
    prod.add_topic("orders.shipped", 6, 1)
    existing = (
        "defaults:\n"
        "  config: {retention.ms: 14d}\n"
        "  environments:\n"
        "    production:\n"
        "      config: {compression.type: zstd}\n"
        "topics:\n"
        "  orders.created:\n"
        "    partitions: 3\n"
        "    replication_factor: 1\n"
        "    config: {retention.ms: 7d}\n"
        "    environments:\n"
        "      development: {}\n"
        "      production:\n"
        "        config: {compression.type: producer}\n"
    )
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "orders.yaml").write_text(existing)
    result = run("import", *ENVS, "--merge")
    assert result.code == 0, result.err
    added = (tmp_path / "topics" / "orders.yaml").read_text()[len(existing) :]
    assert "orders.shipped:" in added
    round_trip(run)


CLUSTERS = """\
clusters:
  dev:
    environment: development
    bootstrap_servers: dev:9092
  prod:
    environment: production
    bootstrap_servers: prod:9092
"""


@pytest.fixture
def named(
    tmp_path: Path, dev_and_prod: tuple[FakeCluster, FakeCluster]
) -> tuple[FakeCluster, FakeCluster]:
    """The two clusters named in ktr.yaml, each with its environment."""
    (tmp_path / "ktr.yaml").write_text(CLUSTERS)
    dev, prod = dev_and_prod
    dev.add_topic("orders.created", 1, 1, {"retention.ms": "86400000"})
    prod.add_topic("orders.created", 12, 1, {"retention.ms": "604800000"})
    prod.add_topic("orders.audit", 3, 1)
    return dev, prod


def cluster_round_trip(run: Ktr, *clusters: str) -> None:
    assert run("validate", "topics").code == 0
    for cluster in clusters:
        for flags in ((), ("--prune-configs",)):
            planned = run("plan", "topics", "--cluster", cluster, "--detailed-exitcode", *flags)
            assert planned.code == 0, planned.out + planned.err


def test_clusters_of_ktr_yaml_import_as_their_environments(
    run: Ktr, named: object, tmp_path: Path
) -> None:
    result = run("import", "--cluster", "dev", "--cluster", "prod")
    assert result.code == 0, result.err
    text = (tmp_path / "topics" / "orders.yaml").read_text()
    assert "      development:\n        delete: true\n" in text  # orders.audit
    assert "      production:\n        partitions: 12\n" in text
    cluster_round_trip(run, "dev", "prod")


def test_all_clusters_imports_every_cluster_of_ktr_yaml(
    run: Ktr, named: object, tmp_path: Path
) -> None:
    assert run("import", "--all-clusters").code == 0
    cluster_round_trip(run, "dev", "prod")


def test_one_cluster_imports_as_its_environment(run: Ktr, named: object) -> None:
    assert run("import", "--cluster", "prod").code == 0
    cluster_round_trip(run, "prod")


def test_cluster_and_env_together_are_a_usage_error(run: Ktr, named: object) -> None:
    result = run("import", "--cluster", "dev", "--env", "development", "-b", "dev:9092")
    assert result.code == 2
    assert "--cluster brings its environment from ktr.yaml" in result.err


def test_an_unknown_cluster_is_named_with_a_suggestion(run: Ktr, named: object) -> None:
    result = run("import", "--cluster", "prd")
    assert result.code == 1
    assert "unknown cluster 'prd'; did you mean 'prod'?" in result.err


def test_two_clusters_of_one_environment_are_refused(
    run: Ktr, named: object, tmp_path: Path
) -> None:
    (tmp_path / "ktr.yaml").write_text(CLUSTERS.replace("development", "production"))
    result = run("import", "--all-clusters")
    assert result.code == 1
    assert "both run environment 'production'; import one of them" in result.err
