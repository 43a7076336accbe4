"""Project settings kept in git: which topic names ktr owns, and which it must never touch.

On a shared cluster most topics belong to someone else. ``owned_topics``
narrows what ktr reports as unmanaged; ``protected_topics`` adds to the
built-in names that are never deleted or recreated, whatever the flags.

``ktr.yaml`` is read with the same strict loader as declarations (duplicate
keys, unsafe tags and bad YAML are errors at their line), and every key it
may hold is declared once, in :data:`SECTIONS`: adding a section is one
entry there and one field on :class:`Settings`.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.declarations.loader import load_yaml
from reconciler.kafka import names
from reconciler.problems import Problem, UserError, read_text

DEFAULT_SETTINGS_FILE = Path("ktr.yaml")

# Kafka's internal topics and the usual system topics of Schema Registry,
# Connect, MirrorMaker 2 and Confluent Platform. Deleting any of them breaks
# the component that owns it, so no declaration can ask for it.
BUILTIN_PROTECTED = (
    "__*",
    "_schemas",
    "_confluent*",
    "connect-*",
    "*.internal",
    "*-internal",
    "heartbeats",
    "*.heartbeats",  # MirrorMaker 2's copies of other clusters' heartbeats
    "_ktr.*",
)

# ktr's own topics (the apply lock): never listed as unmanaged, never deleted.
KTR_PREFIX = names.RESERVED_PREFIX


@dataclass(frozen=True)
class Settings:
    """What ktr may consider its own on the cluster."""

    owned: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()

    def owns(self, name: str) -> bool:
        """True when ``name`` is within the names ktr manages (all names when unset)."""
        return not self.owned or _matches(name, self.owned)

    def is_protected(self, name: str) -> bool:
        """True for names ktr must never delete or recreate."""
        return _matches(name, BUILTIN_PROTECTED) or _matches(name, self.protected)

    def is_internal(self, name: str) -> bool:
        """True for Kafka-internal names and ktr's own, which are never reported as unmanaged."""
        return name.startswith(("__", KTR_PREFIX))


def _matches(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


class BadSetting(Exception):
    """A value a section cannot take; ``where`` is the path to it inside the section."""

    def __init__(self, message: str, where: tuple[Hashable, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


@dataclass(frozen=True)
class Section:
    """One top-level key of ktr.yaml: the :class:`Settings` field it fills and its reader.

    ``read`` takes the loaded YAML value and returns the field's value, or
    raises :class:`BadSetting`.
    """

    field: str
    read: Callable[[Any], Any]


def topic_patterns(key: str) -> Callable[[Any], tuple[str, ...]]:
    """A reader for a list of shell-style topic name patterns."""

    def read(value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise BadSetting(f"{key} must be a list of topic name patterns (e.g. 'orders.*')")
        for index, pattern in enumerate(value):
            if not isinstance(pattern, str) or not pattern:
                raise BadSetting(
                    f"{key}[{index}] must be a topic name pattern (a non-empty string, "
                    "e.g. 'orders.*')",
                    (index,),
                )
        return tuple(value)

    return read


#: Every key ktr.yaml may hold, and how it is read.
SECTIONS: dict[str, Section] = {
    "owned_topics": Section("owned", topic_patterns("owned_topics")),
    "protected_topics": Section("protected", topic_patterns("protected_topics")),
}


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path``, or from ./ktr.yaml when it exists.

    An explicitly named file must exist; the default file is optional.
    Raises UserError listing every problem, one ``FILE:LINE:COL: message`` a line.
    """
    if path is None:
        if not DEFAULT_SETTINGS_FILE.is_file():
            return Settings()
        path = DEFAULT_SETTINGS_FILE
    loaded = load_yaml(path, read_text(path, "settings"))
    problems = list(loaded.problems)
    if loaded.root is None:
        _raise(problems)
        return Settings()
    doc = loaded.data
    if not isinstance(doc, dict):
        known = " and ".join(SECTIONS)
        raise UserError(f"{path}:1:1: settings must be a mapping with {known}")
    values: dict[str, Any] = {}
    for key, value in doc.items():
        section = SECTIONS.get(key) if isinstance(key, str) else None
        if section is None:
            problems.append(loaded.problem((key,), _unknown(key), key=True))
            continue
        try:
            values[section.field] = section.read(value)
        except BadSetting as bad:
            problems.append(loaded.problem((key, *bad.where), bad.message, key=not bad.where))
    _raise(problems)
    return Settings(**values)


def _unknown(key: object) -> str:
    known = list(SECTIONS)
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown setting {key!r}{hint} (known settings: {', '.join(known)})"


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise UserError("\n".join(str(p) for p in sorted(problems)))
