"""Schema errors turned into problems that say what to fix, in the words of the file.

jsonschema's own messages ("Additional properties are not allowed ('partitons'
was unexpected)") name neither the topic nor the fix; these do, one problem
per offending key, at its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reconciler.declarations.schema_check import iter_errors
from reconciler.declarations.yaml_file import DataPath, YamlFile
from reconciler.kafka import catalogue
from reconciler.problems import Problem

if TYPE_CHECKING:
    import jsonschema


def schema_problems(file: YamlFile) -> list[Problem]:
    """Every schema problem of a loaded file."""
    problems: list[Problem] = []
    for error in iter_errors(file.data):
        problems.extend(_translate(file, error))
    return problems


def _translate(file: YamlFile, error: jsonschema.ValidationError) -> list[Problem]:
    """One clear problem (or one per offending key) for a jsonschema error."""
    path: DataPath = tuple(error.absolute_path)
    place = where(path)
    validator = error.validator
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        return [
            file.problem(
                (*path, key),
                f"unknown key {key!r} {_in(place)}{_did_you_mean(key, allowed)}",
                key=True,
            )
            for key in error.instance
            if key not in allowed
        ]
    if validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [
            file.problem(path, f"missing '{key}:' {_in(place)}", key=bool(path)) for key in missing
        ]
    if validator == "type":
        expected = _expected(error.validator_value)
        return [file.problem(path, f"{place} must be {expected}, not {kind(error.instance)}")]
    if validator in ("minimum", "maximum"):
        bound = "at least" if validator == "minimum" else "at most"
        return [
            file.problem(
                path, f"{place} must be {bound} {error.validator_value}, not {error.instance!r}"
            )
        ]
    if validator == "enum" and len(path) >= 2 and path[-2] == "ignore" and "doctor" in path:
        return [
            file.problem(
                path,
                f"unknown doctor rule {error.instance!r} in {where(path[:2])}"
                f"{_did_you_mean(error.instance, error.validator_value)}",
            )
        ]
    if validator == "pattern" and path and path[-1] == "environments":
        return [
            file.problem(
                (*path, error.instance),
                f"environment name {error.instance!r} must start with a letter or digit "
                "and hold only a-z A-Z 0-9 . _ -",
                key=True,
            )
        ]
    return [file.problem(path, f"{place}: {error.message}")]


def where(path: DataPath) -> str:
    """How a place in the file reads in a message."""
    if not path:
        return "the top level"
    if path[0] == "defaults":
        head, rest = "defaults", path[1:]
    elif path[0] == "topics" and len(path) >= 2:
        head, rest = f"topic '{path[1]}'", path[2:]
    elif path[0] == "topics":
        return "'topics'"
    else:
        return repr(path[0])
    if len(rest) >= 2 and rest[0] == "environments":
        head = f"{head} in environment '{rest[1]}'"
        rest = rest[2:]
    elif rest and rest[0] == "environments":
        return f"'environments' of {head}"
    if not rest:
        return head
    return f"'{rest[0]}' of {head}" if len(rest) == 1 else f"'{'.'.join(map(str, rest))}' of {head}"


def _in(where: str) -> str:
    return "at the top level" if where == "the top level" else f"in {where}"


# The words other tools use for ktr's keys: Strimzi's KafkaTopic (replicas),
# kafka-topics.sh (--replication-factor), Confluent's REST API (configs).
_OTHER_TOOLS = {
    "replicas": "replication_factor",
    "replication": "replication_factor",
    "replicationFactor": "replication_factor",
    "replication-factor": "replication_factor",
    "replication.factor": "replication_factor",
    "numPartitions": "partitions",
    "num_partitions": "partitions",
    "num.partitions": "partitions",
    "partition_count": "partitions",
    "configs": "config",
    "settings": "config",
    "configuration": "config",
    "properties": "config",
}


def _did_you_mean(key: object, allowed: Sequence[str]) -> str:
    if not isinstance(key, str):
        return f"; expected one of: {', '.join(allowed)}"
    meant = _OTHER_TOOLS.get(key)
    if meant in allowed:
        return f"; did you mean '{meant}'?"
    if "config" in allowed and key in catalogue.CATALOGUE:
        return "; it is a topic config: put it under 'config:'"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; expected one of: {', '.join(allowed)}"


_KINDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _expected(types: object) -> str:
    listed = types if isinstance(types, list) else [types]
    return " or ".join(_KINDS.get(str(t), str(t)) for t in listed)


def kind(value: object) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
