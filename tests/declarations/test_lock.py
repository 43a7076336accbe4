"""The lock file: written sorted and readable, and enforced by validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli import main
from reconciler.declarations import lock
from reconciler.declarations.resolve import load_declarations
from reconciler.model import DesiredState, TopicSpec
from tests.declarations.conftest import VALID, Load, WriteTopics, only_error

TWO = """
topics:
  orders.created: {partitions: 1, replication_factor: 1}
  orders.cancelled: {partitions: 1, replication_factor: 1}
"""


def run(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


def spec(name: str, absent: bool = False) -> TopicSpec:
    return TopicSpec(name, 0 if absent else 1, 0 if absent else 1, absent=absent)


def test_the_lock_lists_names_sorted_one_per_line() -> None:
    text = lock.render({"b": "", "a": ""})
    assert text.endswith("\na\nb\n")
    assert all(line.startswith("#") for line in text.splitlines()[:-2])


def test_tombstones_are_marked_everywhere_or_per_environment() -> None:
    states = {
        None: DesiredState({"a": spec("a", True), "b": spec("b"), "c": spec("c")}),
        "production": DesiredState(
            {"a": spec("a", True), "b": spec("b", True), "c": spec("c")}, "production"
        ),
    }
    assert lock.notes(states) == {"a": "deleted", "b": "deleted in production", "c": ""}


def test_a_tombstone_an_overlay_keeps_names_where_it_is_kept() -> None:
    states = {
        None: DesiredState({"a": spec("a", True)}),
        "development": DesiredState({"a": spec("a")}, "development"),
        "production": DesiredState({"a": spec("a", True)}, "production"),
    }
    assert lock.notes(states) == {"a": "deleted, kept in development"}


def test_reading_a_lock_ignores_comments_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "topics.lock"
    path.write_text("# header\n\norders  deleted\npayments # note\n")
    assert lock.read(path) == {"orders": 3, "payments": 4}


def test_ktr_lock_writes_the_lock_next_to_the_declarations(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(TWO)
    assert run("lock", str(topics_dir)) == 0
    names = [
        line for line in (topics_dir / "topics.lock").read_text().splitlines() if line[:1] != "#"
    ]
    assert names == ["orders.cancelled", "orders.created"]
    assert "2 topics (2 added, 0 removed)" in capsys.readouterr().out


def test_ktr_lock_refuses_invalid_declarations(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics("topics:\n  t: {partitions: 0, replication_factor: 1}\n")
    assert run("lock", str(topics_dir)) == 1
    assert not (topics_dir / "topics.lock").exists()
    err = capsys.readouterr().err
    assert err.startswith("ktr: error: invalid topic declarations:\n")
    assert err.rstrip().endswith("1 error in 1 file")


def test_an_added_topic_fails_validation_at_its_declaration(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(VALID)
    run("lock", str(topics_dir))
    path = write_topics(TWO)
    problem = only_error(load())
    assert (Path(problem.file), problem.line) == (path, 3)
    assert "topic 'orders.cancelled' is not in" in problem.message
    assert "run `ktr lock" in problem.message


def test_a_removed_topic_fails_validation_at_its_line_in_the_lock(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(TWO)
    run("lock", str(topics_dir))
    write_topics(VALID)
    problem = only_error(load())
    lock_path = topics_dir / "topics.lock"
    line = lock_path.read_text().splitlines().index("orders.cancelled") + 1
    assert (Path(problem.file), problem.line) == (lock_path, line)
    assert "topic 'orders.cancelled' is in the lock but no longer declared" in problem.message


def test_the_lock_file_is_not_read_as_a_declaration(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(VALID)
    run("lock", str(topics_dir))
    declarations = load()
    assert declarations.problems == ()
    assert [f.name for f in declarations.files] == ["topics.yaml"]


def test_lock_check_passes_when_nothing_was_added_or_removed(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(TWO)
    run("lock", str(topics_dir))
    assert run("lock", "--check", str(topics_dir)) == 0
    assert "matches the 2 declared topics" in capsys.readouterr().out


def test_lock_check_fails_and_changes_nothing_when_a_topic_was_added(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID)
    run("lock", str(topics_dir))
    before = (topics_dir / "topics.lock").read_text()
    write_topics(TWO)
    capsys.readouterr()
    assert run("lock", "--check", str(topics_dir)) == 1
    assert "orders.cancelled" in capsys.readouterr().out
    assert (topics_dir / "topics.lock").read_text() == before


def test_lock_check_without_a_lock_fails(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID)
    assert run("lock", "--check", str(topics_dir)) == 1
    assert "no lock file" in capsys.readouterr().err


def test_relocking_reports_what_changed(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(TWO)
    run("lock", str(topics_dir))
    write_topics(VALID.replace("orders.created", "orders.shipped"), "more.yaml")
    capsys.readouterr()
    assert run("lock", str(topics_dir)) == 0
    assert "3 topics (1 added, 0 removed)" in capsys.readouterr().out


def test_ktr_lock_on_a_file_is_a_usage_error(
    write_topics: WriteTopics, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_topics(VALID)
    assert run("lock", str(path)) == 1
    assert "is not a directory" in capsys.readouterr().err


def test_the_fix_for_an_unlocked_topic_names_the_directory_to_lock(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(VALID)
    run("lock", str(topics_dir))
    write_topics(TWO)
    assert f"run `ktr lock {topics_dir}` to add it" in only_error(load()).message


def test_the_fix_quotes_a_directory_with_spaces_for_the_shell() -> None:
    assert lock.relock_command(Path("team a/topics.lock")) == "ktr lock 'team a'"


def test_the_fix_for_a_topic_locked_in_the_default_directory_is_plain_ktr_lock() -> None:
    assert lock.relock_command(Path("topics/topics.lock")) == "ktr lock"


def test_check_without_a_lock_names_the_directory_to_lock(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID)
    assert run("lock", str(topics_dir), "--check") == 1
    assert capsys.readouterr().err == (
        f"ktr: error: no lock file at {topics_dir / 'topics.lock'}; "
        f"run `ktr lock {topics_dir}` to write one\n"
    )


def test_the_lock_named_as_a_path_is_not_read_as_declarations(
    write_topics: WriteTopics, topics_dir: Path
) -> None:
    write_topics(VALID)
    run("lock", str(topics_dir))
    declarations = load_declarations([topics_dir / "topics.lock"], None)
    (problem,) = declarations.problems
    assert problem.message == (
        "this is the lock file written by `ktr lock`, not a declaration; "
        "pass its directory to check the lock"
    )


def test_a_file_that_fails_to_parse_is_not_checked_against_the_lock(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(TWO)
    run("lock", str(topics_dir))
    write_topics("topics:\n  orders.created: {partitions: 1\n")
    declarations = load()
    assert not any("in the lock but no longer declared" in p.message for p in declarations.problems)
    (note,) = [p for p in declarations.problems if Path(p.file).name == "topics.lock"]
    assert note.severity == "warning"
    assert note.message == (
        f"not checked against {topics_dir / 'topics.yaml'}, which has errors; "
        "fix them and validate again"
    )


def test_an_invalid_file_does_not_hide_a_topic_removed_from_a_valid_one(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(TWO, "orders.yaml")
    write_topics("topics:\n  audit: {partitions: 1, replication_factor: 1}\n", "audit.yaml")
    run("lock", str(topics_dir))
    write_topics(VALID.replace("orders.created", "orders.cancelled"), "orders.yaml")
    write_topics("topics:\n  audit: {partitions: 0, replication_factor: 1}\n", "audit.yaml")
    messages = [p.message for p in load().problems]
    assert any("'orders.created' is in the lock but no longer declared" in m for m in messages)
    assert not any("'audit' is in the lock" in m for m in messages)


def test_an_invalid_name_is_reported_without_a_lock_message_about_it(
    write_topics: WriteTopics, topics_dir: Path, load: Load
) -> None:
    write_topics(VALID)
    run("lock", str(topics_dir))
    write_topics(VALID + "  bad name!: {partitions: 1, replication_factor: 1}\n")
    messages = [p.message for p in load().errors]
    assert len(messages) == 1 and "bad name!" in messages[0]
    assert "topics.lock" not in messages[0]


def test_a_lock_of_one_topic_counts_it_grammatically(
    write_topics: WriteTopics, topics_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topics(VALID)
    assert run("lock", str(topics_dir)) == 0
    assert capsys.readouterr().out.endswith(": 1 topic (1 added, 0 removed)\n")
    assert run("lock", str(topics_dir), "--check") == 0
    assert capsys.readouterr().out.endswith("matches the 1 declared topic\n")


def test_a_byte_order_mark_is_not_part_of_the_first_name(tmp_path: Path) -> None:
    path = tmp_path / "topics.lock"
    path.write_bytes("\ufefforders\npayments\n".encode())
    assert lock.read(path) == {"orders": 1, "payments": 2}
