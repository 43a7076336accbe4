"""A pre-flight check before the first request: can any bootstrap address answer at all?

librdkafka retries a refused connection until the request times out, so a
mistyped port or host would make the user wait the whole ``--timeout`` for an
answer that was clear at once. Each bootstrap address is resolved and
TCP-connected here, all at the same time and within a few seconds; only when
every one of them refuses the connection or does not resolve is the cluster
known to be unreachable. An address that accepts, or that does not answer in
time (a firewall dropping packets, a slow name server), may still answer
librdkafka, so it gets the full timeout as before.
"""

from __future__ import annotations

import errno
import re
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_PORT = 9092
#: Seconds the check may take: enough for a name server and a TCP handshake.
BOUND = 3.0

# Answers that say nobody is listening there now, as opposed to "no answer yet".
_DEFINITE = frozenset({errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH})
_FAMILIES = {"v4": socket.AF_INET, "v6": socket.AF_INET6}
# librdkafka's bootstrap form: [proto://]host[:port], IPv6 hosts in brackets.
_ADDRESS = re.compile(
    r"^(?:[A-Za-z_]+://)?(?:\[(?P<v6>[^\]]+)\]|(?P<host>[^:/\[\]]+))(?::(?P<port>\d+))?$"
)


@dataclass(frozen=True)
class Address:
    text: str  # as the user wrote it
    host: str
    port: int


def parse(bootstrap: str) -> list[Address] | None:
    """The bootstrap addresses, or None when one of them is not in a form this check knows."""
    found = []
    for text in (part.strip() for part in bootstrap.split(",")):
        if not text:
            continue
        match = _ADDRESS.match(text)
        if match is None:
            return None
        port = int(match["port"]) if match["port"] else DEFAULT_PORT
        found.append(Address(text, match["v6"] or match["host"], port))
    return found or None


def unreachable(bootstrap: str, *, family: str = "any", bound: float = BOUND) -> str | None:
    """Why no bootstrap address can answer, or None when one may.

    ``family`` is librdkafka's ``broker.address.family`` (``any``, ``v4``,
    ``v6``). Returns within about ``bound`` seconds whatever the network does.
    """
    addresses = parse(bootstrap)
    if addresses is None:
        return None
    reasons: list[str | None] = [None] * len(addresses)
    done = [threading.Event() for _ in addresses]

    def check(index: int, address: Address) -> None:
        try:
            reasons[index] = _refusal(address, _FAMILIES.get(family, socket.AF_UNSPEC), bound)
        finally:
            done[index].set()

    for index, address in enumerate(addresses):
        # Daemon threads: a name server that never answers must not hold up ktr's exit.
        threading.Thread(target=check, args=(index, address), daemon=True).start()
    for event in done:
        if not event.wait(bound + 0.5):
            return None  # still resolving or connecting: it may answer librdkafka
    if any(reason is None for reason in reasons):
        return None
    return "; ".join(f"{a.text}: {r}" for a, r in zip(addresses, reasons, strict=True))


def _refusal(address: Address, family: int, bound: float) -> str | None:
    """Why ``address`` cannot answer, or None when it may (it accepted, or is silent)."""
    try:
        infos = socket.getaddrinfo(_host(address.host), address.port, family, socket.SOCK_STREAM)
    except socket.gaierror as error:
        return f"cannot resolve {address.host!r}: {error.strerror}"
    except OSError:
        return None
    refused: list[str] = []
    for fam, kind, proto, _, target in _each_once(infos):
        sock = socket.socket(fam, kind, proto)
        sock.settimeout(bound)
        try:
            sock.connect(target)
        except OSError as error:
            if error.errno not in _DEFINITE:
                return None  # a timeout or something odd: let librdkafka try
            refused.append(error.strerror or str(error))
        else:
            return None
        finally:
            sock.close()
    return refused[0] if refused else None


def _each_once(
    infos: Sequence[tuple[int, int, int, str, tuple[object, ...]]],
) -> list[tuple[int, int, int, str, tuple[object, ...]]]:
    seen: set[tuple[object, ...]] = set()
    unique = []
    for info in infos:
        if info[4] not in seen:
            seen.add(info[4])
            unique.append(info)
    return unique


def _host(host: str) -> str | bytes:
    """An ASCII host name as bytes: given a str, getaddrinfo imports the IDNA codec to
    encode it (a few milliseconds of every connection), which ASCII does not need."""
    return host.encode("ascii") if host.isascii() else host
