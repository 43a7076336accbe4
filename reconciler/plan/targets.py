"""``--target``: limit a plan to the topics matching shell patterns, as Terraform's -target.

Patterns are matched case-sensitively (Kafka topic names are), with ``*``,
``?`` and ``[...]`` as in ``fnmatch``. No targets means every topic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase


def selected(name: str, targets: Sequence[str]) -> bool:
    """True when ``name`` is in the plan: no targets, or one of them matches it."""
    return not targets or any(fnmatchcase(name, pattern) for pattern in targets)


def unmatched(targets: Sequence[str], names: Iterable[str]) -> list[str]:
    """The targets that match none of ``names``, in the order given."""
    pending = list(dict.fromkeys(targets))
    for name in names:
        if not pending:
            break
        pending = [pattern for pattern in pending if not fnmatchcase(name, pattern)]
    return pending
