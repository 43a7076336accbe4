"""Declaration files as YAML text, the way people write them by hand.

Block mappings two spaces deep, lists in flow style (``[compact, delete]``),
strings unquoted unless YAML would read them as something else, topic
bodies in a fixed order (partitions, replication_factor, config, delete,
environments) and everything else sorted. A small emitter of its own rather
than a YAML library's dumper: the shape of the output is the point, and it
writes thousands of topics in a fraction of the time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import yaml

_BODY_ORDER = {"partitions": 0, "replication_factor": 1, "config": 2, "delete": 3}
_TOP_ORDER = {"defaults": 0, "topics": 1}
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*|[0-9][A-Za-z0-9_.-]*[A-Za-z_][A-Za-z0-9_.-]*")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_LOOKS_NUMERIC = re.compile(r"[0-9._-]*[eE]?[0-9._+-]*|0[xXoObB][0-9a-fA-F_]+")


def schema_line(reference: str) -> str:
    """The comment that lets editors check the file against ktr's JSON Schema."""
    return f"# yaml-language-server: $schema={reference}\n"


def render(document: Mapping[str, object], *, header: str = "") -> str:
    """``document`` (``defaults``, ``topics``) as YAML text, ``header`` first."""
    lines: list[str] = []
    _mapping(document, 0, lines, top=True)
    return header + "\n".join(lines) + "\n"


def _order(key: str, top: bool) -> tuple[int, str]:
    table = _TOP_ORDER if top else _BODY_ORDER
    return (table.get(key, len(table)), key)


def _mapping(
    data: Mapping[str, object], depth: int, lines: list[str], *, top: bool = False
) -> None:
    indent = "  " * depth
    for key in sorted(data, key=lambda k: _order(k, top)):
        value = data[key]
        head = f"{indent}{scalar(key)}:"
        if isinstance(value, Mapping):
            if value:
                lines.append(head)
                _mapping(value, depth + 1, lines)
            else:
                lines.append(f"{head} {{}}")
        else:
            lines.append(f"{head} {_value(value)}")


def _value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(scalar(str(item)) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:
            text = f"{mantissa}.0e{exponent}"  # YAML 1.1 floats need a point
        return text
    return scalar(str(value))


@functools.lru_cache(maxsize=65536)
def scalar(text: str) -> str:
    """``text`` as a YAML string: plain where every YAML reader takes it as that string."""
    if (
        _PLAIN.fullmatch(text)
        and not _LOOKS_NUMERIC.fullmatch(text)
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG  # type: ignore[no-untyped-call]
    ):
        return text
    return "'" + text.replace("'", "''") + "'"
