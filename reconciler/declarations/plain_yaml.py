"""A fast reader for the plain block YAML that declaration files are written in.

Declaration files are nearly always block mappings of plain keys and
scalars, indented with spaces, with comments: nothing of YAML's richer
syntax. For such a file, :func:`read_plain` builds the same data libyaml and
PyYAML's safe constructor would, in one pass over its lines and without the
node tree composing makes (a node and two marks for every key and value, the
most costly part of loading thousands of topics).

It is a gate, not a parser of YAML: every line must be one of a few forms
whose meaning is unambiguous, and each scalar's type is resolved by PyYAML's
own resolver and constructor. At anything else (quotes with escapes, flow
mappings, anchors, tags, merge keys, block scalars, a scalar continued on
the next line, tabs, non-ASCII text, a duplicate key, an indentation YAML
would refuse...) it answers None, and the file is loaded by libyaml, which
reports problems with their lines. The positions of the keys under each
top-level key (every topic's line) are kept; any other position is found by
composing the file when a problem has to be reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import ScalarNode

# A plain key: what topic names, config keys and the schema's keys are made of.
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*").fullmatch
# A plain value on one line, its comment cut off: no character that could
# start an indicator, end the scalar early or make it a key. Inner spaces and
# commas are part of a block scalar.
_VALUE = re.compile(r"(?:[A-Za-z0-9_.~+(/=$^;<)]|-(?=[A-Za-z0-9.]))[ !\"$-9;-~]*").fullmatch
# What libyaml refuses or reads as a line break, and tabs, which YAML's
# indentation does not take: such a text is the full loader's to judge.
_UNUSUAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]|<<").search
# An item of a one-line flow sequence: plain, and free of flow indicators.
_ITEM = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.\-]*").fullmatch

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
# The implicit types a plain value may resolve to here; a timestamp, say, is
# left to the full loader.
_BUILT = frozenset(
    {_STR, _INT, "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
)

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors


class _NotPlain(Exception):
    """The text uses more of YAML than this reader takes on."""


@dataclass(frozen=True)
class PlainDocument:
    """A document read by :func:`read_plain`: its data, and where the keys it keeps are."""

    data: dict[Any, Any]
    # For each top-level key (by its text), the line and column (1-based) of
    # each key of the mapping under it, by the key's text.
    key_positions: dict[str, dict[str, tuple[int, int]]]


def read_plain(text: str) -> PlainDocument | None:
    """The document ``text`` holds, if it is written in plain block YAML; else None."""
    if not text.isascii() or _UNUSUAL(text):
        return None
    try:
        return _read(text)
    except _NotPlain:
        return None


_NO = object()  # a value this reader leaves to the full loader
_PENDING = object()  # a key whose value is on the lines below


def _read(text: str) -> PlainDocument:
    values: dict[str, Any] = {}
    root: dict[Any, Any] = {}
    positions: dict[str, dict[str, tuple[int, int]]] = {}
    # Open containers, innermost last: (indent, container).
    stack: list[tuple[int, Any]] = []
    # The key last read whose value is still to come, with its mapping and indent.
    pending: tuple[dict[Any, Any], Any, int] | None = None
    recorded: dict[str, tuple[int, int]] | None = None  # keys under a top-level key
    marked = False  # the document began with ---
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        if not stack:
            if content.startswith(("---", "...", "%")):
                if marked or content.rstrip(" ") != "---":
                    raise _NotPlain
                marked = True
                continue
            if indent:
                raise _NotPlain
            stack.append((0, root))
        if content[0] == "-" and (len(content) == 1 or content[1] == " "):
            _item(content, indent, stack, pending, values)
            pending = None
            continue
        key, colon, rest = content.partition(":")
        if not colon or (rest and rest[0] != " ") or len(key) > 1000 or _KEY(key) is None:
            raise _NotPlain
        if pending is not None:
            mapping, pending_key, pending_indent = pending
            pending = None
            if indent > pending_indent:
                nested: dict[Any, Any] = {}
                mapping[pending_key] = nested
                stack.append((indent, nested))
                if len(stack) == 2:
                    recorded = None
                    if isinstance(pending_key, str):
                        recorded = positions[pending_key] = {}
            else:
                mapping[pending_key] = None
        while stack[-1][0] > indent:
            stack.pop()
        top_indent, container = stack[-1]
        if top_indent != indent or type(container) is not dict:
            raise _NotPlain
        built_key = values.get(key, _NO)
        if built_key is _NO:
            built_key = values[key] = _scalar(key)
        if built_key in container:
            raise _NotPlain  # a duplicate: the full loader reports it
        if len(stack) == 2 and recorded is not None:
            recorded[key] = (number, indent + 1)
        rest = rest.lstrip(" ")
        if not rest or rest[0] == "#":
            pending = (container, built_key, indent)
            container[built_key] = None
            continue
        value = values.get(rest, _NO)
        if value is _NO:
            value = _value(rest, values)
        container[built_key] = value
    if not stack:
        raise _NotPlain  # no document: the full loader says so
    if pending is not None:
        pending[0][pending[1]] = None
    return PlainDocument(root, positions)


def _item(
    content: str,
    indent: int,
    stack: list[tuple[int, Any]],
    pending: tuple[dict[Any, Any], Any, int] | None,
    values: dict[str, Any],
) -> None:
    """A ``- value`` line: an item of a block sequence."""
    rest = content[1:].lstrip(" ")
    if not rest or rest[0] == "#" or ": " in rest or rest.endswith(":"):
        raise _NotPlain  # a nested block, or a mapping in the sequence
    if pending is not None:
        mapping, key, pending_indent = pending
        if indent <= pending_indent:
            raise _NotPlain  # a sequence at its key's indent: left to libyaml
        sequence: list[Any] = []
        mapping[key] = sequence
        stack.append((indent, sequence))
    else:
        while stack[-1][0] > indent:
            stack.pop()
        top_indent, sequence = stack[-1]
        if top_indent != indent or type(sequence) is not list:
            raise _NotPlain
    value = values.get(rest, _NO)
    if value is _NO:
        value = _value(rest, values)
    sequence.append(value)


def _value(rest: str, values: dict[str, Any]) -> Any:
    """The value written after a key or a dash, its comment cut off."""
    first = rest[0]
    if first == "'" or first == '"':
        end = rest.find(first, 1)
        after = rest[end + 1 :].lstrip(" ") if end > 0 else "x"
        inner = rest[1:end]
        if after and after[0] != "#":
            raise _NotPlain
        if first == '"' and "\\" in inner:
            raise _NotPlain  # an escape
        return inner
    if first == "[" or first == "{":
        return _flow(rest, values)
    cut = rest.find(" #")
    scalar = (rest if cut < 0 else rest[:cut]).rstrip(" ")
    value = values.get(scalar, _NO)
    if value is _NO:
        if _VALUE(scalar) is None:
            raise _NotPlain
        value = values[scalar] = _scalar(scalar)
    return value


def _flow(rest: str, values: dict[str, Any]) -> Any:
    """A one-line flow collection of plain names: ``[compact, delete]``, ``{retention.ms: 1d}``."""
    close = "]" if rest[0] == "[" else "}"
    end = rest.find(close)
    after = rest[end + 1 :].lstrip(" ") if end > 0 else "x"
    if after and after[0] != "#":
        raise _NotPlain
    inner = rest[1:end].strip(" ")
    if close == "]":
        return [_flow_scalar(item, values) for item in inner.split(",")] if inner else []
    mapping: dict[Any, Any] = {}
    if not inner:
        return mapping
    for entry in inner.split(","):
        key, colon, value = entry.partition(": ")
        key = key.strip(" ")
        if not colon or _KEY(key) is None:
            raise _NotPlain
        built_key = _flow_scalar(key, values)
        if built_key in mapping:
            raise _NotPlain
        mapping[built_key] = _flow_scalar(value, values)
    return mapping


def _flow_scalar(text: str, values: dict[str, Any]) -> Any:
    """A plain scalar inside a flow collection, free of anything that could end it."""
    text = text.strip(" ")
    # Checked even when known: a value taken in a block may end a flow scalar.
    if _ITEM(text) is None:
        raise _NotPlain
    value = values.get(text, _NO)
    if value is _NO:
        value = values[text] = _scalar(text)
    return value


def _scalar(text: str) -> Any:
    """A plain scalar, typed as the composed loader types it (``loader._Loader._scalar``):
    by PyYAML's resolver and safe constructor, but digits alone as a decimal number."""
    tag: str = _resolver.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == _STR:
        return text
    if tag == _INT and text.isdigit():
        return int(text)
    if tag not in _BUILT:
        raise _NotPlain
    try:
        return _CONSTRUCTORS[tag](_constructor, ScalarNode(tag, text))
    except Exception:
        raise _NotPlain from None
