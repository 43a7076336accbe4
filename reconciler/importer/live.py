"""A live cluster's topics as declarations: what it takes to recreate each one as it is."""

from __future__ import annotations

import fnmatch
import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from reconciler.kafka import catalogue
from reconciler.model import ActualTopic, ClusterState, ConfigEntry, ConfigSource
from reconciler.problems import plural
from reconciler.settings import Settings

from .model import Imported, ImportedTopic, Note


def selected(name: str, topic: ActualTopic, settings: Settings, patterns: Sequence[str]) -> bool:
    """True for the topics an import takes: not internal, protected or ktr's own,
    within ``owned_topics`` and matching one of ``patterns`` (all when none)."""
    if topic.internal or settings.is_internal(name) or settings.is_protected(name):
        return False
    if not settings.owns(name):
        return False
    return not patterns or any(fnmatch.fnmatchcase(name, p) for p in patterns)


def matching(imported: Imported, patterns: Sequence[str]) -> Imported:
    """Only the topics of ``imported`` whose names match one of ``patterns`` (all when none)."""
    if not patterns:
        return imported
    kept = tuple(
        t for t in imported.topics if any(fnmatch.fnmatchcase(t.name, p) for p in patterns)
    )
    return replace(imported, topics=kept)


def from_cluster(
    state: ClusterState,
    settings: Settings,
    *,
    patterns: Sequence[str] = (),
    overrides_only: bool = False,
    where: str = "",
) -> Imported:
    """Every selected topic of ``state``, with the configs that recreate it as it is.

    By default those are every value that is not Kafka's default (some
    brokers report every value as a default, whatever its source), plus every
    override even at the default, so that ``--prune-configs`` finds nothing
    to remove. A value the broker reports as inherited from its own settings
    stays undeclared, with one note per value: declared, plan would pin it
    on the topic (see :func:`reconciler.plan.diff.compare_topic`), and the
    import must plan to no change. ``overrides_only`` keeps only the
    overrides. ``where`` names the cluster in notes (an environment, when
    several).
    """
    topics: list[ImportedTopic] = []
    notes: list[Note] = []
    left_out: set[str] = set()
    inherited: Counter[tuple[str, str]] = Counter()
    for name, topic in sorted(state.topics.items()):
        if not selected(name, topic, settings, patterns):
            continue
        label = f"{where}: {name}" if where else name
        if topic.partitions < 1 or topic.replication_factor < 1:
            notes.append(Note(label, "left out: the cluster reports no partitions for it"))
            left_out.add(name)
            continue
        config, effective, topic_notes = _configs(topic.config, overrides_only, inherited)
        config, dropped, refused = _consistent(config, topic, topic.replication_factor)
        notes += [Note(label, message) for message in topic_notes + dropped]
        if refused:
            notes.append(Note(label, f"left out: {refused}; ktr would refuse this declaration"))
            left_out.add(name)
            continue
        topics.append(
            ImportedTopic(
                name, topic.partitions, topic.replication_factor, config, effective=effective
            )
        )
    if (
        overrides_only
        and topics
        and not any(
            entry.is_override for topic in state.topics.values() for entry in topic.config.values()
        )
    ):
        notes.append(
            Note(
                where,
                "the broker reports no config as set on a topic (some brokers report every "
                "value as a default): --overrides-only cannot tell overrides from defaults "
                "here; import without it",
            )
        )
    for (key, value), count in sorted(inherited.items()):
        notes.append(
            Note(
                where,
                f"{key}={value} is inherited from the brokers' settings by "
                f"{plural(count, 'topic')}: left undeclared, as ktr plan would set a declared "
                "value on each topic (pin it) rather than leave it to the brokers",
            )
        )
    return Imported(tuple(topics), tuple(notes), left_out=frozenset(left_out))


def _configs(
    entries: Mapping[str, ConfigEntry],
    overrides_only: bool,
    inherited: Counter[tuple[str, str]],
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(values to declare, every value in effect, notes) for one topic."""
    config: dict[str, str] = {}
    effective: dict[str, str] = {}
    notes: list[str] = []
    for key, entry in sorted(entries.items()):
        if entry.value is None:
            continue
        spec = catalogue.CATALOGUE.get(key)
        if spec is None:
            if entry.is_override:
                notes.append(
                    f"override {key}={entry.value} not carried over: not a topic config ktr "
                    "knows (plan --prune-configs would remove it)"
                )
            continue
        value, refused = _normalised(key, entry.value)
        if refused:
            notes.append(f"{key} not carried over: {refused}")
            continue
        effective[key] = value
        if entry.is_override:
            config[key] = value
        elif overrides_only or _is_default(key, value):
            continue
        elif entry.source is ConfigSource.BROKER:
            inherited[key, value] += 1
        else:
            config[key] = value
    return config, effective, notes


@functools.lru_cache(maxsize=65536)
def _normalised(key: str, value: str) -> tuple[str, str]:
    """(Kafka's string for ``value``, or why the catalogue refuses it), remembered:
    a cluster repeats a few values over thousands of topics."""
    try:
        return catalogue.normalise(key, value), ""
    except catalogue.ConfigValueError as error:
        return value, str(error)


@functools.lru_cache(maxsize=65536)
def _is_default(key: str, value: str) -> bool:
    spec = catalogue.CATALOGUE[key]
    defaults = {spec.default}
    if spec.earlier_default is not None:
        defaults.add(spec.earlier_default[1])  # what older brokers report untouched
    return any(
        default is not None and catalogue.canonical(key, default) == value for default in defaults
    )


def _consistent(
    config: dict[str, str], topic: ActualTopic, replication_factor: int
) -> tuple[dict[str, str], list[str], str]:
    """Drop inherited values that break a rule across configs; the reason when an
    override does (the topic cannot then be declared as it is)."""
    dropped: list[str] = []
    while True:
        found = catalogue.cross_field_problems(config, replication_factor)
        if not found:
            return config, dropped, ""
        key, message = found[0]
        entry = topic.config.get(key)
        if key not in config or (entry is not None and entry.is_override):
            return config, dropped, message
        config = {k: v for k, v in config.items() if k != key}
        dropped.append(
            f"inherited {key}={entry.value if entry else ''} not declared: {message} "
            "(the value stays in effect; plan does not compare undeclared keys)"
        )
