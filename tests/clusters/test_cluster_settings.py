"""``clusters:`` in ktr.yaml: what each cluster holds, and one-line errors for mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.kafka.versions import parse_version
from reconciler.problems import UserError
from reconciler.settings import load_settings


def settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ktr.yaml"
    path.write_text(text)
    return path


def test_a_cluster_holds_its_environment_address_and_kafka_version(repo: Path) -> None:
    eu = load_settings().clusters["prod-eu"]
    assert eu.environment == "production"
    assert eu.bootstrap_servers == "eu-1:9096,eu-2:9096"
    assert eu.kafka_version == parse_version("3.9")
    assert eu.where == "ktr.yaml:7:3"


def test_a_clusters_properties_keep_where_ktr_yaml_sets_them(repo: Path) -> None:
    eu = load_settings().clusters["prod-eu"]
    assert ("security.protocol", "SASL_SSL", "ktr.yaml:10:58") in eu.properties


def test_a_client_config_is_relative_to_ktr_yaml(tmp_path: Path) -> None:
    path = settings_file(tmp_path, "clusters:\n  a: {client_config: clients/a.properties}\n")
    assert load_settings(path).clusters["a"].client_config == tmp_path / "clients/a.properties"


def test_per_cluster_owned_and_protected_names_extend_the_global_ones(repo: Path) -> None:
    settings = load_settings()
    on_eu = settings.for_cluster(settings.clusters["prod-eu"])
    assert on_eu.owned == ("orders.*",)
    assert on_eu.is_protected("orders.audit")
    assert not settings.is_protected("orders.audit")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("clusters: [dev]\n", "ktr.yaml:1:1: clusters must map cluster names"),
        ("clusters:\n  dev: {enviroment: x}\n", "ktr.yaml:2:9: unknown setting 'enviroment'"),
        (
            "clusters:\n  dev: {kafka_version: 3.9}\n",
            'must be quoted text, e.g. kafka_version: "3.9"',
        ),
        ("clusters:\n  dev: {kafka_version: '9.1'}\n", "outside the versions ktr knows"),
        ("clusters:\n  -dev: {}\n", "cluster name '-dev' must start with a letter or digit"),
        ("clusters:\n  dev: {properties: [a]}\n", "properties of cluster 'dev' must map"),
        ("clusters:\n  dev: {bootstrap_servers: 9092}\n", "bootstrap_servers of cluster 'dev'"),
    ],
)
def test_mistakes_in_clusters_are_one_line_errors_at_their_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    settings_file(tmp_path, text)
    with pytest.raises(UserError, match=None) as raised:
        load_settings(Path("ktr.yaml"))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
