"""Connection settings: where they come from, and keeping secrets out of sight."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconciler.cluster.connection import (
    REDACTED,
    client_settings,
    is_secret,
    load_client_settings,
    redact,
    scrub,
)
from reconciler.problems import UserError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "client.properties"
    path.write_text(text)
    return path


def test_bootstrap_servers_come_from_the_option() -> None:
    assert client_settings("k1:9092,k2:9092", [], None)["bootstrap.servers"] == "k1:9092,k2:9092"


def test_missing_bootstrap_servers_says_how_to_give_them() -> None:
    with pytest.raises(UserError, match=r"pass -b host:port or set KAFKA_BOOTSTRAP_SERVERS"):
        client_settings(None, [], None)


def test_a_bootstrap_port_out_of_range_is_refused_before_connecting() -> None:
    # librdkafka would silently wrap 99999 round to port 34463.
    with pytest.raises(UserError) as caught:
        client_settings("k1:9092,k2:99999", [], None)
    assert str(caught.value) == (
        "bootstrap server 'k2:99999' (--bootstrap-servers): port '99999' is not a port; "
        "ports are whole numbers from 1 to 65535"
    )


@pytest.mark.parametrize("server", ["127.0.0.1:-24373", "k:0", "k:", "k:90x", "[::1]:-1"])
def test_a_negative_zero_or_malformed_port_is_refused(server: str) -> None:
    with pytest.raises(UserError, match="is not a port; ports are whole numbers from 1 to 65535"):
        client_settings(server, [], None)


@pytest.mark.parametrize("server", ["k:1", "k:65535", "[::1]:9092", "broker"])
def test_ports_in_range_and_servers_without_a_port_are_accepted(server: str) -> None:
    assert client_settings(server, [], None)["bootstrap.servers"] == server


def test_bootstrap_servers_made_only_of_commas_are_missing() -> None:
    with pytest.raises(UserError, match=r"no Kafka bootstrap servers"):
        client_settings(" , ", [], None)


def test_bootstrap_servers_may_come_from_the_properties_file(tmp_path: Path) -> None:
    path = write(tmp_path, "bootstrap.servers=k1:9092\n")
    assert client_settings(None, [], path)["bootstrap.servers"] == "k1:9092"


def test_the_bootstrap_option_wins_over_file_and_x_options(tmp_path: Path) -> None:
    path = write(tmp_path, "bootstrap.servers=file:9092\n")
    settings = client_settings("flag:9092", ["bootstrap.servers=x:9092"], path)
    assert settings["bootstrap.servers"] == "flag:9092"


def test_x_options_win_over_the_properties_file(tmp_path: Path) -> None:
    path = write(tmp_path, "security.protocol=SSL\nclient.id=from-file\n")
    settings = client_settings("k:9092", ["security.protocol=SASL_SSL"], path)
    assert settings["security.protocol"] == "SASL_SSL"
    assert settings["client.id"] == "from-file"


def test_auto_topic_creation_is_always_disabled() -> None:
    settings = client_settings("k:9092", ["allow.auto.create.topics=true"], None)
    assert settings["allow.auto.create.topics"] == "false"


def test_x_option_value_may_contain_equals_signs() -> None:
    settings = client_settings("k:9092", ["sasl.oauthbearer.config=scope=a principal=b"], None)
    assert settings["sasl.oauthbearer.config"] == "scope=a principal=b"


def test_x_option_without_equals_is_refused_by_its_number_not_its_text() -> None:
    with pytest.raises(UserError) as caught:
        client_settings("k:9092", ["acks=1", "SECRET123"], None)
    assert str(caught.value).startswith("-X option number 2 is not KEY=VALUE")
    assert "SECRET123" not in str(caught.value)


def test_x_option_that_is_not_a_property_name_is_not_echoed() -> None:
    with pytest.raises(UserError) as caught:
        client_settings("k:9092", ["client.id=a", "hunter2!secret"], None)
    assert "hunter2" not in str(caught.value)
    assert "number 2" in str(caught.value)


def test_x_option_with_empty_name_is_refused() -> None:
    with pytest.raises(UserError, match="no property name"):
        client_settings("k:9092", ["=value"], None)


def test_env_values_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KTR_TEST_PASSWORD", "s3cr3t-value")
    settings = client_settings("k:9092", ["sasl.password=env:KTR_TEST_PASSWORD"], None)
    assert settings["sasl.password"] == "s3cr3t-value"


def test_env_values_work_in_the_properties_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTR_TEST_USER", "alice")
    path = write(tmp_path, "sasl.username=env:KTR_TEST_USER\n")
    assert client_settings("k:9092", [], path)["sasl.username"] == "alice"


def test_unset_env_variable_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTR_TEST_MISSING", raising=False)
    with pytest.raises(UserError, match=r"-X sasl.password: environment variable KTR_TEST_MISSING"):
        client_settings("k:9092", ["sasl.password=env:KTR_TEST_MISSING"], None)


def test_properties_file_accepts_comments_colons_spaces_and_continuations(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "# a comment\n! another\n\nsecurity.protocol = SASL_SSL\n"
        "sasl.mechanism: SCRAM-SHA-512\nclient.id ktr\n"
        "sasl.oauthbearer.config=scope=a \\\n   principal=b\n",
    )
    settings = client_settings("k:9092", [], path)
    assert settings["security.protocol"] == "SASL_SSL"
    assert settings["sasl.mechanism"] == "SCRAM-SHA-512"
    assert settings["client.id"] == "ktr"
    assert settings["sasl.oauthbearer.config"] == "scope=a principal=b"


def test_bad_properties_line_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "client.id=ktr\n\n=oops\n")
    with pytest.raises(UserError, match=rf"^{path}:3: expected key=value$"):
        client_settings("k:9092", [], path)


def test_unreadable_properties_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read client config"):
        client_settings("k:9092", [], tmp_path / "absent.properties")


def test_settings_remember_where_each_came_from(tmp_path: Path) -> None:
    path = write(tmp_path, "client.id=ktr\n")
    loaded = load_client_settings("k:9092", ["acks=all"], path)
    assert loaded.origins["client.id"] == f"{path}:1"
    assert loaded.origins["acks"] == "-X acks"
    assert loaded.origins["bootstrap.servers"] == "--bootstrap-servers"


@pytest.mark.parametrize(
    "key",
    [
        "sasl.password",
        "ssl.key.password",
        "ssl.keystore.password",
        "ssl.key.pem",
        "sasl.oauthbearer.client.secret",
        "sasl.oauthbearer.config",
        "sasl.oauthbearer.assertion.private.key.passphrase",
        "sasl.jaas.config",
        "sasl.oauthbearer.assertion.private.key.pem",
    ],
)
def test_credential_properties_are_secret(key: str) -> None:
    assert is_secret(key)


@pytest.mark.parametrize(
    "key",
    [
        "bootstrap.servers",
        "sasl.username",
        "security.protocol",
        "ssl.key.location",
        "sasl.oauthbearer.token.endpoint.url",
    ],
)
def test_ordinary_properties_are_not_secret(key: str) -> None:
    assert not is_secret(key)


def test_redact_hides_secret_values_only() -> None:
    shown = redact({"sasl.username": "alice", "sasl.password": "hunter2"})
    assert shown == {"sasl.username": "alice", "sasl.password": REDACTED}


def test_scrub_replaces_whole_secret_values_never_short_parts_of_them() -> None:
    settings = {"sasl.oauthbearer.config": "principal=admin scope=x"}
    text = scrub(
        "token request failed: expected a scope, got x (principal=admin scope=x)", settings
    )
    assert text == "token request failed: expected a scope, got x ([redacted])"


def test_scrub_removes_secret_values_from_any_text() -> None:
    settings = {"sasl.password": "hunter2", "sasl.oauthbearer.config": "clientSecret=xyz123"}
    text = scrub("auth failed for hunter2 with xyz123", settings)
    assert "hunter2" not in text
    assert "xyz123" not in text


def test_a_fifo_given_as_the_client_config_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    path = tmp_path / "client.properties"
    os.mkfifo(path)
    with pytest.raises(UserError, match=r"cannot read client config: a named pipe \(FIFO\)"):
        client_settings("k:9092", [], path)


def test_a_device_given_as_the_client_config_is_refused_instead_of_read() -> None:
    with pytest.raises(UserError, match="a character device, not a regular file"):
        client_settings("k:9092", [], Path("/dev/zero"))
