"""Reading YAML declaration files safely, keeping the way back to each line.

The happy path must stay fast for tens of thousands of topics, so a file is
composed once with libyaml (when present), and plain mappings, lists and
scalars are built from the nodes directly, PyYAML's safe constructor doing
the rest. Positions are not copied onto the data: the composed node tree is
kept, and :meth:`YamlFile.locate` looks into it only when a problem has to
be reported (or a topic's own line is wanted).

What is refused, each as a :class:`~reconciler.problems.Problem` with a line:
YAML syntax errors, tags outside the YAML core schema (``!!python/object``
and friends), and alias bombs (anchors whose expansion would exceed
:data:`MAX_EXPANDED_NODES`). Duplicate keys, and core tags whose content does
not fit them (``!!int abc``, kept as the string), are reported but do not
stop the file from loading.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.declarations.plain_yaml import read_plain
from reconciler.declarations.yaml_file import YamlFile, node_position
from reconciler.gcpause import gc_paused
from reconciler.problems import Problem, Unreadable, read_regular

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# An alias may repeat a subtree many times; walking the expansion (as schema
# validation does) is what explodes. A real declaration file expands to a few
# nodes per topic, so this leaves room for well over 100,000 topics.
MAX_EXPANDED_NODES = 2_000_000


class _Refused(Exception):
    """A file that cannot be loaded at all, with the line that says why."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


_NOTHING = ""
# The first characters PyYAML's implicit types (int, float, bool, null,
# timestamp, merge, value) can start with: any other plain scalar is a string.
# Resolvers under None would be tried whatever the first character.
_IMPLICIT_FIRST_CHARACTERS = frozenset(key for key in _BaseLoader.yaml_implicit_resolvers if key)
_ONLY_BY_FIRST_CHARACTER = None not in _BaseLoader.yaml_implicit_resolvers

# The tag every node has while a file without tags or merge keys is composed;
# :meth:`_Loader.build` resolves the scalars it meets.
_LATER = "tag:ktr,resolved-later"


