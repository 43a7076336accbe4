"""The shipped JSON Schema: up to date, valid, in step with the catalogue and the quick check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.declarations import schema
from reconciler.declarations.schema_check import compile_check, iter_errors
from reconciler.kafka import catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_schema_file_is_up_to_date() -> None:
    committed = (ROOT / "schemas" / "topics.schema.json").read_text(encoding="utf-8")
    assert committed == schema.render(), "run: scripts/schema"


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema.document_schema())


def test_the_schema_offers_every_catalogue_key_and_no_other() -> None:
    config = schema.document_schema()["$defs"]["config"]
    assert set(config["properties"]) == set(catalogue.CATALOGUE)
    assert config["additionalProperties"] is False


def test_removed_keys_are_marked_deprecated_for_editors() -> None:
    properties = schema.document_schema()["$defs"]["config"]["properties"]
    assert properties["message.format.version"].get("deprecated") is True


def test_the_repository_declarations_satisfy_the_full_schema() -> None:
    validator = jsonschema.Draft202012Validator(schema.document_schema())
    for path in sorted((ROOT / "topics").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], path


def test_the_full_schema_rejects_an_unknown_config_key() -> None:
    validator = jsonschema.Draft202012Validator(schema.document_schema())
    document = {"topics": {"t": {"partitions": 1, "config": {"retention.msx": 1}}}}
    assert not validator.is_valid(document)


def test_errors_of_a_topic_carry_their_path_from_the_document_root() -> None:
    document = {"topics": {"a": {"partitions": 1}, "b": {"partitons": 1}}}
    (error,) = iter_errors(document)
    assert list(error.absolute_path) == ["topics", "b"]


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([32767, 32768, 2147483647, 2147483648]),  # the bounds of the counts
    st.floats(-2, 2),
    st.sampled_from(["", "x", "-x", "Prod!", "compression", "single-partition"]),
)
keys = st.sampled_from(
    [
        "topics",
        "defaults",
        "partitions",
        "replication_factor",
        "config",
        "delete",
        "environments",
        "development",
        "t",
        "retention.ms",
        "__x",
        "-dev",
        "doctor",
        "ignore",
        "reason",
    ]
) | st.sampled_from([1, True, None])
documents = st.recursive(
    scalars, lambda inner: st.dictionaries(keys, inner, max_size=4) | st.lists(inner, max_size=3)
)


@settings(max_examples=1000, deadline=None)
@given(documents)
def test_the_quick_check_never_passes_what_jsonschema_rejects(document: Any) -> None:
    validation = schema.validation_schema()
    quick = compile_check(validation, validation["$defs"])
    if quick(document):
        assert jsonschema.Draft202012Validator(validation).is_valid(document), json.dumps(
            document, default=str
        )
