"""``ktr import``: write declarations for the topics of live clusters or of another tool's files."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from reconciler import github
from reconciler.cluster.read import read_cluster_state
from reconciler.commands import cluster_access
from reconciler.commands.options import ClientConfigFile, ClientProperties, SettingsFile, Timeout
from reconciler.declarations.result import format_problem
from reconciler.importer import files
from reconciler.importer.build import DEFAULT_SCHEMA, Options, Output, build
from reconciler.importer.formats import formats
from reconciler.importer.formats.common import yaml_files
from reconciler.importer.live import from_cluster, matching
from reconciler.importer.model import Imported
from reconciler.problems import UserError, plural
from reconciler.settings import Settings, load_settings


class GroupBy(str, Enum):
    prefix = "prefix"
    none = "none"


class Missing(str, Enum):
    tombstone = "tombstone"
    skip = "skip"


FORMATS = tuple(formats())


def run(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="With --from: the other tool's files or directories.", show_default=False
        ),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=f"Read another tool's files instead of a cluster: {', '.join(FORMATS)}.",
            metavar="FORMAT",
        ),
    ] = None,
    bootstrap_servers: Annotated[
        list[str] | None,
        typer.Option(
            "--bootstrap-servers",
            "-b",
            envvar="KAFKA_BOOTSTRAP_SERVERS",
            metavar="HOST:PORT",
            help="Brokers, host:port[,host:port]. With --env, one -b for each environment, "
            "in the same order.",
        ),
    ] = None,
    properties: ClientProperties = None,
    client_config: ClientConfigFile = None,
    timeout: Timeout = 30.0,
    envs: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            "-e",
            metavar="NAME",
            help="Name of the environment the cluster is. Repeat with one -b each to import "
            "several clusters into one set of files, differences as overlays.",
        ),
    ] = None,
    settings_file: SettingsFile = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory to write declarations into.")
    ] = Path("topics"),
    match: Annotated[
        list[str] | None,
        typer.Option(
            "--match",
            metavar="PATTERN",
            help="Only topics matching this pattern (repeatable), e.g. 'orders.*'.",
        ),
    ] = None,
    group_by: Annotated[
        GroupBy,
        typer.Option("--group-by", help="prefix: one file per name prefix; none: one file."),
    ] = GroupBy.prefix,
    overrides_only: Annotated[
        bool,
        typer.Option(
            "--overrides-only",
            help="Write only configs set on the topic itself, not values it inherits.",
        ),
    ] = False,
    missing: Annotated[
        Missing,
        typer.Option(
            "--missing",
            help="A topic on only some environments: tombstone (delete: true) for the others, "
            "or skip it.",
        ),
    ] = Missing.tombstone,
    merge: Annotated[
        bool, typer.Option("--merge", help="Add undeclared topics to existing files.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")
    ] = False,
    schema: Annotated[
        str,
        typer.Option(
            "--schema", help="Schema for the yaml-language-server line (path from here, or URL)."
        ),
    ] = DEFAULT_SCHEMA,
) -> int:
    """Write declarations for existing topics: from live clusters, or from another tool's files.

    Never overwrites: declared topics and existing files are reported and left alone.
    """
    settings = load_settings(settings_file)
    sources: dict[str | None, Imported]
    if from_ is not None:
        if envs or overrides_only:
            raise UserError(
                "--from reads files: --env and --overrides-only are for a live import", 2
            )
        sources = {None: _from_files(from_, paths or [], match or ())}
    else:
        if paths:
            raise UserError("PATHS are read only with --from FORMAT; a live import reads -b", 2)
        sources = _from_clusters(
            bootstrap_servers or [],
            envs or [],
            properties or (),
            client_config,
            timeout,
            settings,
            match or (),
            overrides_only,
        )
    options = Options(
        "prefix" if group_by is GroupBy.prefix else "none",
        "tombstone" if missing is Missing.tombstone else "skip",
        merge,
        schema,
    )
    output = build(sources, out, options)
    files.check(output, out)
    report = sys.stderr if dry_run else sys.stdout
    for note in dict.fromkeys(output.notes):  # in the order found, once each
        print(f"note: {note}", file=report)
    if dry_run:
        for path, text in output.texts.items():
            print(f"# --- {path}{' (merged)' if path in output.merged else ''}")
            print(text, end="")
        print(_summary(output, "would write"), file=report)
        return 0
    files.write(output)
    for path in output.texts:
        verb = "added to" if path in output.merged else "wrote"
        print(f"{verb} {path}: {plural(output.counts[path], 'topic')}")
    print(_summary(output, "imported"))
    if output.texts:
        locked = files.update_lock(out)
        if locked is not None:
            print(f"updated {locked[0]}: {plural(locked[1], 'topic')}")
        else:
            print(f"no {out / 'topics.lock'}; run `ktr lock {out}` to keep one")
    return 0


def _summary(output: Output, verb: str) -> str:
    return f"{verb} {plural(output.topics, 'topic')} in {plural(len(output.texts), 'file')}"


def _from_files(name: str, paths: list[Path], patterns: tuple[str, ...] | list[str]) -> Imported:
    loaders = formats()
    if name not in loaders:
        raise UserError(f"--from: unknown format {name!r}; known formats: {', '.join(loaders)}", 2)
    if not paths:
        raise UserError(f"--from {name}: name the files or directories to read", 2)
    module = loaders[name]()
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or directory")
    found = yaml_files(paths, module.SUFFIXES)
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise UserError(f"{shown}: no {' or '.join(module.SUFFIXES)} files to read")
    imported = module.read(found)
    if imported.problems:
        github.annotate(imported.problems)
        lines = [format_problem(p) for p in sorted(imported.problems)]
        raise UserError(
            f"cannot import from {name}: {plural(len(lines), 'problem')}; nothing was written:\n"
            + "\n".join(lines)
        )
    return matching(imported, patterns)


def _from_clusters(
    bootstraps: list[str],
    envs: list[str],
    properties: tuple[str, ...] | list[str],
    client_config: Path | None,
    timeout: float,
    settings: Settings,
    patterns: tuple[str, ...] | list[str],
    overrides_only: bool,
) -> dict[str | None, Imported]:
    if len(set(envs)) != len(envs):
        raise UserError("--env: each environment once", 2)
    if envs and len(bootstraps) != len(envs):
        raise UserError(
            f"{plural(len(envs), 'environment')} (--env) but {len(bootstraps)} -b: give one "
            "-b for each --env, in the same order (--env dev -b dev:9092 --env prod -b prod:9092)",
            2,
        )
    if not envs and len(bootstraps) > 1:
        raise UserError("several -b without --env: name each cluster's environment with --env", 2)
    pairs: list[tuple[str | None, str | None]] = (
        list(zip(envs, bootstraps, strict=True))
        if envs
        else [(None, bootstraps[0] if bootstraps else None)]
    )
    sources: dict[str | None, Imported] = {}
    for env, bootstrap in pairs:
        admin = cluster_access.connect(bootstrap, properties, client_config, timeout)
        try:
            state = read_cluster_state(admin, configs_for=None, ids_for=())
        finally:
            admin.close()
        sources[env] = from_cluster(
            state, settings, patterns=patterns, overrides_only=overrides_only, where=env or ""
        )
    return sources
