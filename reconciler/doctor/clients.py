"""Reading client properties files for doctor, with the reader ``--client-config`` uses.

Values are kept as written: ``env:NAME`` is not resolved, since no rule needs
a secret, and a secret's value is never part of a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reconciler.cluster.connection import read_properties_file
from reconciler.doctor.facts import ClientFile
from reconciler.kafka import client_properties
from reconciler.problems import UserError

# Properties only a producer sets: a file given with --client and without
# topic patterns counts as a producer's when it has one of them (or no group.id).
_PRODUCER_KEYS = frozenset(
    {
        "acks",
        "request.required.acks",
        "linger.ms",
        "queue.buffering.max.ms",
        "batch.size",
        "batch.num.messages",
        "compression.type",
        "compression.codec",
        "enable.idempotence",
        "transactional.id",
        "key.serializer",
        "value.serializer",
    }
)


def read_client_file(
    path: Path, produces: Sequence[str] | None = None, consumes: Sequence[str] | None = None
) -> ClientFile:
    """Read one client file; raises a one-line UserError naming the file and line.

    Without topic patterns (a file given with ``--client``) the file applies
    to every topic: as a consumer's when it sets ``group.id``, as a
    producer's when it sets producer settings or no ``group.id``.
    """
    properties: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, value, where in read_properties_file(path):
        line = int(where.rsplit(":", 1)[1])
        if not client_properties.is_known(key):
            close = client_properties.suggestion(key)
            if close is not None:
                raise UserError(
                    f"{path}:{line}: unknown client property {key!r}; did you mean {close!r}?"
                )
        properties[key] = value
        lines[key] = line
    if produces is None and consumes is None:
        consumer = "group.id" in properties
        producer = not consumer or bool(_PRODUCER_KEYS & properties.keys())
        produces = ("*",) if producer else ()
        consumes = ("*",) if consumer else ()
    return ClientFile(
        path=str(path),
        properties=properties,
        lines=lines,
        produces=tuple(produces or ()),
        consumes=tuple(consumes or ()),
    )
