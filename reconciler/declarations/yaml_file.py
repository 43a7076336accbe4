"""A loaded YAML file: its data, the node tree behind it, and the way back from any value
to its line and column, so every problem points at where it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reconciler.problems import Problem

# A path into the loaded data: mapping keys and sequence indexes.
DataPath = tuple[Hashable, ...]


def node_position(node: Node) -> tuple[int, int]:
    """Line and column (1-based) where ``node`` starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass(frozen=True)
class YamlFile:
    """One loaded YAML file: its data, the node tree behind it, and problems found.

    A file read without composing its node tree (see ``plain_yaml``) gets
    it from ``compose`` the first time a position outside ``known`` is
    wanted, which is when a problem has to be reported.
    """

    path: Path
    data: Any
    _root: Node | None
    problems: tuple[Problem, ...] = ()
    compose: Callable[[], Node | None] | None = field(default=None, compare=False, repr=False)
    # The key positions known without the tree: for each top-level key, the
    # line and column of every key of the mapping under it.
    known: Mapping[str, dict[str, tuple[int, int]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _index: dict[int, dict[str, tuple[Node, Node]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def name(self) -> str:
        return str(self.path)

    @property
    def has_document(self) -> bool:
        """Whether the file holds a document (an empty or refused one holds none)."""
        return self._root is not None or self.compose is not None

    @property
    def root(self) -> Node | None:
        """The node tree of the document, composed now if it was not yet."""
        if self._root is None and self.compose is not None:
            # Frozen for its users; the tree is only a cache of the text.
            object.__setattr__(self, "_root", self.compose())
            object.__setattr__(self, "compose", None)
        return self._root

    def locate(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its key.

        Falls back to the deepest enclosing node that can be found, so a
        problem always gets a line, even for data the walk cannot follow.
        """
        node = self.root
        if node is None:
            return 1, 1
        position = node_position(node)
        for step in path:
            if isinstance(node, MappingNode):
                text = step if isinstance(step, str) else _scalar_text(step)
                pair = self._pairs(node).get(text)
                if pair is None:
                    return position
                key_node, node = pair
                position = node_position(key_node)
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return position
                node = node.value[step]
                position = node_position(node)
            else:
                return position
        return position if key else node_position(node)

    def key_positions(self, path: DataPath) -> dict[str, tuple[int, int]]:
        """Line and column of every key of the mapping at ``path`` (by the key's text).

        The same positions as :meth:`locate` gives each key, found in one pass.
        """
        if len(path) == 1 and isinstance(path[0], str) and path[0] in self.known:
            return self.known[path[0]]
        node = self.root
        for step in path:
            if not isinstance(node, MappingNode) or not isinstance(step, str):
                return {}
            pair = self._pairs(node).get(step)
            if pair is None:
                return {}
            node = pair[1]
        if not isinstance(node, MappingNode):
            return {}
        return {text: node_position(key_node) for text, (key_node, _) in self._pairs(node).items()}

    def _pairs(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        # Indexed once per mapping: a file may hold thousands of topics.
        # Later pairs win, as in the loaded dict (merged keys come first).
        pairs = self._index.get(id(node))
        if pairs is None:
            pairs = {
                key_node.value: (key_node, value_node)
                for key_node, value_node in node.value
                if isinstance(key_node, ScalarNode)
            }
            self._index[id(node)] = pairs
        return pairs

    def problem(
        self, path: DataPath, message: str, *, key: bool = False, warning: bool = False
    ) -> Problem:
        """A problem at the value (or key) at ``path``."""
        line, column = self.locate(path, key=key)
        return Problem(self.name, line, column, message, "warning" if warning else "error")


def _scalar_text(value: Hashable) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)
