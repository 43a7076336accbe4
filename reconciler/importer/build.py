"""From imported topics to the text of each file to write, next to what is already declared.

Never overwrites: a topic already declared under the output directory is
left as it is (with a note), and a file that exists is refused unless
``merge`` asks to add the new topics at the end of its ``topics``; those
topics are then written in full, keeping their own value of every key the
file's ``defaults`` set, so the defaults do not change them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from yaml import MappingNode

from reconciler.declarations.files import declaration_files
from reconciler.declarations.loader import load_yaml
from reconciler.declarations.yaml_file import YamlFile
from reconciler.kafka import catalogue
from reconciler.problems import UserError

from . import yaml_out
from .environments import Body, Missing, merge, single
from .layout import GroupBy, document, group
from .model import Imported, ImportedTopic, Note

DEFAULT_SCHEMA = "schemas/topics.schema.json"


@dataclass(frozen=True)
class Options:
    group_by: GroupBy = "prefix"
    missing: Missing = "tombstone"
    merge: bool = False
    schema: str = DEFAULT_SCHEMA


@dataclass
class Output:
    """What an import writes: each file's new text, and what the files must resolve to.

    ``expected`` maps each environment (None: the files as written) to the
    topics it must resolve to; ``tombstones`` the names each must declare deleted.
    """

    texts: dict[Path, str] = field(default_factory=dict)
    counts: dict[Path, int] = field(default_factory=dict)
    merged: set[Path] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)
    expected: dict[str | None, list[ImportedTopic]] = field(default_factory=dict)
    tombstones: dict[str | None, list[str]] = field(default_factory=dict)

    @property
    def topics(self) -> int:
        return sum(self.counts.values())


def build(sources: Mapping[str | None, Imported], out: Path, options: Options) -> Output:
    """The files to write under ``out`` for ``sources`` (one per environment, or
    ``{None: ...}`` for a single unnamed one)."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: not a directory; --out names the directory to write into")
    output = Output(notes=[n for s in sources.values() for n in s.notes])
    declared, existing = _declared(out)
    envs = [env for env in sources if env is not None]
    if envs:
        named = {env: sources[env] for env in envs}
        bodies, notes = merge(named, options.missing)
        output.notes += notes
    else:
        bodies = {t.name: single(t) for t in sources[None].topics}
    for name in sorted(set(bodies) & set(declared)):
        output.notes.append(Note(name, f"already declared at {declared[name]}; left as it is"))
        del bodies[name]
    by_env = {env: {t.name: t for t in s.topics} for env, s in sources.items()}
    conflicts: list[Path] = []
    for relative, topics in group(bodies, options.group_by).items():
        path = out / relative
        header = yaml_out.schema_line(_schema_reference(options.schema, path.parent))
        # A dangling link does not exist, but writing would create its target elsewhere.
        if path in existing or path.exists() or path.is_symlink():
            if not options.merge:
                conflicts.append(path)
                continue
            file = load_yaml(path)
            explicit = {
                name: _explicit(body, _default_keys(file), by_env, name, output.notes)
                for name, body in topics.items()
            }
            bodies.update(explicit)
            output.texts[path] = _append(file, path, explicit)
            output.merged.add(path)
        else:
            doc = document(topics, environments=envs)
            output.texts[path] = yaml_out.render(doc, header=header)
        output.counts[path] = len(topics)
    if conflicts:
        shown = ", ".join(str(p) for p in conflicts)
        raise UserError(
            f"{shown}: already exists; nothing was written. Use --merge to add the undeclared "
            "topics to existing files, or --out to write into another directory"
        )
    _expect(output, bodies, by_env)
    return output


def _declared(out: Path) -> tuple[dict[str, str], set[Path]]:
    """Topic names already declared under ``out`` (with where), and its declaration files."""
    if not out.is_dir():
        return {}, set()
    files, _ = declaration_files([out])
    declared: dict[str, str] = {}
    for path in files:
        loaded = load_yaml(path)
        topics = loaded.data.get("topics") if isinstance(loaded.data, dict) else None
        if isinstance(topics, dict):
            for name in topics:
                if isinstance(name, str) and name not in declared:
                    line, _ = loaded.locate(("topics", name), key=True)
                    declared[name] = f"{path}:{line}"
    return declared, set(files)


def _schema_reference(schema: str, directory: Path) -> str:
    if "://" in schema or os.path.isabs(schema):
        return schema
    return Path(os.path.relpath(schema, directory)).as_posix()


