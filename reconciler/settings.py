"""Project settings kept in git: which topic names ktr owns, which it must never touch,
and the clusters the declarations describe.

On a shared cluster most topics belong to someone else. ``owned_topics``
narrows what ktr reports as unmanaged; ``protected_topics`` adds to the
built-in names that are never deleted or recreated, whatever the flags.
``clusters`` names each cluster with the environment overlay it runs, how to
reach it and the Kafka version it runs, so a command names a cluster, not a
broker address and an overlay that may not belong together.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from reconciler.kafka.versions import KafkaVersion, parse_version
from reconciler.problems import UserError, read_text

DEFAULT_SETTINGS_FILE = Path("ktr.yaml")

# Kafka's internal topics and the usual system topics of Schema Registry,
# Connect, MirrorMaker 2 and Confluent Platform. Deleting any of them breaks
# the component that owns it, so no declaration can ask for it.
BUILTIN_PROTECTED = (
    "__*",
    "_schemas",
    "_confluent*",
    "connect-*",
    "*.internal",
    "*-internal",
    "heartbeats",
    "*.heartbeats",  # MirrorMaker 2's copies of other clusters' heartbeats
    "_ktr.*",
)

# ktr's own topics (the apply lock): never listed as unmanaged, never deleted.
KTR_PREFIX = "_ktr."

_KNOWN_KEYS = ("owned_topics", "protected_topics", "clusters")


@dataclass(frozen=True)
class ClusterSettings:
    """One cluster of ``clusters:``: the overlay its topics use, how to reach it, what it runs.

    ``properties`` are librdkafka settings as ``(key, value, origin)``, origin
    being where ktr.yaml sets them; ``client_config`` is resolved against the
    directory of ktr.yaml. ``owned`` and ``protected`` extend the global lists.
    """

    name: str
    where: str
    environment: str | None = None
    bootstrap_servers: str | None = None
    client_config: Path | None = None
    properties: tuple[tuple[str, str, str], ...] = ()
    kafka_version: KafkaVersion | None = None
    owned: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """What ktr may consider its own on the cluster, and the clusters it knows by name."""

    owned: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    clusters: Mapping[str, ClusterSettings] = field(default_factory=dict)

    def for_cluster(self, cluster: ClusterSettings) -> Settings:
        """These settings on ``cluster``: its owned and protected names added to the global ones."""
        return replace(
            self,
            owned=self.owned + cluster.owned,
            protected=self.protected + cluster.protected,
        )

    def owns(self, name: str) -> bool:
        """True when ``name`` is within the names ktr manages (all names when unset)."""
        return not self.owned or _matches(name, self.owned)

    def is_protected(self, name: str) -> bool:
        """True for names ktr must never delete or recreate."""
        return _matches(name, BUILTIN_PROTECTED) or _matches(name, self.protected)

    def is_internal(self, name: str) -> bool:
        """True for Kafka-internal names and ktr's own, which are never reported as unmanaged."""
        return name.startswith(("__", KTR_PREFIX))


