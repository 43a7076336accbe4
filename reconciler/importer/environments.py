"""Topics declared once from several environments: shared values on top, differences as overlays."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Literal

from .model import Imported, ImportedTopic, Note

Body = dict[str, object]
Missing = Literal["tombstone", "skip"]


def single(topic: ImportedTopic) -> Body:
    """A topic body as written: partitions, replication factor and configs."""
    body: Body = {"partitions": topic.partitions, "replication_factor": topic.replication_factor}
    if topic.config:
        body["config"] = dict(topic.config)
    return body


def merge(sources: Mapping[str, Imported], missing: Missing) -> tuple[dict[str, Body], list[Note]]:
    """One body per topic over the environments of ``sources`` (in their order).

    What every environment agrees on is written at the top. Partitions and
    replication factor must be on the top for the topic to resolve without
    ``--env``, so the top holds the value most environments have (the
    first-named one's on a tie) and the others get overlays; a config key
    the environments disagree on, or that only some set, goes in the
    overlays of the environments that have it. A topic missing from an
    environment gets a tombstone overlay there (``missing='tombstone'``) or
    is left out with a note (``'skip'``).
    """
    envs = list(sources)
    by_name: dict[str, dict[str, ImportedTopic]] = {}
    for env in envs:
        for topic in sources[env].topics:
            by_name.setdefault(topic.name, {})[env] = topic
    bodies: dict[str, Body] = {}
    notes: list[Note] = []
    for name in sorted(by_name):
        present = by_name[name]
        unreadable = [env for env in envs if name in sources[env].left_out]
        if unreadable:
            notes.append(
                Note(
                    name,
                    f"left out everywhere: it cannot be declared as it is on "
                    f"{_names(unreadable)} (see the note there)",
                )
            )
            continue
        absent = [env for env in envs if env not in present]
        if absent and missing == "skip":
            notes.append(
                Note(name, f"left out: on {_names(list(present))} only, not on {_names(absent)}")
            )
            continue
        bodies[name] = _body(
            [present[env] for env in envs if env in present],
            [env for env in envs if env in present],
            absent,
        )
    return bodies, notes


def _body(topics: Sequence[ImportedTopic], envs: Sequence[str], absent: Sequence[str]) -> Body:
    overlays: dict[str, Body] = {env: {} for env in envs}
    body: Body = {}
    for key in ("partitions", "replication_factor"):
        values = [getattr(t, key) for t in topics]
        top = _most_common(values)
        body[key] = top
        for env, value in zip(envs, values, strict=True):
            if value != top:
                overlays[env][key] = value
    keys = sorted({k for t in topics for k in t.config})
    shared: dict[str, str] = {}
    for key in keys:
        seen = {t.config.get(key) for t in topics}
        if len(seen) == 1 and None not in seen:
            shared[key] = topics[0].config[key]
            continue
        for env, topic in zip(envs, topics, strict=True):
            if key in topic.config:
                overlay_config = overlays[env].setdefault("config", {})
                assert isinstance(overlay_config, dict)
                overlay_config[key] = topic.config[key]
    if shared:
        body["config"] = shared
    environments: dict[str, Body] = {env: o for env, o in overlays.items() if o}
    environments.update({env: {"delete": True} for env in absent})
    if environments:
        body["environments"] = environments
    return body


def _most_common(values: Sequence[int]) -> int:
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _names(envs: Sequence[str]) -> str:
    return ", ".join(envs)
