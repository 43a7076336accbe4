"""Project settings kept in git: which topic names ktr owns, and which it must never touch.

On a shared cluster most topics belong to someone else. ``owned_topics``
narrows what ktr reports as unmanaged; ``protected_topics`` adds to the
built-in names that are never deleted or recreated, whatever the flags.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reconciler.doctor.catalogue import RULE_IDS
from reconciler.kafka.units import parse_duration_ms
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

_KNOWN_KEYS = ("owned_topics", "protected_topics", "environments", "clients")


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

    ``environments`` empty means every environment. ``where`` is the
    ``ktr.yaml`` line that declares it, for messages.
    """

    file: Path
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()
    where: str = ""

    def applies_to(self, environment: str | None) -> bool:
        return not self.environments or environment in self.environments


@dataclass(frozen=True)
class Settings:
    """What ktr may consider its own on the cluster, and what doctor knows of environments."""

    owned: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    environments: Mapping[str, EnvironmentSettings] = field(default_factory=dict)
    clients: tuple[ClientSpec, ...] = ()

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
    root = node if isinstance(node, yaml.MappingNode) else None
    return Settings(
        owned=_patterns(doc, "owned_topics", marks.get("owned_topics", str(path))),
        protected=_patterns(doc, "protected_topics", marks.get("protected_topics", str(path))),
        environments=_environments(doc.get("environments"), _child(root, "environments"), path),
        clients=_clients(doc.get("clients"), _child(root, "clients"), path),
    )


def _patterns(doc: dict[object, object], key: str, where: str) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise UserError(f"{where}: {key} must be a list of topic name patterns (e.g. 'orders.*')")
    return tuple(value)


# ------------------------------------------------------------ doctor settings

_ENVIRONMENT_KEYS = ("production", "max_consumer_downtime", "future_tolerance", "ignore")
_CLIENT_KEYS = ("file", "produces", "consumes", "environments")


def _child(node: yaml.Node | None, key: object) -> yaml.Node | None:
    """The value node under ``key`` (a mapping key, or a list index)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]  # type: ignore[no-any-return]
    return None


def _at(path: Path, node: yaml.Node | None) -> str:
    if node is None:
        return str(path)
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _environments(
    value: object, node: yaml.Node | None, path: Path
) -> dict[str, EnvironmentSettings]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UserError(
            f"{_at(path, node)}: environments must map environment names to their settings "
            "(e.g. production: {production: true})"
        )
    found: dict[str, EnvironmentSettings] = {}
    for name, body in value.items():
        where = _child(node, name)
        if not isinstance(body, dict):
            raise UserError(
                f"{_at(path, where)}: environment {name!r} must be a mapping of "
                f"{', '.join(_ENVIRONMENT_KEYS)}"
            )
        _known_keys(body, where, path, _ENVIRONMENT_KEYS, f"environment {name!r}")
        production = body.get("production")
        if production is not None and not isinstance(production, bool):
            raise UserError(
                f"{_at(path, _child(where, 'production'))}: production must be true or false"
            )
        found[str(name)] = EnvironmentSettings(
            production=production,
            max_consumer_downtime_ms=_duration(body, "max_consumer_downtime", where, path),
            future_tolerance_ms=_duration(body, "future_tolerance", where, path),
            ignore=_rule_ids(body.get("ignore"), _child(where, "ignore"), path),
        )
    return found


def _known_keys(
    body: dict[object, object],
    node: yaml.Node | None,
    path: Path,
    known: Sequence[str],
    what: str,
) -> None:
    for key in body:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            raise UserError(
                f"{_at(path, _child(node, key))}: unknown key {key!r} in {what}; {hint}"
            )


def _duration(
    body: dict[object, object], key: str, node: yaml.Node | None, path: Path
) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    where = _at(path, _child(node, key))
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise UserError(f"{where}: {key} must be a duration such as 3d or 12h")
    try:
        ms = parse_duration_ms(value)
    except ValueError as error:
        raise UserError(f"{where}: {key}: {error}") from None
    if ms <= 0:
        raise UserError(f"{where}: {key} must be longer than 0 (e.g. 3d)")
    return ms


def _rule_ids(value: object, node: yaml.Node | None, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{_at(path, node)}: ignore must be a list of doctor rule ids")
    for index, rule in enumerate(value):
        if rule not in RULE_IDS:
            close = difflib.get_close_matches(rule, RULE_IDS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "see ktr doctor --help"
            raise UserError(
                f"{_at(path, _child(node, index))}: unknown doctor rule {rule!r}; {hint}"
            )
    return tuple(value)


def _clients(value: object, node: yaml.Node | None, path: Path) -> tuple[ClientSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise UserError(
            f"{_at(path, node)}: clients must be a list of {{file: ..., produces: [...], "
            "consumes: [...]}}"
        )
    found: list[ClientSpec] = []
    for index, body in enumerate(value):
        where = _child(node, index)
        if not isinstance(body, dict) or not isinstance(body.get("file"), str):
            raise UserError(
                f"{_at(path, where)}: each client needs 'file:' naming its properties file"
            )
        _known_keys(body, where, path, _CLIENT_KEYS, "a client")
        lists = {}
        for key in ("produces", "consumes", "environments"):
            item = body.get(key)
            if item is None:
                lists[key] = ()
            elif isinstance(item, list) and all(isinstance(i, str) and i for i in item):
                lists[key] = tuple(item)
            else:
                raise UserError(
                    f"{_at(path, _child(where, key))}: {key} must be a list of "
                    + ("environment names" if key == "environments" else "topic name patterns")
                )
        if not lists["produces"] and not lists["consumes"]:
            raise UserError(
                f"{_at(path, where)}: client {body['file']!r} needs 'produces:' or 'consumes:' "
                "topic patterns"
            )
        found.append(
            ClientSpec(
                # Relative to ktr.yaml, so the file works from any directory.
                file=path.parent / body["file"],
                produces=lists["produces"],
                consumes=lists["consumes"],
                environments=lists["environments"],
                where=_at(path, where),
            )
        )
    return tuple(found)
