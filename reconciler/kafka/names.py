"""Topic name rules: what Kafka accepts, and names Kafka would take for the same one.

Kafka maps ``.`` to ``_`` in metric names, so ``orders.created`` and
``orders_created`` collide: the controller refuses the second one. Both are
checked here, before anything reaches a cluster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LENGTH = 249

# ktr's own topics (the apply lock). A declared one would be taken for the
# lock by every apply; '_ktr_' collides with '_ktr.' in Kafka, so both are reserved.
RESERVED_PREFIX = "_ktr."
_LEGAL = re.compile(r"[a-zA-Z0-9._-]+")
_RESERVED_KEY = RESERVED_PREFIX.replace(".", "_")  # collision_key(RESERVED_PREFIX)


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a declared topic name, or None when it can."""
    if not name:
        return "topic name is empty"
    if len(name) > MAX_LENGTH:
        return (
            f"topic name '{name[:40]}...' is {len(name)} characters long; "
            f"Kafka allows at most {MAX_LENGTH}"
        )
    if name in (".", ".."):
        return f"topic name '{name}' is not allowed by Kafka"
    if not _LEGAL.fullmatch(name):
        bad = sorted({c for c in name if not _LEGAL.fullmatch(c)})
        shown = ", ".join(repr(c) for c in bad)
        return (
            f"topic name '{name}' has characters Kafka does not allow ({shown}); "
            "use only a-z A-Z 0-9 . _ -"
        )
    if name.startswith("__"):
        return (
            f"topic name '{name}' starts with '__', which is reserved for Kafka's internal topics"
        )
    if collision_key(name[: len(RESERVED_PREFIX)]) == _RESERVED_KEY:
        return (
            f"topic name '{name}' starts with '{name[:5]}', which is reserved for ktr's own "
            "topics (the apply lock); choose another name"
        )
    return None


def collision_key(name: str) -> str:
    """The form under which Kafka considers two names the same (``.`` and ``_`` alike)."""
    return name.replace(".", "_")


def collisions(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs ``(first, later)`` of names that collide, in the order given.

    Each later name is paired with the first name it collides with.
    """
    first_by_key: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for name in names:
        key = collision_key(name)
        first = first_by_key.setdefault(key, name)
        if first != name:
            pairs.append((first, name))
    return pairs
