"""normalise: a declared value becomes the exact string Kafka stores and reports."""

from __future__ import annotations

import pytest

from reconciler.kafka.catalogue import ConfigValueError, normalise


@pytest.mark.parametrize(
    ("key", "value", "kafka"),
    [
        ("retention.ms", "7d", "604800000"),
        ("retention.ms", 604800000, "604800000"),
        ("retention.ms", "604800000", "604800000"),
        ("retention.ms", -1, "-1"),
        ("retention.ms", "-1", "-1"),
        ("segment.ms", "1h", "3600000"),
        ("delete.retention.ms", "1d", "86400000"),
        ("max.compaction.lag.ms", "2w", "1209600000"),
        ("message.timestamp.after.max.ms", "1h", "3600000"),
        ("local.retention.ms", -2, "-2"),
        ("local.retention.ms", "12h", "43200000"),
    ],
)
def test_durations_become_milliseconds(key: str, value: object, kafka: str) -> None:
    assert normalise(key, value) == kafka


@pytest.mark.parametrize(
    ("key", "value", "kafka"),
    [
        ("segment.bytes", "512MiB", "536870912"),
        ("segment.bytes", 1073741824, "1073741824"),
        ("retention.bytes", "10GiB", "10737418240"),
        ("retention.bytes", -1, "-1"),
        ("max.message.bytes", "8MiB", "8388608"),
        ("index.interval.bytes", "4KiB", "4096"),
        ("local.retention.bytes", "-2", "-2"),
    ],
)
def test_sizes_become_bytes(key: str, value: object, kafka: str) -> None:
    assert normalise(key, value) == kafka


@pytest.mark.parametrize(
    ("key", "value", "kafka"),
    [
        ("min.insync.replicas", 2, "2"),
        ("min.insync.replicas", "2", "2"),
        ("compression.zstd.level", -5, "-5"),
        ("compression.gzip.level", -1, "-1"),
        ("flush.messages", 10000, "10000"),
    ],
)
def test_counts_pass_through_as_decimal_text(key: str, value: object, kafka: str) -> None:
    assert normalise(key, value) == kafka


@pytest.mark.parametrize(
    ("value", "kafka"),
    [(True, "true"), (False, "false"), ("true", "true"), ("FALSE", "false"), (" True ", "true")],
)
def test_booleans_are_lower_case_true_or_false(value: object, kafka: str) -> None:
    assert normalise("unclean.leader.election.enable", value) == kafka


@pytest.mark.parametrize("value", ["yes", "on", "1", 1, 0, "enabled"])
def test_booleans_accept_nothing_but_true_and_false(value: object) -> None:
    with pytest.raises(ConfigValueError, match="expected true or false"):
        normalise("preallocate", value)


@pytest.mark.parametrize(
    ("value", "kafka"),
    [
        ("createtime", "CreateTime"),
        ("CreateTime", "CreateTime"),
        ("LOGAPPENDTIME", "LogAppendTime"),
    ],
)
def test_enum_values_take_the_spelling_kafka_wants(value: str, kafka: str) -> None:
    assert normalise("message.timestamp.type", value) == kafka


