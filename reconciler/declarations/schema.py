"""The JSON Schema (2020-12) of a declaration file, kept as Python data.

``scripts/schema`` writes it to ``schemas/topics.schema.json`` for
editors (through a ``# yaml-language-server: $schema=`` line). ktr itself
validates the structure with :func:`validation_schema`, the same schema with
the config section and topic names loosened: those are checked against the
catalogue and the name rules, which give better messages than a schema can.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reconciler.doctor.catalogue import RULE_IDS
from reconciler.kafka import catalogue

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "topics.schema.json"

TOP_LEVEL_KEYS = ("defaults", "topics")
TOPIC_KEYS = ("partitions", "replication_factor", "config", "delete", "environments", "doctor")
OVERLAY_KEYS = ("partitions", "replication_factor", "config", "delete")
DEFAULTS_KEYS = ("partitions", "replication_factor", "config", "environments")
DEFAULTS_OVERLAY_KEYS = ("partitions", "replication_factor", "config")

ENVIRONMENT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
TOPIC_NAME_PATTERN = r"^(?!__)(?!\.{1,2}$)[a-zA-Z0-9._-]{1,249}$"


def _config_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Kafka topic configs. Durations (*.ms) accept ms s m h d w, "
        "sizes (*.bytes) accept B KiB MiB GiB TiB.",
        "properties": {name: catalogue.value_schema(name) for name in sorted(catalogue.CATALOGUE)},
        "additionalProperties": False,
    }


def _object(fields: Mapping[str, Any], keys: tuple[str, ...], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {key: fields[key] for key in keys},
        "additionalProperties": False,
    }


def _environments(overlay: str, description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "propertyNames": {"$ref": "#/$defs/environment_name"},
        "additionalProperties": {"$ref": f"#/$defs/{overlay}"},
    }


def document_schema() -> dict[str, Any]:
    """The full schema, as shipped for editors."""
    fields: dict[str, Any] = {
        "partitions": {"$ref": "#/$defs/partitions"},
        "replication_factor": {"$ref": "#/$defs/replication_factor"},
        "config": {"$ref": "#/$defs/config"},
        "delete": {
            "type": "boolean",
            "description": "true marks a tombstone: the topic is to be deleted "
            "(apply needs --allow-delete). Nothing but 'environments' may sit beside it.",
        },
        "environments": _environments(
            "overlay", "Overlays selected with --env NAME, merged over the topic."
        ),
        "doctor": {
            "type": "object",
            "description": "ktr doctor rules this topic is exempt from, and why.",
            "properties": {
                "ignore": {
                    "type": "array",
                    "description": "Rule ids (see ktr doctor) that do not apply to this topic.",
                    "items": {"enum": list(RULE_IDS)},
                    "minItems": 1,
                    "uniqueItems": True,
                },
                "reason": {
                    "type": "string",
                    "minLength": 1,
                    "description": "Why: for the reviewers of the declaration.",
                },
            },
            "required": ["ignore", "reason"],
            "additionalProperties": False,
        },
    }
    defaults_fields = {
        **fields,
        "environments": _environments(
            "defaults_overlay", "Overlays of the defaults, selected with --env NAME."
        ),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ktr topic declarations",
        "description": "Kafka topics declared for ktr: optional defaults and a mapping of "
        "topic names to their partitions, replication factor and configs.",
        "type": "object",
        "properties": {
            "defaults": {"$ref": "#/$defs/defaults"},
            "topics": {
                "type": "object",
                "description": "Topic name to declaration.",
                "propertyNames": {"$ref": "#/$defs/topic_name"},
                "additionalProperties": {"$ref": "#/$defs/topic"},
            },
        },
        "required": ["topics"],
        "additionalProperties": False,
        "$defs": {
            "topic_name": {
                "type": "string",
                "description": "1 to 249 of a-z A-Z 0-9 . _ -; not '.' or '..'; "
                "not starting with '__'.",
                "pattern": TOPIC_NAME_PATTERN,
            },
            "environment_name": {"type": "string", "pattern": ENVIRONMENT_NAME_PATTERN},
            "partitions": {
                "type": "integer",
                "minimum": 1,
                "maximum": 2147483647,  # Kafka carries partition counts as int32
                "description": "Number of partitions (can only grow).",
            },
            "replication_factor": {
                "type": "integer",
                "minimum": 1,
                "maximum": 32767,
                "description": "Copies of each partition.",
            },
            "config": _config_schema(),
            "topic": _object(fields, TOPIC_KEYS, "One topic."),
            "overlay": _object(fields, OVERLAY_KEYS, "What changes in one environment."),
            "defaults": _object(
                defaults_fields, DEFAULTS_KEYS, "Merged under every topic of this file."
            ),
            "defaults_overlay": _object(
                fields, DEFAULTS_OVERLAY_KEYS, "Defaults that change in one environment."
            ),
        },
    }


def validation_schema() -> dict[str, Any]:
    """The schema ktr checks structure with: config contents and topic names left out."""
    schema = copy.deepcopy(document_schema())
    schema["$defs"]["config"] = {"type": "object"}
    del schema["properties"]["topics"]["propertyNames"]
    del schema["$defs"]["topic_name"]
    return schema


def render() -> str:
    """The schema file's exact text."""
    return json.dumps(document_schema(), indent=2) + "\n"


def write(target: Path = SCHEMA_PATH) -> Path:
    """Write the schema file (``scripts/schema`` runs this after a catalogue change)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return target
