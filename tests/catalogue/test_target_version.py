"""Keys and values judged for the Kafka version a cluster runs."""

from __future__ import annotations

import pytest

from reconciler.kafka.catalogue import CATALOGUE, key_problem, known_in
from reconciler.kafka.versions import KafkaVersion, parse_version

PROD_EU = parse_version("3.7").run_by("cluster 'prod-eu'")


def test_a_key_added_after_the_target_version_is_an_error_naming_both_versions() -> None:
    assert key_problem("compression.gzip.level", PROD_EU) == (
        "error",
        "compression.gzip.level needs Kafka 3.8 or later, but cluster 'prod-eu' runs Kafka "
        "3.7, which rejects it as unknown; remove it, or upgrade the cluster first",
    )


def test_a_key_removed_at_the_target_version_is_an_error() -> None:
    problem = key_problem("message.format.version", parse_version("4.0"))
    assert problem is not None
    assert problem[0] == "error"
    assert "removed in Kafka 4.0" in problem[1]


def test_a_removed_key_names_its_replacement() -> None:
    problem = key_problem("message.timestamp.difference.max.ms", parse_version("4.1"))
    assert problem is not None
    assert "message.timestamp.before.max.ms" in problem[1]


def test_a_removed_key_is_fine_on_a_release_that_still_has_it() -> None:
    assert key_problem("message.format.version", parse_version("3.9")) is None


def test_a_key_of_the_newest_release_raises_no_warning_for_that_release() -> None:
    assert key_problem("remote.copy.lag.ms", parse_version("4.4")) is None


def test_reassignment_keys_still_warn_with_a_target() -> None:
    problem = key_problem("leader.replication.throttled.replicas", parse_version("4.1"))
    assert problem is not None and problem[0] == "warning"


@pytest.mark.parametrize(
    ("version", "count"), [("3.7", 31), ("3.8", 34), ("3.9", 36), ("4.0", 33), ("4.4", 36)]
)
def test_each_release_knows_the_keys_of_its_logconfig(version: str, count: int) -> None:
    release = parse_version(version)
    assert sum(known_in(key, release) for key in CATALOGUE) == count


@pytest.mark.parametrize(
    ("text", "version"), [("3.9", (3, 9)), ("4.1.0", (4, 1)), (" 4.0 ", (4, 0))]
)
def test_versions_are_read_as_major_and_minor(text: str, version: tuple[int, int]) -> None:
    parsed = parse_version(text)
    assert (parsed.major, parsed.minor) == version


@pytest.mark.parametrize("text", ["4", "four", "4.x", "3.9-IV0"])
def test_a_malformed_version_says_what_to_write(text: str) -> None:
    with pytest.raises(ValueError, match=r"write major\.minor such as 3\.9"):
        parse_version(text)


@pytest.mark.parametrize("text", ["2.8", "5.0"])
def test_a_version_outside_the_catalogue_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"3\.7 to 4\.4"):
        parse_version(text)


def test_who_runs_a_version_takes_no_part_in_comparing_it() -> None:
    assert KafkaVersion(3, 9, who="cluster 'a'") == KafkaVersion(3, 9, who="cluster 'b'")
