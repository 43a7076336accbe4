"""Whatever the input, validation answers with problems, never with a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.declarations.resolve import load_declarations
from reconciler.declarations.result import format_problem

KEYS = [
    "topics",
    "defaults",
    "partitions",
    "replication_factor",
    "config",
    "delete",
    "environments",
    "development",
    "orders",
    "orders_x",
    "orders.x",
    "retention.ms",
    "min.insync.replicas",
    "cleanup.policy",
    "segment.bytes",
    "__bad",
    "",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["7d", "512MiB", "compact,delete", "x", "", "-1", "1.5"]),
    st.text(max_size=8),
)
keys = st.one_of(st.sampled_from(KEYS), st.integers(0, 3), st.booleans(), st.text(max_size=5))
values = st.recursive(
    scalars,
    lambda inner: st.dictionaries(keys, inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=30,
)
documents = (
    st.fixed_dictionaries(
        {}, optional={"topics": st.dictionaries(keys, values, max_size=4), "defaults": values}
    )
    | values
)

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def validate(tmp_path: Path, text: str, environment: str | None = None) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    declarations = load_declarations([path], environment, check_lock=False)
    for problem in declarations.problems:
        assert problem.file == str(path) or problem.file == "--env"
        assert problem.message
        assert "\n" not in format_problem(problem)


@SETTINGS
@given(document=documents, environment=st.sampled_from([None, "development"]))
def test_any_yaml_document_yields_problems_not_a_crash(
    tmp_path: Path, document: Any, environment: str | None
) -> None:
    validate(tmp_path, yaml.safe_dump(document, allow_unicode=True), environment)


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_yields_problems_not_a_crash(tmp_path: Path, text: str) -> None:
    validate(tmp_path, text)


yaml_ish = st.lists(
    st.sampled_from(
        [
            "topics:",
            "  t:",
            "    partitions: 1",
            "    config: {a: *x}",
            "  &x a: 1",
            "<<: *x",
            "  <<: [*x, *x]",
            "- &x [*x]",
            "!!set {a}",
            "? [a]",
            ": 1",
            "    environments: {development: {delete: true}}",
            "  t: !!binary aGVsbG8=",
            "  t: 2024-01-01",
            "---",
            "\t",
            "'",
            "{",
        ]
    ),
    max_size=8,
).map("\n".join)


@SETTINGS
@given(text=yaml_ish)
def test_yaml_looking_fragments_yield_problems_not_a_crash(tmp_path: Path, text: str) -> None:
    validate(tmp_path, text)
