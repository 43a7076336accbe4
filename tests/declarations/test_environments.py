"""Environment overlays: what --env selects, in what order layers merge, and unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.declarations.conftest import VALID, Load, WriteTopics, at, only_error

LAYERED = """
defaults:
  partitions: 6
  replication_factor: 3
  config: {retention.ms: 1d}
  environments:
    development:
      replication_factor: 1
      config: {retention.ms: 2h}
topics:
  orders:
    config: {compression.type: zstd}
    environments:
      development:
        partitions: 1
      production:
        partitions: 24
  payments:
    partitions: 12
    replication_factor: 2
"""


def test_without_env_the_topics_are_taken_as_written(write_topics: WriteTopics, load: Load) -> None:
    write_topics(LAYERED)
    orders = load().desired.topics["orders"]
    assert (orders.partitions, orders.replication_factor) == (6, 3)
    assert orders.config == {"compression.type": "zstd", "retention.ms": "86400000"}


def test_an_env_applies_the_defaults_overlay_and_the_topic_overlay(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(LAYERED)
    declarations = load("development")
    assert declarations.desired.environment == "development"
    orders = declarations.desired.topics["orders"]
    assert (orders.partitions, orders.replication_factor) == (1, 1)
    assert orders.config == {"compression.type": "zstd", "retention.ms": "7200000"}


def test_what_a_topic_sets_itself_wins_over_the_defaults_overlay(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(LAYERED)
    payments = load("development").desired.topics["payments"]
    assert payments.replication_factor == 2


def test_an_environment_without_an_overlay_keeps_the_topic_as_written(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(LAYERED)
    payments = load("production").desired.topics["payments"]
    assert (payments.partitions, payments.replication_factor) == (12, 2)


def test_an_unknown_env_is_an_error_listing_the_declared_ones(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(LAYERED)
    problem = only_error(load("staging"))
    assert problem.file == "--env"
    assert problem.message == (
        "unknown environment 'staging'; declared environments: development, production"
    )


@pytest.mark.parametrize(
    ("given", "meant"),
    [("prod", "production"), ("Development", "development"), ("developmnet", "development")],
)
def test_an_unknown_env_suggests_the_declared_one_it_looks_like(
    write_topics: WriteTopics, load: Load, given: str, meant: str
) -> None:
    write_topics(LAYERED)
    assert only_error(load(given)).message == (
        f"unknown environment {given!r}; did you mean {meant!r}? "
        "(declared environments: development, production)"
    )


def test_environments_are_listed_from_every_file(write_topics: WriteTopics, load: Load) -> None:
    write_topics(LAYERED, "a.yaml")
    write_topics(
        "topics:\n  x:\n    partitions: 1\n    replication_factor: 1\n"
        "    environments: {staging: {partitions: 2}}\n",
        "b.yaml",
    )
    assert load().environments == ("development", "production", "staging")


def test_without_env_every_environment_is_checked_and_named(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 3
            config: {min.insync.replicas: 2}
            environments:
              development: {replication_factor: 1}
        """
    )
    (message,) = at(load(), path, 5)
    assert message.startswith("topic 'orders' in environment 'development': min.insync.replicas 2")


def test_with_env_only_that_environment_is_checked(write_topics: WriteTopics, load: Load) -> None:
    write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 3
            config: {min.insync.replicas: 2}
            environments:
              development: {replication_factor: 1}
              production: {partitions: 3}
        """
    )
    assert load("production").problems == ()


def test_a_tombstone_in_one_environment_only(write_topics: WriteTopics, load: Load) -> None:
    write_topics(
        """
        topics:
          orders.debug:
            partitions: 1
            replication_factor: 1
            environments:
              production: {delete: true}
        """
    )
    assert load("production").desired.topics["orders.debug"].absent
    declarations = load()
    assert declarations.problems == ()
    assert not declarations.desired.topics["orders.debug"].absent


def test_a_tombstone_overlay_allows_nothing_beside_it(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          orders.debug:
            partitions: 1
            replication_factor: 1
            environments:
              production:
                delete: true
                partitions: 2
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 8)
    assert "in environment 'production' is a tombstone" in problem.message


def test_an_environment_name_must_be_a_plain_word(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 1
            environments:
              "dev env": {partitions: 2}
        """
    )
    (message,) = at(load(), path, 6)
    assert message.startswith("environment name 'dev env' must start with a letter or digit")


def test_defaults_overlays_may_not_delete(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        defaults:
          environments:
            production: {delete: true}
        topics:
          orders: {partitions: 1, replication_factor: 1}
        """
    )
    (message,) = at(load(), path, 3)
    assert message.startswith("unknown key 'delete' in defaults in environment 'production'")


def test_a_problem_of_every_environment_is_reported_once(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 1
            config: {min.insync.replicas: 2}
            environments:
              development: {partitions: 2}
              production: {partitions: 3}
        """
    )
    problem = only_error(load())
    assert problem.message.startswith("topic 'orders': min.insync.replicas 2")


def test_a_problem_of_several_environments_names_them(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(
        """
        defaults:
          replication_factor: 3
          environments:
            development: {replication_factor: 1}
            staging: {replication_factor: 1}
            production: {partitions: 6}
        topics:
          orders:
            partitions: 1
            config: {min.insync.replicas: 2}
        """
    )
    problem = only_error(load())
    assert problem.message.startswith(
        "topic 'orders' in environments 'development', 'staging': min.insync.replicas 2"
    )


def test_an_env_when_none_are_declared_says_so(write_topics: WriteTopics, load: Load) -> None:
    write_topics(VALID)
    assert only_error(load("development")).message == (
        "unknown environment 'development'; the declarations have no environments: "
        "leave out --env, or add an 'environments:' overlay"
    )


def test_an_overlay_of_a_tombstone_must_say_delete_false_to_keep_the_topic(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        defaults: {replication_factor: 1}
        topics:
          orders.legacy:
            delete: true
            environments:
              development: {partitions: 1}
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 6)
    assert "add 'delete: false' to this environment" in problem.message


def test_an_overlay_can_keep_a_tombstoned_topic_in_one_environment(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(
        """
        defaults: {replication_factor: 1}
        topics:
          orders.legacy:
            delete: true
            environments:
              development: {delete: false, partitions: 1}
        """
    )
    assert load().desired.topics["orders.legacy"].absent
    development = load("development")
    assert development.problems == ()
    assert development.desired.topics["orders.legacy"].partitions == 1
