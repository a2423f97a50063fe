"""Import direction: the engine is confined to workflows/engine/, and the domain never reaches for the web."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "workflows" / "engine"
DYNAMIC_IMPORTERS = {"import_module", "__import__"}


def imported_roots(source: str) -> set[str]:
    """The top-level package of every absolute import in ``source``, literal dynamic imports included."""
    tree = ast.parse(source)
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module and node.level == 0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in DYNAMIC_IMPORTERS and isinstance(node.args[0].value, str):
                names.append(node.args[0].value)
    return {name.split(".")[0] for name in names}


def imports(path: Path) -> set[str]:
    return imported_roots(path.read_text(encoding="utf-8"))


def python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def relative(paths) -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in paths}


@pytest.mark.parametrize("source, expected", [
    ("import SpiffWorkflow", {"SpiffWorkflow"}),
    ("import SpiffWorkflow.bpmn as b", {"SpiffWorkflow"}),
    ("from SpiffWorkflow.bpmn import BpmnWorkflow", {"SpiffWorkflow"}),
    ("def f():\n    from flask import request\n", {"flask"}),
    ("try:\n    import flask\nexcept ImportError:\n    pass\n", {"flask"}),
    ("import importlib\nimportlib.import_module('SpiffWorkflow.util')", {"importlib", "SpiffWorkflow"}),
    ("__import__('webapp.cli')", {"webapp"}),
    ("from . import engine\nfrom .engine import Run", set()),
    ("from flask_sqlalchemy import SQLAlchemy\nfrom flask_login import UserMixin",
     {"flask_sqlalchemy", "flask_login"}),
    ("x = 'import SpiffWorkflow'", set()),
])
def test_import_scanner_sees_every_form_of_import(source, expected):
    assert imported_roots(source) == expected


def test_spiffworkflow_is_imported_only_under_workflows_engine():
    files = python_files("workflows", "webapp", "tests")
    importers = relative(p for p in files if "SpiffWorkflow" in imports(p))
    assert importers, "the engine should import SpiffWorkflow somewhere"
    outside = {name for name in importers if not name.startswith("workflows/engine/")}
    assert outside == set()


def test_engine_package_is_where_spiffworkflow_lives():
    assert any("SpiffWorkflow" in imports(p) for p in ENGINE.rglob("*.py"))


@pytest.mark.parametrize("forbidden", ["flask", "webapp"])
def test_workflows_never_imports_the_web_layer(forbidden):
    offenders = relative(p for p in python_files("workflows") if forbidden in imports(p))
    assert offenders == set()


def test_workflows_may_use_flask_extensions():
    # The guard compares whole package names: flask_sqlalchemy is not flask.
    assert "flask_sqlalchemy" in imports(ROOT / "workflows" / "db.py")
    assert "flask" not in imports(ROOT / "workflows" / "db.py")


def test_webapp_never_imports_spiffworkflow():
    files = python_files("webapp")
    assert files, "webapp/ should hold Python modules"
    assert relative(p for p in files if "SpiffWorkflow" in imports(p)) == set()


def test_tests_never_import_spiffworkflow():
    files = python_files("tests")
    assert Path(__file__).resolve() in [p.resolve() for p in files]
    assert relative(p for p in files if "SpiffWorkflow" in imports(p)) == set()
