"""Topic bodies laid out in files: one per name prefix, with what a file's topics share
lifted into its ``defaults``, and config values in the forms a person writes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from .environments import Body
from .values import humanise

GroupBy = Literal["prefix", "none"]
SINGLE_FILE = "topics.yaml"
_PREFIX = re.compile(r"[A-Za-z0-9]+")


def file_for(name: str, group_by: GroupBy) -> str:
    """The file a topic goes in: ``orders.created`` -> ``orders.yaml`` by prefix.

    The prefix is the name up to its first ``.``, ``_`` or ``-``, lower-cased
    so that ``Orders.x`` and ``orders.y`` do not end up in two files that a
    case-insensitive file system would take for one.
    """
    if group_by == "none":
        return SINGLE_FILE
    match = _PREFIX.match(name)
    return f"{match[0].lower() if match else 'topics'}.yaml"


def group(bodies: Mapping[str, Body], group_by: GroupBy) -> dict[str, dict[str, Body]]:
    """Topic bodies by the file they go in, names sorted."""
    files: dict[str, dict[str, Body]] = {}
    for name in sorted(bodies):
        files.setdefault(file_for(name, group_by), {})[name] = bodies[name]
    return dict(sorted(files.items()))


def document(
    topics: Mapping[str, Body], *, environments: Sequence[str] = (), lift: bool = True
) -> dict[str, object]:
    """One file's document: ``defaults`` (what every topic shares, when ``lift``
    and there are two topics or more) and ``topics``, values humanised.

    Each of ``environments`` that no topic of the file has an overlay for is
    declared in the defaults with an empty overlay, so that ``--env NAME`` is
    known even where the environments agree on everything.
    """
    topics = {name: _copy(body) for name, body in topics.items()}
    defaults: Body = {}
    if lift and len(topics) >= 2:
        defaults = _lift(topics)
    mentioned = {env for body in topics.values() for env in _overlays(body)}
    unmentioned: dict[str, Body] = {env: {} for env in environments if env not in mentioned}
    if unmentioned:
        defaults["environments"] = unmentioned
    doc: dict[str, object] = {}
    if defaults:
        doc["defaults"] = _humanised(defaults)
    doc["topics"] = {name: _humanised(body) for name, body in topics.items()}
    return doc


def _lift(topics: dict[str, Body]) -> Body:
    """Move the values every topic sets alike on its top level into defaults."""
    bodies = list(topics.values())
    defaults: Body = {}
    for key in ("partitions", "replication_factor"):
        values = {repr(b.get(key)) for b in bodies}
        if len(values) == 1 and key in bodies[0]:
            defaults[key] = bodies[0][key]
    configs = [_config(b) for b in bodies]
    shared = {
        key: value
        for key, value in configs[0].items()
        if all(c.get(key) == value for c in configs[1:])
    }
    if shared:
        defaults["config"] = shared
    for body in bodies:
        for key in ("partitions", "replication_factor"):
            if key in defaults:
                del body[key]
        if shared:
            rest = {k: v for k, v in _config(body).items() if k not in shared}
            if rest:
                body["config"] = rest
            else:
                body.pop("config", None)
    return defaults


def _overlays(body: Body) -> dict[str, object]:
    overlays = body.get("environments")
    return dict(overlays) if isinstance(overlays, dict) else {}


def _config(body: Body) -> dict[str, str]:
    config = body.get("config")
    return dict(config) if isinstance(config, dict) else {}


def _copy(body: Body) -> Body:
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in body.items()}


def _humanised(body: Body) -> Body:
    result: Body = {}
    for key, value in body.items():
        if key == "config" and isinstance(value, dict):
            result[key] = {k: humanise(k, v) for k, v in value.items()}
        elif isinstance(value, dict):
            result[key] = {k: _humanised(v) for k, v in value.items()}
        else:
            result[key] = value
    return result
