"""Kafka release versions, as users write them (``3.9``, ``4.1.0``) and as ktr compares them.

Topic configs come and go with releases (the catalogue's ``since`` and
``removed``), and a few ranges changed between them; a version is only ever
compared by its major and minor number, the level at which Kafka changes
topic configs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

_VERSION = re.compile(r"\s*([0-9]+)\.([0-9]+)(?:\.([0-9]+))?\s*")

# The releases the catalogue describes: older clusters are outside what ktr checks.
OLDEST_KNOWN = (3, 7)
NEWEST_KNOWN = (4, 4)


@dataclass(frozen=True, order=True)
class KafkaVersion:
    """A Kafka release, compared by (major, minor).

    ``who`` names what runs it, for messages ("cluster 'prod-eu'"); it takes
    no part in comparisons.
    """

    major: int
    minor: int
    who: str = field(default="the target cluster", compare=False)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def holder(self) -> str:
        """``cluster 'prod-eu' runs``: what messages put before ``Kafka 3.9``."""
        return f"{self.who} runs"

    def run_by(self, who: str) -> KafkaVersion:
        return replace(self, who=who)


def parse_version(text: str) -> KafkaVersion:
    """``3.9``, ``3.9.1`` or ``4.1.0`` -> KafkaVersion. Raises ValueError with what to write."""
    match = _VERSION.fullmatch(str(text))
    if match is None:
        raise ValueError(
            f"{str(text)!r} is not a Kafka version; write major.minor such as 3.9 or 4.1"
        )
    version = KafkaVersion(int(match[1]), int(match[2]))
    if not OLDEST_KNOWN <= (version.major, version.minor) <= NEWEST_KNOWN:
        lowest = ".".join(map(str, OLDEST_KNOWN))
        highest = ".".join(map(str, NEWEST_KNOWN))
        raise ValueError(
            f"Kafka {version} is outside the versions ktr knows the topic configs of "
            f"({lowest} to {highest})"
        )
    return version
