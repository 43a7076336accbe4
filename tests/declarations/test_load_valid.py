"""load_valid, what plan and apply call: the desired state, or every error at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli import main
from reconciler.commands.declared import load_valid
from reconciler.declarations.result import InvalidDeclarations
from reconciler.problems import UserError
from tests.declarations.conftest import VALID, WriteTopics


def test_valid_declarations_give_the_desired_state(
    write_topics: WriteTopics, topics_dir: Path
) -> None:
    write_topics(VALID)
    desired = load_valid([topics_dir], None)
    assert list(desired.topics) == ["orders.created"]


def test_errors_raise_one_user_error_listing_each_then_a_count(
    write_topics: WriteTopics, topics_dir: Path
) -> None:
    path = write_topics("topics:\n  a: {partitions: 0, replication_factor: 0}\n")
    with pytest.raises(InvalidDeclarations) as raised:
        load_valid([topics_dir], None)
    assert isinstance(raised.value, UserError)
    assert str(raised.value).splitlines() == [
        "invalid topic declarations:",
        f"{path}:2:19: 'partitions' of topic 'a' must be at least 1, not 0",
        f"{path}:2:42: 'replication_factor' of topic 'a' must be at least 1, not 0",
        "2 errors in 1 file",
    ]


def test_warnings_are_printed_and_do_not_fail(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID + "    config: {message.format.version: 3.0-IV1}\n")
    assert load_valid([topics_dir], None).topics
    assert ": warning: message.format.version" in capsys.readouterr().err


def test_the_cli_prints_invalid_declarations_without_a_traceback(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics("topics:\n  a: {partitions: 0, replication_factor: 1}\n")
    with pytest.raises(SystemExit) as exit:
        main(["lock", str(topics_dir)])
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "ktr: error: invalid topic declarations:"
    assert "Traceback" not in err
