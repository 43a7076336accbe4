"""Validation rules: each mistake reported once, at the file and line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.declarations.resolve import load_declarations
from tests.declarations.conftest import VALID, Load, WriteTopics, at, only_error


def test_a_valid_file_has_no_problems_and_resolves_its_topics(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(VALID)
    declarations = load()
    assert declarations.problems == ()
    topic = declarations.desired.topics["orders.created"]
    assert (topic.partitions, topic.replication_factor, topic.absent) == (3, 1, False)


def test_config_values_are_normalised_to_what_kafka_reports(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(
        """
        topics:
          t:
            partitions: 1
            replication_factor: 1
            config:
              retention.ms: 7d
              segment.bytes: 512MiB
              cleanup.policy: [delete, compact]
              unclean.leader.election.enable: false
        """
    )
    assert load().desired.topics["t"].config == {
        "cleanup.policy": "compact,delete",
        "retention.ms": "604800000",
        "segment.bytes": "536870912",
        "unclean.leader.election.enable": "false",
    }


def test_the_topic_records_where_it_was_declared(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(VALID)
    location = load().desired.topics["orders.created"].location
    assert location is not None
    assert (location.file, location.line, location.column) == (str(path), 2, 3)


def test_a_yaml_error_is_reported_at_its_line(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics("topics:\n  t: {partitions: 1\n")
    problem = only_error(load())
    assert (Path(problem.file), problem.message.startswith("invalid YAML")) == (path, True)


def test_a_document_that_is_not_a_mapping_is_reported(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics("- orders\n- payments\n")
    problem = only_error(load())
    assert problem.line == 1
    assert "expected a mapping with 'topics:'" in problem.message


def test_an_unknown_top_level_key_gets_a_suggestion(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics("topic:\n  t: {}\n")
    declarations = load()
    assert at(declarations, path, 1) == [
        "missing 'topics:' at the top level",
        "unknown key 'topic' at the top level; did you mean 'topics'?",
    ]


def test_an_unknown_topic_key_gets_a_suggestion(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitons: 3
            replication_factor: 1
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 3)
    assert problem.message == (
        "unknown key 'partitons' in topic 'orders'; did you mean 'partitions'?"
    )


def test_an_unknown_key_in_an_overlay_names_the_environment(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 3
            replication_factor: 1
            environments:
              development:
                replicas: 1
        """
    )
    (message,) = at(load(), path, 7)
    assert message.startswith(
        "unknown key 'replicas' in topic 'orders' in environment 'development'"
    )


def test_an_unknown_config_key_gets_a_did_you_mean(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 3
            replication_factor: 1
            config:
              retention.msx: 7d
        """
    )
    (message,) = at(load(), path, 6)
    assert "unknown topic config 'retention.msx'; did you mean 'retention.ms'?" in message


def test_a_removed_config_key_is_a_warning_not_an_error(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 3
            replication_factor: 1
            config:
              message.format.version: 3.0-IV1
        """
    )
    declarations = load()
    assert declarations.errors == ()
    (warning,) = declarations.warnings
    assert (Path(warning.file), warning.line) == (path, 6)
    assert "removed in Kafka 4.0" in warning.message


def test_a_bad_config_value_is_reported_at_the_value(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 3
            replication_factor: 1
            config:
              retention.ms: 7 days
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line, problem.column) == (path, 6, 21)
    assert problem.message.startswith("retention.ms: '7 days'")


def test_a_bad_config_value_in_defaults_is_reported_once_however_many_topics(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        defaults:
          replication_factor: 1
          config:
            cleanup.policy: compacted
        topics:
          a: {partitions: 1}
          b: {partitions: 1}
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 4)
    assert "(defaults)" in problem.message


def test_an_empty_config_value_is_reported(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 1
            config:
              retention.ms:
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 6)
    assert "no value" in problem.message


def test_min_insync_replicas_above_the_replication_factor_points_at_the_key(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 2
            config:
              min.insync.replicas: 3
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 6)
    assert "min.insync.replicas 3 is more than the replication factor 2" in problem.message


