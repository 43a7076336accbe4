"""Runs of ``ktr plan`` and ``ktr validate`` on the benchmarks' declarations, output captured.

Each scenario runs the real command in-process against the fake cluster (or
offline) and returns everything the command printed and its exit code. The
expected output of each is committed under ``expected/``: a change to the
code that makes ktr faster must leave every byte of it as it is.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchmarks import corpus
from reconciler import cli
from reconciler.commands import cluster_access
from tests import fake_cluster
from tests.fake_cluster import FakeCluster

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
BROKEN = HERE / "broken"

TEAM_TOPICS = 84
TEAM_FILES = 3
PLAN_TOPICS = 60

# Tombstones and a per-environment delete, which the team files do not have.
EXTRAS = """\
topics:
  tomb.gone:
    delete: true
  tomb.still-there:
    delete: true
  tomb.production-only:
    partitions: 2
    replication_factor: 3
    environments:
      production:
        delete: true
      development:
        replication_factor: 1
"""

SETTINGS = """\
owned_topics: ["team*", "tomb.*"]
protected_topics: ["team5.events-5"]
"""


@contextlib.contextmanager
def _fixed_topic_ids() -> Iterator[None]:
    """Topic ids the same on every run, so that plans can be compared byte for byte."""
    counter = itertools.count(1)
    original = fake_cluster.uuid
    fake_cluster.uuid = SimpleNamespace(  # type: ignore[assignment]
        uuid4=lambda: uuid.UUID(int=next(counter))
    )
    try:
        yield
    finally:
        fake_cluster.uuid = original


def _ktr(args: Sequence[str], cluster: FakeCluster | None = None) -> str:
    """Run ``ktr ARGS``; its exit code, standard output and standard error as one text."""
    out, err = io.StringIO(), io.StringIO()
    saved = cluster_access.connect
    if cluster is not None:
        cluster_access.connect = lambda *_, **__: cluster
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main(list(args))
                code: Any = 0
            except SystemExit as exit_:
                code = exit_.code
    finally:
        cluster_access.connect = saved
    cluster_closed = cluster is not None and cluster.closed
    if cluster is not None:
        cluster.closed = False  # the next command of the scenario connects again
    return (
        f"exit {code}{' (client closed)' if cluster_closed else ''}\n"
        f"--- stdout\n{out.getvalue()}--- stderr\n{err.getvalue()}"
    )


def _plan_bench_cluster() -> FakeCluster:
    cluster = FakeCluster(brokers=(1,))
    for name in corpus.plan_topic_names(PLAN_TOPICS):
        cluster.add_topic(name, 1, 1, corpus.PLAN_CLUSTER_CONFIG)
    return cluster


def _team_cluster() -> FakeCluster:
    """The team topics in every state a plan tells apart, and a few nobody declared."""
    cluster = FakeCluster(brokers=(1, 2, 3), broker_config={"compression.type": "zstd"})
    for number in range(TEAM_TOPICS):
        name = corpus.team_topic_name(number)
        partitions = (number % 4 + 1) * 3
        retention = str((number % 14 + 1) * 86_400_000)
        config = {"retention.ms": retention, "cleanup.policy": corpus.POLICIES[number % 3]}
        shape = number % 7
        if shape == 0:
            continue  # missing: a create
        if shape == 2:
            partitions = max(1, partitions - 2)  # an add-partitions
        elif shape == 3:
            partitions += 6  # too many: refused, or a recreate
        elif shape == 4:
            config["retention.ms"] = "1000"  # a config change
        elif shape == 5:
            config["segment.ms"] = "3600000"  # an undeclared override
        cluster.add_topic(name, partitions, 2 if shape == 6 else 3, config)
    cluster.add_topic("tomb.still-there", 1, 1)
    cluster.add_topic("tomb.production-only", 2, 3)
    cluster.add_topic("team99.orphan", 3, 3, {"retention.ms": "1"})
    cluster.add_topic("legacy.not-owned", 1, 1)
    cluster.add_topic("_ktr.apply-lock", 1, 1)
    return cluster


def _plans_on_the_plan_benchmark(directory: Path) -> dict[str, str]:
    topics = directory / "topics"
    topics.mkdir()
    (topics / "topics.yaml").write_text(corpus.plan_declarations(PLAN_TOPICS), encoding="utf-8")
    cluster = _plan_bench_cluster()
    base = ["plan", "topics", "-b", "fake:9092"]
    return {
        "plan-bench.json.txt": _ktr([*base, "--format", "json"], cluster),
        "plan-bench.text.txt": _ktr(base, cluster),
    }


def _plans_on_the_team_topics(directory: Path) -> dict[str, str]:
    topics = directory / "topics"
    topics.mkdir()
    corpus.write_team_files(topics, TEAM_TOPICS, TEAM_FILES)
    (topics / "extras.yaml").write_text(EXTRAS, encoding="utf-8")
    (directory / "ktr.yaml").write_text(SETTINGS, encoding="utf-8")
    cluster = _team_cluster()
    base = ["plan", "topics", "-b", "fake:9092"]
    flags = ["--allow-delete", "--allow-recreate", "--prune-configs"]
    outputs: dict[str, str] = {}
    for env in (None, "development", "production"):
        label = env or "as-written"
        chosen = [] if env is None else ["--env", env]
        # Every format once; JSON, which holds everything, in every environment.
        formats = ("json", "text", "markdown") if env == "production" else ("json",)
        for fmt in formats:
            outputs[f"plan-team-{label}.{fmt}.txt"] = _ktr(
                [*base, *chosen, "--format", fmt], cluster
            )
            outputs[f"plan-team-{label}-all-flags.{fmt}.txt"] = _ktr(
                [*base, *chosen, *flags, "--format", fmt], cluster
            )
    outputs["validate-team.text.txt"] = _ktr(["validate", "topics"])
    outputs["validate-team-production.json.txt"] = _ktr(
        ["validate", "topics", "--env", "production", "--format", "json"]
    )
    return outputs


def _problems_in_the_broken_files(directory: Path) -> dict[str, str]:
    shutil.copytree(BROKEN, directory / "broken")
    outputs = {"validate-broken.text.txt": _ktr(["validate", "broken"])}
    for env in (None, "development", "production", "staging"):
        chosen = [] if env is None else ["--env", env]
        outputs[f"validate-broken-{env or 'as-written'}.json.txt"] = _ktr(
            ["validate", "broken", *chosen, "--format", "json"]
        )
    outputs["plan-broken.txt"] = _ktr(["plan", "broken", "-b", "fake:9092"], FakeCluster())
    return outputs


SCENARIOS: dict[str, Callable[[Path], dict[str, str]]] = {
    "plan benchmark": _plans_on_the_plan_benchmark,
    "team topics": _plans_on_the_team_topics,
    "broken files": _problems_in_the_broken_files,
}


def run(scenario: str, directory: Path) -> dict[str, str]:
    """Every output of ``scenario``, run with ``directory`` (empty) as the working directory."""
    before = Path.cwd()
    os.chdir(directory)
    try:
        with _fixed_topic_ids():
            return SCENARIOS[scenario](directory)
    finally:
        os.chdir(before)
