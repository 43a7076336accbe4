"""The package's shape: the pure core stays pure, and every package says what it holds.

``kafka/``, ``declarations/`` and ``plan/`` know nothing of confluent-kafka,
the command line, terminals or the cluster adapter, so they can be read,
tested and reused without a cluster. The check reads every module's imports
(also those inside functions) from its syntax tree, so it needs no import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reconciler"
PURE = ("kafka", "declarations", "plan", "importer")

# Whole libraries and ktr's own edges that the pure core must never reach.
FORBIDDEN = (
    "confluent_kafka",
    "typer",
    "click",
    "rich",
    "reconciler.cluster",
    "reconciler.apply",
    "reconciler.commands",
    "reconciler.render",
    "reconciler.cli",
    "reconciler.github",
    "reconciler.planning",
)
# Writing to a terminal, by any of the usual doors.
TERMINAL_CALLS = ("print", "input")
TERMINAL_NAMES = ("sys.stdout", "sys.stderr", "sys.stdin")


def _modules(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


def _imports(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            # ``from reconciler import github`` reaches the module as a name.
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _terminal_uses(tree: ast.AST) -> list[str]:
    uses: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in TERMINAL_CALLS:
                uses.append(f"{node.func.id}() at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = f"{node.value.id}.{node.attr}"
            if name in TERMINAL_NAMES:
                uses.append(f"{name} at line {node.lineno}")
    return uses


def _reaches(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


PURE_MODULES = [path for package in PURE for path in _modules(package)]


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_pure_core_imports_no_client_cli_or_cluster_code(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = sorted(
        {m for m in _imports(tree) for f in FORBIDDEN if _reaches(m, f)},
    )
    assert not bad, f"{path.relative_to(PACKAGE)} imports {', '.join(bad)}"


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_pure_core_never_talks_to_a_terminal(path: Path) -> None:
    uses = _terminal_uses(ast.parse(path.read_text(encoding="utf-8")))
    assert not uses, f"{path.relative_to(PACKAGE)} uses {', '.join(uses)}"


def test_the_check_catches_a_forbidden_import_inside_a_function() -> None:
    tree = ast.parse("def f():\n    from reconciler.cluster.read import read_cluster_state\n")
    assert any(_reaches(m, "reconciler.cluster") for m in _imports(tree))


def test_the_check_catches_a_module_imported_by_name_from_the_package() -> None:
    tree = ast.parse("from reconciler import github\n")
    assert any(_reaches(m, "reconciler.github") for m in _imports(tree))


def test_the_check_catches_printing() -> None:
    assert _terminal_uses(ast.parse("print('x')\nimport sys\nsys.stderr.write('y')\n"))


PACKAGES = sorted(p.parent for p in PACKAGE.rglob("__init__.py"))


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_every_package_says_what_it_holds(package: Path) -> None:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 8, f"{package.name}/__init__.py needs a docstring"


ALL_MODULES = sorted(PACKAGE.rglob("*.py"))


def _inside(path: Path, package: str) -> bool:
    return (PACKAGE / package) in path.parents


def test_only_the_cluster_package_imports_confluent_kafka() -> None:
    outside = [
        str(p.relative_to(PACKAGE))
        for p in ALL_MODULES
        if not _inside(p, "cluster")
        and any(_reaches(m, "confluent_kafka") for m in _imports(ast.parse(p.read_text())))
    ]
    assert not outside, f"confluent-kafka is imported outside cluster/: {outside}"


def test_only_the_command_line_imports_the_commands() -> None:
    outside = [
        str(p.relative_to(PACKAGE))
        for p in ALL_MODULES
        if not _inside(p, "commands")
        and p != PACKAGE / "cli.py"
        and any(_reaches(m, "reconciler.commands") for m in _imports(ast.parse(p.read_text())))
    ]
    assert not outside, f"only cli.py and commands/ may import reconciler.commands: {outside}"
