"""The table of subcommands: listed without being imported, loaded only when run."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.cli import COMMANDS, Subcommand, main

ROOT = Path(__file__).resolve().parents[2]

# Modules that take long to import and that these commands do not need.
KAFKA_CLIENT = "confluent_kafka"
SCHEMA_MACHINERY = ("jsonschema", "reconciler.declarations.resolve")


def modules_loaded_by(*argv: str) -> set[str]:
    """The modules a fresh ``ktr ARGV`` process has imported when it ends."""
    script = (
        "import sys\n"
        "from reconciler.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(done.stderr.split())


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_each_command_is_listed_with_the_first_paragraph_of_its_docstring(
    entry: Subcommand,
) -> None:
    doc = inspect.getdoc(importlib.import_module(entry.module).run) or ""
    assert entry.summary == doc.split("\n\n")[0].replace("\n", " ")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    for entry in COMMANDS:
        assert f"  {entry.name}  " in listed


def test_help_imports_neither_a_command_nor_the_kafka_client_nor_the_schema() -> None:
    loaded = modules_loaded_by("--help")
    assert KAFKA_CLIENT not in loaded
    assert not loaded & set(SCHEMA_MACHINERY)
    assert not {entry.module for entry in COMMANDS} & loaded


def test_validating_valid_declarations_imports_neither_the_kafka_client_nor_jsonschema() -> None:
    loaded = modules_loaded_by("validate", "topics")
    assert "reconciler.commands.validate" in loaded
    assert KAFKA_CLIENT not in loaded
    assert "jsonschema" not in loaded


def test_a_command_imports_only_its_own_module() -> None:
    loaded = modules_loaded_by("validate", "topics")
    others = {entry.module for entry in COMMANDS if entry.name != "validate"}
    assert not others & loaded
