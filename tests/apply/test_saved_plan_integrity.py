"""``ktr apply --plan`` applies a saved plan only as ktr plan made it, within the flags given.

Each test saves a plan with ``ktr plan --out``, edits it the way the issue's
probes did (resealing the digest, as a deliberate editor would), and applies it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reconciler.plan.integrity import sealed
from tests.commands_support import Result, ktr, write_topics
from tests.fake_cluster import FakeCluster

TOPICS = """\
topics:
  orders:
    partitions: 3
    replication_factor: 1
    config:
      retention.ms: 1d
  legacy:
    delete: true
"""


@pytest.fixture
def saved(
    fake: FakeCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Path]:
    """Save a plan of TOPICS against the fake cluster; returns a function that saves one."""
    fake.add_topic("orders", partitions=3, replication_factor=1, config={"retention.ms": "1"})
    fake.add_topic("legacy")
    fake.add_topic("someone.elses")
    topics = write_topics(tmp_path / "topics", TOPICS)

    def save() -> Path:
        out = tmp_path / "plan.json"
        result = ktr(
            capsys, "plan", str(topics), "-b", "x:9092", "--out", str(out), "--allow-delete"
        )
        assert result.code == 0, result.err
        fake.closed = False  # each command closes its client; the next one reconnects
        return out

    return save


def edit(path: Path, change: Callable[[dict[str, Any]], object], *, reseal: bool = True) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(sealed(doc) if reseal else doc))


@pytest.fixture
def apply(fake: FakeCluster, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Apply a saved plan, with --allow-delete unless ``consent`` is False."""

    def run(path: Path, *flags: str, consent: bool = True) -> Result:
        given = (*flags, "--allow-delete") if consent else flags
        result = ktr(capsys, "apply", "--plan", str(path), "-b", "x:9092", "--auto-approve", *given)
        fake.closed = False
        return result

    return run


def test_an_unedited_saved_plan_applies(
    saved: Callable[..., Path],
    apply: Callable[..., Result],
    fake: FakeCluster,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = apply(saved())

    assert result.code == 0, result.err
    assert fake.config_overrides("orders") == {"retention.ms": "86400000"}
    assert "legacy" not in fake.topics()


def test_an_alter_config_edited_into_a_delete_is_refused_and_the_topic_stays(
    saved: Callable[..., Path],
    apply: Callable[..., Result],
    fake: FakeCluster,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = saved()
    edit(path, lambda d: d["actions"][0].update(action="delete", config=[]))

    result = apply(path)

    assert result.code == 1
    assert "the saved plan is not what ktr plan gives" in result.err
    assert "First difference: actions[0] (delete orders)" in result.err
    assert "orders" in fake.topics()


def test_an_added_delete_of_an_undeclared_topic_is_refused(
    saved: Callable[..., Path],
    apply: Callable[..., Result],
    fake: FakeCluster,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = saved()

    def add_delete(doc: dict[str, Any]) -> None:
        doc["actions"].append(
            {
                "action": "delete",
                "topic": "someone.elses",
                "partitions": {"before": 1, "after": None},
                "replication_factor": {"before": 1, "after": None},
                "config": [],
                "topic_id": None,
                "location": None,
            }
        )
        doc["declared"].append("someone.elses")

    edit(path, add_delete)

    result = apply(path)

    assert result.code == 1
    assert "someone.elses" in fake.topics()


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["actions"][0]["config"][0].update(after="1000"),
        lambda d: d["made_from"]["topics"][1].update(partitions=30),
    ],
    ids=["config value", "recorded partitions"],
)
def test_an_edited_value_is_never_written(
    saved: Callable[..., Path],
    apply: Callable[..., Result],
    fake: FakeCluster,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], object],
) -> None:
    path = saved()
    edit(path, change)

    result = apply(path)

    assert result.code == 1
    assert fake.config_overrides("orders") == {"retention.ms": "1"}
    assert fake.topics()["orders"].partition_count == 3


def test_an_edit_without_a_new_digest_is_refused_before_the_cluster_is_read(
    saved: Callable[..., Path], apply: Callable[..., Result], capsys: pytest.CaptureFixture[str]
) -> None:
    path = saved()
    edit(path, lambda d: d.update(warnings=[]), reseal=False)

    result = apply(path)

    assert result.code == 1
    assert "its digest does not match" in result.err


def test_a_saved_delete_without_allow_delete_at_apply_time_is_refused_naming_the_flag(
    saved: Callable[..., Path],
    apply: Callable[..., Result],
    fake: FakeCluster,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = saved()

    refused = apply(path, consent=False)

    assert refused.code == 1
    assert "Pass --allow-delete (1 to delete: legacy)" in refused.err
    assert "legacy" in fake.topics()
    assert apply(path).code == 0
    assert "legacy" not in fake.topics()


def test_a_plan_made_with_other_protected_topics_is_refused(
    saved: Callable[..., Path],
    apply: Callable[..., Result],
    fake: FakeCluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = saved()
    settings = tmp_path / "ktr.yaml"
    settings.write_text("protected_topics: [legacy]\n")

    result = apply(path, "--settings", str(settings))

    assert result.code == 1
    assert "protected_topics" in result.err
    assert "legacy" in fake.topics()
