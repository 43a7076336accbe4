"""Config values in the forms a person writes: ``7d``, ``512MiB``, ``true``, ``[compact, delete]``.

Each form is checked to normalise back to exactly the Kafka string it came
from, so what is written means what the cluster has; a value no friendlier
form keeps exactly is written as Kafka prints it.
"""

from __future__ import annotations

import functools

from reconciler.kafka import catalogue, units

Human = str | int | float | bool | list[str]

# Days rather than weeks: "retention.ms: 14d" is how retention is usually said.
_DURATIONS = (
    ("d", units.DURATION_UNITS["d"]),
    ("h", units.DURATION_UNITS["h"]),
    ("m", units.DURATION_UNITS["m"]),
    ("s", units.DURATION_UNITS["s"]),
)


@functools.lru_cache(maxsize=4096)
def _humanise(key: str, value: str) -> Human:
    candidate = _candidate(key, value)
    try:
        if catalogue.normalise(key, candidate) == value:
            return candidate
    except catalogue.ConfigValueError:
        pass
    return value


def humanise(key: str, value: str) -> Human:
    """``value`` (as Kafka reports it) of ``key``, in the form a person writes."""
    found = _humanise(key, value)
    return list(found) if isinstance(found, list) else found


def _candidate(key: str, value: str) -> Human:
    spec = catalogue.CATALOGUE.get(key)
    if spec is None:
        return value
    if spec.type in ("int", "long"):
        number = int(value)
        if spec.unit == "ms" and number > 0:
            for unit, size in _DURATIONS:
                if number % size == 0:
                    return f"{number // size}{unit}"
            return number
        if spec.unit == "bytes" and number > 0 and number < catalogue.LONG_MAX:
            spelled = units.format_bytes(number)
            return number if spelled.endswith("B") and not spelled.endswith("iB") else spelled
        return number
    if spec.type == "double":
        return float(value)
    if spec.type == "boolean":
        return value == "true"
    if spec.type == "list":
        items = [item for item in value.split(",") if item]
        return items[0] if len(items) == 1 else items
    return value
