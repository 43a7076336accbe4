"""Options shared by several subcommands, declared once so they read the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from reconciler.problems import UserError

E = TypeVar("E", bound=Enum)


class Choices(str, Enum):
    """The fixed choices of an option, as ``choice()`` parses them.

    ``str()`` gives the value: typer before 0.29 looks a parsed choice up by
    its ``str()``, which for a ``str`` Enum is otherwise ``Class.member``.
    """

    def __str__(self) -> str:
        return str(self.value)


class OutputFormat(Choices):
    text = "text"
    json = "json"
    markdown = "markdown"


def choice(kind: type[E], option: str = "--format") -> Callable[[object], E]:
    """A parser for an option with fixed choices that says, in ktr's words, which exist."""

    def parse(value: object) -> E:
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except ValueError:
            names = [str(member.value) for member in kind]
            listed = ", ".join(names[:-1]) + f" or {names[-1]}"
            raise UserError(
                f"{option}: unknown format {value!r}; ktr prints {listed}", exit_code=2
            ) from None

    return parse


def metavar(kind: type[Enum]) -> str:
    return "|".join(str(member.value) for member in kind)


Format = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: text, json or markdown.",
        parser=choice(OutputFormat),
        metavar=metavar(OutputFormat),
    ),
]
Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Declaration files or directories (default: topics/).",
        show_default=False,
        metavar="PATHS",
    ),
]
Env = Annotated[
    str | None,
    typer.Option(
        "--env", "-e", help="Environment overlay to apply (e.g. development).", metavar="NAME"
    ),
]
Cluster = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        "-c",
        envvar="KTR_CLUSTER",
        help="A cluster named in ktr.yaml's clusters: its environment, Kafka version and "
        "connection settings (-b, -X and --client-config override these).",
    ),
]
NoEnv = Annotated[
    bool,
    typer.Option(
        "--no-env",
        help="Use the topics as written, without an environment overlay, even though the "
        "declarations define environments.",
    ),
]
KafkaVersionOption = Annotated[
    str | None,
    typer.Option(
        "--kafka-version",
        help="Check the declarations for this Kafka version (e.g. 3.9); default: the "
        "cluster's kafka_version in ktr.yaml.",
        metavar="MAJOR.MINOR",
    ),
]
AllClusters = Annotated[
    bool,
    typer.Option(
        "--all-clusters",
        help="Every cluster of ktr.yaml, read concurrently, in one combined report.",
    ),
]
BootstrapServers = Annotated[
    str | None,
    typer.Option(
        "--bootstrap-servers",
        "-b",
        envvar="KAFKA_BOOTSTRAP_SERVERS",
        help="Kafka bootstrap servers, host:port[,host:port].",
        metavar="HOST:PORT",
    ),
]
ClientProperties = Annotated[
    list[str] | None,
    typer.Option(
        "-X",
        help="librdkafka property key=value (repeatable), e.g. -X security.protocol=SASL_SSL. "
        "A value of env:NAME is read from the environment variable NAME.",
        metavar="KEY=VALUE",
    ),
]
ClientConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--client-config",
        help="Properties file of librdkafka settings (key=value lines), e.g. for SASL/SSL.",
        dir_okay=False,
        metavar="FILE",
    ),
]
Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Seconds to wait for the cluster before giving up.",
        metavar="SECONDS",
        min=0.1,
        max=3600,  # librdkafka takes request timeouts up to one hour
    ),
]
SettingsFile = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        help="Project settings file (owned and protected topic names). "
        "Default: ./ktr.yaml when it exists.",
        dir_okay=False,
        metavar="FILE",
    ),
]
AllowDelete = Annotated[
    bool,
    typer.Option(
        "--allow-delete",
        help="Delete topics declared 'delete: true', and undeclared topics within "
        "owned_topics. Protected topics are never deleted.",
    ),
]
AllowRecreate = Annotated[
    bool,
    typer.Option(
        "--allow-recreate",
        help="Delete and recreate topics whose partitions must shrink (loses all data; "
        "refused while a topic is in use).",
    ),
]
PruneConfigs = Annotated[
    bool,
    typer.Option("--prune-configs", help="Remove config overrides that are not declared."),
]
Targets = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        help="Only topics whose names match this shell pattern (repeatable; *, ? and [...]), "
        "like Terraform's -target. Other topics are left as they are.",
        metavar="NAME",
        show_default=False,
    ),
]
