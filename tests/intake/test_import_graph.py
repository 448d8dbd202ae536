"""The intake's modules import one another one way: rules below, workflows above, no cycle."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import clients.intake

PACKAGE = "clients.intake"
# The one way back up: a service enqueues its Celery task from inside a function and the task
# calls the service (the styleguide's pattern), so edges into `tasks` are left out.
TASKS = "clients.intake.tasks"
ROOT = Path(clients.intake.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join((PACKAGE, *parts)).removesuffix(".__init__")


def intake_imports(path: Path, modules: set[str]) -> set[str]:
    """Every intake module this file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p) for p in paths}
    return {module_name(p): intake_imports(p, modules) - {module_name(p), TASKS} for p in paths}


def test_no_intake_module_imports_one_that_imports_it_back():
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_couple_workflows_build_on_the_models_not_on_the_intake_services():
    graph = import_graph()
    assert "clients.intake.services" not in graph["clients.intake.couple_services"]
    assert "clients.intake.couple_services" in graph["clients.intake.services"]
