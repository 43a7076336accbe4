"""The ``clusters:`` section of ktr.yaml: each cluster's environment, address, client
settings, Kafka version and the names it adds to ``owned_topics`` / ``protected_topics``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reconciler.kafka.versions import KafkaVersion, parse_version
from reconciler.problems import UserError

if TYPE_CHECKING:
    from reconciler.settings import Place

# ``FILE:LINE:COL`` of a key path in ktr.yaml, for messages.
At = Callable[..., str]


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
    #: ``ktr doctor``'s production checklist for this cluster (None: as its environment says).
    production: bool | None = None


def _patterns(doc: dict[object, object], key: str, where: str) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise UserError(f"{where}: {key} must be a list of topic name patterns (e.g. 'orders.*')")
    return tuple(value)


_CLUSTER_KEYS = (
    "environment",
    "production",
    "bootstrap_servers",
    "client_config",
    "properties",
    "kafka_version",
    "owned_topics",
    "protected_topics",
)
_CLUSTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PROPERTY_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


def read_clusters(value: object, place: Place) -> dict[str, ClusterSettings]:
    """The ``clusters:`` section; raises UserError at the line of the first bad value."""
    if value is None:
        return {}
    at = place.at
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
        clusters[name] = _cluster(name, body if body is not None else {}, at, place.directory)
    return clusters


def _cluster(name: str, body: object, at: At, directory: Path) -> ClusterSettings:
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
    production = body.get("production")
    if production is not None and not isinstance(production, bool):
        raise UserError(f"{at(*here, 'production')}: production must be true or false")
    return ClusterSettings(
        name=name,
        where=at(*here),
        environment=text("environment"),
        bootstrap_servers=text("bootstrap_servers"),
        client_config=None if config is None else directory / config,
        properties=_properties(name, body.get("properties"), at),
        kafka_version=kafka_version,
        owned=_patterns(body, "owned_topics", at(*here, "owned_topics")),
        protected=_patterns(body, "protected_topics", at(*here, "protected_topics")),
        production=production,
    )


def _properties(name: str, value: object, at: At) -> tuple[tuple[str, str, str], ...]:
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