def test_min_compaction_lag_above_max_compaction_lag_is_reported(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 1
            config:
              max.compaction.lag.ms: 1h
              min.compaction.lag.ms: 2h
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 7)
    assert "min.compaction.lag.ms" in problem.message


def test_local_retention_above_retention_is_reported(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders:
            partitions: 1
            replication_factor: 1
            config:
              remote.storage.enable: true
              retention.ms: 1d
              local.retention.ms: 2d
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 8)
    assert "local.retention.ms" in problem.message


def test_partitions_must_be_positive(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics("topics:\n  t:\n    partitions: 0\n    replication_factor: 1\n")
    problem = only_error(load())
    assert (Path(problem.file), problem.line, problem.column) == (path, 3, 17)
    assert problem.message == "'partitions' of topic 't' must be at least 1, not 0"


def test_partitions_must_fit_the_32_bit_count_kafka_carries(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics("topics:\n  t:\n    partitions: 2147483648\n    replication_factor: 1\n")
    assert only_error(load()).message == (
        "'partitions' of topic 't' must be at most 2147483647, not 2147483648"
    )


def test_replication_factor_must_be_a_whole_number(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics("topics:\n  t:\n    partitions: 1\n    replication_factor: three\n")
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 4)
    assert "must be a whole number, not a string ('three')" in problem.message


def test_partitions_are_required_after_merging_defaults(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics("defaults:\n  replication_factor: 1\ntopics:\n  t: {}\n")
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 4)
    assert problem.message == ("topic 't' has no partitions; set it on the topic or under defaults")


def test_defaults_fill_in_what_a_topic_leaves_out(write_topics: WriteTopics, load: Load) -> None:
    write_topics(
        """
        defaults:
          partitions: 6
          replication_factor: 1
          config: {compression.type: zstd, retention.ms: 1d}
        topics:
          t:
            config: {retention.ms: 2d}
        """
    )
    topic = load().desired.topics["t"]
    assert topic.partitions == 6
    assert topic.config == {"compression.type": "zstd", "retention.ms": "172800000"}


def test_a_tombstone_resolves_to_an_absent_topic(write_topics: WriteTopics, load: Load) -> None:
    write_topics(
        """
        defaults: {partitions: 3, replication_factor: 1}
        topics:
          orders.legacy:
            delete: true
        """
    )
    topic = load().desired.topics["orders.legacy"]
    assert (topic.absent, topic.partitions, topic.replication_factor, topic.config) == (
        True,
        0,
        0,
        {},
    )


def test_a_tombstone_allows_nothing_beside_it(write_topics: WriteTopics, load: Load) -> None:
    path = write_topics(
        """
        topics:
          orders.legacy:
            delete: true
            partitions: 3
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 4)
    assert "tombstone (delete: true); 'partitions' is not allowed beside it" in problem.message


def test_the_same_topic_in_two_files_names_both(write_topics: WriteTopics, load: Load) -> None:
    first = write_topics(VALID, "a.yaml")
    second = write_topics("# second\n" + VALID, "b.yaml")
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (second, 4)
    assert f"also declared in {first}:2" in problem.message


def test_an_illegal_topic_name_is_reported_at_the_name(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics("topics:\n  orders/created: {partitions: 1, replication_factor: 1}\n")
    problem = only_error(load())
    assert (Path(problem.file), problem.line, problem.column) == (path, 2, 3)
    assert "characters Kafka does not allow ('/')" in problem.message


def test_a_reserved_topic_name_is_reported(write_topics: WriteTopics, load: Load) -> None:
    write_topics("topics:\n  __orders: {partitions: 1, replication_factor: 1}\n")
    assert "reserved" in only_error(load()).message


def test_a_numeric_topic_name_must_be_quoted(write_topics: WriteTopics, load: Load) -> None:
    write_topics("topics:\n  1234: {partitions: 1, replication_factor: 1}\n")
    assert "quote it" in only_error(load()).message


def test_colliding_names_name_both_declarations(write_topics: WriteTopics, load: Load) -> None:
    first = write_topics(
        "topics:\n  orders.created: {partitions: 1, replication_factor: 1}\n", "a.yaml"
    )
    second = write_topics(
        "topics:\n  orders_created: {partitions: 1, replication_factor: 1}\n", "b.yaml"
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (second, 2)
    assert f"collides with 'orders.created' ({first}:2)" in problem.message


def test_duplicate_keys_are_reported_through_validation(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        """
        topics:
          t:
            partitions: 1
            replication_factor: 1
            partitions: 2
        """
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 5)
    assert "duplicate key 'partitions' (first defined at line 3)" in problem.message


def test_every_problem_is_reported_sorted_by_file_and_line(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics("topics:\n  t: {partitions: 0, replication_factor: 1}\n", "b.yaml")
    write_topics(
        "topics:\n  x:\n    partitions: 1\n    replication_factor: 1\n    colour: red\n"
        "  y/z: {partitions: 1, replication_factor: 1}\n",
        "a.yaml",
    )
    problems = load().problems
    assert [(Path(p.file).name, p.line) for p in problems] == [
        ("a.yaml", 5),
        ("a.yaml", 6),
        ("b.yaml", 2),
    ]


def test_an_empty_file_is_a_warning(write_topics: WriteTopics, load: Load) -> None:
    write_topics("# nothing yet\n")
    declarations = load()
    assert declarations.errors == ()
    assert [p.message for p in declarations.warnings] == ["empty file: no topics declared"]


def test_files_are_found_recursively_and_in_order(write_topics: WriteTopics, load: Load) -> None:
    write_topics(VALID.replace("orders.created", "b"), "b.yml")
    write_topics(VALID.replace("orders.created", "a"), "team/a.yaml")
    write_topics("not: yaml we read", "notes.txt")
    assert [p.name for p in load().files] == ["b.yml", "a.yaml"]


def test_a_missing_path_is_a_problem(tmp_path: Path) -> None:
    declarations = load_declarations([tmp_path / "nowhere"], None)
    (problem,) = declarations.problems
    assert problem.message == "no such file or directory"


def test_a_missing_default_directory_says_how_to_name_the_declarations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (problem,) = load_declarations([], None).problems
    assert (problem.file, problem.message) == (
        "topics",
        "no such file or directory (ktr reads topics/ by default; "
        "pass the files or directories that hold your declarations)",
    )


def test_a_directory_without_declarations_is_a_problem(topics_dir: Path, load: Load) -> None:
    assert "no declaration files" in only_error(load()).message


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("replicas", "replication_factor"),
        ("replication", "replication_factor"),
        ("replicationFactor", "replication_factor"),
        ("configs", "config"),
        ("settings", "config"),
    ],
)
def test_the_words_other_tools_use_suggest_ktrs_key(
    write_topics: WriteTopics, load: Load, written: str, meant: str
) -> None:
    write_topics(
        f"topics:\n  orders:\n    partitions: 1\n    replication_factor: 1\n    {written}: 3\n"
    )
    assert only_error(load()).message == (
        f"unknown key {written!r} in topic 'orders'; did you mean {meant!r}?"
    )


def test_a_topic_config_written_beside_partitions_says_to_put_it_under_config(
    write_topics: WriteTopics, load: Load
) -> None:
    path = write_topics(
        "topics:\n  orders:\n    partitions: 1\n    replication_factor: 1\n    retention.ms: 1d\n"
    )
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 5)
    assert problem.message == (
        "unknown key 'retention.ms' in topic 'orders'; it is a topic config: put it under 'config:'"
    )


def test_a_topic_config_written_in_defaults_says_to_put_it_under_config(
    write_topics: WriteTopics, load: Load
) -> None:
    write_topics(VALID + "defaults:\n  cleanup.policy: compact\n")
    assert only_error(load()).message == (
        "unknown key 'cleanup.policy' in defaults; it is a topic config: put it under 'config:'"
    )
