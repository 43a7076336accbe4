"""topicctl topic files: ``meta.name`` and ``spec.partitions``, ``replicationFactor``,
``retentionMinutes`` and ``settings``, one topic per YAML document.

Placement and migration settings say how topicctl assigns replicas to
brokers; ktr leaves replica placement to Kafka, so they are noted, not kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reconciler.declarations.yaml_file import YamlFile
from reconciler.importer.model import Imported
from reconciler.kafka import catalogue

from .common import Reading, read_documents

SUFFIXES = (".yaml", ".yml")
_META = ("name", "cluster", "environment", "region", "description", "labels", "consumers")
_SPEC = ("partitions", "replicationFactor", "retentionMinutes", "settings")
_PLACEMENT = ("placement", "migration")


def read(files: Sequence[Path]) -> Imported:
    return read_documents(files, _document)


def _document(reading: Reading, file: YamlFile) -> None:
    data = file.data
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        reading.problem(file, (), "not a topicctl topic: expected 'meta' and 'spec'")
        return
    meta, spec = data["meta"], data.get("spec")
    if not isinstance(spec, dict):
        reading.problem(file, ("spec",), "not a topicctl topic: 'spec' is missing")
        return
    name = meta.get("name")
    reading.unsupported(file, ("meta",), meta, _META)
    for key in ("description", "labels", "consumers"):
        if key in meta:
            reading.note(
                file,
                ("meta", key),
                f"meta.{key} not carried over: declarations hold no free-form metadata",
            )
    reading.unsupported(file, ("spec",), spec, (*_SPEC, *_PLACEMENT))
    for key in _PLACEMENT:
        if key in spec:
            reading.note(
                file,
                ("spec", key),
                f"spec.{key} not carried over: ktr leaves "
                "replica placement and reassignment to Kafka",
            )
    partitions = reading.count(
        file, ("spec", "partitions"), spec.get("partitions"), "spec.partitions"
    )
    rf = reading.count(
        file,
        ("spec", "replicationFactor"),
        spec.get("replicationFactor"),
        "spec.replicationFactor",
    )
    config = reading.config(file, ("spec", "settings"), spec.get("settings"), str(name))
    minutes = spec.get("retentionMinutes")
    if minutes is not None and config is not None:
        at = ("spec", "retentionMinutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            reading.problem(
                file,
                at,
                f"spec.retentionMinutes: {minutes!r} is not a whole number of "
                "minutes of at least 1",
            )
            config = None
        elif "retention.ms" in config:
            reading.problem(
                file,
                at,
                "spec.retentionMinutes and settings.retention.ms both set; keep one",
            )
            config = None
        else:
            config["retention.ms"] = catalogue.normalise("retention.ms", f"{minutes}m")
    reading.add(file, ("meta", "name"), name, partitions, rf, config)
