"""This repository's own declarations: valid everywhere, and runnable on one local broker."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.declarations.resolve import load_declarations

TOPICS = Path(__file__).resolve().parents[2] / "topics"


@pytest.mark.parametrize("environment", [None, "development", "production"])
def test_the_repository_topics_are_valid(environment: str | None) -> None:
    declarations = load_declarations([TOPICS], environment)
    assert [str(p) for p in declarations.problems] == []
    assert declarations.environments == ("development", "production")


def test_development_fits_on_a_single_broker() -> None:
    topics = load_declarations([TOPICS], "development").desired.topics
    assert topics
    for topic in topics.values():
        assert topic.replication_factor == 1, topic.name
        assert topic.config.get("min.insync.replicas", "1") == "1", topic.name


def test_the_repository_has_a_dead_letter_and_a_compacted_topic() -> None:
    topics = load_declarations([TOPICS], None).desired.topics
    assert any(name.endswith(".dlq") for name in topics)
    assert any(t.config.get("cleanup.policy") == "compact" for t in topics.values())


def test_every_file_names_the_schema_for_editors() -> None:
    for path in sorted(TOPICS.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/topics.schema.json", path
