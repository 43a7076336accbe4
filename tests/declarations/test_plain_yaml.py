"""The plain YAML reader gives what libyaml gives, or declines: never a different answer."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode

from benchmarks import corpus
from reconciler.declarations.loader import load_composed, load_yaml
from reconciler.declarations.plain_yaml import MAX_DEPTH, read_plain

ROOT = Path(__file__).resolve().parents[2]


def typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it: 1, 1.0 and True are not the same here."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    return (type(value), value)


def assert_same_as_libyaml(text: str) -> bool:
    """True when the text was read plain, and then exactly as through libyaml's node tree."""
    plain = read_plain(text)
    if plain is None:
        return False
    composed = load_composed(Path("topics.yaml"), text)
    assert composed.problems == ()
    assert typed(plain.data) == typed(composed.data)
    assert composed.root is not None
    block_mappings = {
        key.value
        for key, value in composed.root.value
        if isinstance(value, MappingNode) and not value.flow_style and key.value in composed.data
    }
    assert set(plain.key_positions) == block_mappings
    for top, positions in plain.key_positions.items():
        assert positions == composed.key_positions((top,))
    return True


# -------------------------------------------------------------- what is read


def test_a_declaration_file_is_read_as_libyaml_reads_it() -> None:
    text = (
        "# yaml-language-server: $schema=../schemas/topics.schema.json\n"
        "---\n"
        "defaults:\n"
        "  replication_factor: 3\n"
        "  config: {min.insync.replicas: 2}\n"
        "topics:\n"
        "  # the orders\n"
        "  orders.created:\n"
        "    partitions: 6   # more in production\n"
        "    config:\n"
        "      retention.ms: 7d\n"
        "      cleanup.policy: [compact, delete]\n"
        "      min.cleanable.dirty.ratio: 0.5\n"
        "      description: 'who: what, #1'\n"
        "    doctor:\n"
        "      ignore:\n"
        "        - single-partition\n"
        "      reason: replayed by hand, in order\n"
        "\n"
        "  orders.deleted:\n"
        "    delete: yes\n"
        "    environments:\n"
        "      development: {}\n"
    )
    assert assert_same_as_libyaml(text)


@pytest.mark.parametrize(
    "value",
    # 017 is 17, as ktr has always read it, where YAML 1.1 reads 15
    ["1", "-1", "+1", "017", "0x1f", "1_000", "1.5", ".5", "1e3", ".inf", "-.Inf", ".NaN",
     "yes", "No", "on", "OFF", "true", "~", "null", "Null", "", "7d", "256MiB", "x y", "a'b",
     "compact,delete", "x[y]", "x<<y", "'x'", "''", '"x"', '""', "[]", "{}", "[1, true, x]"],
)  # fmt: skip
def test_each_plain_value_is_typed_as_pyyaml_types_it(value: str) -> None:
    assert assert_same_as_libyaml(f"topics:\n  t:\n    a: {value}\n    b: c\n")


def test_keys_are_typed_as_pyyaml_types_them() -> None:
    assert assert_same_as_libyaml("topics:\n  2: a\n  true: b\n  null: c\n  1.5: d\n")


def test_the_line_and_column_of_every_topic_are_kept() -> None:
    plain = read_plain("topics:\n  a:\n    partitions: 1\n\n  # b\n  b: {}\n")
    assert plain is not None
    assert plain.key_positions == {"topics": {"a": (2, 3), "b": (6, 3)}}


def test_equal_flow_collections_are_distinct_objects() -> None:
    plain = read_plain("a: {x: 1}\nb: {x: 1}\nc: [x]\nd: [x]\n")
    assert plain is not None
    assert plain.data["a"] == plain.data["b"] and plain.data["a"] is not plain.data["b"]
    assert plain.data["c"] == plain.data["d"] and plain.data["c"] is not plain.data["d"]


def test_this_repositorys_topics_and_the_benchmark_files_are_read_plain(tmp_path: Path) -> None:
    texts = [path.read_text() for path in sorted((ROOT / "topics").glob("*.yaml"))]
    texts.append(corpus.plan_declarations(50))
    corpus.write_team_files(tmp_path, 300, 3)
    texts += [path.read_text() for path in sorted(tmp_path.glob("*.yaml"))]
    for text in texts:
        assert assert_same_as_libyaml(text), text[:200]


# ------------------------------------------------------ what is left to libyaml


