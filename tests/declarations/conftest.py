"""Fixtures that make declaration scenarios short: write YAML, load it, find problems."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import Declarations
from reconciler.problems import Problem

WriteTopics = Callable[..., Path]
Load = Callable[..., Declarations]


@pytest.fixture
def topics_dir(tmp_path: Path) -> Path:
    """An empty ``topics/`` directory."""
    path = tmp_path / "topics"
    path.mkdir()
    return path


@pytest.fixture
def write_topics(topics_dir: Path) -> WriteTopics:
    """Write a declaration file (dedented) into ``topics/``; returns its path."""

    def write(text: str, name: str = "topics.yaml") -> Path:
        path = topics_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def load(topics_dir: Path) -> Load:
    """Load ``topics/`` for an environment (None: as written, every environment checked)."""

    def run(environment: str | None = None) -> Declarations:
        return load_declarations([topics_dir], environment)

    return run


def at(declarations: Declarations, file: Path | str, line: int) -> list[str]:
    """The messages of the problems reported at ``file``:``line``."""
    name = Path(file).name
    return [
        p.message for p in declarations.problems if Path(p.file).name == name and p.line == line
    ]


def only_error(declarations: Declarations) -> Problem:
    """The one error; fails when there are none or several."""
    errors = declarations.errors
    assert len(errors) == 1, [str(p) for p in declarations.problems]
    return errors[0]


VALID = """
topics:
  orders.created:
    partitions: 3
    replication_factor: 1
"""
