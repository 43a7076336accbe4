"""The declarations against ``topics.lock``: a topic added or removed without re-locking.

The lock file's format is :mod:`reconciler.declarations.lock`; this module
decides which declarations the lock is checked against.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reconciler.declarations import lock
from reconciler.declarations.source import Source
from reconciler.model import Location
from reconciler.problems import Problem


def lock_problems(path: Path, sources: Sequence[Source], broken: set[str]) -> list[Problem]:
    """The lock checked against the files under ``path``, except those with errors.

    A file with errors may not say what its topics are (a file that does not
    parse declares none): checking it would report every topic it holds as
    removed, and advise a ``ktr lock`` that refuses invalid declarations.
    """
    lock_path = path / lock.LOCK_FILE
    if not path.is_dir() or not lock.exists(lock_path):
        return []
    declared: dict[str, Location] = {}
    unchecked: set[str] | None = set()  # None: a file's topics could not be read
    skipped: list[str] = []
    for source in sources:
        if not source.file.path.is_relative_to(path):
            continue
        names = [name for name in source.topics if isinstance(name, str)]
        if source.file.name in broken:
            skipped.append(source.file.name)
            unchecked = unchecked | set(names) if names and unchecked is not None else None
            continue
        for name in names:
            if name not in declared:
                declared[name] = source.location(name)
    problems = lock.check(lock_path, declared, unchecked=unchecked)
    problems += [
        Problem(
            str(lock_path),
            0,
            0,
            f"not checked against {name}, which has errors; fix them and validate again",
            "warning",
        )
        for name in skipped
    ]
    return problems
