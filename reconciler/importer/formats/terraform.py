"""Terraform ``kafka_topic`` resources (the Mongey/kafka provider) in ``.tf`` files:
``name``, ``partitions``, ``replication_factor`` and ``config``.

HCL is parsed with python-hcl2, an optional extra (``pip install 'ktr[terraform]'``).
Values that are Terraform expressions (``var.retention``, ``"${local.env}-x"``)
have no value until Terraform evaluates them: such a topic is left out,
naming the expression.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reconciler.importer.model import Imported, ImportedTopic, Note
from reconciler.kafka import catalogue, names
from reconciler.model import Location
from reconciler.problems import Problem, UserError

SUFFIXES = (".tf",)
RESOURCE = "kafka_topic"
_KNOWN = ("name", "partitions", "replication_factor", "config")
_META = ("count", "for_each", "provider", "lifecycle", "depends_on")
_EXPRESSION = re.compile(r"\$\{|^(?:var|local|module|data)\.")


def _parser() -> Any:
    try:
        import hcl2
        from hcl2.utils import SerializationOptions
    except ImportError:
        raise UserError(
            "reading Terraform files needs the HCL2 parser: pip install 'ktr[terraform]' "
            "(or pip install python-hcl2)"
        ) from None
    options = SerializationOptions(with_comments=False, strip_string_quotes=True)
    return lambda text: hcl2.loads(text, serialization_options=options)


def read(files: Sequence[Path]) -> Imported:
    parse = _parser()
    topics: list[ImportedTopic] = []
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: dict[str, Location] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 0, 0, f"cannot read: {error}"))
            continue
        try:
            tree = parse(text)
        except Exception as error:  # lark's parse errors carry no common base we can name
            line = getattr(error, "line", 1) or 1
            column = getattr(error, "column", 1) or 1
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            problems.append(Problem(str(path), line, column, f"invalid HCL: {first}"))
            continue
        lines = _Lines(str(path), text)
        for block in tree.get("resource", []):
            for label, body in (block.get(RESOURCE) or {}).items():
                _topic(str(label), body, lines, topics, notes, problems, seen)
    return Imported(tuple(topics), tuple(notes), tuple(problems))


class _Lines:
    """Where a resource and its attributes are in the text (the parser keeps no lines)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()

    def resource(self, label: str) -> int:
        pattern = re.compile(rf'^\s*resource\s+"?{RESOURCE}"?\s+"?{re.escape(label)}"?\s*\{{')
        return next((i + 1 for i, line in enumerate(self.lines) if pattern.match(line)), 1)

    def attribute(self, start: int, key: str) -> int:
        pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*[=:]')
        for number in range(start, len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
            if number > start and re.match(r"^resource\s", self.lines[number - 1]):
                break
        return start

    def where(self, line: int) -> str:
        return f"{self.name}:{line}"


def _topic(
    label: str,
    body: Any,
    lines: _Lines,
    topics: list[ImportedTopic],
    notes: list[Note],
    problems: list[Problem],
    seen: dict[str, Location],
) -> None:
    start = lines.resource(label)
    if not isinstance(body, dict):
        problems.append(Problem(lines.name, start, 1, f"{RESOURCE}.{label}: expected a block"))
        return
    for key in body:
        if key.startswith("__"):
            continue
        if key in _META:
            notes.append(
                Note(
                    lines.where(lines.attribute(start, key)),
                    f"{RESOURCE}.{label}: '{key}' not carried over: "
                    "a Terraform meta-argument; declare each topic it makes",
                )
            )
        elif key not in _KNOWN:
            notes.append(
                Note(
                    lines.where(lines.attribute(start, key)),
                    f"{RESOURCE}.{label}: '{key}' not carried over",
                )
            )
    name = body.get("name")
    if not isinstance(name, str) or _EXPRESSION.search(name):
        notes.append(
            Note(
                lines.where(lines.attribute(start, "name")),
                f"{RESOURCE}.{label} left out: its name {name!r} is a Terraform "
                "expression, known only when Terraform runs",
            )
        )
        return
    ok = True
    counts: dict[str, int] = {}
    for key in ("partitions", "replication_factor"):
        value = body.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)  # Terraform converts a numeric string to the number
        line = lines.attribute(start, key)
        if isinstance(value, str) and _EXPRESSION.search(value):
            notes.append(
                Note(
                    lines.where(line),
                    f"{RESOURCE}.{label} left out: {key} is the Terraform expression {value!r}",
                )
            )
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(
                Problem(
                    lines.name,
                    line,
                    1,
                    f"{RESOURCE}.{label}: {key} {value!r} is not a whole number of at least 1",
                )
            )
            ok = False
        else:
            counts[key] = value
    config: dict[str, str] = {}
    raw = body.get("config") or {}
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                lines.name,
                lines.attribute(start, "config"),
                1,
                f"{RESOURCE}.{label}: config must be a map",
            )
        )
        return
    for key, value in raw.items():
        line = lines.attribute(start, key)
        if isinstance(value, str) and _EXPRESSION.search(value):
            notes.append(
                Note(
                    lines.where(line),
                    f"{RESOURCE}.{label} left out: config {key} "
                    f"is the Terraform expression {value!r}",
                )
            )
            return
        verdict = catalogue.key_problem(key)
        if verdict is not None and verdict[0] == "error":
            notes.append(Note(lines.where(line), f"{key} not carried over: {verdict[1]}"))
            continue
        try:
            config[key] = catalogue.normalise(key, str(value) if isinstance(value, int) else value)
        except catalogue.ConfigValueError as error:
            problems.append(Problem(lines.name, line, 1, f"{error} (topic '{name}')"))
            ok = False
    if name.startswith("__"):
        notes.append(Note(lines.where(start), f"{name} skipped: one of Kafka's internal topics"))
        return
    why = names.name_problem(name)
    if why is not None:
        problems.append(Problem(lines.name, lines.attribute(start, "name"), 1, why))
        return
    location = Location(lines.name, start, 1)
    if name in seen:
        first = seen[name]
        problems.append(
            Problem(
                lines.name, start, 1, f"topic '{name}' is also defined at {first.file}:{first.line}"
            )
        )
        return
    seen[name] = location
    if not ok:
        return
    rf = counts["replication_factor"]
    for key, message in catalogue.cross_field_problems(config, rf):
        problems.append(
            Problem(lines.name, lines.attribute(start, key), 1, f"topic '{name}': {message}")
        )
        return
    topics.append(ImportedTopic(name, counts["partitions"], rf, config, location=location))
