"""A fast reader for the plain block YAML that declaration files are written in.

Declaration files are nearly always block mappings of plain keys and
one-line scalars, indented with spaces, with comments, short lists and
one-line flow collections of names: nothing of YAML's richer syntax. For
such a file, :func:`read_plain` builds the same data libyaml and PyYAML's
safe constructor would, in one pass over its lines and without the node
tree composing makes (a node and two marks for every key and value, the
most costly part of loading thousands of topics).

It is a gate, not a parser of YAML: every line must be one of a few forms
whose meaning is unambiguous, and each scalar's type is resolved by PyYAML's
own resolver and constructor. At anything else (quotes with escapes, nested
flow collections, anchors, tags, merge keys, block scalars, a scalar
continued on the next line, tabs, non-ASCII text, a duplicate key, an
indentation YAML would refuse...) it answers None, and the file is loaded
by libyaml, which reports problems with their lines. The positions of the
keys under each top-level key (every topic's line) are kept; any other
position is found by composing the file when a problem has to be reported.
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
# The characters of a plain text: printable ASCII and line feeds. Control
# characters (libyaml refuses most), tabs (YAML does not indent with them)
# and other line breaks are the full loader's to judge.
_PLAIN_CHARACTERS = bytes(range(32, 127)) + b"\n"
# An item of a one-line flow sequence: plain, and free of flow indicators.
_ITEM = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.\-]*").fullmatch

# Declarations nest a handful of levels; libyaml refuses documents nested
# more than 1,000 deep, and the full loader says so.
MAX_DEPTH = 100

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
    # A merge key (<<) needs no check of its own: no plain key starts with <.
    if not text.isascii() or text.encode("ascii").translate(None, _PLAIN_CHARACTERS):
        return None
    try:
        return _read(text)
    except _NotPlain:
        return None


_NO = object()  # not known yet
_PENDING = object()  # no value on the key's line: it is on the lines below, or null


def _read(text: str) -> PlainDocument:
    keys: dict[str, Any] = {}  # each plain key's text, checked, and what it builds
    rests: dict[str, Any] = {}  # what follows a key's colon, and the scalar it builds
    values: dict[str, Any] = {}  # each plain scalar's text and what it builds
    root: dict[Any, Any] = {}
    positions: dict[str, dict[str, tuple[int, int]]] = {}
    # Open containers, outermost first: (indent, container). The innermost is
    # also held in ``indent_now`` and ``container``, -1 when it is a sequence.
    stack: list[tuple[int, Any]] = []
    indent_now, container = 0, root
    pending: Any = _NO  # the key of ``container`` whose value is below, if any
    # The keys' positions in the mapping under the current top-level key.
    recorded: dict[str, tuple[int, int]] = {}
    recording = False
    marked = False  # the document began with ---
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        if not stack:
            if content.startswith(("---", "...", "%")):
                if marked or indent or content.rstrip(" ") != "---":
                    raise _NotPlain
                marked = True
                continue
            if indent:
                raise _NotPlain
            stack.append((0, root))
        key, colon, rest = content.partition(":")
        built_key = keys.get(key, _NO)
        if built_key is _NO:
            if content[0] == "-" and (len(content) == 1 or content[1] == " "):
                _item(content[1:], indent, stack, container, indent_now, pending, rests, values)
                indent_now, pending, recording = -1, _NO, False
                continue
            built_key = keys[key] = _key(key, values)
        if not colon or (rest and rest[0] != " "):
            raise _NotPlain
        if indent != indent_now or pending is not _NO:
            # The indentation changes (or may): find the mapping this key is in.
            if pending is not _NO and indent > indent_now:
                nested: dict[Any, Any] = {}
                container[pending] = nested
                stack.append((indent, nested))
                if len(stack) > MAX_DEPTH:
                    raise _NotPlain
                if len(stack) == 2:
                    recorded = {}
                    if isinstance(pending, str):  # then the key is its text
                        positions[pending] = recorded
            pending = _NO
            while stack[-1][0] > indent:
                stack.pop()
            indent_now, container = stack[-1]
            if indent_now != indent or type(container) is not dict:
                raise _NotPlain
            recording = len(stack) == 2
        if built_key in container:
            raise _NotPlain  # a duplicate: the full loader reports it
        if recording:
            recorded[key] = (number, indent + 1)
        value = rests.get(rest, _NO)
        if value is _NO:
            value = _value(rest, rests, values)
        if value is _PENDING:
            pending, value = built_key, None
        container[built_key] = value
    if not stack:
        raise _NotPlain  # no document: the full loader says so
    return PlainDocument(root, positions)


def _key(text: str, values: dict[str, Any]) -> Any:
    """A plain key, or _NotPlain; longer than libyaml's simple keys is not one."""
    if len(text) > 1000 or _KEY(text) is None:
        raise _NotPlain
    return _known_scalar(text, values)


