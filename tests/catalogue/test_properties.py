"""Properties that hold for every value: normalising twice changes nothing, order never matters."""

from __future__ import annotations

from random import Random

from hypothesis import given
from hypothesis import strategies as st

from reconciler.kafka.catalogue import CATALOGUE, ConfigValueError, canonical, normalise
from reconciler.kafka.units import DURATION_UNITS, SIZE_UNITS, parse_bytes, parse_duration_ms

# Values of the shapes declarations hold, valid or not, for any key.
declared_values = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=12),
    st.builds(
        lambda n, u: f"{n}{u}",
        st.integers(0, 10**6),
        st.sampled_from(["ms", "s", "d", "MiB", "GiB", "KB"]),
    ),
    st.sampled_from(["true", "false", "compact", "delete", "CreateTime", "0:1,2:3", "*", "0.5"]),
    st.lists(st.sampled_from(["compact", "delete", "Compact", "0:1", "*", "x"]), max_size=4),
)


@given(st.sampled_from(sorted(CATALOGUE)), declared_values)
def test_normalise_is_idempotent(key: str, value: object) -> None:
    try:
        once = normalise(key, value)
    except ConfigValueError:
        return
    assert normalise(key, once) == once


@given(st.sampled_from(sorted(CATALOGUE)), declared_values)
def test_normalise_fails_only_with_a_one_line_config_value_error(key: str, value: object) -> None:
    try:
        normalise(key, value)
    except ConfigValueError as error:
        assert "\n" not in str(error)
        assert str(error).startswith(key) or str(error).startswith("unknown")


@given(st.lists(st.sampled_from(["compact", "delete"]), min_size=1), st.randoms())
def test_cleanup_policy_order_never_changes_the_canonical_form(
    policies: list[str], random: Random
) -> None:
    shuffled = list(policies)
    random.shuffle(shuffled)
    assert canonical("cleanup.policy", ",".join(policies)) == canonical(
        "cleanup.policy", ",".join(shuffled)
    )


@given(
    st.lists(st.tuples(st.integers(0, 999), st.integers(0, 9999)), min_size=1, max_size=6),
    st.randoms(),
)
def test_throttled_replica_order_never_changes_the_canonical_form(
    pairs: list[tuple[int, int]], random: Random
) -> None:
    written = [f"{p}:{b}" for p, b in pairs]
    shuffled = list(written)
    random.shuffle(shuffled)
    key = "leader.replication.throttled.replicas"
    assert canonical(key, ",".join(written)) == canonical(key, ",".join(shuffled))


@given(st.floats(min_value=0, max_value=1))
def test_a_ratio_survives_the_round_trip_through_its_kafka_string(ratio: float) -> None:
    assert float(normalise("min.cleanable.dirty.ratio", ratio)) == ratio


@given(st.integers(0, 10**9), st.sampled_from(sorted(DURATION_UNITS)))
def test_a_duration_is_its_number_times_its_unit(number: int, unit: str) -> None:
    assert parse_duration_ms(f"{number}{unit}") == number * DURATION_UNITS[unit]


@given(st.integers(0, 10**6), st.sampled_from(["B", "KiB", "MiB", "GiB", "TiB"]))
def test_a_size_is_its_number_times_its_unit(number: int, unit: str) -> None:
    assert parse_bytes(f"{number}{unit}") == number * SIZE_UNITS[unit.lower()]
