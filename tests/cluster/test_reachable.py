"""The pre-flight before connecting: fail at once when no bootstrap address can answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from reconciler.cluster import kafka
from reconciler.cluster.admin import ClusterError
from reconciler.cluster.reachable import Address, parse, unreachable
from tests.broker import free_port


@pytest.fixture
def listening() -> Iterator[str]:
    """A loopback address that accepts TCP connections (and is no Kafka broker)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield f"127.0.0.1:{server.getsockname()[1]}"


@pytest.fixture
def refusing() -> str:
    """A loopback address where nothing listens."""
    return f"127.0.0.1:{free_port()}"


def test_a_refused_address_is_unreachable_with_the_reason(refusing: str) -> None:
    assert unreachable(refusing) == f"{refusing}: Connection refused"


def test_a_name_that_does_not_resolve_is_unreachable() -> None:
    why = unreachable("nosuchhost.invalid:9092")
    assert why is not None and why.startswith("nosuchhost.invalid:9092: cannot resolve")


def test_a_non_ascii_name_that_does_not_resolve_is_unreachable_too() -> None:
    why = unreachable("brøker.invalid:9092")
    assert why is not None and why.startswith("brøker.invalid:9092: cannot resolve")


def test_a_host_name_resolves_as_well_as_an_address(listening: str) -> None:
    assert unreachable(listening.replace("127.0.0.1", "localhost")) is None


def test_an_address_that_accepts_may_answer(listening: str) -> None:
    assert unreachable(listening) is None


def test_one_address_that_may_answer_is_enough(refusing: str, listening: str) -> None:
    assert unreachable(f"{refusing},{listening}") is None


def test_every_refusal_is_named(refusing: str) -> None:
    why = unreachable(f"{refusing},nosuchhost.invalid:1")
    assert why is not None and f"{refusing}: Connection refused; nosuchhost.invalid:1:" in why


def test_bootstrap_addresses_are_read_as_librdkafka_reads_them() -> None:
    assert parse("SSL://k1:9093, [::1]:9094,k3") == [
        Address("SSL://k1:9093", "k1", 9093),
        Address("[::1]:9094", "::1", 9094),
        Address("k3", "k3", 9092),
    ]


def test_an_address_of_an_unknown_form_is_left_to_librdkafka() -> None:
    assert unreachable("k1:9092:extra") is None


@pytest.mark.timeout(60)
def test_connect_fails_at_once_when_every_address_refuses(refusing: str) -> None:
    # With a ten-minute timeout, only the pre-flight can end this within the test's minute.
    with pytest.raises(ClusterError) as caught:
        kafka.connect(refusing, timeout=600)
    assert str(caught.value) == f"cannot reach Kafka at {refusing}: {refusing}: Connection refused"


def test_connect_waits_out_the_timeout_for_an_address_that_may_answer(listening: str) -> None:
    with pytest.raises(ClusterError, match=r"cannot reach Kafka at .* within 1 s"):
        kafka.connect(listening, timeout=1)
