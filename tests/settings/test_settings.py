"""Project settings: owned names, protected names, and how a bad file is reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconciler.problems import UserError
from reconciler.settings import SECTIONS, Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ktr.yaml"
    path.write_text(text)
    return path


def test_without_owned_patterns_every_name_is_owned() -> None:
    assert Settings().owns("anything.at.all")


def test_owned_patterns_limit_the_names_ktr_owns() -> None:
    settings = Settings(owned=("orders.*", "payments-*"))
    assert settings.owns("orders.created")
    assert settings.owns("payments-eu")
    assert not settings.owns("billing.invoices")


@pytest.mark.parametrize(
    "name",
    [
        "__consumer_offsets",
        "__transaction_state",
        "_schemas",
        "_confluent-metrics",
        "connect-offsets",
        "mm2-offset-syncs.west.internal",
        "app-KSTREAM-internal",
        "heartbeats",
        "west.heartbeats",
    ],
)
def test_system_topics_are_always_protected(name: str) -> None:
    assert Settings().is_protected(name)


def test_protected_patterns_add_to_the_builtin_list() -> None:
    settings = Settings(protected=("audit.*",))
    assert settings.is_protected("audit.log")
    assert settings.is_protected("_schemas")
    assert not settings.is_protected("orders.created")


def test_only_double_underscore_names_are_internal() -> None:
    assert Settings().is_internal("__cluster_metadata")
    assert not Settings().is_internal("_schemas")


def test_missing_default_file_gives_default_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings()


def test_default_file_in_the_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "owned_topics: ['orders.*']\nprotected_topics: ['orders.audit']\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings(owned=("orders.*",), protected=("orders.audit",))


def test_an_explicit_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot read settings"):
        load_settings(tmp_path / "nope.yaml")


def test_unknown_setting_names_its_line_and_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "owned_topics: []\nprotect_topics: ['x']\n")
    with pytest.raises(UserError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}:2:1: unknown setting 'protect_topics'")
    assert "protected_topics" in str(caught.value)


def test_patterns_must_be_a_list_of_strings(tmp_path: Path) -> None:
    path = write(tmp_path, "owned_topics: orders.*\n")
    with pytest.raises(UserError, match=r"ktr.yaml:1:1: owned_topics must be a list"):
        load_settings(path)


def test_yaml_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "owned_topics: [a,\n")
    with pytest.raises(UserError, match=r"ktr.yaml:\d+:\d+: "):
        load_settings(path)


def test_settings_that_are_not_a_mapping_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "- orders.*\n")
    with pytest.raises(UserError, match="must be a mapping"):
        load_settings(path)


def test_a_file_that_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "ktr.yaml"
    path.write_bytes(b"owned_topics: ['caf\xe9.*']\n")
    with pytest.raises(UserError, match=r"ktr.yaml: cannot read settings: not UTF-8 text"):
        load_settings(path)


def test_a_key_given_twice_is_an_error_at_both_lines_not_silently_the_last(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path, "protected_topics: ['audit.*']\nowned_topics: []\nprotected_topics: []\n"
    )
    with pytest.raises(UserError, match=r"ktr.yaml:3:1: duplicate key 'protected_topics' \(first"):
        load_settings(path)


def test_an_unknown_setting_suggests_the_known_one_it_resembles(tmp_path: Path) -> None:
    path = write(tmp_path, "protected_topic: ['x']\n")
    with pytest.raises(UserError, match=r"did you mean 'protected_topics'\?"):
        load_settings(path)


def test_every_problem_is_reported_one_line_each(tmp_path: Path) -> None:
    path = write(tmp_path, "owned: []\nprotected_topics: [1]\n")
    with pytest.raises(UserError) as caught:
        load_settings(path)
    assert str(caught.value).splitlines() == [
        f"{path}:1:1: unknown setting 'owned' (known settings: owned_topics, "
        "protected_topics, clusters, environments, clients)",
        f"{path}:2:20: protected_topics[0] must be a topic name pattern (a non-empty string, "
        "e.g. 'orders.*')",
    ]


def test_an_unsafe_tag_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "owned_topics: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(UserError, match=r"ktr.yaml:1:15: unsafe YAML tag"):
        load_settings(path)


def test_a_tag_whose_content_does_not_fit_it_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "owned_topics: [!!int abc]\n")
    with pytest.raises(UserError, match=r"ktr.yaml:1:16: .*!!int"):
        load_settings(path)


def test_a_byte_order_mark_at_the_start_is_not_part_of_the_first_key(tmp_path: Path) -> None:
    path = tmp_path / "ktr.yaml"
    path.write_bytes("\ufeffowned_topics: ['orders.*']\n".encode())
    assert load_settings(path) == Settings(owned=("orders.*",))


def test_every_section_fills_a_field_of_the_settings() -> None:
    fields = set(Settings.__dataclass_fields__)
    assert {section.field for section in SECTIONS.values()} <= fields


def test_settings_that_are_not_a_regular_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "ktr.yaml"
    os.mkfifo(path)
    with pytest.raises(UserError, match=r"cannot read settings: a named pipe \(FIFO\)"):
        load_settings(path)


def test_a_default_ktr_yaml_that_is_not_a_regular_file_is_refused_not_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(tmp_path / "ktr.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match=r"ktr.yaml: cannot read settings: a named pipe"):
        load_settings()
