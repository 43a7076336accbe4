"""Client-file rules: properties files given with --client or named in ktr.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.doctor.facts import ClientFile, Facts, Profile
from reconciler.doctor.rules.clients import codec_unavailable
from reconciler.model import DesiredState, TopicSpec
from tests.commands_support import ktr
from tests.doctor.support import (
    client_file,
    declare,
    doctor,
    fired,
    healthy,
    settings_file,
)

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def topics(tmp_path: Path) -> Path:
    return declare(tmp_path / "topics", {"orders": healthy(), "audit": healthy()})


def check(capsys: Capsys, topics: Path, client: Path, *args: str) -> dict[str, object]:
    _, report = doctor(capsys, str(topics), "--env", "production", "--client", str(client), *args)
    return report


def test_client_auto_create_fires_on_allow_auto_create_topics(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path, "c.properties", "group.id=billing\n# note\nallow.auto.create.topics=true\n"
    )
    [finding] = fired(check(capsys, topics, client), "client-auto-create")
    assert (finding["file"], finding["line"]) == (str(client), 3)
    assert finding["severity"] == "error"


def test_client_auto_create_is_silent_when_off(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "allow.auto.create.topics=false\n")
    assert fired(check(capsys, topics, client), "client-auto-create") == []


def test_client_assignor_fires_on_an_eager_strategy(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path, "c.properties", "group.id=billing\npartition.assignment.strategy=range\n"
    )
    [finding] = fired(check(capsys, topics, client), "client-assignor")
    assert finding["line"] == 2
    assert "cooperative-sticky" in finding["fix"]


def test_client_assignor_counts_librdkafkas_eager_default(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "group.id=billing\n")
    [finding] = fired(check(capsys, topics, client), "client-assignor")
    assert "default" in finding["message"]


def test_client_assignor_accepts_cooperative_sticky(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path,
        "c.properties",
        "group.id=billing\npartition.assignment.strategy=cooperative-sticky\n",
    )
    assert fired(check(capsys, topics, client), "client-assignor") == []


def test_client_assignor_reads_java_class_names(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path,
        "c.properties",
        "group.id=billing\npartition.assignment.strategy="
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor\n",
    )
    assert fired(check(capsys, topics, client), "client-assignor") == []


def test_client_assignor_accepts_the_consumer_group_protocol(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "group.id=billing\ngroup.protocol=consumer\n")
    assert fired(check(capsys, topics, client), "client-assignor") == []


def test_client_assignor_ignores_producers(capsys: Capsys, topics: Path, tmp_path: Path) -> None:
    client = client_file(tmp_path, "p.properties", "compression.type=zstd\n")
    assert fired(check(capsys, topics, client), "client-assignor") == []


def test_client_compression_fires_on_an_uncompressed_producer(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "p.properties", "acks=all\n")
    [finding] = fired(check(capsys, topics, client), "client-compression")
    assert "no network traffic is saved" in finding["message"]
    assert "compression.type=zstd" in finding["fix"]


def test_client_compression_fires_on_a_different_codec(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "p.properties", "acks=all\ncompression.codec=gzip\n")
    [finding] = fired(check(capsys, topics, client), "client-compression")
    assert finding["line"] == 2
    assert "compresses every batch again" in finding["message"]


def test_client_compression_is_silent_on_the_topics_codec(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "p.properties", "compression.type=zstd\n")
    assert fired(check(capsys, topics, client), "client-compression") == []


def test_client_compression_only_looks_at_the_topics_a_client_produces_to(
    capsys: Capsys, tmp_path: Path
) -> None:
    topics = declare(
        tmp_path / "topics",
        {"orders": healthy(), "plain": healthy(config={"min.insync.replicas": 2})},
    )
    client = client_file(tmp_path, "p.properties", "acks=all\n")
    settings = settings_file(
        tmp_path, {"clients": [{"file": "p.properties", "produces": ["plain"]}]}
    )
    _, report = doctor(capsys, str(topics), "--env", "production", "--settings", str(settings))
    assert fired(report, "client-compression") == []
    assert client.exists()


def test_metadata_refresh_fires_below_a_minute(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "topic.metadata.refresh.interval.ms=5000\n")
    [finding] = fired(check(capsys, topics, client), "metadata-refresh")
    assert finding["line"] == 1


def test_metadata_refresh_is_silent_at_five_minutes(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "topic.metadata.refresh.interval.ms=300000\n")
    assert fired(check(capsys, topics, client), "metadata-refresh") == []


def test_client_rules_other_than_codecs_do_not_run_outside_production(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path,
        "c.properties",
        "group.id=g\nallow.auto.create.topics=true\ntopic.metadata.refresh.interval.ms=5000\n",
    )
    _, report = doctor(capsys, str(topics), "--env", "development", "--client", str(client))
    assert report["findings"] == []


def _facts(client: ClientFile, available: frozenset[str], codec: str = "zstd") -> Facts:
    spec = TopicSpec("orders", 6, 3, {"compression.type": codec})
    return Facts(
        profile=Profile("development", production=False),
        desired=DesiredState({"orders": spec}),
        clients=(client,),
        codecs_available=available,
    )


def test_codec_unavailable_fires_for_a_producer_codec_librdkafka_lacks() -> None:
    client = ClientFile(
        "p.properties", {"compression.type": "zstd"}, {"compression.type": 4}, ("*",)
    )
    found = list(codec_unavailable(_facts(client, frozenset({"gzip"}), codec="gzip")))
    assert [(f.file, f.line) for f in found] == [("p.properties", 4)]


def test_codec_unavailable_fires_for_a_topic_codec_librdkafka_lacks() -> None:
    client = ClientFile("c.properties", {"group.id": "g"}, {}, (), ("*",))
    found = list(codec_unavailable(_facts(client, frozenset({"gzip"}))))
    assert [f.topic for f in found] == ["orders"]


def test_codec_unavailable_is_silent_when_librdkafka_has_the_codec() -> None:
    client = ClientFile("p.properties", {"compression.type": "zstd"}, {}, ("*",))
    assert list(codec_unavailable(_facts(client, frozenset({"zstd"})))) == []


def test_codec_unavailable_runs_in_every_environment_with_this_librdkafka(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    # The bundled librdkafka has every codec: nothing to report, and the rule ran.
    client = client_file(tmp_path, "p.properties", "compression.type=zstd\n")
    _, report = doctor(capsys, str(topics), "--env", "development", "--client", str(client))
    assert "codec-unavailable" not in {s["rule"] for s in report["skipped"]}
    assert fired(report, "codec-unavailable") == []


# ------------------------------------------------------------ reading files


def test_a_missing_client_file_is_a_one_line_error(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    result, _ = doctor(
        capsys, str(topics), "--env", "production", "--client", str(tmp_path / "nope")
    )
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "nope: cannot read client config" in result.err


def test_a_malformed_line_names_the_file_and_line(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "group.id=g\n=oops\n")
    result, _ = doctor(capsys, str(topics), "--env", "production", "--client", str(client))
    assert result.code == 1
    assert f"{client}:2:" in result.err


def test_a_misspelt_property_gets_a_did_you_mean(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(tmp_path, "c.properties", "group.id=g\ncompresion.type=zstd\n")
    result, _ = doctor(capsys, str(topics), "--env", "production", "--client", str(client))
    assert result.code == 1
    assert f"{client}:2: unknown client property 'compresion.type'" in result.err
    assert "did you mean 'compression.type'?" in result.err


def test_application_settings_beside_client_properties_are_accepted(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path,
        "c.properties",
        "schema.registry.url=https://sr:8081\nkey.serializer=org.StringSerializer\n"
        "compression.type=zstd\n",
    )
    result, _ = doctor(capsys, str(topics), "--env", "production", "--client", str(client))
    assert result.code == 0


def test_colons_comments_and_continuations_are_read_as_with_client_config(
    capsys: Capsys, topics: Path, tmp_path: Path
) -> None:
    client = client_file(
        tmp_path,
        "c.properties",
        "! a comment\ngroup.id: billing\npartition.assignment.strategy=range,\\\n  roundrobin\n",
    )
    [finding] = fired(check(capsys, topics, client), "client-assignor")
    assert finding["line"] == 3
    assert "range,roundrobin" in finding["message"]


def test_client_secrets_are_never_printed(capsys: Capsys, topics: Path, tmp_path: Path) -> None:
    client = client_file(
        tmp_path,
        "c.properties",
        "group.id=g\nsasl.password=hunter2-secret\nallow.auto.create.topics=true\n",
    )
    for fmt in ("text", "json", "markdown"):
        result = ktr(
            capsys,
            "doctor",
            str(topics),
            "--env",
            "production",
            "--client",
            str(client),
            "--format",
            fmt,
        )
        assert "client-auto-create" in result.out
        assert "hunter2" not in result.out + result.err, fmt
