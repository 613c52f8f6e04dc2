"""The dependency rules of docs/development.md ("Layers"), enforced by `make test`."""

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]

# Imports of project modules that may sit inside a function, and why. Django's AppConfig.ready
# is the documented place to connect signals and register hooks: the models are loaded by then,
# which they are not while the app module itself is imported.
ALLOWED_INSIDE_FUNCTIONS = {"ready"}


def test_the_import_contracts_hold(capsys):
    """.importlinter: apps import only the floors below them, and no package has an import
    cycle between its modules (grimp also sees imports inside functions)."""
    status = lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True)
    assert status == 0, capsys.readouterr().out


def _project_imports_inside_functions(path: Path) -> list[str]:
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if function is not None and isinstance(child, ast.Import | ast.ImportFrom):
                modules = (
                    [child.module or ""]
                    if isinstance(child, ast.ImportFrom)
                    else [a.name for a in child.names]
                )
                project = [
                    m
                    for m in modules
                    if m.split(".")[0] in {"annotator", "api"} or getattr(child, "level", 0)
                ]
                allowed = function in ALLOWED_INSIDE_FUNCTIONS and path.name == "apps.py"
                if project and not allowed:
                    found.append(
                        f"{path.relative_to(ROOT)}:{child.lineno} in {function}(): {', '.join(project)}"
                    )
            visit(child, inner)

    visit(ast.parse(path.read_text(), filename=str(path)), None)
    return found


def test_no_project_module_is_imported_inside_a_function():
    """An import moved into a function to dodge a cycle is still a cycle: move the code instead.
    Only AppConfig.ready (apps.py) imports inside a function."""
    files = [
        p
        for folder in ("annotator", "api")
        for p in (ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts
    ]
    found = [hit for path in sorted(files) for hit in _project_imports_inside_functions(path)]
    assert found == []


def test_the_function_import_check_finds_one(tmp_path, monkeypatch):
    """The check above is not vacuous: an import of a project module in a function is reported,
    one in a ready() outside apps.py too, a standard-library one is not."""
    module = tmp_path / "services.py"
    module.write_text(
        "import re\n\ndef f():\n    import json\n    from annotator.core import errors\n\n"
        "class C:\n    def ready(self):\n        from annotator.projects import models\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _project_imports_inside_functions(module) == [
        "services.py:5 in f(): annotator.core",
        "services.py:9 in ready(): annotator.projects",
    ]
