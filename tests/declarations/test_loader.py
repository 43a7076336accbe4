"""Loading YAML: every problem has a line, unsafe input is refused, positions are found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconciler.declarations.loader import MAX_EXPANDED_NODES, load_yaml
from reconciler.declarations.yaml_file import YamlFile


def load(text: str) -> YamlFile:
    return load_yaml(Path("t.yaml"), text)


def test_plain_mappings_load_as_python_data() -> None:
    loaded = load("a: 1\nb: [x, 'y', true, null, 0.5]\n")
    assert loaded.data == {"a": 1, "b": ["x", "y", True, None, 0.5]}
    assert loaded.problems == ()


def test_a_syntax_error_is_a_problem_at_its_line_and_column() -> None:
    loaded = load("a: 1\nb: [1, 2\nc: 3\n")
    (problem,) = loaded.problems
    assert (problem.line, problem.column) == (3, 2)
    assert problem.message.startswith("invalid YAML: ")
    assert loaded.data is None


def test_a_tab_indentation_error_is_reported_with_its_line() -> None:
    (problem,) = load("a:\n\tb: 1\n").problems
    assert problem.line == 2


def test_duplicate_keys_name_both_lines() -> None:
    loaded = load("topics:\n  a:\n    partitions: 1\n    partitions: 2\n")
    (problem,) = loaded.problems
    assert problem.line == 4
    assert "duplicate key 'partitions'" in problem.message
    assert "line 3" in problem.message


def test_duplicate_keys_are_found_at_any_depth() -> None:
    loaded = load("a:\n  b:\n    c:\n      d: 1\n      d: 2\n")
    assert [p.line for p in loaded.problems] == [5]


def test_a_key_overriding_a_merged_one_is_not_a_duplicate() -> None:
    loaded = load("base: &b {x: 1, y: 2}\nt:\n  <<: *b\n  x: 3\n")
    assert loaded.problems == ()
    assert loaded.data["t"] == {"x": 3, "y": 2}


def test_anchors_and_aliases_are_allowed() -> None:
    loaded = load("a: &cfg {retention.ms: 7d}\nb: *cfg\n")
    assert loaded.problems == ()
    assert loaded.data["b"] == {"retention.ms": "7d"}


def test_python_tags_are_refused_with_their_line() -> None:
    (problem,) = load("a: 1\nb: !!python/object/apply:os.system ['true']\n").problems
    assert problem.line == 2
    assert "unsafe YAML tag '!!python/object/apply:os.system'" in problem.message


def test_non_standard_tags_are_refused() -> None:
    (problem,) = load("a: !vault secret\n").problems
    assert (problem.line, problem.column) == (1, 4)
    assert "'!vault' is not allowed" in problem.message


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    # Nine levels of nine aliases: 9**9 (387 million) nodes once expanded.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    (problem,) = load("\n".join(lines) + "\n").problems
    assert f"more than {MAX_EXPANDED_NODES:,} nodes" in problem.message


def test_a_recursive_alias_is_refused() -> None:
    (problem,) = load("a: &x [1, *x]\n").problems
    assert "recursive YAML alias" in problem.message


def test_several_documents_in_one_file_are_refused() -> None:
    (problem,) = load("a: 1\n---\nb: 2\n").problems
    assert problem.line == 2
    assert problem.message == (
        "invalid YAML: a second document ('---'); a file holds one document: "
        "remove the '---' or split the file in two"
    )


def test_an_empty_file_loads_as_nothing_without_problems() -> None:
    loaded = load("# only a comment\n")
    assert loaded.data is None
    assert loaded.problems == ()


def test_a_list_as_a_mapping_key_is_refused() -> None:
    (problem,) = load("? [a]\n: 1\n").problems
    assert problem.line == 1
    assert "mapping key" in problem.message


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"a: \xff\xfe\n")
    (problem,) = load_yaml(path).problems
    assert "not UTF-8" in problem.message


def test_locate_finds_the_line_of_a_value_and_of_its_key() -> None:
    loaded = load("topics:\n  orders:\n    partitions:\n      12\n")
    assert loaded.locate(("topics", "orders", "partitions")) == (4, 7)
    assert loaded.locate(("topics", "orders", "partitions"), key=True) == (3, 5)


def test_locate_falls_back_to_the_nearest_enclosing_key() -> None:
    loaded = load("topics:\n  orders:\n    partitions: 1\n")
    assert loaded.locate(("topics", "orders", "missing", "deeper")) == (2, 3)


def test_locate_follows_the_last_of_duplicate_keys_as_the_data_does() -> None:
    loaded = load("a: 1\na: 2\n")
    assert loaded.data == {"a": 2}
    assert loaded.locate(("a",)) == (2, 4)


def test_a_tab_used_for_indentation_is_named_as_the_mistake() -> None:
    (problem,) = load("topics:\n\torders: {}\n").problems
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message == ("invalid YAML: a tab character; YAML indents with spaces only")


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!int abc", "!!int"),
        ("!!int ''", "!!int"),
        ("!!bool x", "!!bool"),
        ("!!float 1e", "!!float"),
        ("!!timestamp x", "!!timestamp"),
    ],
)
def test_a_core_tag_with_content_that_does_not_fit_is_a_problem_at_its_line(
    value: str, tag: str
) -> None:
    (problem,) = load(f"a:\n  b: {value}\n").problems
    assert (problem.line, problem.column) == (2, 6)
    assert f"is not a valid {tag} value" in problem.message


def test_a_fifo_is_refused_instead_of_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    os.mkfifo(path)
    (problem,) = load_yaml(path).problems
    assert problem.message == "cannot read: a named pipe (FIFO), not a regular file"


def test_a_tag_with_bad_content_does_not_hide_the_other_problems_of_its_file() -> None:
    loaded = load("a: !!int abc\nb: !!bool x\n")
    assert [(p.line, p.column) for p in loaded.problems] == [(1, 4), (2, 4)]
    assert loaded.data == {"a": "abc", "b": "x"}
