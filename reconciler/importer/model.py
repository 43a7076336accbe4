"""What an import produces before it is laid out in files: topics, and notes of what was left."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reconciler.model import Location
from reconciler.problems import Problem


@dataclass(frozen=True)
class ImportedTopic:
    """One topic to declare. ``config`` holds Kafka strings the catalogue accepted.

    ``effective`` holds every value the topic is known to run with (from a
    live cluster: each key the broker reported), so a topic added to a file
    whose ``defaults`` set a key can be made to keep its own value.
    """

    name: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str] = field(default_factory=dict)
    location: Location | None = None
    effective: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Note:
    """Something the import did not carry over, or left out, and why."""

    where: str  # "FILE:LINE" of the source, or the topic or environment it is about
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Imported:
    """The topics of one source (a cluster, or a set of files), with notes and problems.

    ``problems`` are errors in source files (a value Kafka would refuse):
    while there are any, nothing is written. ``left_out`` names topics the
    source has but that could not be declared as they are (see the notes):
    another environment must not take them for missing here.
    """

    topics: tuple[ImportedTopic, ...] = ()
    notes: tuple[Note, ...] = ()
    problems: tuple[Problem, ...] = ()
    left_out: frozenset[str] = frozenset()
