"""What the YAML formats share: documents with their lines, and topics checked by the catalogue."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.declarations.loader import load_yaml
from reconciler.declarations.yaml_file import DataPath, YamlFile
from reconciler.importer.model import Imported, ImportedTopic, Note
from reconciler.kafka import catalogue, names
from reconciler.model import Location
from reconciler.problems import Problem, Unreadable, read_regular

_DOCUMENT_START = re.compile(r"^---(?:[ \t].*)?$")


def documents(path: Path) -> tuple[list[YamlFile], list[Problem]]:
    """Every YAML document of ``path`` (``---`` separates them), each keeping the
    line numbers of the whole file."""
    try:
        # Never a plain read: a FIFO would block and /dev/zero never ends.
        text = read_regular(path)
    except Unreadable as why:
        return [], [Problem(str(path), 0, 0, f"cannot read: {why}")]
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _DOCUMENT_START.match(line.rstrip("\r\n"))]
    bounds = [0, *starts, len(lines)] if not starts or starts[0] != 0 else [*starts, len(lines)]
    loaded: list[YamlFile] = []
    problems: list[Problem] = []
    for begin, end in itertools.pairwise(bounds):
        chunk = lines[begin:end]
        if chunk and _DOCUMENT_START.match(chunk[0].rstrip("\r\n")):
            chunk = ["\n", *chunk[1:]]  # keep the marker's line, drop the marker
        body = "".join(chunk)
        if not body.strip() or all(
            not line.strip() or line.lstrip().startswith("#") for line in chunk
        ):
            continue
        # Blank lines in front keep every line number that of the whole file.
        document = load_yaml(path, "\n" * begin + body)
        problems.extend(document.problems)
        if document.has_document and not document.problems:
            loaded.append(document)
    return loaded, problems


def read_documents(
    files: Sequence[Path], document: Callable[[Reading, YamlFile], None]
) -> Imported:
    """What ``document`` makes of every YAML document of ``files``, in order."""
    reading = Reading()
    for path in files:
        loaded, problems = documents(path)
        reading.problems += problems
        for file in loaded:
            document(reading, file)
    return Imported(tuple(reading.topics), tuple(reading.notes), tuple(reading.problems))


def resource_parts(
    reading: Reading, file: YamlFile, at: DataPath, resource: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A Kubernetes-style ``KafkaTopic``'s metadata (empty when absent) and spec,
    or None, with a problem, when it has no spec (Jikkou's and Strimzi's)."""
    metadata: dict[str, Any] = (
        resource["metadata"] if isinstance(resource.get("metadata"), dict) else {}
    )
    spec = resource.get("spec")
    if not isinstance(spec, dict):
        reading.problem(file, (*at, "spec"), "KafkaTopic without a spec")
        return None
    return metadata, spec


def note_labels(reading: Reading, file: YamlFile, at: DataPath, metadata: dict[str, Any]) -> None:
    """A note for the labels and annotations of a resource's metadata, which are not kept."""
    for key in ("labels", "annotations"):
        if metadata.get(key):
            reading.note(file, (*at, "metadata", key), f"metadata.{key} not carried over")


def spec_counts(
    reading: Reading, file: YamlFile, at: DataPath, spec: dict[str, Any]
) -> tuple[int | None, int | None]:
    """``spec.partitions`` and ``spec.replicas`` of a ``KafkaTopic``, each checked."""
    partitions = reading.count(
        file, (*at, "spec", "partitions"), spec.get("partitions"), "spec.partitions"
    )
    replicas = reading.count(file, (*at, "spec", "replicas"), spec.get("replicas"), "spec.replicas")
    return partitions, replicas


@dataclass
class Reading:
    """What a format reader collects: topics, notes and problems, each at its line."""

    topics: list[ImportedTopic] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen: dict[str, Location] = field(default_factory=dict)

    def note(self, file: YamlFile, at: DataPath, message: str) -> None:
        line, _ = file.locate(at, key=True)
        self.notes.append(Note(f"{file.name}:{line}", message))

    def problem(self, file: YamlFile, at: DataPath, message: str, *, key: bool = False) -> None:
        self.problems.append(file.problem(at, message, key=key))

    def unsupported(
        self, file: YamlFile, at: DataPath, data: Mapping[str, object], known: Iterable[str]
    ) -> None:
        """A note for each key of ``data`` (at ``at``) that is not in ``known``."""
        allowed = set(known)
        for key in data:
            if key not in allowed:
                path = ".".join(str(step) for step in (*at, key) if step != "")
                self.note(file, (*at, key), f"{path} not carried over: ktr has no equivalent")

    def count(self, file: YamlFile, at: DataPath, value: object, what: str) -> int | None:
        """A partition count or replication factor: a whole number of at least 1."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            if value is None or value == -1:
                shown = "missing" if value is None else "-1"
                message = (
                    f"{what} {shown}: the tool leaves it to the broker's default, which ktr "
                    "cannot know from these files; write the number"
                )
            else:
                message = f"{what}: {value!r} is not a whole number of at least 1"
            self.problem(file, at, message)
            return None
        return value

    def config(
        self, file: YamlFile, at: DataPath, data: object, topic: str
    ) -> dict[str, str] | None:
        """Config values through the catalogue: unknown keys noted, bad values problems."""
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(file, at, f"expected a mapping of topic configs for '{topic}'")
            return None
        config: dict[str, str] = {}
        ok = True
        for key, value in data.items():
            where = (*at, key)
            if not isinstance(key, str):
                self.problem(file, where, f"config key {key!r} must be a string", key=True)
                ok = False
                continue
            verdict = catalogue.key_problem(key)
            if verdict is not None and verdict[0] == "error":
                self.note(file, where, f"{key} not carried over: {verdict[1]}")
                continue
            try:
                config[key] = catalogue.normalise(key, _plain(value))
            except catalogue.ConfigValueError as error:
                self.problem(file, where, f"{error} (topic '{topic}')")
                ok = False
        return config if ok else None

    def add(
        self,
        file: YamlFile,
        at: DataPath,
        name: object,
        partitions: int | None,
        replication_factor: int | None,
        config: Mapping[str, str] | None,
    ) -> None:
        """Add a topic whose parts were checked (None: a problem was reported)."""
        if not isinstance(name, str) or not name:
            self.problem(file, at, "topic name missing or not text")
            return
        if name.startswith("__"):
            self.note(file, at, f"{name} skipped: one of Kafka's internal topics")
            return
        why = names.name_problem(name)
        if why is not None:
            self.problem(file, at, why)
            return
        line, column = file.locate(at)
        first = self.seen.get(name)
        if first is not None:
            self.problem(file, at, f"topic '{name}' is also defined at {first.file}:{first.line}")
            return
        location = Location(file.name, line, column)
        self.seen[name] = location
        if partitions is None or replication_factor is None or config is None:
            return
        for key, message in catalogue.cross_field_problems(config, replication_factor):
            self.problem(file, at, f"topic '{name}': {message} ({key})")
            return
        self.topics.append(
            ImportedTopic(name, partitions, replication_factor, config, location=location)
        )


def _plain(value: object) -> object:
    """Tools write config values as strings or numbers alike ("86400000", 86400000)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def yaml_files(paths: Iterable[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """The files to read: those named, and those with ``suffixes`` under named directories."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file())
        else:
            found.append(path)
    return found
