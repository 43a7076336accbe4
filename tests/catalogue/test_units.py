"""Durations and sizes as people write them, in Kafka's milliseconds and bytes."""

from __future__ import annotations

import pytest

from reconciler.kafka.units import format_bytes, format_duration_ms, parse_bytes, parse_duration_ms


@pytest.mark.parametrize(
    ("written", "ms"),
    [
        ("500ms", 500),
        ("45s", 45_000),
        ("30m", 1_800_000),
        ("12h", 43_200_000),
        ("7d", 604_800_000),
        ("2w", 1_209_600_000),
        ("0s", 0),
        (" 7d ", 604_800_000),
        ("7 d", 604_800_000),
    ],
)
def test_a_duration_with_a_unit_becomes_milliseconds(written: str, ms: int) -> None:
    assert parse_duration_ms(written) == ms


@pytest.mark.parametrize(("written", "ms"), [(250, 250), ("250", 250), (-1, -1), ("-1", -1)])
def test_a_plain_integer_duration_is_already_milliseconds(written: str | int, ms: int) -> None:
    assert parse_duration_ms(written) == ms


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("7x", "unknown duration unit 'x'"),
        ("7D", "units are lower-case: 7d"),
        ("1.5h", "90m rather than 1.5h"),
        ("0.5s", "500ms rather than 0.5s"),
        ("0.0001ms", "is not a whole number of milliseconds"),
        ("-1d", "negative duration"),
        ("1h30m", "mixes units; write it in one unit"),
        ("seven days", "is not a duration"),
        ("", "is not a duration"),
    ],
)
def test_a_bad_duration_says_what_is_wrong(written: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_duration_ms(written)


def test_a_duration_error_names_the_value_and_the_accepted_units() -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration_ms("7x")
    assert "'7x'" in str(caught.value)
    assert "ms, s, m, h, d or w" in str(caught.value)


@pytest.mark.parametrize("value", [True, False, 1.5, 7.0, None, ["7d"]])
def test_a_duration_must_be_text_or_a_whole_number(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration_ms(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "size"),
    [
        ("100B", 100),
        ("4KiB", 4096),
        ("512MiB", 536_870_912),
        ("1GiB", 1_073_741_824),
        ("2TiB", 2 * 1024**4),
        ("512mib", 536_870_912),
        ("1 GiB", 1_073_741_824),
    ],
)
def test_a_size_with_a_binary_unit_becomes_bytes(written: str, size: int) -> None:
    assert parse_bytes(written) == size


@pytest.mark.parametrize(("written", "size"), [(4096, 4096), ("4096", 4096), ("-1", -1)])
def test_a_plain_integer_size_is_already_bytes(written: str | int, size: int) -> None:
    assert parse_bytes(written) == size


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [("512MB", "512MiB"), ("1GB", "1GiB"), ("64kB", "64KiB"), ("1G", "1GiB"), ("1TB", "1TiB")],
)
def test_decimal_looking_size_units_are_refused_as_ambiguous(written: str, suggestion: str) -> None:
    with pytest.raises(ValueError, match="ambiguous") as caught:
        parse_bytes(written)
    assert suggestion in str(caught.value)


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("5PB", "unknown size unit"),
        ("1.5GiB", "1536MiB rather than 1.5GiB"),
        ("1.5MiB", "1536KiB rather than 1.5MiB"),
        ("0.3B", "is not a whole number of bytes"),
        ("-1MiB", "negative size"),
        ("lots", "is not a size"),
    ],
)
def test_a_bad_size_says_what_is_wrong(written: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_bytes(written)


@pytest.mark.parametrize(
    ("ms", "spelled"),
    [(604_800_000, "1w"), (86_400_000, "1d"), (90_000, "90s"), (1, "1ms"), (-1, "-1")],
)
def test_durations_are_spelled_in_the_largest_exact_unit(ms: int, spelled: str) -> None:
    assert format_duration_ms(ms) == spelled


@pytest.mark.parametrize(
    ("size", "spelled"), [(1_048_576, "1MiB"), (1536, "1536B"), (3 * 1024, "3KiB"), (0, "0")]
)
def test_sizes_are_spelled_in_the_largest_exact_binary_unit(size: int, spelled: str) -> None:
    assert format_bytes(size) == spelled
