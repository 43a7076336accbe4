"""What this machine's librdkafka was built with (its ``builtin.features``)."""

from __future__ import annotations

import logging
from collections.abc import Collection

from confluent_kafka import KafkaException, Producer

# librdkafka names its codec features as Kafka names the codecs.
CODECS = ("gzip", "snappy", "lz4", "zstd")


def available_codecs(wanted: Collection[str] = CODECS) -> frozenset[str]:
    """The codecs among ``wanted`` that librdkafka here can compress and decompress.

    Setting ``builtin.features`` to a feature the build lacks fails at once,
    without touching the network; the client is dropped straight away, so
    none is held across a fork.
    """
    quiet = logging.Logger("ktr.librdkafka.features")
    quiet.propagate = False
    quiet.addHandler(logging.NullHandler())
    found: set[str] = set()
    for codec in sorted(set(wanted) & set(CODECS)):
        try:
            # A placeholder address keeps librdkafka from warning that none is set;
            # nothing connects to it before the client is dropped.
            Producer(
                {"builtin.features": codec, "bootstrap.servers": "127.0.0.1:9", "logger": quiet}
            )
        except KafkaException:
            continue
        found.add(codec)
    return frozenset(found)
