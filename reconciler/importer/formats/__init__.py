"""Other tools' topic files, one module per format, each read into an :class:`Imported`.

Every format module exposes ``SUFFIXES`` (the files it reads in a directory)
and ``read(files) -> Imported``. What a format can say that ktr cannot
represent becomes a note naming the file and line; a value Kafka would
refuse is a problem there, and stops the import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from reconciler.importer.model import Imported


class Format(Protocol):
    SUFFIXES: tuple[str, ...]

    def read(self, files: Sequence[Path]) -> Imported: ...


def formats() -> dict[str, Callable[[], Format]]:
    """Format name -> a loader of its module (Terraform's parser is an optional extra)."""
    from importlib import import_module

    modules = {
        "topicctl": "topicctl",
        "strimzi": "strimzi",
        "jikkou": "jikkou",
        "kafka-gitops": "kafka_gitops",
        "terraform": "terraform",
    }

    def loader(module: str) -> Callable[[], Format]:
        def load() -> Format:
            found: Format = import_module(f"{__name__}.{module}")
            return found

        return load

    return {name: loader(module) for name, module in modules.items()}