def _item(
    rest: str,
    indent: int,
    stack: list[tuple[int, Any]],
    container: Any,
    indent_now: int,
    pending: Any,
    rests: dict[str, Any],
    values: dict[str, Any],
) -> None:
    """A ``- value`` line, ``rest`` what follows the dash: an item of a block sequence."""
    value = rests.get(rest, _NO)
    if value is _NO:
        value = _value(rest, rests, values)
    if value is _PENDING:
        raise _NotPlain  # a nested block
    if pending is not _NO:
        if indent <= indent_now:
            raise _NotPlain  # a sequence at its key's indent: left to libyaml
        sequence: list[Any] = []
        container[pending] = sequence
        stack.append((indent, sequence))
    else:
        while stack[-1][0] > indent:
            stack.pop()
        top_indent, sequence = stack[-1]
        if top_indent != indent or type(sequence) is not list:
            raise _NotPlain
    sequence.append(value)


def _value(rest: str, rests: dict[str, Any], values: dict[str, Any]) -> Any:
    """What follows a key's colon or an item's dash: a scalar, a one-line flow
    collection, or _PENDING (nothing but perhaps a comment)."""
    text = rest.lstrip(" ")
    if not text or text[0] == "#":
        rests[rest] = _PENDING
        return _PENDING
    first = text[0]
    if first == "[" or first == "{":
        # A new list or dict each time, from what the text was read as the
        # first time (remembered with the scalars: no plain scalar starts so).
        read = values.get(text)
        if read is None:
            read = values[text] = _flow(text, values)
        return list(read) if first == "[" else dict(read)
    if first == "'" or first == '"':
        end = text.find(first, 1)
        after = text[end + 1 :].lstrip(" ") if end > 0 else "x"
        if after and after[0] != "#":
            raise _NotPlain
        value: Any = text[1:end]
        if first == '"' and "\\" in value:
            raise _NotPlain  # an escape
    else:
        cut = text.find(" #")
        scalar = (text if cut < 0 else text[:cut]).rstrip(" ")
        value = values.get(scalar, _NO)
        if value is _NO:
            if _VALUE(scalar) is None:
                raise _NotPlain
            value = values[scalar] = _scalar(scalar)
    rests[rest] = value
    return value


def _flow(text: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """A one-line flow collection of plain names, ``[compact, delete]`` or
    ``{retention.ms: 1d}``: its items, or its key-value pairs."""
    close = "]" if text[0] == "[" else "}"
    end = text.find(close)
    after = text[end + 1 :].lstrip(" ") if end > 0 else "x"
    if after and after[0] != "#":
        raise _NotPlain
    inner = text[1:end].strip(" ")
    if not inner:
        return ()
    if close == "]":
        return tuple([_flow_scalar(item, values) for item in inner.split(",")])
    mapping: dict[Any, Any] = {}
    for entry in inner.split(","):
        key, colon, value = entry.partition(": ")
        key = key.lstrip(" ")
        # libyaml limits a key to 1,024 characters up to its colon; spaces before
        # the colon, which count too, are not in a plain key (_KEY).
        if not colon or len(key) > 1000 or _KEY(key) is None:
            raise _NotPlain
        built_key = _flow_scalar(key, values)
        if built_key in mapping:
            raise _NotPlain
        mapping[built_key] = _flow_scalar(value, values)
    return tuple(mapping.items())


def _flow_scalar(text: str, values: dict[str, Any]) -> Any:
    """A plain scalar inside a flow collection, free of anything that could end it."""
    text = text.strip(" ")
    # Checked even when known: a value taken in a block may end a flow scalar.
    if _ITEM(text) is None:
        raise _NotPlain
    return _known_scalar(text, values)


def _known_scalar(text: str, values: dict[str, Any]) -> Any:
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
        if len(text) > 4000:
            raise _NotPlain  # beyond what Python converts (int_max_str_digits)
        return int(text)
    if tag not in _BUILT:
        raise _NotPlain
    try:
        return _CONSTRUCTORS[tag](_constructor, ScalarNode(tag, text))
    except Exception:
        raise _NotPlain from None