class _Loader(_BaseLoader):
    """The safe loader, made faster for big files, with duplicate keys detected.

    PyYAML's own resolver and constructor are general and slow; declaration
    files are plain mappings of scalars, so both have a fast path for those
    and hand anything else to the safe constructor, which refuses unknown
    tags through :func:`_refuse_tag`.

    ``untagged`` says the text holds no ``!`` (so no tags) and no ``<<``
    (so no merge keys). Then nothing depends on tags while composing, and
    every node is given a placeholder by a C function instead of a call into
    Python per node; :meth:`build`, which visits every node anyway, resolves
    plain scalars from a cache of the distinct values.
    """

    def __init__(self, stream: str, *, untagged: bool = False, anchored: bool = True) -> None:
        super().__init__(stream)
        self._anchored = anchored
        self.duplicates: list[tuple[str, Node, Node]] = []
        self.bad_tags: list[tuple[str, Node]] = []
        self._resolved: dict[str, str] = {}
        self._built: dict[int, Any] = {}
        self._untagged = untagged
        if untagged:
            self.resolve = _LATER.format  # type: ignore[method-assign]
        # Composing calls these for every node; path resolvers are not used, so
        # they do nothing, and a C function does nothing faster than a method.
        self.descend_resolver = _NOTHING.format  # type: ignore[method-assign,assignment]
        self.ascend_resolver = _NOTHING.format  # type: ignore[method-assign,assignment]

    # -- resolving: cache the tag of each distinct plain scalar, no path resolvers

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            return self._resolved.get(value) or self._plain_tag(value)
        return _MAP if kind is MappingNode else _SEQ

    def _plain_tag(self, value: str) -> str:
        """The tag of a plain (unquoted) scalar, as PyYAML's resolver gives it."""
        if _ONLY_BY_FIRST_CHARACTER and value and value[0] not in _IMPLICIT_FIRST_CHARACTERS:
            # A key or a name, say: no implicit type starts with its first character.
            # Remembered too: keys repeat in every topic.
            self._resolved[value] = _STR
            return _STR
        tag: str = super().resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        self._resolved[value] = tag
        return tag

    def _scalar_tag(self, node: ScalarNode) -> str:
        tag: str = node.tag
        if tag == _LATER:
            # Plain scalars have no style (libyaml: ''), quoted and block ones have one.
            tag = node.tag = (
                _STR
                if node.style
                else self._resolved.get(node.value) or self._plain_tag(node.value)
            )
        return tag

    # -- constructing

    def build(self, node: Node) -> Any:
        if type(node) is ScalarNode:
            return self._scalar(node)
        # Only a file with anchors (&) has aliases, the same node met twice:
        # only then is each built node remembered, to give the same object.
        key = id(node) if self._anchored else None
        if key is not None and key in self._built:
            return self._built[key]
        tag = node.tag
        if type(node) is MappingNode and tag in (_MAP, _LATER):
            node.tag = _MAP
            return self._mapping(node, key)
        if type(node) is SequenceNode and tag in (_SEQ, _LATER):
            node.tag = _SEQ
            sequence: list[Any] = []
            if key is not None:
                self._built[key] = sequence
            sequence.extend(self.build(item) for item in node.value)
            return sequence
        return self._construct(node)

    def _mapping(self, node: MappingNode, key: int | None) -> dict[Any, Any]:
        if not self._untagged and self.check_duplicates(node):
            self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        if key is not None:
            self._built[key] = mapping
        resolved = self._resolved
        for key_node, value_node in node.value:
            # Plain string keys and values inline: most of a file is made of them.
            if type(key_node) is ScalarNode:
                tag = key_node.tag
                if tag == _LATER:
                    tag = key_node.tag = (
                        _STR
                        if key_node.style
                        else resolved.get(key_node.value) or self._plain_tag(key_node.value)
                    )
                built_key = key_node.value if tag == _STR else self._scalar(key_node)
            else:
                built_key = self.build(key_node)
            if type(value_node) is ScalarNode:
                tag = value_node.tag
                if tag == _LATER:
                    tag = value_node.tag = (
                        _STR
                        if value_node.style
                        else resolved.get(value_node.value) or self._plain_tag(value_node.value)
                    )
                built = value_node.value if tag == _STR else self._scalar(value_node)
            else:
                built = self.build(value_node)
            try:
                mapping[built_key] = built
            except TypeError:
                raise _Refused(
                    "a mapping key must be a plain value, not a list or mapping",
                    *node_position(key_node),
                ) from None
        if self._untagged and len(mapping) != len(node.value):
            # Only keys that collapsed into one can be duplicates (without merge
            # keys, which make mappings shorter on purpose, in a tagged file).
            self.check_duplicates(node)
        return mapping

    def _scalar(self, node: ScalarNode) -> Any:
        tag = self._scalar_tag(node)
        if tag == _STR:
            return node.value
        if tag == _INT and node.value.isdigit():
            return int(node.value)
        return self._construct(node)

    def _construct(self, node: Node) -> Any:
        try:
            return self.construct_object(node, deep=True)
        except _Refused:
            raise
        except yaml.YAMLError:
            raise
        except Exception:
            # An explicit tag with content that does not fit it (!!int abc,
            # !!int '', !!bool x, !!timestamp x): PyYAML's core constructors
            # fail with whatever their parsing hit (ValueError, IndexError,
            # KeyError, AttributeError), unmarked. It is a problem at its line;
            # the text is kept as a string so the rest of the file is still checked.
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            text = node.value if isinstance(node.value, str) else ""
            self.bad_tags.append(
                (f"{text!r} is not a valid {shown} value; remove the tag or fix the value", node)
            )
            return text

    def check_duplicates(self, node: MappingNode) -> bool:
        """Record duplicate keys; True when the mapping has a merge key (``<<``)."""
        texts = [k.value for k, _ in node.value if k.__class__ is ScalarNode]
        merges = "<<" in texts and any(k.tag == _MERGE for k, _ in node.value)
        if len(set(texts)) == len(texts):  # the usual case, checked cheaply
            return merges
        seen: dict[tuple[str, str], Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
                continue
            ident = (key_node.tag, key_node.value)
            first = seen.get(ident)
            if first is None:
                seen[ident] = key_node
            else:
                self.duplicates.append((key_node.value, first, key_node))
        return merges

    def flatten_mapping(self, node: MappingNode) -> None:
        # Merged mappings are checked before PyYAML rewrites them in place,
        # so that a key overriding a merged one is not taken for a duplicate.
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                continue
            merged = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for sub in merged:
                if isinstance(sub, MappingNode) and id(sub) not in self._built:
                    self.check_duplicates(sub)
        super().flatten_mapping(node)


def _refuse_tag(loader: _Loader, node: Node) -> Any:
    line, column = node_position(node)
    if node.tag.startswith("tag:yaml.org,2002:python/"):
        shown = "!!" + node.tag.removeprefix("tag:yaml.org,2002:")
        raise _Refused(f"unsafe YAML tag '{shown}' refused", line, column)
    shown = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise _Refused(
        f"YAML tag '{shown}' is not allowed; use plain strings, numbers and booleans",
        line,
        column,
    )


_Loader.add_constructor(None, _refuse_tag)


def _expanded_size(root: Node) -> int:
    """How many nodes the document has once every alias is expanded.

    Shared subtrees are counted once per use, memoised per node, so the count
    itself stays linear in the size of the file however much it would expand.
    A node that contains itself (a recursive alias) expands without end.
    """
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[Node]
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            sizes[id(node)] = 1
            continue
        if children_done:
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
            continue
        if id(node) in entered:
            raise _Refused("recursive YAML alias refused", *node_position(node))
        entered.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def load_yaml(path: Path, text: str | None = None) -> YamlFile:
    """Load one file. Never raises on bad content: problems come back in the result.

    A file in plain block YAML is read without its node tree (see
    ``plain_yaml``), which is composed only if a problem needs a position;
    any other file is composed by libyaml at once.
    """
    name = str(path)
    if text is None:
        try:
            text = read_regular(path)
        except Unreadable as why:
            return YamlFile(path, None, None, (Problem(name, 0, 0, f"cannot read: {why}"),))
    # The cyclic garbage collector, triggered again and again by the many
    # objects a big file makes, costs more than the parsing itself.
    with gc_paused():
        plain = read_plain(text)
    if plain is None:
        return load_composed(path, text)
    read = text
    # The tree, should a problem need a position: the same as a composed load's.
    return YamlFile(
        path,
        plain.data,
        None,
        compose=lambda: load_composed(path, read).root,
        known=plain.key_positions,
    )


def load_composed(path: Path, text: str) -> YamlFile:
    """Load one file's text through its node tree, whatever YAML it is written in."""
    name = str(path)
    loader = _Loader(text, untagged="!" not in text and "<<" not in text, anchored="&" in text)
    with gc_paused():
        try:
            root = loader.get_single_node()
            if root is None:
                return YamlFile(path, None, None)
            if "&" in text and _expanded_size(root) > MAX_EXPANDED_NODES:
                line, column = node_position(root)
                raise _Refused(
                    f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; "
                    "refusing to load",
                    line,
                    column,
                )
            data = loader.build(root)
        except _Refused as refused:
            return YamlFile(
                path, None, None, (Problem(name, refused.line, refused.column, refused.message),)
            )
        except yaml.MarkedYAMLError as error:
            return _refused(path, _yaml_error_problem(name, error, text))
        except yaml.YAMLError as error:
            return _refused(path, Problem(name, 1, 1, f"invalid YAML: {error}"))
        except RecursionError:
            return _refused(path, Problem(name, 1, 1, "YAML nested too deeply"))
        finally:
            loader.dispose()
    problems = tuple(
        Problem(
            name,
            *node_position(second),
            f"duplicate key '{key}' (first defined at line {first.start_mark.line + 1}); "
            "YAML would silently keep only the last one",
        )
        for key, first, second in loader.duplicates
    ) + tuple(Problem(name, *node_position(node), message) for message, node in loader.bad_tags)
    return YamlFile(path, data, root, problems)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _refused(path: Path, problem: Problem) -> YamlFile:
    return YamlFile(path, None, None, (problem,))


def _yaml_error_problem(name: str, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    # PyYAML's wording for the two most common slips says what it expected,
    # not what the user did.
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return Problem(
            name, line, column, "invalid YAML: a tab character; YAML indents with spaces only"
        )
    if (error.problem or "").startswith("but found another document"):
        return Problem(
            name,
            line,
            column,
            "invalid YAML: a second document ('---'); a file holds one document: "
            "remove the '---' or split the file in two",
        )
    message = error.problem or error.context or "cannot parse"
    if error.context and error.problem:
        where = ""
        if error.context_mark is not None and error.context_mark is not mark:
            where = f" at line {error.context_mark.line + 1}"
        message = f"{message} ({error.context}{where})"
    return Problem(name, line, column, f"invalid YAML: {message}")
