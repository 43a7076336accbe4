"""Project settings kept in git: which topic names ktr owns, which it must never touch,
and the clusters the declarations describe.

On a shared cluster most topics belong to someone else. ``owned_topics``
narrows what ktr reports as unmanaged; ``protected_topics`` adds to the
built-in names that are never deleted or recreated, whatever the flags.
``clusters`` (read by :mod:`reconciler.settings.clusters`) names each cluster
with the environment overlay it runs, how to reach it and the Kafka version it
runs, so a command names a cluster, not a broker address and an overlay that
may not belong together.

``ktr.yaml`` is read with the same strict loader as declarations (duplicate
keys, unsafe tags and bad YAML are errors at their line), and every key it
may hold is declared once, in :data:`SECTIONS`: adding a section is one
entry there and one field on :class:`Settings`.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reconciler.declarations.loader import load_yaml
from reconciler.declarations.yaml_file import YamlFile
from reconciler.doctor.catalogue import RULE_IDS
from reconciler.kafka import names
from reconciler.kafka.units import parse_duration_ms
from reconciler.problems import Problem, UserError, read_text
from reconciler.settings.clusters import ClusterSettings as ClusterSettings  # re-exported
from reconciler.settings.clusters import read_clusters

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
KTR_PREFIX = names.RESERVED_PREFIX


@dataclass(frozen=True)
class EnvironmentSettings:
    """What ``ktr doctor`` should know of one environment.

    ``production`` None means: decided by the name (``production``, ``prod``).
    ``ignore`` lists doctor rules switched off in this environment.
    """

    production: bool | None = None
    max_consumer_downtime_ms: int | None = None
    future_tolerance_ms: int | None = None
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClientSpec:
    """A client's properties file and the topic patterns it produces to and consumes from.

    ``file`` is resolved against the directory of ktr.yaml.
    ``environments`` empty means every environment.
    """

    file: Path
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()

    def applies_to(self, environment: str | None) -> bool:
        return not self.environments or environment in self.environments


@dataclass(frozen=True)
class Settings:
    """What ktr may consider its own on the cluster, the clusters it knows by name, and
    what doctor knows of environments and clients."""

    owned: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    clusters: Mapping[str, ClusterSettings] = field(default_factory=dict)
    environments: Mapping[str, EnvironmentSettings] = field(default_factory=dict)
    clients: tuple[ClientSpec, ...] = ()

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


class BadSetting(Exception):
    """A value a section cannot take; ``where`` is the path to it inside the section."""

    def __init__(self, message: str, where: tuple[Hashable, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where


@dataclass(frozen=True)
class Place:
    """Where a section sits: the file (for paths relative to it) and ``FILE:LINE:COL`` of keys."""

    file: YamlFile

    @property
    def directory(self) -> Path:
        return self.file.path.parent

    def at(self, *keys: Hashable) -> str:
        line, column = self.file.locate(keys, key=True)
        return f"{self.file.name}:{line}:{column}"


@dataclass(frozen=True)
class Section:
    """One top-level key of ktr.yaml: the :class:`Settings` field it fills and its reader.

    ``read`` takes the loaded YAML value and where it sits, and returns the
    field's value, or raises :class:`BadSetting`.
    """

    field: str
    read: Callable[[Any, Place], Any]


def topic_patterns(key: str) -> Callable[[Any, Place], tuple[str, ...]]:
    """A reader for a list of shell-style topic name patterns."""

    def read(value: Any, _place: Place) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise BadSetting(f"{key} must be a list of topic name patterns (e.g. 'orders.*')")
        for index, pattern in enumerate(value):
            if not isinstance(pattern, str) or not pattern:
                raise BadSetting(
                    f"{key}[{index}] must be a topic name pattern (a non-empty string, "
                    "e.g. 'orders.*')",
                    (index,),
                )
        return tuple(value)

    return read


_ENVIRONMENT_KEYS = ("production", "max_consumer_downtime", "future_tolerance", "ignore")
_CLIENT_KEYS = ("file", "produces", "consumes", "environments")


def _known_keys(
    body: dict[Any, Any], known: Sequence[str], what: str, at: tuple[Hashable, ...]
) -> None:
    for key in body:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            raise BadSetting(f"unknown key {key!r} in {what}; {hint}", (*at, key))


def _duration(body: dict[Any, Any], key: str, at: tuple[Hashable, ...]) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    where = (*at, key)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadSetting(f"{key} must be a duration such as 3d or 12h", where)
    try:
        ms = parse_duration_ms(value)
    except ValueError as error:
        raise BadSetting(f"{key}: {error}", where) from None
    if ms <= 0:
        raise BadSetting(f"{key} must be longer than 0 (e.g. 3d)", where)
    return ms


def _rule_ids(value: Any, at: tuple[Hashable, ...]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadSetting("ignore must be a list of doctor rule ids", at)
    for index, rule in enumerate(value):
        if rule not in RULE_IDS:
            close = difflib.get_close_matches(rule, RULE_IDS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "see the README for the rule ids"
            raise BadSetting(f"unknown doctor rule {rule!r}; {hint}", (*at, index))
    return tuple(value)


def read_environments(value: Any, _place: Place) -> dict[str, EnvironmentSettings]:
    """``environments:``: what doctor should know of each environment."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadSetting(
            "environments must map environment names to their settings "
            "(e.g. production: {production: true})"
        )
    found: dict[str, EnvironmentSettings] = {}
    for name, body in value.items():
        at: tuple[Hashable, ...] = (name,)
        if not isinstance(body, dict):
            raise BadSetting(
                f"environment {name!r} must be a mapping of {', '.join(_ENVIRONMENT_KEYS)}", at
            )
        _known_keys(body, _ENVIRONMENT_KEYS, f"environment {name!r}", at)
        production = body.get("production")
        if production is not None and not isinstance(production, bool):
            raise BadSetting("production must be true or false", (*at, "production"))
        found[str(name)] = EnvironmentSettings(
            production=production,
            max_consumer_downtime_ms=_duration(body, "max_consumer_downtime", at),
            future_tolerance_ms=_duration(body, "future_tolerance", at),
            ignore=_rule_ids(body.get("ignore"), (*at, "ignore")),
        )
    return found


