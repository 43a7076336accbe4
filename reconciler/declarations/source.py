"""One declaration file as loaded: its layers (defaults, topics, environment overlays),
each layer's config checked against the catalogue and normalised once, where it is written.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.declarations.loader import load_yaml
from reconciler.declarations.schema_messages import kind, schema_problems, where
from reconciler.declarations.yaml_file import DataPath, YamlFile
from reconciler.kafka import catalogue
from reconciler.kafka.versions import KafkaVersion
from reconciler.model import Location
from reconciler.problems import Problem


@dataclass
class Source:
    """One declaration file as loaded, with the values its layers normalise to."""

    file: YamlFile
    problems: list[Problem]
    topics: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    # Normalised config of each layer, keyed by the layer's path in the file.
    configs: dict[DataPath, dict[str, str]] = field(default_factory=dict)
    _locations: dict[str, Location] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, path: Path) -> Source:
        loaded = load_yaml(path)
        source = cls(loaded, list(loaded.problems))
        data = loaded.data
        if not loaded.has_document:
            if not loaded.problems:
                source.problems.append(
                    Problem(loaded.name, 1, 1, "empty file: no topics declared", "warning")
                )
            return source
        if not isinstance(data, dict):
            source.problems.append(
                loaded.problem(
                    (),
                    f"expected a mapping with 'topics:' (and optionally 'defaults:'), "
                    f"found {kind(data)}",
                )
            )
            return source
        source.problems.extend(schema_problems(loaded))
        if isinstance(data.get("topics"), dict):
            source.topics = data["topics"]
        if isinstance(data.get("defaults"), dict):
            source.defaults = data["defaults"]
        return source

    def location(self, name: str) -> Location:
        """Where topic ``name`` is declared (its key): one object for every environment."""
        found = self._locations.get(name)
        if found is None:
            if not self._locations:  # every topic's at once, on the first call
                file = self.file.name
                self._locations = {
                    text: Location(file, line, column)
                    for text, (line, column) in self.file.key_positions(("topics",)).items()
                }
                found = self._locations.get(name)
            if found is None:
                line, column = self.file.locate(("topics", name), key=True)
                found = self._locations[name] = Location(self.file.name, line, column)
        return found

    def environments(self) -> set[str]:
        found: set[str] = set()
        for body in (self.defaults, *self.topics.values()):
            if isinstance(body, dict) and isinstance(body.get("environments"), dict):
                found.update(e for e in body["environments"] if isinstance(e, str))
        return found

    def layers(self) -> list[tuple[DataPath, dict[str, Any]]]:
        """Every mapping that can carry settings, with its path in the file."""
        found: list[tuple[DataPath, dict[str, Any]]] = []
        _with_overlays(found, ("defaults",), self.defaults)
        for name, body in self.topics.items():
            _with_overlays(found, ("topics", name), body)
        return found

    def check_layers(
        self,
        problems: list[Problem],
        target: KafkaVersion | None = None,
        environment: str | None = None,
    ) -> None:
        """Config keys and values, and tombstones, checked once where they are written.

        With a ``target`` Kafka version, keys and values that release refuses are
        errors; with an ``environment`` too, only in the layers that environment
        uses: another environment's overlay runs on another cluster, perhaps of
        another release, and is judged as without a version.
        """
        for path, body in self.layers():
            if body.get("delete") is True and path[0] == "topics":
                for key in body:
                    if key not in ("delete", "environments"):
                        problems.append(
                            self.file.problem(
                                (*path, key),
                                f"{where(path)} is a tombstone (delete: true); "
                                f"'{key}' is not allowed beside it",
                                key=True,
                            )
                        )
            elif len(path) == 4 and "delete" not in body and body:
                topic = self.topics.get(str(path[1]))
                if isinstance(topic, dict) and topic.get("delete") is True:
                    key = next(iter(body))
                    problems.append(
                        self.file.problem(
                            (*path, key),
                            f"topic '{path[1]}' is a tombstone, so '{key}' in environment "
                            f"'{path[3]}' has no effect; add 'delete: false' to this "
                            "environment to keep the topic there",
                            key=True,
                        )
                    )
            config = body.get("config")
            if isinstance(config, dict):
                overlay = _overlay_environment(path)
                used = environment is None or overlay is None or overlay == environment
                self.configs[path] = self._normalised(
                    path, config, problems, target if used else None
                )

    def _normalised(
        self,
        path: DataPath,
        config: dict[Any, Any],
        problems: list[Problem],
        target: KafkaVersion | None,
    ) -> dict[str, str]:
        """The layer's config normalised; shared with every other layer written the same way.

        Thousands of topics repeat a few configs: one whose keys and values
        were all fine before (for the same target version) is not checked
        again (its dict is shared, and never changed). A config with a
        problem is checked each time, so that each problem is reported where
        it is written.
        """
        try:
            # With the types: True == 1 == 1.0 in a tuple, not to the catalogue.
            written = (tuple(config.items()), tuple(map(type, config.values())), target)
            known = _CLEAN_CONFIGS.get(written)
        except TypeError:  # a list value (cleanup.policy: [compact, delete]) or a mapping
            return self._normalise(path, config, problems, target)
        if known is not None:
            return known
        found = len(problems)
        normalised = self._normalise(path, config, problems, target)
        if len(problems) == found and len(_CLEAN_CONFIGS) < 100_000:
            _CLEAN_CONFIGS[written] = normalised
        return normalised

    def _normalise(
        self,
        path: DataPath,
        config: dict[Any, Any],
        problems: list[Problem],
        target: KafkaVersion | None,
    ) -> dict[str, str]:
        normalised: dict[str, str] = {}
        for key, value in config.items():
            at = (*path, "config", key)
            if not isinstance(key, str):
                problems.append(
                    self.file.problem(at, f"config key {key!r} must be a string", key=True)
                )
                continue
            verdict = catalogue.key_problem(key, target)
            if verdict is not None:
                severity, message = verdict
                problems.append(
                    self.file.problem(
                        at, f"{message} ({where(path)})", key=True, warning=severity == "warning"
                    )
                )
                if severity == "error":
                    continue
            try:
                normalised[key] = _normalise_value(key, value)
            except catalogue.ConfigValueError as error:
                problems.append(self.file.problem(at, f"{error} ({where(path)})"))
                continue
            verdict = catalogue.value_problem(key, normalised[key], target)
            if verdict is not None:
                severity, message = verdict
                problems.append(
                    self.file.problem(
                        at, f"{message} ({where(path)})", warning=severity == "warning"
                    )
                )
        return normalised


def _with_overlays(
    found: list[tuple[DataPath, dict[str, Any]]], path: DataPath, body: object
) -> None:
    # A plain loop, not generators: this runs for every topic.
    if not isinstance(body, dict):
        return
    found.append((path, body))
    overlays = body.get("environments")
    if isinstance(overlays, dict):
        for env, overlay in overlays.items():
            if isinstance(overlay, dict):
                found.append(((*path, "environments", env), overlay))


def _overlay_environment(path: DataPath) -> object | None:
    """The environment whose overlay ``path`` is (``defaults.environments.E``,
    ``topics.T.environments.E``), or None for a layer every environment uses."""
    if path[0] == "defaults" and len(path) == 3:
        return path[2]
    if path[0] == "topics" and len(path) == 4:
        return path[3]
    return None


_NORMALISED: dict[tuple[str, type, Hashable], str | catalogue.ConfigValueError] = {}
# Configs, as written, whose every key and value was fine, with what they normalise to.
_CLEAN_CONFIGS: dict[
    tuple[tuple[tuple[Any, Any], ...], tuple[type, ...], KafkaVersion | None], dict[str, str]
] = {}


def _normalise_value(key: str, value: object) -> str:
    """catalogue.normalise, remembered: most topics repeat the same few values."""
    if isinstance(value, list):
        return catalogue.normalise(key, value)
    try:
        memo_key = (key, type(value), value)
        hash(memo_key)
    except TypeError:
        return catalogue.normalise(key, value)
    result = _NORMALISED.get(memo_key)
    if result is None:
        try:
            result = catalogue.normalise(key, value)
        except catalogue.ConfigValueError as error:
            result = error
        if len(_NORMALISED) < 100_000:
            _NORMALISED[memo_key] = result
    if isinstance(result, catalogue.ConfigValueError):
        raise result
    return result
