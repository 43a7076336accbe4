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
import sys
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reconciler import github
from reconciler.declarations import lock
from reconciler.declarations.loader import DataPath, YamlFile, load_yaml
from reconciler.declarations.schema_messages import kind, schema_problems, where
from reconciler.gcpause import gc_paused
from reconciler.kafka import catalogue, names
from reconciler.model import DesiredState, Location, TopicSpec
from reconciler.problems import Problem, UserError, plural

DEFAULT_PATHS = (Path("topics"),)
SUFFIXES = (".yaml", ".yml")
ENV_OPTION = "--env"  # the "file" of problems about the command line, not a file
_ENV = "\x00env\x00"  # where a resolution problem will name its environments


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Declarations:
    """What the declaration files say for one environment, and every problem found.

    ``desired`` holds the topics that could be resolved, even when there are
    problems; only trust it when ``errors`` is empty.
    """

    desired: DesiredState
    problems: tuple[Problem, ...]
    files: tuple[Path, ...]
    environments: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


class InvalidDeclarations(UserError):
    """The declarations have errors; its text lists them, one per line, then a count."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = ["invalid topic declarations:"]
        lines += [format_problem(p) for p in self.problems]
        lines.append(count_line(self.problems))
        super().__init__("\n".join(lines))


def format_problem(problem: Problem) -> str:
    """``FILE:LINE:COL: message``; a problem with no line (``--env``, a missing path)
    shows only its file."""
    if "\n" in problem.message or "\r" in problem.message:
        # A quoted YAML key can hold a line break; a problem stays one line.
        message = problem.message.replace("\r", "\\r").replace("\n", "\\n")
        problem = replace(problem, message=message)
    if problem.line <= 0:
        prefix = "warning: " if problem.severity == "warning" else ""
        return f"{problem.file}: {prefix}{problem.message}"
    return str(problem)


def count_line(problems: Sequence[Problem]) -> str:
    """``2 errors, 1 warning in 3 files``."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.file for p in problems if p.file != ENV_OPTION})
    parts = [plural(errors, "error")]
    if warnings:
        parts.append(plural(warnings, "warning"))
    counted = ", ".join(parts)
    return f"{counted} in {plural(files, 'file')}" if files else counted


# --------------------------------------------------------------- entry points


def load_declarations(
    paths: Sequence[Path], environment: str | None, *, check_lock: bool = True
) -> Declarations:
    """Load, validate and resolve the declarations under ``paths`` for ``environment``.

    With no environment, the declarations as written are resolved and every
    declared environment is checked too. Never raises on bad content.
    """
    # Loading makes millions of small objects and frees almost none: the
    # cyclic collector would scan them all again and again, for nothing.
    with gc_paused():
        return _load(paths, environment, check_lock)


def _load(paths: Sequence[Path], environment: str | None, check_lock: bool) -> Declarations:
    paths = tuple(paths) or DEFAULT_PATHS
    files, problems = declaration_files(paths)
    sources = [_Source.read(path) for path in files]
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
        problems.append(Problem(ENV_OPTION, 0, 0, f"unknown environment {environment!r}; {known}"))
    first_seen = _check_names(sources, problems)
    for source in sources:
        source.check_layers(problems)
    checked: list[str | None] = [environment] if environment is not None else [None]
    if environment is None:
        checked += declared_envs
    desired: dict[str, TopicSpec] = {}
    found_in: dict[Problem, list[str | None]] = {}
    as_written: _Resolved | None = None
    for env in checked:
        resolved = _resolve_all(sources, first_seen, env, as_written)
        if env is None:
            as_written = resolved
        for _, found in resolved.values():
            for problem in found:
                found_in.setdefault(problem, []).append(env)
        if env == environment:
            desired = {name: spec for name, (spec, _) in resolved.items() if spec is not None}
    problems.extend(_name_environments(problem, envs) for problem, envs in found_in.items())
    if check_lock:
        for path in paths:
            problems.extend(_lock_problems(path, sources))
    return Declarations(
        desired=DesiredState(topics=desired, environment=environment),
        problems=tuple(sorted(set(problems))),
        files=tuple(files),
        environments=tuple(declared_envs),
    )