def read_clients(value: Any, place: Place) -> tuple[ClientSpec, ...]:
    """``clients:``: the clients' properties files, with the topics each one uses."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BadSetting("clients must be a list of {file: ..., produces: [...], consumes: [...]}")
    found: list[ClientSpec] = []
    for index, body in enumerate(value):
        at: tuple[Hashable, ...] = (index,)
        if not isinstance(body, dict) or not isinstance(body.get("file"), str):
            raise BadSetting("each client needs 'file:' naming its properties file", at)
        _known_keys(body, _CLIENT_KEYS, "a client", at)
        lists: dict[str, tuple[str, ...]] = {}
        for key in ("produces", "consumes", "environments"):
            item = body.get(key)
            if item is None:
                lists[key] = ()
            elif isinstance(item, list) and all(isinstance(i, str) and i for i in item):
                lists[key] = tuple(item)
            else:
                what = "environment names" if key == "environments" else "topic name patterns"
                raise BadSetting(f"{key} must be a list of {what}", (*at, key))
        if not lists["produces"] and not lists["consumes"]:
            raise BadSetting(
                f"client {body['file']!r} needs 'produces:' or 'consumes:' topic patterns", at
            )
        found.append(
            ClientSpec(
                # Relative to ktr.yaml, so it works from any directory.
                file=place.directory / body["file"],
                produces=lists["produces"],
                consumes=lists["consumes"],
                environments=lists["environments"],
            )
        )
    return tuple(found)


#: Every key ktr.yaml may hold, and how it is read.
SECTIONS: dict[str, Section] = {
    "owned_topics": Section("owned", topic_patterns("owned_topics")),
    "protected_topics": Section("protected", topic_patterns("protected_topics")),
    "clusters": Section("clusters", read_clusters),
    "environments": Section("environments", read_environments),
    "clients": Section("clients", read_clients),
}


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from ``path``, or from ./ktr.yaml when it exists.

    An explicitly named file must exist; the default file is optional.
    Raises UserError listing every problem, one ``FILE:LINE:COL: message`` a line.
    """
    if path is None:
        # Anything there by that name counts (a FIFO or a directory is refused
        # when read): silently going without its protected_topics would not be safe.
        if not os.path.lexists(DEFAULT_SETTINGS_FILE):
            return Settings()
        path = DEFAULT_SETTINGS_FILE
    loaded = load_yaml(path, read_text(path, "settings"))
    problems = list(loaded.problems)
    if not loaded.has_document:
        _raise(problems)
        return Settings()
    doc = loaded.data
    if not isinstance(doc, dict):
        known = " and ".join(SECTIONS)
        raise UserError(f"{path}:1:1: settings must be a mapping with {known}")
    values: dict[str, Any] = {}
    for key, value in doc.items():
        section = SECTIONS.get(key) if isinstance(key, str) else None
        if section is None:
            problems.append(loaded.problem((key,), _unknown(key), key=True))
            continue
        try:
            values[section.field] = section.read(value, Place(loaded))
        except BadSetting as bad:
            problems.append(loaded.problem((key, *bad.where), bad.message, key=not bad.where))
    _raise(problems)
    return Settings(**values)


def _unknown(key: object) -> str:
    known = list(SECTIONS)
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown setting {key!r}{hint} (known settings: {', '.join(known)})"


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise UserError("\n".join(str(p) for p in sorted(problems)))
