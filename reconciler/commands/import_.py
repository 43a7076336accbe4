"""``ktr import``: write declarations for the topics of live clusters or of another tool's files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from reconciler import github
from reconciler.cluster.read import read_cluster_state
from reconciler.commands import cluster_access
from reconciler.commands.cluster_choice import ClusterChoice, Connection, choose, typed
from reconciler.commands.options import ClientConfigFile, ClientProperties, SettingsFile, Timeout
from reconciler.declarations.lock import relock_command
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
    context: typer.Context,
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
    clusters: Annotated[
        list[str] | None,
        typer.Option(
            "--cluster",
            "-c",
            envvar="KTR_CLUSTER",
            metavar="NAME",
            help="A cluster of ktr.yaml's clusters: its address, settings and environment. "
            "Repeat to import several clusters into one set of files, differences as overlays.",
        ),
    ] = None,
    all_clusters: Annotated[
        bool,
        typer.Option("--all-clusters", help="Import every cluster of ktr.yaml, as with --cluster."),
    ] = False,
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
        if envs or overrides_only or all_clusters or (clusters and typed(context, "clusters")):
            raise UserError(
                "--from reads files: --cluster, --env and --overrides-only are for a live import",
                2,
            )
        sources = {None: _from_files(from_, paths or [], match or ())}
    else:
        if paths:
            raise UserError("PATHS are read only with --from FORMAT; a live import reads -b", 2)
        reads = _reads(context, settings, clusters, all_clusters, bootstrap_servers, envs)
        connection = (properties or (), client_config, timeout)
        sources = {
            env: _read(env, read, connection, match or (), overrides_only)
            for env, read in reads.items()
        }
    options = Options(
        "prefix" if group_by is GroupBy.prefix else "none",
        "tombstone" if missing is Missing.tombstone else "skip",
        merge,
        schema,
    )
    output = build(sources, out, options)
    warnings = files.check(output, out)
    report = sys.stderr if dry_run else sys.stdout
    for note in dict.fromkeys(output.notes):  # in the order found, once each
        print(f"note: {note}", file=report)
    for warning in warnings:
        print(warning, file=report)
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
        above = None if locked is not None else files.covering_lock(out)
        if locked is not None:
            print(f"updated {locked[0]}: {plural(locked[1], 'topic')}")
        elif above is not None:
            # A lock of its own under a locked directory would be a second, partial one.
            print(
                f"{above} does not list the imported topics; run "
                f"`{relock_command(above)}` to add them"
            )
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


@dataclass(frozen=True)
class _Read:
    """One cluster to read: how to reach it, and the settings that select its topics."""

    settings: Settings
    target: ClusterChoice | None = None
    bootstrap: str | None = None


def _reads(
    context: typer.Context,
    settings: Settings,
    clusters: list[str] | None,
    all_clusters: bool,
    bootstraps: list[str] | None,
    envs: list[str] | None,
) -> dict[str | None, _Read]:
    """The clusters to read, by the environment each is (None: one unnamed cluster)."""
    bootstraps, envs = bootstraps or [], envs or []
    named = list(settings.clusters) if all_clusters else list(clusters or [])
    if named and not all_clusters and not typed(context, "clusters") and (envs or bootstraps):
        named = []  # KTR_CLUSTER from the environment yields to the addresses typed here
    if named:
        return _named_clusters(context, settings, named, bootstraps, envs)
    if len(set(envs)) != len(envs):
        raise UserError("--env: each environment once", 2)
    if envs and len(bootstraps) != len(envs):
        raise UserError(
            f"{plural(len(envs), 'environment')} (--env) but {len(bootstraps)} -b: give one "
            "-b for each --env, in the same order (--env dev -b dev:9092 --env prod -b prod:9092)",
            2,
        )
    if not envs and len(bootstraps) > 1:
        raise UserError(
            "several -b without --env: name each cluster's environment with --env, "
            "or name clusters of ktr.yaml with --cluster",
            2,
        )
    if not envs:
        return {None: _Read(settings, bootstrap=bootstraps[0] if bootstraps else None)}
    return {env: _Read(settings, bootstrap=b) for env, b in zip(envs, bootstraps, strict=True)}


def _named_clusters(
    context: typer.Context,
    settings: Settings,
    names: list[str],
    bootstraps: list[str],
    envs: list[str],
) -> dict[str | None, _Read]:
    if not names:
        raise UserError("--all-clusters: ktr.yaml declares no clusters", 2)
    if envs:
        raise UserError("--cluster brings its environment from ktr.yaml; leave out --env", 2)
    if len(set(names)) != len(names):
        raise UserError("--cluster: each cluster once", 2)
    if bootstraps and (len(names) > 1 or len(bootstraps) > 1):
        raise UserError("-b overrides the address of one --cluster; with several, leave it out", 2)
    connection = Connection.from_flags(context, bootstraps[0] if bootstraps else None, (), None)
    targets = [choose(settings, cluster=name, env=None, connection=connection) for name in names]
    if len(targets) == 1:
        only = targets[0]
        return {only.environment: _Read(only.settings, only)}
    reads: dict[str | None, _Read] = {}
    for target in targets:
        assert target.cluster is not None
        env = target.environment
        if env is None:
            raise UserError(
                f"cluster '{target.name}' has no environment ({target.cluster.where}); "
                "importing several clusters writes each one's differences as its environment's "
                "overlay: give it an environment in ktr.yaml"
            )
        if env in reads:
            other = reads[env].target
            raise UserError(
                f"clusters '{other.name if other else ''}' and '{target.name}' both run "
                f"environment {env!r}; import one of them"
            )
        reads[env] = _Read(target.settings, target)
    return reads


def _read(
    env: str | None,
    read: _Read,
    connection: tuple[Sequence[str], Path | None, float],
    patterns: Sequence[str],
    overrides_only: bool,
) -> Imported:
    """One cluster's topics, read as plan reads them."""
    properties, client_config, timeout = connection
    if read.target is not None:
        target = replace(
            read.target,
            connection=replace(
                read.target.connection, properties=tuple(properties), client_config=client_config
            ),
        )
        admin = target.connect(timeout)
    else:
        admin = cluster_access.connect(read.bootstrap, properties, client_config, timeout)
    try:
        state = read_cluster_state(admin, configs_for=None, ids_for=())
    finally:
        admin.close()
    return from_cluster(
        state, read.settings, patterns=patterns, overrides_only=overrides_only, where=env or ""
    )
