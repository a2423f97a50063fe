"""Import direction: the engine is confined to workflows/engine/, and the domain never reaches for the web."""

import ast
import re
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


def imported_modules(path: Path) -> set[str]:
    """Every absolute module an import names, in full (``from workflows.db import db`` gives workflows.db)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


# The web layer binds the database to the app and rolls back after an unexpected error; nothing else
# of it touches the session: a page, the API and the command line go through the use cases.
DATABASE_BINDERS = {"webapp/database.py", "webapp/errors.py"}


def test_the_web_layer_reaches_the_database_and_the_engine_only_through_use_cases():
    offenders = {}
    for path in python_files("webapp"):
        name = path.relative_to(ROOT).as_posix()
        reached = {m for m in imported_modules(path) if m.startswith(("workflows.engine", "workflows.db"))}
        if name in DATABASE_BINDERS:
            reached -= {"workflows.db", "workflows.db.db"}
        if reached:
            offenders[name] = sorted(reached)
    assert offenders == {}


def test_the_web_layer_never_commits():
    committing = relative(p for p in python_files("webapp") if re.search(r"\.commit\(", p.read_text(encoding="utf-8")))
    assert committing == set()


@pytest.mark.parametrize("source, expected", [
    ("from workflows.db import db", {"workflows.db", "workflows.db.db"}),
    ("import workflows.engine.runtime", {"workflows.engine.runtime"}),
    ("from workflows import tasks", {"workflows", "workflows.usecases.tasks"}),
])
def test_the_module_scanner_names_modules_in_full(tmp_path, source, expected):
    module = tmp_path / "m.py"
    module.write_text(source, encoding="utf-8")
    assert imported_modules(module) == expected


# A path of the project as docstrings and comments name it.
PROJECT_PATH = re.compile(r"(?<![\w/.-])((?:workflows|webapp|bpmn|docs|tests|bench|reference|migrations)/"
                          r"[\w/.-]+\.(?:py|bpmn|dmn|json|md|html|css|js))")


def test_the_files_the_code_points_to_exist():
    dangling = {(path.relative_to(ROOT).as_posix(), named)
                for path in python_files("workflows", "webapp", "bench", "tests")
                for named in PROJECT_PATH.findall(path.read_text(encoding="utf-8")) if not (ROOT / named).exists()}
    assert dangling == set()
