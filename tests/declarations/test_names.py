"""Topic name rules and the names Kafka would take for one another."""

from __future__ import annotations

import pytest

from reconciler.kafka.names import collisions, name_problem


@pytest.mark.parametrize("name", ["orders", "orders.created", "a-b_c.D9", "x" * 249, "_schemas2"])
def test_legal_names_pass(name: str) -> None:
    assert name_problem(name) is None


def test_an_empty_name_is_refused() -> None:
    assert name_problem("") == "topic name is empty"


def test_a_name_longer_than_249_characters_is_refused() -> None:
    assert "250 characters long" in (name_problem("x" * 250) or "")


@pytest.mark.parametrize("name", [".", ".."])
def test_dot_and_dot_dot_are_refused(name: str) -> None:
    assert "not allowed" in (name_problem(name) or "")


def test_characters_outside_the_allowed_set_are_named() -> None:
    assert "(' ', '/')" in (name_problem("orders/created now") or "")


def test_names_starting_with_two_underscores_are_reserved() -> None:
    assert "'__'" in (name_problem("__consumer_offsets") or "")


def test_dot_and_underscore_collide() -> None:
    assert collisions(["a.b", "c", "a_b"]) == [("a.b", "a_b")]


def test_names_that_differ_otherwise_do_not_collide() -> None:
    assert collisions(["a.b", "a-b", "ab"]) == []


@pytest.mark.parametrize("name", ["_ktr.apply-lock", "_ktr.mine", "_ktr_apply-lock"])
def test_names_of_ktrs_own_topics_are_reserved(name: str) -> None:
    assert "reserved for ktr's own topics" in (name_problem(name) or "")


def test_a_name_merely_starting_with_ktr_is_legal() -> None:
    assert name_problem("_ktrx") is None and name_problem("ktr.events") is None
