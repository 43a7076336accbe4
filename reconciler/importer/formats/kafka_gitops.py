"""kafka-gitops desired state files: ``topics.NAME.partitions``, ``replication`` and
``configs``, with ``settings.topics.defaults.replication`` as the default.

Services, users and custom ACLs make ACLs, which ktr does not manage: they
are noted, not kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reconciler.declarations.yaml_file import YamlFile
from reconciler.importer.model import Imported

from .common import Reading, read_documents

SUFFIXES = (".yaml", ".yml")
_TOPIC = ("partitions", "replication", "configs")
_NOT_TOPICS = ("services", "users", "customServiceAcls", "customUserAcls")


def read(files: Sequence[Path]) -> Imported:
    return read_documents(files, _document)


def _document(reading: Reading, file: YamlFile) -> None:
    data = file.data
    if not isinstance(data, dict):
        reading.problem(file, (), "not a kafka-gitops state file: expected a mapping")
        return
    _note_unread(reading, file, data)
    for key in _NOT_TOPICS:
        if data.get(key):
            count = len(data[key]) if isinstance(data[key], dict) else 0
            reading.note(
                file,
                (key,),
                f"{key} ({count}) not carried over: they define ACLs, which ktr does not manage",
            )
    default_rf = _default_replication(reading, file, data)
    topics = data.get("topics") or {}
    if not isinstance(topics, dict):
        reading.problem(file, ("topics",), "topics must be a mapping of topic names")
        return
    for name, body in topics.items():
        at = ("topics", name)
        if not isinstance(body, dict):
            reading.problem(file, at, f"topic '{name}' must be a mapping", key=True)
            continue
        reading.unsupported(file, at, body, _TOPIC)
        partitions = reading.count(file, (*at, "partitions"), body.get("partitions"), "partitions")
        raw_rf = body.get("replication", default_rf)
        rf = reading.count(file, (*at, "replication"), raw_rf, "replication")
        config = reading.config(file, (*at, "configs"), body.get("configs"), str(name))
        reading.add(file, at, name, partitions, rf, config)


def _note_unread(reading: Reading, file: YamlFile, data: dict[str, object]) -> None:
    """A note for each key of the file and of its settings that ktr does not read."""
    reading.unsupported(file, (), data, ("settings", "topics", *_NOT_TOPICS))
    settings = data.get("settings")
    if not isinstance(settings, dict):
        return
    reading.unsupported(file, ("settings",), settings, ("topics",))
    topics = settings.get("topics")
    if isinstance(topics, dict):
        reading.unsupported(file, ("settings", "topics"), topics, ("defaults", "blacklist"))
        defaults = topics.get("defaults")
        if isinstance(defaults, dict):
            reading.unsupported(
                file, ("settings", "topics", "defaults"), defaults, ("replication",)
            )


def _default_replication(reading: Reading, file: YamlFile, data: dict[str, object]) -> object:
    settings = data.get("settings")
    topics = settings.get("topics") if isinstance(settings, dict) else None
    defaults = topics.get("defaults") if isinstance(topics, dict) else None
    if isinstance(topics, dict) and topics.get("blacklist"):
        reading.note(
            file,
            ("settings", "topics", "blacklist"),
            "settings.topics.blacklist not carried over: use protected_topics in ktr.yaml",
        )
    return defaults.get("replication") if isinstance(defaults, dict) else None
