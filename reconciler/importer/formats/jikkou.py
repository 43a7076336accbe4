"""Jikkou ``KafkaTopic`` and ``KafkaTopicList`` resources: ``metadata.name``,
``spec.partitions``, ``spec.replicas`` and ``spec.configs``.

``configMapRefs`` (configs shared through a ``ConfigMap`` resource),
labels and annotations are noted, not kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reconciler.declarations.yaml_file import DataPath, YamlFile
from reconciler.importer.model import Imported

from .common import Reading, note_labels, read_documents, resource_parts, spec_counts

SUFFIXES = (".yaml", ".yml")
_SPEC = ("partitions", "replicas", "configs")


def read(files: Sequence[Path]) -> Imported:
    return read_documents(files, _document)


def _document(reading: Reading, file: YamlFile) -> None:
    data = file.data
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "KafkaTopicList" and isinstance(data, dict):
        items = data.get("items")
        if not isinstance(items, list):
            reading.problem(file, ("items",), "KafkaTopicList without a list of items")
            return
        for index, item in enumerate(items):
            _topic(reading, file, ("items", index), item)
    elif kind == "KafkaTopic":
        _topic(reading, file, (), data)
    else:
        reading.note(file, (), f"{kind or 'document'} skipped: not a KafkaTopic")


def _topic(reading: Reading, file: YamlFile, at: DataPath, resource: Any) -> None:
    if not isinstance(resource, dict):
        reading.problem(file, at, "expected a KafkaTopic mapping")
        return
    parts = resource_parts(reading, file, at, resource)
    if parts is None:
        return
    metadata, spec = parts
    name = metadata.get("name")
    note_labels(reading, file, at, metadata)
    reading.unsupported(file, (*at, "spec"), spec, _SPEC)
    partitions, replicas = spec_counts(reading, file, at, spec)
    config = reading.config(file, (*at, "spec", "configs"), spec.get("configs"), str(name))
    reading.add(file, (*at, "metadata", "name"), name, partitions, replicas, config)
