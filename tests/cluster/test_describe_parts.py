"""Topic ids are asked in a few parts, so that no client holds a whole large answer."""

from __future__ import annotations

from reconciler.cluster.topic_reads import DESCRIBE_PART_MIN, DESCRIBE_PARTS, describe_parts


def names(count: int) -> list[str]:
    return [f"t{i:06d}" for i in range(count)]


def test_no_names_need_no_request() -> None:
    assert describe_parts([]) == []


def test_fewer_names_than_a_part_holds_are_one_request() -> None:
    assert describe_parts(names(DESCRIBE_PART_MIN)) == [names(DESCRIBE_PART_MIN)]


def test_more_names_are_cut_into_parts_holding_every_name_once_in_order() -> None:
    wanted = names(DESCRIBE_PART_MIN * 2 + 1)
    parts = describe_parts(wanted)
    assert len(parts) == 3
    assert [name for part in parts for name in part] == wanted


def test_the_number_of_parts_never_grows_past_the_bound() -> None:
    parts = describe_parts(names(50_000))
    assert len(parts) == DESCRIBE_PARTS
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
