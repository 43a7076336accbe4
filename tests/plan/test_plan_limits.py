"""A saved plan is read within limits: no input makes ktr recurse, overflow or hang."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from reconciler.plan.diff import make_plan
from reconciler.plan.document import from_document, to_document
from reconciler.plan.integrity import loads, sealed
from reconciler.problems import UserError
from reconciler.settings import Settings
from tests.states import cluster, declared, desired, existing


def document() -> dict[str, Any]:
    plan = make_plan(
        desired(declared("new", 3, 1), declared("old", 6, 1, {"retention.ms": "1000"})),
        cluster(existing("old", 3, 1)),
        Settings(),
    )
    return to_document(plan)


def test_a_plan_nested_far_too_deep_is_a_one_line_error_not_a_recursion_error() -> None:
    with pytest.raises(UserError, match="nested deeper than 16 levels"):
        loads("[" * 200_000 + "]" * 200_000)


def test_a_plan_nested_deeper_than_any_plan_is_refused() -> None:
    with pytest.raises(UserError, match="nested deeper"):
        loads(json.dumps({"refused": [[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}))


def test_an_integer_with_thousands_of_digits_is_refused_before_it_is_converted() -> None:
    with pytest.raises(UserError, match="an integer of 100000 digits"):
        loads('{"partitions": ' + "9" * 100_000 + "}")


def test_nan_and_infinity_are_not_numbers_in_a_plan() -> None:
    with pytest.raises(UserError, match="NaN"):
        loads('{"partitions": NaN}')


def test_bad_json_names_the_line_and_column() -> None:
    with pytest.raises(UserError, match=r"^the plan:2:1: not JSON"):
        loads('{"a": 1,\n}')


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("partitions", 2**31, "partitions.after must be 1 or more, at most 2,147,483,647"),
        ("partitions", -1, "partitions.after must be 1 or more"),
        ("replication_factor", 2**15, "at most 32,767"),
    ],
)
def test_counts_outside_kafkas_wire_types_are_refused(field: str, value: int, message: str) -> None:
    doc = document()
    doc["actions"][0][field]["after"] = value
    with pytest.raises(UserError, match=re.escape(message)):
        from_document(sealed(doc))


def test_a_recorded_partition_count_outside_int32_is_refused() -> None:
    doc = document()
    doc["made_from"]["topics"][0]["partitions"] = 2**40
    with pytest.raises(UserError, match=re.escape("made_from.topics[0].partitions")):
        from_document(sealed(doc))


def test_a_topic_name_longer_than_kafka_allows_is_refused_anywhere_in_the_plan() -> None:
    doc = document()
    doc["unmanaged"] = ["x" * 250]
    with pytest.raises(UserError, match=re.escape("unmanaged[0]: a topic name has 1 to 249")):
        from_document(sealed(doc))


def test_a_location_line_outside_int32_is_refused() -> None:
    doc = document()
    doc["made_from"]["topics"][0]["location"] = {"file": "a.yaml", "line": 2**63, "column": 1}
    with pytest.raises(UserError, match="line is out of range"):
        from_document(sealed(doc))


def test_a_topic_recorded_twice_is_refused() -> None:
    doc = document()
    topics = doc["made_from"]["topics"]
    topics.append(topics[0])
    with pytest.raises(UserError, match="recorded twice"):
        from_document(sealed(doc))


def test_the_digest_does_not_depend_on_indentation_or_key_order() -> None:
    doc = document()
    reordered = json.dumps(dict(reversed(list(doc.items()))))
    assert from_document(loads(reordered)) == from_document(doc)


def test_declared_names_beyond_what_the_plan_records_are_refused_before_the_cluster_is_read() -> (
    None
):
    doc = document()
    doc["declared"] = sorted([*doc["declared"], *(f"extra-{n:06}" for n in range(300_000))])
    with pytest.raises(UserError, match=re.escape("plan.declared must list, sorted")):
        from_document(sealed(doc))