@pytest.mark.parametrize(
    "text",
    [
        "topics:\n  t: &a x\n  u: *a\n",  # an anchor and an alias
        "topics:\n  t: !!str 1\n",  # a tag
        "defaults: &d {a: 1}\ntopics:\n  t:\n    <<: *d\n",  # a merge key
        "topics:\n  <<: {a: 1}\n",  # a merge key, without an alias
        "topics:\n  t: <<\n",  # the merge key's text as a value
        "topics:\n  t: a\n    b\n",  # a scalar continued on the next line
        "topics:\n  t: |\n    text\n",  # a block scalar
        "topics:\n  t: 1\n  t: 2\n",  # a duplicate key
        "topics:\n  1: a\n  01: b\n",  # two keys that type the same
        "topics:\n\tt: 1\n",  # a tab
        "topics:\n  t: a\x07b\n",  # a control character
        "topics:\n  t: 1\x0c\n",  # a form feed
        "topics:\n  t: caf\u00e9\n",  # not ASCII
        'topics:\n  t: "a\\tb"\n',  # an escape
        "topics:\n  t: 'it''s'\n",  # a quote in single quotes
        "topics:\n  t:\n  - a\n",  # a sequence at its key's indent
        "topics:\n  t:\n    - a: 1\n",  # a mapping in a sequence
        "topics:\n  t: 1\n---\ntopics: {}\n",  # a second document
        "topics:\r\n  t: 1\r\n",  # CRLF
        "topics:\n  t: 2024-01-01\n",  # a timestamp
        "topics:\n  t: a: b\n",  # a mapping value where none may be
        "topics:\n  t: [a, [b]]\n",  # a nested flow collection
        "topics:\n  t: {a: 1, a: 2}\n",  # a duplicate in a flow mapping
        "topics:\n  a:\n    b: 1\n   c: 2\n",  # an indentation between two levels
        "  topics:\n    t: 1\n",  # an indented document
        "? topics\n: 1\n",  # a complex key
        "topics\n",  # a scalar document
        "# only a comment\n",  # no document
        "",
        "topics:\n  " + "t" * 1001 + ": 1\n",  # a key longer than libyaml's simple keys
        "".join(" " * n + f"k{n}:\n" for n in range(MAX_DEPTH + 1)),  # nested too deep
        " ---\na: 1\n",  # an indented ---, which is a scalar
        "a: {" + "k" * 1001 + ": 1}\n",  # a flow key longer than libyaml's simple keys
        "a: {k" + " " * 1024 + ": 1}\n",  # the same, made of spaces
        "a: " + "1" * 5000 + "\n",  # more digits than Python converts
    ],
)
def test_anything_beyond_plain_block_yaml_is_left_to_libyaml(text: str) -> None:
    assert read_plain(text) is None


def test_a_problem_in_a_file_read_plain_is_placed_by_the_composed_file(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text("topics:\n  t:\n    partitions: 1\n    config:\n      retention.ms: 1d\n")
    loaded = load_yaml(path)
    assert loaded.compose is not None  # read without its tree
    assert loaded.locate(("topics", "t", "config", "retention.ms")) == (5, 21)
    assert loaded.compose is None


# ------------------------------------------------------- differential, at large

KEY_TEXTS = ["topics", "b.c", "t-1", "x_y", "1", "01", "true", "on", "null", "1.5", "a b", "-k"]
PLAIN_VALUES = [
    *("1", "01", "-1", "+1", "0x1f", "0o17", "1_0", "1e3", "1.5", ".5", ".inf", ".NaN", "yes"),
    *("No", "ON", "true", "~", "null", "", "7d", "256MiB", "compact,delete", "x y  ", "'x'"),
    *("''", "'a #b'", '"a"', '"a#b"', "a #b", "a, b", "[a, b]", "[]", "[ ]", "{}", "{a: 1}"),
    *("{a: 1, b: x}", "a'b", 'a"b', "a!b", "x{y}", "x[y]", "#c", "a #", "x\\y", "<x", "-x"),
]
TRICKY_VALUES = [
    *("1:30", "'it''s'", '"a\\tb"', "a# b", "{a: 1, a: 2}", "[a, [b]]", "[a,]", "2024-01-01"),
    *("=", "-", "- a", "a: b", "a:b", "!x", "&a x", "*a", "|", ">", "@x", "`x", "%x", "?x"),
    *(":x", "[a] b", "{a}", "'x' y", "a: #"),
]


def one_of_mostly(draw: st.DrawFn, usual: list[str], unusual: list[str]) -> str:
    return draw(st.sampled_from(unusual if draw(st.integers(0, 9)) == 0 else usual))


@st.composite
def block_texts(draw: st.DrawFn) -> str:
    """Texts made of block YAML lines at various indents, most of them plain, some not."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("---")

    def mapping(indent: int, depth: int) -> None:
        for _ in range(draw(st.integers(1, 4))):
            if draw(st.integers(0, 9)) == 0:
                lines.append(" " * draw(st.integers(0, 6)) + draw(st.sampled_from(["# c", ""])))
            key = one_of_mostly(draw, [f"k{n}" for n in range(40)], KEY_TEXTS)
            shape = draw(st.sampled_from(["value", "value", "mapping", "sequence", "empty"]))
            if depth == 0 or shape == "value":
                value = one_of_mostly(draw, PLAIN_VALUES, TRICKY_VALUES)
                lines.append(f"{' ' * indent}{key}: {value}")
                if draw(st.integers(0, 19)) == 0:  # perhaps a continuation
                    lines.append(" " * (indent + 2) + draw(st.sampled_from(PLAIN_VALUES)))
            elif shape == "empty":
                lines.append(f"{' ' * indent}{key}:")
            elif shape == "mapping":
                lines.append(f"{' ' * indent}{key}:")
                mapping(indent + draw(st.integers(1, 4)), depth - 1)
            else:
                lines.append(f"{' ' * indent}{key}:")
                inner = indent + draw(st.integers(0, 3))
                for _ in range(draw(st.integers(1, 3))):
                    lines.append(
                        f"{' ' * inner}- {one_of_mostly(draw, PLAIN_VALUES, TRICKY_VALUES)}"
                    )

    mapping(0, draw(st.integers(0, 3)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n  \n"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=block_texts())
def test_what_is_read_plain_is_what_libyaml_reads(text: str) -> None:
    assert_same_as_libyaml(text)


def test_the_texts_compared_include_long_ones_read_plain() -> None:
    found = find(block_texts(), lambda t: t.count(":") > 8 and read_plain(t) is not None)
    assert assert_same_as_libyaml(found)