def load_valid(paths: Sequence[Path], environment: str | None) -> DesiredState:
    """The desired state, or InvalidDeclarations listing every error.

    Warnings go to stderr and do not fail.
    """
    declarations = load_declarations(paths, environment)
    github.annotate(declarations.problems)
    if declarations.errors:
        raise InvalidDeclarations(declarations.problems)
    for warning in declarations.warnings:
        print(format_problem(warning), file=sys.stderr)
    return declarations.desired


def declaration_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files under ``paths``, in order, and problems with the paths themselves."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES and p.is_file() and not _hidden(p, path)
            )
            if not found:
                problems.append(
                    Problem(str(path), 0, 0, "no declaration files (*.yaml, *.yml) found")
                )
        elif path.name == lock.LOCK_FILE and path.exists():
            problems.append(
                Problem(
                    str(path),
                    0,
                    0,
                    "this is the lock file written by `ktr lock`, not a declaration; "
                    "pass its directory to check the lock",
                )
            )
            continue
        elif path.exists():
            found = [path]
        else:
            message = "no such file or directory"
            if path in DEFAULT_PATHS:
                message += (
                    " (ktr reads topics/ by default; "
                    "pass the files or directories that hold your declarations)"
                )
            problems.append(Problem(str(path), 0, 0, message))
            continue
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files, problems


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


# ------------------------------------------------------------------ one file


