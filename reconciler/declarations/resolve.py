"""Topic declarations: from YAML files to the desired state of one environment.

Each file holds optional ``defaults`` and a ``topics`` mapping. For an
environment E, a topic is the merge, later winning, of: the file's defaults,
the defaults' overlay for E, the topic, and the topic's overlay for E.
Config values are normalised to the strings Kafka reports.

Every problem is collected, never only the first, each pointing at the file
and line to fix; nothing here raises on bad content.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from reconciler.declarations.files import DEFAULT_PATHS, declaration_files
from reconciler.declarations.lock_check import lock_problems
from reconciler.declarations.result import ENV_OPTION, Declarations
from reconciler.declarations.source import Source
from reconciler.declarations.yaml_file import DataPath
from reconciler.gcpause import gc_paused
from reconciler.kafka import catalogue, names
from reconciler.kafka.versions import KafkaVersion
from reconciler.model import DesiredState, TopicSpec
from reconciler.problems import Problem, Severity

_ENV = "\x00env\x00"  # where a resolution problem will name its environments


# --------------------------------------------------------------- entry points


def load_declarations(
    paths: Sequence[Path],
    environment: str | None,
    *,
    check_lock: bool = True,
    kafka_version: KafkaVersion | None = None,
) -> Declarations:
    """Load, validate and resolve the declarations under ``paths`` for ``environment``.

    With no environment, the declarations as written are resolved and every
    declared environment is checked too. With a ``kafka_version``, what that
    release refuses (keys it lacks, values it does not take) is an error; without
    one, such version-dependent problems are warnings. Never raises on bad content.
    """
    # Loading makes millions of small objects and frees almost none: the
    # cyclic collector would scan them all again and again, for nothing.
    with gc_paused():
        return _load(paths, environment, check_lock, kafka_version)


def _load(
    paths: Sequence[Path],
    environment: str | None,
    check_lock: bool,
    target: KafkaVersion | None,
) -> Declarations:
    paths = tuple(paths) or DEFAULT_PATHS
    files, problems = declaration_files(paths)
    sources = [Source.read(path) for path in files]
    for source in sources:
        problems.extend(source.problems)
    declared_envs = sorted({env for source in sources for env in source.environments()})
    if environment is not None and environment not in declared_envs:
        known = (
            f"declared environments: {', '.join(declared_envs)}"
            if declared_envs
            else "the declarations have no environments: leave out --env, "
            "or add an 'environments:' overlay"
        )
        guess = suggest_environment(environment, declared_envs)
        if guess is not None:
            known = f"did you mean {guess!r}? ({known})"
        problems.append(Problem(ENV_OPTION, 0, 0, f"unknown environment {environment!r}; {known}"))
    first_seen = _check_names(sources, problems)
    for source in sources:
        source.check_layers(problems, target, environment)
    checked: list[str | None] = [environment] if environment is not None else [None]
    if environment is None:
        checked += declared_envs
    desired: dict[str, TopicSpec] = {}
    by_environment: dict[str | None, DesiredState] = {}
    found_in: dict[Problem, list[str | None]] = {}
    as_written: _Resolved | None = None
    for env in checked:
        resolved = _resolve_all(sources, first_seen, env, as_written, target)
        if env is None:
            as_written = resolved
        for _, found in resolved.values():
            for problem in found:
                found_in.setdefault(problem, []).append(env)
        topics = {spec.name: spec for spec, _ in resolved.values() if spec is not None}
        if environment is None:
            by_environment[env] = DesiredState(topics=topics, environment=env)
        if env == environment:
            desired = topics
    problems.extend(_name_environments(problem, envs) for problem, envs in found_in.items())
    if check_lock:
        broken = {p.file for p in problems if p.severity == "error"}
        for path in paths:
            problems.extend(lock_problems(path, sources, broken))
    return Declarations(
        desired=DesiredState(topics=desired, environment=environment),
        problems=tuple(sorted(set(problems))),
        files=tuple(files),
        environments=tuple(declared_envs),
        by_environment=by_environment,
    )


def suggest_environment(given: str, declared: Sequence[str]) -> str | None:
    """The declared environment ``given`` most likely means: the same name in another
    case (``Development``), the one it abbreviates (``prod``), or a close spelling."""
    folded = given.casefold()
    same = [env for env in declared if env.casefold() == folded]
    if same:
        return same[0]
    longer = [env for env in declared if env.casefold().startswith(folded)]
    if len(longer) == 1:
        return longer[0]
    close = difflib.get_close_matches(folded, [env.casefold() for env in declared], n=1)
    return next((env for env in declared if close and env.casefold() == close[0]), None)


# ------------------------------------------------------------ across files


def _check_names(sources: Sequence[Source], problems: list[Problem]) -> dict[str, Source]:
    """Name rules, the same topic in two files, and names Kafka would confuse.

    Returns the file each topic is taken from (its first declaration).
    """
    first_seen: dict[str, Source] = {}
    for source in sources:
        for name in source.topics:
            at = ("topics", name)
            if not isinstance(name, str):
                problems.append(
                    source.file.problem(
                        at, f"topic name {name!r} must be a string; quote it", key=True
                    )
                )
                continue
            why = names.name_problem(name)
            if why is not None:
                problems.append(source.file.problem(at, why, key=True))
            first = first_seen.get(name)
            if first is None:
                first_seen[name] = source
                continue
            line, _ = first.file.locate(at, key=True)
            problems.append(
                source.file.problem(
                    at,
                    f"topic '{name}' is also declared in {first.file.name}:{line}; "
                    "declare each topic once",
                    key=True,
                )
            )
    for earlier, later in names.collisions(first_seen):
        earlier_source = first_seen[earlier]
        line, _ = earlier_source.file.locate(("topics", earlier), key=True)
        problems.append(
            first_seen[later].file.problem(
                ("topics", later),
                f"topic '{later}' collides with '{earlier}' ({earlier_source.file.name}:{line}): "
                "Kafka treats '.' and '_' alike in topic names; rename one of them",
                key=True,
            )
        )
    return first_seen


Settings = dict[str, tuple[object, DataPath]]  # partitions etc.: value and where it is set
_SETTINGS = ("partitions", "replication_factor", "delete")
Config = dict[str, tuple[str, DataPath]]  # normalised config value and where it is set


# Each topic resolved for one environment, with the problems found doing so.
_Resolved = dict[str, tuple[TopicSpec | None, list[Problem]]]


def _resolve_all(
    sources: Sequence[Source],
    first_seen: Mapping[str, Source],
    environment: str | None,
    as_written: _Resolved | None,
    target: KafkaVersion | None,
) -> _Resolved:
    """Every topic for ``environment``; a topic no overlay touches is taken from ``as_written``."""
    resolved: _Resolved = {}
    defaults: dict[int, tuple[Settings, Config]] = {}
    for name, source in first_seen.items():
        if (
            as_written is not None
            and environment is not None
            and not _has_overlay(source.defaults, environment)
            and not _has_overlay(source.topics.get(name), environment)
        ):
            resolved[name] = as_written[name]
            continue
        base = defaults.get(id(source))
        if base is None:
            base = defaults[id(source)] = _merge_defaults(source, environment)
        found: list[Problem] = []
        resolved[name] = (_resolve(source, name, environment, base, found, target), found)
    return resolved


def _has_overlay(body: object, environment: str) -> bool:
    if not isinstance(body, dict):
        return False
    overlays = body.get("environments")
    return isinstance(overlays, dict) and environment in overlays


def _merge_defaults(source: Source, environment: str | None) -> tuple[Settings, Config]:
    settings: Settings = {}
    config: Config = {}
    path: DataPath = ("defaults",)
    _merge_layer(source, path, source.defaults, settings, config)
    if environment is not None:
        overlays = source.defaults.get("environments")
        if isinstance(overlays, dict):
            env_path = (*path, "environments", environment)
            _merge_layer(source, env_path, overlays.get(environment), settings, config)
    settings.pop("delete", None)  # only a topic can be a tombstone
    return settings, config


def _merge_layer(
    source: Source, path: DataPath, values: object, settings: Settings, config: Config
) -> None:
    if not isinstance(values, dict):
        return
    for key in _SETTINGS:
        if key in values:
            settings[key] = (values[key], path)
    for key, value in source.configs.get(path, {}).items():
        config[key] = (value, path)


def _resolve(
    source: Source,
    name: str,
    environment: str | None,
    defaults: tuple[Settings, Config],
    problems: list[Problem],
    target: KafkaVersion | None,
) -> TopicSpec | None:
    """One topic for one environment, or None when it cannot be resolved."""
    body = source.topics.get(name)
    if not isinstance(body, dict):
        return None
    file = source.file
    topic_path: DataPath = ("topics", name)
    location = source.location(name)
    line, column = location.line, location.column
    settings, config = dict(defaults[0]), dict(defaults[1])
    # _merge_layer, inlined for the topic itself: this runs for every topic.
    for key in _SETTINGS:
        if key in body:
            settings[key] = (body[key], topic_path)
    own = source.configs.get(topic_path)
    if own:
        for key, value in own.items():
            config[key] = (value, topic_path)
    if environment is not None:
        overlays = body.get("environments")
        if isinstance(overlays, dict) and environment in overlays:
            env_path = (*topic_path, "environments", environment)
            _merge_layer(source, env_path, overlays[environment], settings, config)
    delete = settings.get("delete")
    if delete is not None and delete[0] is True:
        return TopicSpec(_detached(name), 0, 0, {}, absent=True, location=location)
    counts: dict[str, int] = {}
    for key in ("partitions", "replication_factor"):
        if key not in settings:
            if _misspelt(key, body, source.defaults):
                continue  # the unknown key is reported, with the spelling to use
            problems.append(
                Problem(
                    file.name,
                    line,
                    column,
                    f"topic '{name}' has no {key}{_ENV}; set it on the topic or under defaults",
                )
            )
            continue
        raw, _ = settings[key]
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1:
            counts[key] = raw
        elif isinstance(raw, float) and raw.is_integer() and raw >= 1:
            counts[key] = int(raw)
        # anything else was reported by the schema where it is written
    if len(counts) < 2:
        return None
    values = dict(sorted([(key, entry[0]) for key, entry in config.items()]))
    for key, severity, message in _cross_field_checks(values, counts["replication_factor"], target):
        if key in config:
            at: DataPath = (*config[key][1], "config", key)
        elif key == "min.insync.replicas":
            at = (*settings["replication_factor"][1], "replication_factor")
        else:
            at = topic_path
        problems.append(
            file.problem(at, f"topic '{name}'{_ENV}: {message}", warning=severity == "warning")
        )
    return TopicSpec(
        _detached(name),
        counts["partitions"],
        counts["replication_factor"],
        values,
        location=location,
        doctor_ignore=_doctor_ignore(body),
    )


def _detached(name: str) -> str:
    """A copy of ``name`` that shares no memory with the parsed YAML.

    The topic names are the only part of a file's parse that outlives
    loading; scattered among the freed nodes, they would keep nearly all the
    memory of the parse (100 MB for 20,000 topics) from going back to the
    system for the rest of the command.
    """
    return name[:1] + name[1:] if len(name) > 1 else name


def _doctor_ignore(body: dict[str, object]) -> frozenset[str]:
    """The doctor rules a topic switches off (the schema has checked the ids)."""
    doctor = body.get("doctor")
    ignore = doctor.get("ignore") if isinstance(doctor, dict) else None
    if not isinstance(ignore, list):
        return frozenset()
    return frozenset(rule for rule in ignore if isinstance(rule, str))


def _misspelt(key: str, *bodies: object) -> bool:
    """True when one of ``bodies`` has a key that looks like a misspelling of ``key``."""
    for body in bodies:
        if isinstance(body, dict):
            for written in body:
                if (
                    isinstance(written, str)
                    and written != key
                    and difflib.get_close_matches(written, [key], n=1, cutoff=0.8)
                ):
                    return True
    return False


_CrossField = list[tuple[str, Severity, str]]
_CROSS_FIELD: dict[tuple[tuple[tuple[str, str], ...], int, KafkaVersion | None], _CrossField] = {}


def _cross_field_checks(
    config: dict[str, str], replication_factor: int, target: KafkaVersion | None
) -> _CrossField:
    """catalogue.cross_field_checks, remembered: many topics share a configuration."""
    key = (tuple(config.items()), replication_factor, target)
    found = _CROSS_FIELD.get(key)
    if found is None:
        found = catalogue.cross_field_checks(config, replication_factor, target)
        if len(_CROSS_FIELD) < 100_000:
            _CROSS_FIELD[key] = found
    return found


def _name_environments(problem: Problem, environments: Sequence[str | None]) -> Problem:
    """Say which environments a resolution problem occurs in, once for all of them."""
    if None in environments:
        where = ""
    elif len(environments) == 1:
        where = f" in environment '{environments[0]}'"
    else:
        where = " in environments " + ", ".join(f"'{e}'" for e in environments)
    return replace(problem, message=problem.message.replace(_ENV, where))
