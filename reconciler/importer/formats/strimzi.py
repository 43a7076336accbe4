"""Strimzi ``KafkaTopic`` resources: ``metadata.name`` (or ``spec.topicName``),
``spec.partitions``, ``spec.replicas`` and ``spec.config``; several per file,
as YAML documents or the ``items`` of a ``List`` (``kubectl get -o yaml``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reconciler.declarations.yaml_file import DataPath, YamlFile
from reconciler.importer.model import Imported

from .common import Reading, note_labels, read_documents, resource_parts, spec_counts

SUFFIXES = (".yaml", ".yml")
_SPEC = ("topicName", "partitions", "replicas", "config")


def read(files: Sequence[Path]) -> Imported:
    return read_documents(files, _document)


def _document(reading: Reading, file: YamlFile) -> None:
    for at, resource in _resources(file):
        _topic(reading, file, at, resource)


def _resources(file: YamlFile) -> list[tuple[DataPath, Any]]:
    data = file.data
    if (
        isinstance(data, dict)
        and data.get("kind") == "List"
        and isinstance(data.get("items"), list)
    ):
        return [(("items", i), item) for i, item in enumerate(data["items"])]
    return [((), data)]


def _topic(reading: Reading, file: YamlFile, at: DataPath, resource: Any) -> None:
    if not isinstance(resource, dict) or resource.get("kind") != "KafkaTopic":
        kind = resource.get("kind") if isinstance(resource, dict) else None
        reading.note(file, at, f"{kind or 'document'} skipped: not a KafkaTopic")
        return
    parts = resource_parts(reading, file, at, resource)
    if parts is None:
        return
    metadata, spec = parts
    name = spec.get("topicName") or metadata.get("name")
    name_at: DataPath = (
        (*at, "spec", "topicName") if "topicName" in spec else (*at, "metadata", "name")
    )
    reading.unsupported(file, (*at, "spec"), spec, _SPEC)
    labels = metadata.get("labels")
    cluster = labels.get("strimzi.io/cluster") if isinstance(labels, dict) else None
    if cluster:
        reading.note(
            file,
            (*at, "metadata", "labels"),
            f"topic '{name}' of Strimzi cluster '{cluster}': labels and annotations not "
            "carried over",
        )
    else:
        note_labels(reading, file, at, metadata)
    partitions, replicas = spec_counts(reading, file, at, spec)
    config = reading.config(file, (*at, "spec", "config"), spec.get("config"), str(name))
    reading.add(file, name_at, name, partitions, replicas, config)
