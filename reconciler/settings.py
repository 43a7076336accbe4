"""Project settings kept in git: which topic names ktr owns, and which it must never touch.

On a shared cluster most topics belong to someone else. ``owned_topics``
narrows what ktr reports as unmanaged; ``protected_topics`` adds to the
built-in names that are never deleted or recreated, whatever the flags.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from reconciler.problems import UserError, read_text

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
KTR_PREFIX = "_ktr."

_KNOWN_KEYS = ("owned_topics", "protected_topics")


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


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path``, or from ./ktr.yaml when it exists.

    An explicitly named file must exist; the default file is optional.
    """
    if path is None:
        if not DEFAULT_SETTINGS_FILE.is_file():
            return Settings()
        path = DEFAULT_SETTINGS_FILE
    text = read_text(path, "settings")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise UserError(f"{where}: {problem}") from None
    if doc is None:
        return Settings()
    if not isinstance(doc, dict):
        raise UserError(f"{path}:1:1: settings must be a mapping with {' and '.join(_KNOWN_KEYS)}")
    marks = {
        key.value: f"{path}:{key.start_mark.line + 1}:{key.start_mark.column + 1}"
        for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
    }
    for key in doc:
        if key not in _KNOWN_KEYS:
            raise UserError(
                f"{marks.get(key, path)}: unknown setting {key!r}; "
                f"known settings: {', '.join(_KNOWN_KEYS)}"
            )
    return Settings(
        owned=_patterns(doc, "owned_topics", marks.get("owned_topics", str(path))),
        protected=_patterns(doc, "protected_topics", marks.get("protected_topics", str(path))),
    )


def _patterns(doc: dict[object, object], key: str, where: str) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise UserError(f"{where}: {key} must be a list of topic name patterns (e.g. 'orders.*')")
    return tuple(value)
