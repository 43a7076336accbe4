"""Durations and sizes as people write them, turned into Kafka's milliseconds and bytes.

Durations take one whole number and one lower-case unit: ``500ms``, ``45s``,
``30m``, ``12h``, ``7d``, ``2w``. Sizes take binary (IEC) units: ``B``, ``KiB``,
``MiB``, ``GiB``, ``TiB`` (any letter case). ``KB``, ``MB``, ``GB`` and friends
are refused: half the world reads them as powers of 1000 and the other half as
powers of 1024, and a topic config that is 2.4 % off is a bug nobody notices.
Plain integers (``604800000``, ``-1``) pass through; whether a negative value
is allowed is the catalogue's call, not this module's.

Errors are ``ValueError`` with a one-line message naming the value and what is
accepted; callers prefix the config key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

DURATION_UNITS: dict[str, int] = {
    "ms": 1,
    "s": 1000,
    "m": 60 * 1000,
    "h": 60 * 60 * 1000,
    "d": 24 * 60 * 60 * 1000,
    "w": 7 * 24 * 60 * 60 * 1000,
}

SIZE_UNITS: dict[str, int] = {
    "b": 1,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}

# How the IEC units are spelled in messages, keyed like SIZE_UNITS.
_SIZE_SPELLING = {"b": "B", "kib": "KiB", "mib": "MiB", "gib": "GiB", "tib": "TiB"}

# Decimal-looking units mapped to the binary unit a user most likely meant.
_AMBIGUOUS_SIZE_UNITS = {
    "k": "KiB",
    "kb": "KiB",
    "m": "MiB",
    "mb": "MiB",
    "g": "GiB",
    "gb": "GiB",
    "t": "TiB",
    "tb": "TiB",
}

_PLAIN_INTEGER = re.compile(r"\s*([+-]?[0-9]+)\s*")
_WITH_UNIT = re.compile(
    r"\s*(?P<number>[+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)\s*(?P<unit>[A-Za-z]+)\s*"
)

_MIXED_UNITS = re.compile(r"\s*(?:[0-9]+\s*[A-Za-z]+\s*){2,}")

DURATION_HELP = (
    "a whole number with a unit ms, s, m, h, d or w (e.g. 7d, 12h, 500ms), or milliseconds"
)
SIZE_HELP = "a whole number with a unit B, KiB, MiB, GiB or TiB (e.g. 512MiB), or bytes"


def parse_duration_ms(value: str | int) -> int:
    """Milliseconds for ``value``: ``"7d"`` -> 604800000, ``"-1"`` -> -1, ``250`` -> 250."""
    text = _integer_or_text(value, "duration", DURATION_HELP)
    if isinstance(text, int):
        return text
    match = _WITH_UNIT.fullmatch(text)
    if match is None:
        if _MIXED_UNITS.fullmatch(text):
            raise ValueError(f"{text!r} mixes units; write it in one unit (e.g. 90m, not 1h30m)")
        raise ValueError(f"{text!r} is not a duration; use {DURATION_HELP}")
    number, unit = match["number"], match["unit"]
    if unit not in DURATION_UNITS:
        if unit.lower() in DURATION_UNITS:
            hint = f"units are lower-case: {number}{unit.lower()}"
        else:
            hint = f"use {DURATION_HELP}"
        raise ValueError(f"{text!r} has an unknown duration unit {unit!r}; {hint}")
    whole = _whole_number(
        text, number, "duration", DURATION_UNITS[unit], format_duration_ms, "milliseconds"
    )
    return whole * DURATION_UNITS[unit]


def parse_bytes(value: str | int) -> int:
    """Bytes for ``value``: ``"512MiB"`` -> 536870912, ``"-1"`` -> -1, ``4096`` -> 4096."""
    text = _integer_or_text(value, "size", SIZE_HELP)
    if isinstance(text, int):
        return text
    match = _WITH_UNIT.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size; use {SIZE_HELP}")
    number, unit = match["number"], match["unit"].lower()
    if unit in _AMBIGUOUS_SIZE_UNITS:
        binary = _AMBIGUOUS_SIZE_UNITS[unit]
        raise ValueError(
            f"{text!r} is ambiguous ({match['unit']} may mean 1000 or 1024); "
            f"write {number}{binary} for binary units, or the exact number of bytes"
        )
    if unit not in SIZE_UNITS:
        raise ValueError(f"{text!r} has an unknown size unit {match['unit']!r}; use {SIZE_HELP}")
    whole = _whole_number(text, number, "size", SIZE_UNITS[unit], format_bytes, "bytes")
    return whole * SIZE_UNITS[unit]


def format_duration_ms(ms: int) -> str:
    """The shortest exact spelling of ``ms`` in the largest unit that divides it (for messages)."""
    if ms <= 0:
        return str(ms)
    for unit in ("w", "d", "h", "m", "s"):
        if ms % DURATION_UNITS[unit] == 0:
            return f"{ms // DURATION_UNITS[unit]}{unit}"
    return f"{ms}ms"


def format_bytes(size: int) -> str:
    """The exact spelling of ``size`` in the largest binary unit that divides it (for messages)."""
    if size <= 0:
        return str(size)
    for unit in ("tib", "gib", "mib", "kib"):
        if size % SIZE_UNITS[unit] == 0:
            return f"{size // SIZE_UNITS[unit]}{_SIZE_SPELLING[unit]}"
    return f"{size}B"


def _integer_or_text(value: object, what: str, help_text: str) -> int | str:
    """An int as is, a plain-integer string as an int, any other string as text to parse."""
    # bool is an int subclass; YAML turns yes/no/on/off into booleans, never durations.
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is a boolean, not a {what}; use {help_text}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        plain = _PLAIN_INTEGER.fullmatch(value)
        return int(plain[1]) if plain else value
    if isinstance(value, float):
        raise ValueError(f"{value!r} is not a whole number; use {help_text}")
    raise ValueError(f"a {type(value).__name__} is not a {what}; use {help_text}")


def _whole_number(
    text: str,
    number: str,
    what: str,
    factor: int,
    spell: Callable[[int], str],
    base: str,
) -> int:
    if number.startswith("-"):
        raise ValueError(
            f"{text!r} is a negative {what}; only plain -1 or -2 have special meanings, "
            "and only for some keys"
        )
    if "." in number:
        exact = Fraction(number) * factor
        if exact.denominator != 1:
            raise ValueError(f"{text!r} is not a whole number of {base}")
        spelled = spell(int(exact))
        raise ValueError(
            f"{text!r} is not a whole number; write it as {spelled} rather than {text}"
        )
    return int(number)
