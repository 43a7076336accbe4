"""Typed reads of a JSON document's fields, each failing with one line that names the field.

Used to read saved plans: whatever a hand-edited file holds, a wrong type, a
count outside Kafka's limits or a name Kafka could not hold is a
``not a ktr plan: FIELD ...`` error, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from reconciler.kafka import names as topic_names
from reconciler.problems import UserError

T = TypeVar("T")


def count(value: object, limit: int, where: str) -> int:
    """A partition count or replication factor: a whole number from 1 to Kafka's limit."""
    if not is_a(value, int):
        raise UserError(f"not a ktr plan: {where} must be an integer")
    assert isinstance(value, int)
    if not 1 <= value <= limit:
        raise UserError(f"not a ktr plan: {where} must be 1 or more, at most {limit:,}")
    return value


def topic_name(value: str, where: str) -> str:
    # Any topic name Kafka can hold, including ones ktr would not declare.
    if not value or len(value) > topic_names.MAX_LENGTH:
        raise UserError(
            f"not a ktr plan: {where}: a topic name has 1 to {topic_names.MAX_LENGTH} characters"
        )
    return value


def topic_list(value: object, where: str) -> tuple[str, ...]:
    result = strings(value, where)
    for i, name in enumerate(result):
        topic_name(name, f"{where}[{i}]")
    return result


def mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UserError(f"not a ktr plan: {where} must be an object")
    return value


def field(node: Mapping[str, Any], key: str, kind: type[T], where: str) -> T:
    if key not in node:
        raise UserError(f"not a ktr plan: {where} has no {key!r}")
    value = node[key]
    if not is_a(value, kind):
        raise UserError(f"not a ktr plan: {where}.{key} must be {noun(kind)}")
    result: T = value
    return result


def optional(node: Mapping[str, Any], key: str, kind: type[T], where: str) -> T | None:
    value = node.get(key)
    if value is not None and not is_a(value, kind):
        raise UserError(f"not a ktr plan: {where}.{key} must be {noun(kind)} or null")
    return value


def strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"not a ktr plan: {where} must be a list of strings")
    return tuple(value)


def is_a(value: object, kind: type) -> bool:
    # JSON has no separate booleans-as-integers: true is not a partition count.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def noun(kind: type) -> str:
    return {str: "a string", int: "an integer", list: "a list"}.get(kind, kind.__name__)
