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

from .common import Reading, documents

SUFFIXES = (".yaml", ".yml")
_SPEC = ("partitions", "replicas", "configs")


def read(files: Sequence[Path]) -> Imported:
    reading = Reading()
    for path in files:
        loaded, problems = documents(path)
        reading.problems += problems
        for file in loaded:
            data = file.data
            kind = data.get("kind") if isinstance(data, dict) else None
            if kind == "KafkaTopicList" and isinstance(data, dict):
                items = data.get("items")
                if not isinstance(items, list):
                    reading.problem(file, ("items",), "KafkaTopicList without a list of items")
                    continue
                for index, item in enumerate(items):
                    _topic(reading, file, ("items", index), item)
            elif kind == "KafkaTopic":
                _topic(reading, file, (), data)
            else:
                reading.note(file, (), f"{kind or 'document'} skipped: not a KafkaTopic")
    return Imported(tuple(reading.topics), tuple(reading.notes), tuple(reading.problems))


def _topic(reading: Reading, file: YamlFile, at: DataPath, resource: Any) -> None:
    if not isinstance(resource, dict):
        reading.problem(file, at, "expected a KafkaTopic mapping")
        return
    metadata: dict[str, Any] = (
        resource["metadata"] if isinstance(resource.get("metadata"), dict) else {}
    )
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        reading.problem(file, (*at, "spec"), "KafkaTopic without a spec")
        return
    name = metadata.get("name")
    for key in ("labels", "annotations"):
        if metadata.get(key):
            reading.note(file, (*at, "metadata", key), f"metadata.{key} not carried over")
    reading.unsupported(file, (*at, "spec"), spec, _SPEC)
    partitions = reading.count(
        file, (*at, "spec", "partitions"), spec.get("partitions"), "spec.partitions"
    )
    replicas = reading.count(file, (*at, "spec", "replicas"), spec.get("replicas"), "spec.replicas")
    config = reading.config(file, (*at, "spec", "configs"), spec.get("configs"), str(name))
    reading.add(file, (*at, "metadata", "name"), name, partitions, replicas, config)