@dataclass
class _Source:
    """One declaration file as loaded, with the values its layers normalise to."""

    file: YamlFile
    problems: list[Problem]
    topics: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    # Normalised config of each layer, keyed by the layer's path in the file.
    configs: dict[DataPath, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> _Source:
        loaded = load_yaml(path)
        source = cls(loaded, list(loaded.problems))
        data = loaded.data
        if loaded.root is None:
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

    def environments(self) -> set[str]:
        found: set[str] = set()
        for body in (self.defaults, *self.topics.values()):
            if isinstance(body, dict) and isinstance(body.get("environments"), dict):
                found.update(e for e in body["environments"] if isinstance(e, str))
        return found

    def layers(self) -> Iterable[tuple[DataPath, dict[str, Any]]]:
        """Every mapping that can carry settings, with its path in the file."""
        yield from self._with_overlays(("defaults",), self.defaults)
        for name, body in self.topics.items():
            yield from self._with_overlays(("topics", name), body)

    @staticmethod
    def _with_overlays(path: DataPath, body: object) -> Iterable[tuple[DataPath, dict[str, Any]]]:
        if not isinstance(body, dict):
            return
        yield path, body
        overlays = body.get("environments")
        if isinstance(overlays, dict):
            for env, overlay in overlays.items():
                if isinstance(overlay, dict):
                    yield (*path, "environments", env), overlay

    def check_layers(self, problems: list[Problem]) -> None:
        """Config keys and values, and tombstones, checked once where they are written."""
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
                self.configs[path] = self._normalise(path, config, problems)

    def _normalise(
        self, path: DataPath, config: dict[Any, Any], problems: list[Problem]
    ) -> dict[str, str]:
        normalised: dict[str, str] = {}
        for key, value in config.items():
            at = (*path, "config", key)
            if not isinstance(key, str):
                problems.append(
                    self.file.problem(at, f"config key {key!r} must be a string", key=True)
                )
                continue
            verdict = catalogue.key_problem(key)
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
        return normalised


_NORMALISED: dict[tuple[str, type, Hashable], str | catalogue.ConfigValueError] = {}


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


# ------------------------------------------------------------ across files


def _check_names(sources: Sequence[_Source], problems: list[Problem]) -> dict[str, _Source]:
    """Name rules, the same topic in two files, and names Kafka would confuse.

    Returns the file each topic is taken from (its first declaration).
    """
    first_seen: dict[str, _Source] = {}
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
Config = dict[str, tuple[str, DataPath]]  # normalised config value and where it is set


# Each topic resolved for one environment, with the problems found doing so.
_Resolved = dict[str, tuple[TopicSpec | None, list[Problem]]]


def _resolve_all(
    sources: Sequence[_Source],
    first_seen: Mapping[str, _Source],
    environment: str | None,
    as_written: _Resolved | None,
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
        resolved[name] = (_resolve(source, name, environment, base, found), found)
    return resolved


def _has_overlay(body: object, environment: str) -> bool:
    if not isinstance(body, dict):
        return False
    overlays = body.get("environments")
    return isinstance(overlays, dict) and environment in overlays


def _merge_defaults(source: _Source, environment: str | None) -> tuple[Settings, Config]:
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
    source: _Source, path: DataPath, values: object, settings: Settings, config: Config
) -> None:
    if not isinstance(values, dict):
        return
    for key in ("partitions", "replication_factor", "delete"):
        if key in values:
            settings[key] = (values[key], path)
    for key, value in source.configs.get(path, {}).items():
        config[key] = (value, path)


def _resolve(
    source: _Source,
    name: str,
    environment: str | None,
    defaults: tuple[Settings, Config],
    problems: list[Problem],
) -> TopicSpec | None:
    """One topic for one environment, or None when it cannot be resolved."""
    body = source.topics.get(name)
    if not isinstance(body, dict):
        return None
    file = source.file
    topic_path: DataPath = ("topics", name)
    line, column = file.locate(topic_path, key=True)
    location = Location(file.name, line, column)
    settings, config = dict(defaults[0]), dict(defaults[1])
    _merge_layer(source, topic_path, body, settings, config)
    if environment is not None:
        overlays = body.get("environments")
        if isinstance(overlays, dict):
            env_path = (*topic_path, "environments", environment)
            _merge_layer(source, env_path, overlays.get(environment), settings, config)
    delete = settings.get("delete")
    if delete is not None and delete[0] is True:
        return TopicSpec(name, 0, 0, {}, absent=True, location=location)
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
    values = dict(sorted((key, value) for key, (value, _) in config.items()))
    for key, message in _cross_field_problems(values, counts["replication_factor"]):
        if key in config:
            at: DataPath = (*config[key][1], "config", key)
        elif key == "min.insync.replicas":
            at = (*settings["replication_factor"][1], "replication_factor")
        else:
            at = topic_path
        problems.append(file.problem(at, f"topic '{name}'{_ENV}: {message}"))
    return TopicSpec(
        name, counts["partitions"], counts["replication_factor"], values, location=location
    )


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


_CROSS_FIELD: dict[tuple[tuple[tuple[str, str], ...], int], list[tuple[str, str]]] = {}


def _cross_field_problems(config: dict[str, str], replication_factor: int) -> list[tuple[str, str]]:
    """catalogue.cross_field_problems, remembered: many topics share a configuration."""
    key = (tuple(config.items()), replication_factor)
    found = _CROSS_FIELD.get(key)
    if found is None:
        found = catalogue.cross_field_problems(config, replication_factor)
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


def _lock_problems(path: Path, sources: Sequence[_Source]) -> list[Problem]:
    lock_path = path / lock.LOCK_FILE
    if not path.is_dir() or not lock.exists(lock_path):
        return []
    declared: dict[str, Location] = {}
    for source in sources:
        if not source.file.path.is_relative_to(path):
            continue
        for name in source.topics:
            if isinstance(name, str) and name not in declared:
                line, column = source.file.locate(("topics", name), key=True)
                declared[name] = Location(source.file.name, line, column)
    return lock.check(lock_path, declared)


__all__ = [
    "DEFAULT_PATHS",
    "Declarations",
    "InvalidDeclarations",
    "count_line",
    "declaration_files",
    "format_problem",
    "load_declarations",
    "load_valid",
]
