"""Client settings: where they come from, and keeping their secrets out of output.

Settings are librdkafka properties, merged from (lowest to highest priority):
the ``--client-config`` properties file, the ``-X key=value`` options, and
``--bootstrap-servers`` / ``KAFKA_BOOTSTRAP_SERVERS``. A value written as
``env:NAME`` is read from the environment variable NAME, so passwords need
not appear on command lines or in files kept in git.
``allow.auto.create.topics`` is always false: a metadata request must never
create a topic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.problems import UserError, read_text

REDACTED = "[redacted]"
ENV_PREFIX = "env:"

# Property names whose values are credentials. librdkafka's own secrets are
# sasl.password, ssl.key.password, ssl.keystore.password, ssl.key.pem,
# sasl.oauthbearer.client.secret, sasl.oauthbearer.assertion.private.key.{pem,passphrase}
# and sasl.oauthbearer.config (which may embed a client secret); the patterns also
# cover properties of plugins and future versions named the same way.
_SECRET_NAME = re.compile(
    r"password|passwd|secret|passphrase|token(?!\.endpoint)|credential|key\.pem|jaas|user\.info|"
    r"^ssl_key$|^sasl\.oauthbearer\.config$",
    re.IGNORECASE,
)
_PROPERTY_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")


def is_secret(key: str) -> bool:
    """Whether the value of property ``key`` must never be shown."""
    return _SECRET_NAME.search(key) is not None


@dataclass(frozen=True)
class ClientSettings:
    """Merged settings together with where each one was given (for error messages)."""

    values: dict[str, str]
    origins: dict[str, str]


def client_settings(
    bootstrap_servers: str | None,
    properties: Sequence[str],
    client_config: Path | None,
) -> dict[str, str]:
    """Merge the connection settings the user gave into librdkafka properties.

    Raises UserError (one line, no secret in it) for a malformed file or -X
    option, an ``env:NAME`` naming an unset variable, or no bootstrap servers.
    """
    return load_client_settings(bootstrap_servers, properties, client_config).values


# What follows the last ':' of a server (after any [IPv6] address), if anything.
_PORT = re.compile(r"^(?:\[[^\]]*\]|[^\[\]]*):([^:\]]*)$")


def load_client_settings(
    bootstrap_servers: str | None,
    properties: Sequence[str],
    client_config: Path | None,
    base: Sequence[tuple[str, str, str]] = (),
) -> ClientSettings:
    """Like :func:`client_settings`, also telling where each setting came from.

    ``base`` holds ``(key, value, origin)`` settings below all the others: a
    cluster's own settings from ktr.yaml, which the command line overrides.
    """
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    for key, value, origin in base:
        values[key] = _resolve(key, value, origin)
        origins[key] = origin
    if client_config is not None:
        for key, value, origin in read_properties_file(client_config):
            values[key] = _resolve(key, value, origin)
            origins[key] = origin
    for index, option in enumerate(properties, start=1):
        key, value = parse_property_option(option, index)
        origin = f"-X {key}"
        values[key] = _resolve(key, value, origin)
        origins[key] = origin
    if bootstrap_servers is not None and bootstrap_servers.strip():
        values["bootstrap.servers"] = bootstrap_servers.strip()
        origins["bootstrap.servers"] = "--bootstrap-servers"
    servers = [s.strip() for s in values.get("bootstrap.servers", "").split(",") if s.strip()]
    if not servers:
        raise UserError(
            "no Kafka bootstrap servers: pass -b host:port or set KAFKA_BOOTSTRAP_SERVERS"
        )
    for server in servers:
        port = _PORT.match(server)
        if port is not None and not (port[1].isdigit() and 1 <= int(port[1]) <= 65535):
            # librdkafka would wrap a negative or too large port round to
            # another one without a word.
            raise UserError(
                f"bootstrap server {server!r} ({origins['bootstrap.servers']}): port "
                f"{port[1]!r} is not a port; ports are whole numbers from 1 to 65535"
            )
    values["allow.auto.create.topics"] = "false"
    origins["allow.auto.create.topics"] = "ktr"
    return ClientSettings(values, origins)


def parse_property_option(option: str, index: int = 1) -> tuple[str, str]:
    """Split one ``-X key=value`` option. ``index`` counts -X options from 1, for errors."""
    key, sep, value = option.partition("=")
    key = key.strip()
    if not sep:
        # Never echo the text: a value typed without its key (-X hunter2)
        # looks like a property name and may be a password.
        raise UserError(
            f"-X option number {index} is not KEY=VALUE (e.g. -X security.protocol=SSL); "
            "its text is not shown, as it may be a secret"
        )
    if not key:
        raise UserError(f"-X option number {index} has no property name before '='")
    if not _PROPERTY_NAME.match(key):
        raise UserError(
            f"-X option number {index}: invalid property name (use letters, digits, .-_)"
        )
    return key, value.strip()


def read_properties_file(path: Path) -> list[tuple[str, str, str]]:
    """Read a Java-style properties file: ``(key, value, "file:line")`` per setting.

    Understood: ``key=value``, ``key: value`` and ``key value``; comments
    starting with ``#`` or ``!``; blank lines; a trailing backslash continues
    a value on the next line. Values are never echoed in errors.
    """
    text = read_text(path, "client config")
    settings: list[tuple[str, str, str]] = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        start = number + 1
        line = lines[number].strip()
        number += 1
        while line.endswith("\\") and not line.endswith("\\\\") and number < len(lines):
            line = line[:-1] + lines[number].strip()
            number += 1
        if not line or line[0] in "#!":
            continue
        match = re.match(r"([^=:\s]+)\s*[=:]\s*(.*)$|([^=:\s]+)\s+(.*)$", line)
        where = f"{path}:{start}"
        if match is None:
            raise UserError(f"{where}: expected key=value")
        key = match.group(1) or match.group(3)
        value = match.group(2) if match.group(1) else match.group(4)
        if not _PROPERTY_NAME.match(key):
            raise UserError(f"{where}: invalid property name (use letters, digits, .-_)")
        settings.append((key, value.strip(), where))
    return settings


def _resolve(key: str, value: str, origin: str) -> str:
    if not value.startswith(ENV_PREFIX):
        return value
    name = value[len(ENV_PREFIX) :]
    if not name:
        raise UserError(f"{origin}: 'env:' needs a variable name, e.g. env:KAFKA_PASSWORD")
    resolved = os.environ.get(name)
    if resolved is None:
        raise UserError(f"{origin}: environment variable {name} is not set (for {key})")
    return resolved


def redact(settings: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``settings`` safe to show: secret values replaced by ``[redacted]``."""
    return {k: (REDACTED if is_secret(k) and v else v) for k, v in settings.items()}


def secret_values(settings: Mapping[str, str]) -> list[str]:
    """The secret values among ``settings``, longest first (so substrings go last).

    Whole values only: replacing every occurrence of a short part of one
    (``scope=x`` in ``sasl.oauthbearer.config``) would garble the message
    and, by what it leaves, hint at the secret.
    """
    found = {v for k, v in settings.items() if is_secret(k) and v}
    # sasl.oauthbearer.config holds "key=value" pairs; a pair whose key names
    # a secret (clientSecret=...) may be quoted alone by librdkafka.
    for k, v in settings.items():
        if k.lower() == "sasl.oauthbearer.config":
            for part in v.split():
                inner_key, sep, inner = part.partition("=")
                if sep and inner and is_secret(inner_key):
                    found.add(inner)
    return sorted(found, key=len, reverse=True)


def scrub(text: str, settings: Mapping[str, str]) -> str:
    """``text`` with every secret value of ``settings`` replaced by ``[redacted]``."""
    for secret in secret_values(settings):
        text = text.replace(secret, REDACTED)
    return text