@pytest.mark.parametrize("codec", ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"])
def test_every_compression_codec_is_accepted(codec: str) -> None:
    assert normalise("compression.type", codec) == codec


def test_compression_none_points_to_uncompressed() -> None:
    with pytest.raises(ConfigValueError, match="spelled 'uncompressed'"):
        normalise("compression.type", "none")


@pytest.mark.parametrize(
    ("value", "kafka"),
    [
        ("delete", "delete"),
        ("compact", "compact"),
        ("compact,delete", "compact,delete"),
        ("delete,compact", "compact,delete"),
        (" delete , compact ", "compact,delete"),
        (["delete", "compact"], "compact,delete"),
        (["compact", "delete", "compact"], "compact,delete"),
        ("Compact", "compact"),
        ("", ""),
        ([], ""),
    ],
)
def test_cleanup_policy_is_a_sorted_set(value: object, kafka: str) -> None:
    assert normalise("cleanup.policy", value) == kafka


def test_cleanup_policy_names_the_bad_item() -> None:
    with pytest.raises(ConfigValueError, match="contains 'compakt'"):
        normalise("cleanup.policy", ["delete", "compakt"])


@pytest.mark.parametrize(
    ("value", "kafka"),
    [
        ("*", "*"),
        ("1:102,0:101", "0:101,1:102"),
        (["0:101", "0:102"], "0:101,0:102"),
        ("", ""),
    ],
)
def test_throttled_replicas_are_star_or_sorted_pairs(value: object, kafka: str) -> None:
    assert normalise("leader.replication.throttled.replicas", value) == kafka


@pytest.mark.parametrize("value", ["0-101", "*,0:101", "a:b"])
def test_throttled_replicas_refuse_anything_else(value: str) -> None:
    with pytest.raises(ConfigValueError, match="partition:broker"):
        normalise("follower.replication.throttled.replicas", value)


@pytest.mark.parametrize(
    ("value", "kafka"),
    [
        (0.5, "0.5"),
        (1, "1.0"),
        (0, "0.0"),
        ("0.50", "0.5"),
        (".25", "0.25"),
        (0.1, "0.1"),
        (0.0001, "1.0E-4"),
        (0.00125, "0.00125"),
        ("5e-1", "0.5"),
    ],
)
def test_doubles_print_as_java_prints_them(value: object, kafka: str) -> None:
    assert normalise("min.cleanable.dirty.ratio", value) == kafka


@pytest.mark.parametrize("value", [1.01, -0.1, "nan", "inf", "half"])
def test_doubles_outside_their_range_or_not_numbers_are_refused(value: object) -> None:
    with pytest.raises(ConfigValueError, match=r"min\.cleanable\.dirty\.ratio"):
        normalise("min.cleanable.dirty.ratio", value)


@pytest.mark.parametrize("key", ["retention.ms", "segment.bytes", "min.insync.replicas"])
def test_a_float_for_a_whole_number_key_is_refused(key: str) -> None:
    with pytest.raises(ConfigValueError, match="is not a whole number"):
        normalise(key, 7.0)


@pytest.mark.parametrize(
    "key", ["retention.ms", "min.insync.replicas", "min.cleanable.dirty.ratio"]
)
def test_a_boolean_for_a_numeric_key_is_refused(key: str) -> None:
    with pytest.raises(ConfigValueError, match="true is a boolean, not a number"):
        normalise(key, True)


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("retention.ms", -5, "-1 for unlimited, or at least 0"),
        ("retention.ms", "-2", "-1 for unlimited, or at least 0"),
        ("local.retention.ms", -3, "-2 for same as retention.ms, -1 for unlimited, or at least 0"),
        ("segment.ms", 0, "at least 1"),
        ("min.insync.replicas", 0, "from 1 to 2147483647"),
        ("segment.bytes", 13, "from 1048576 (1MiB)"),
        ("segment.bytes", "2GiB", "'2GiB' (2147483648) is out of range"),
        ("compression.gzip.level", 10, "-1 for the codec's default, or from 1 to 9"),
        ("compression.lz4.level", 0, "from 1 to 17"),
        ("compression.zstd.level", 23, "from -131072 to 22"),
        ("segment.index.bytes", 2, "from 4 to 2147483647"),
        ("retention.ms", 2**63, "is out of range"),
    ],
)
def test_values_out_of_range_are_refused_with_the_range(
    key: str, value: object, fragment: str
) -> None:
    with pytest.raises(ConfigValueError, match="out of range") as caught:
        normalise(key, value)
    assert fragment in str(caught.value)


def test_an_error_is_one_line_naming_key_value_and_what_is_accepted() -> None:
    with pytest.raises(ConfigValueError) as caught:
        normalise("min.insync.replicas", "two")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("min.insync.replicas: 'two' ")
    assert "a whole number" in message


def test_an_error_remembers_its_key() -> None:
    with pytest.raises(ConfigValueError) as caught:
        normalise("retention.ms", "7x")
    assert caught.value.key == "retention.ms"


def test_a_bad_duration_names_the_key_and_the_units() -> None:
    with pytest.raises(ConfigValueError, match=r"^retention\.ms: '7x' .*ms, s, m, h, d or w"):
        normalise("retention.ms", "7x")


def test_a_decimal_size_unit_is_refused_with_the_binary_spelling() -> None:
    with pytest.raises(ConfigValueError, match="write 512MiB"):
        normalise("segment.bytes", "512MB")


@pytest.mark.parametrize("value", [None, {"a": 1}, ["7d"]])
def test_values_of_the_wrong_shape_are_refused(value: object) -> None:
    with pytest.raises(ConfigValueError, match=r"^retention\.ms: "):
        normalise("retention.ms", value)


def test_a_version_written_as_a_yaml_number_must_be_quoted() -> None:
    with pytest.raises(ConfigValueError, match="put it in quotes"):
        normalise("message.format.version", 3.0)


def test_a_removed_key_still_normalises_for_older_brokers() -> None:
    assert normalise("message.format.version", "3.0-IV1") == "3.0-IV1"
    assert normalise("message.timestamp.difference.max.ms", "1h") == "3600000"


def test_an_unknown_key_is_refused_with_a_suggestion() -> None:
    with pytest.raises(ConfigValueError, match=r"did you mean 'retention\.ms'"):
        normalise("retention.msx", "7d")


@pytest.mark.parametrize("word", ["unlimited", "forever", "Infinite"])
def test_words_for_unlimited_point_to_minus_one(word: str) -> None:
    with pytest.raises(ConfigValueError, match="Kafka writes unlimited as -1"):
        normalise("retention.ms", word)


def test_minus_zero_ratio_is_plain_zero() -> None:
    assert normalise("min.cleanable.dirty.ratio", -0.0) == "0.0"