def _default_keys(file: YamlFile) -> set[str]:
    """Config keys a file's defaults set, in any environment."""
    data = file.data if isinstance(file.data, dict) else {}
    defaults = data.get("defaults")
    if not isinstance(defaults, dict):
        return set()
    layers = [defaults]
    overlays = defaults.get("environments")
    if isinstance(overlays, dict):
        layers += [o for o in overlays.values() if isinstance(o, dict)]
    return {
        key
        for layer in layers
        if isinstance(layer.get("config"), dict)
        for key in layer["config"]
        if isinstance(key, str)
    }


def _explicit(
    body: Body,
    keys: set[str],
    by_env: Mapping[str | None, Mapping[str, ImportedTopic]],
    name: str,
    notes: list[Note],
) -> Body:
    """``body`` with its own value of each of ``keys``, so a file's defaults cannot change it."""
    body = {k: (dict(v) if isinstance(v, dict) else v) for k, v in body.items()}
    top = body.setdefault("config", {})
    assert isinstance(top, dict)
    # With one source, the top of the body is all there is to its values.
    overlays: dict[str, object] | None = None
    if len(by_env) > 1:
        found = body.setdefault("environments", {})
        assert isinstance(found, dict)
        overlays = found
    for env, topics in by_env.items():
        topic = topics.get(name)
        if topic is None:
            continue
        overlay: dict[str, object] = {}
        if overlays is not None and env is not None:
            earlier = overlays.get(env)
            overlay = dict(earlier) if isinstance(earlier, dict) else {}
            overlays[env] = overlay
        earlier_config = overlay.get("config")
        own = dict(earlier_config) if isinstance(earlier_config, dict) else {}
        target = own if overlays is not None else top
        for key in sorted(keys):
            if key in top or key in own:
                continue
            value = topic.effective.get(key) or catalogue.default_value(key)
            if value is None:
                notes.append(
                    Note(name, f"keeps the file's default {key}: its own value is unknown")
                )
                continue
            target[key] = value
        if own:
            overlay["config"] = own
    if not top:
        del body["config"]
    if isinstance(overlays, dict):
        for env in [e for e, o in overlays.items() if not o]:
            del overlays[env]
        if not overlays:
            del body["environments"]
    return body


def _append(file: YamlFile, path: Path, topics: Mapping[str, Body]) -> str:
    """The file's text with ``topics`` added at the end of its ``topics`` mapping."""
    # Bytes as they are: read_text would turn CRLF into LF all through the file.
    text = file.path.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    root = file.root
    refuse = UserError(
        f"{path}: cannot add topics to it: --merge appends to a block 'topics:' mapping "
        "that ends the file; move 'topics:' last, or import into another --out"
    )
    if not isinstance(root, MappingNode) or file.problems:
        raise refuse
    keys = [k.value for k, _ in root.value]
    if not keys or keys[-1] != "topics":
        raise refuse
    mapping = root.value[-1][1]
    if not isinstance(mapping, MappingNode) or mapping.flow_style or not mapping.value:
        raise refuse
    indent = mapping.value[0][0].start_mark.column
    humanised = document(dict(topics), lift=False)["topics"]
    assert isinstance(humanised, dict)
    rendered = yaml_out.render({"topics": humanised}).splitlines()[1:]
    added = "".join(_reindent(line, indent) + newline for line in rendered)
    return (text if text.endswith("\n") else text + newline) + added


def _reindent(line: str, step: int) -> str:
    """A rendered line (two spaces a level) in the file's own step of indentation."""
    body = line.lstrip(" ")
    return " " * (step * ((len(line) - len(body)) // 2)) + body


def _expect(
    output: Output,
    bodies: Mapping[str, Body],
    by_env: Mapping[str | None, Mapping[str, ImportedTopic]],
) -> None:
    for env, topics in by_env.items():
        written = [t for name, t in sorted(topics.items()) if name in bodies]
        output.expected[env] = [_as_written(bodies[t.name], t, env) for t in written]
        if env is not None:
            output.tombstones[env] = sorted(n for n in bodies if n not in topics)


def _as_written(body: Body, topic: ImportedTopic, env: str | None) -> ImportedTopic:
    """``topic`` with the keys its body was made explicit about (see :func:`_explicit`)."""
    config = dict(body.get("config") or {})  # type: ignore[call-overload]
    overlays = body.get("environments")
    if env is not None and isinstance(overlays, dict):
        overlay = overlays.get(env)
        if isinstance(overlay, dict) and isinstance(overlay.get("config"), dict):
            config.update(overlay["config"])
    extra = {k: v for k, v in config.items() if k not in topic.config}
    return replace(topic, config={**topic.config, **extra}) if extra else topic