def _matches(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path``, or from ./ktr.yaml when it exists.

    An explicitly named file must exist; the default file is optional.
    """
    if path is None:
        if not DEFAULT_SETTINGS_FILE.is_file():
            return Settings()
        path = DEFAULT_SETTINGS_FILE
    text = read_text(path, "settings")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise UserError(f"{where}: {problem}") from None
    if doc is None:
        return Settings()
    if not isinstance(doc, dict):
        raise UserError(f"{path}:1:1: settings must be a mapping with {' and '.join(_KNOWN_KEYS)}")
    marks = {
        key.value: f"{path}:{key.start_mark.line + 1}:{key.start_mark.column + 1}"
        for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
    }
    for key in doc:
        if key not in _KNOWN_KEYS:
            raise UserError(
                f"{marks.get(key, path)}: unknown setting {key!r}; "
                f"known settings: {', '.join(_KNOWN_KEYS)}"
            )
    return Settings(
        owned=_patterns(doc, "owned_topics", marks.get("owned_topics", str(path))),
        protected=_patterns(doc, "protected_topics", marks.get("protected_topics", str(path))),
        clusters=_clusters(doc.get("clusters"), node, path) if node is not None else {},
    )


def _patterns(doc: dict[object, object], key: str, where: str) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise UserError(f"{where}: {key} must be a list of topic name patterns (e.g. 'orders.*')")
    return tuple(value)


# ------------------------------------------------------------------ clusters

_CLUSTER_KEYS = (
    "environment",
    "bootstrap_servers",
    "client_config",
    "properties",
    "kafka_version",
    "owned_topics",
    "protected_topics",
)
_CLUSTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PROPERTY_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _clusters(value: object, root: yaml.Node, path: Path) -> dict[str, ClusterSettings]:
    if value is None:
        return {}
    at = _Marks(root, path)
    if not isinstance(value, dict):
        raise UserError(f"{at('clusters')}: clusters must map cluster names to their settings")
    clusters: dict[str, ClusterSettings] = {}
    for name, body in value.items():
        where = at("clusters", name)
        if not isinstance(name, str) or not _CLUSTER_NAME.match(name):
            raise UserError(
                f"{where}: cluster name {name!r} must start with a letter or digit and hold "
                "only letters, digits, '.', '_' and '-'"
            )
        clusters[name] = _cluster(name, body if body is not None else {}, at, path)
    return clusters


def _cluster(name: str, body: object, at: _Marks, path: Path) -> ClusterSettings:
    here = ("clusters", name)
    if not isinstance(body, dict):
        raise UserError(
            f"{at(*here)}: cluster {name!r} must be a mapping of {', '.join(_CLUSTER_KEYS)}"
        )
    for key in body:
        if key not in _CLUSTER_KEYS:
            raise UserError(
                f"{at(*here, key)}: unknown setting {key!r} for cluster {name!r}; "
                f"known settings: {', '.join(_CLUSTER_KEYS)}"
            )

    def text(key: str) -> str | None:
        value = body.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{at(*here, key)}: {key} of cluster {name!r} must be text")
        return value.strip()

    version = body.get("kafka_version")
    kafka_version = None
    if version is not None:
        if not isinstance(version, str):
            raise UserError(
                f"{at(*here, 'kafka_version')}: kafka_version of cluster {name!r} must be "
                f'quoted text, e.g. kafka_version: "3.9" (unquoted, YAML reads 3.10 as 3.1)'
            )
        try:
            kafka_version = parse_version(version).run_by(f"cluster '{name}'")
        except ValueError as error:
            raise UserError(f"{at(*here, 'kafka_version')}: {error}") from None
    config = text("client_config")
    return ClusterSettings(
        name=name,
        where=at(*here),
        environment=text("environment"),
        bootstrap_servers=text("bootstrap_servers"),
        client_config=None if config is None else path.parent / config,
        properties=_properties(name, body.get("properties"), at),
        kafka_version=kafka_version,
        owned=_patterns(body, "owned_topics", at(*here, "owned_topics")),
        protected=_patterns(body, "protected_topics", at(*here, "protected_topics")),
    )


def _properties(name: str, value: object, at: _Marks) -> tuple[tuple[str, str, str], ...]:
    here = ("clusters", name, "properties")
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise UserError(f"{at(*here)}: properties of cluster {name!r} must map names to values")
    found: list[tuple[str, str, str]] = []
    for key, raw in value.items():
        where = at(*here, key)
        if not isinstance(key, str) or not _PROPERTY_NAME.match(key):
            raise UserError(f"{where}: invalid property name (use letters, digits, .-_)")
        if isinstance(raw, bool):
            shown = "true" if raw else "false"
        elif isinstance(raw, (str, int, float)):
            shown = str(raw)
        else:
            raise UserError(f"{where}: property {key} must be a single value")
        found.append((key, shown, where))
    return tuple(found)


class _Marks:
    """``FILE:LINE:COL`` of a key in the settings file, for messages."""

    def __init__(self, root: yaml.Node, path: Path) -> None:
        self.root = root
        self.path = path

    def __call__(self, *keys: object) -> str:
        node, mark = self.root, None
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            match = next(
                ((k, v) for k, v in node.value if getattr(k, "value", None) == str(key)), None
            )
            if match is None:
                break
            mark, node = match[0].start_mark, match[1]
        if mark is None:
            return str(self.path)
        return f"{self.path}:{mark.line + 1}:{mark.column + 1}"
