"""Import direction: one folder per layer, each importing only the layers below it.

    webapp/                      pages, JSON API, command line: call use cases
    workflows/usecases/          what a person or the clock asks; the only layer that commits
    workflows/services/          the parts use cases are made of (routing, audit, ballot box, ...)
    workflows/rendering/         papers and diagrams, from plain data
    workflows/engine/            the only place SpiffWorkflow is imported
    workflows/models/            the tables
    workflows/db.py, errors.py   the database session; the refusals every layer raises

``workflows/demo/`` seeds the demo through the use cases, as an operator would.
"""

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
    ("from workflows.usecases import tasks", {"workflows.usecases", "workflows.usecases.tasks"}),
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


# Which layer of the domain may import which: each only what lies below it.
LAYERS = {
    "demo": {"demo", "usecases", "services", "rendering", "engine", "models", "db", "errors"},
    "usecases": {"usecases", "services", "rendering", "engine", "models", "db", "errors"},
    "services": {"services", "rendering", "engine", "models", "db", "errors"},
    "engine": {"engine", "models", "db", "errors"},
    "rendering": {"rendering", "errors"},
    "models": {"models", "db"},
}
DOMAIN_ROOT_MODULES = {"workflows/__init__.py", "workflows/db.py", "workflows/errors.py"}


def layer_of(module: str) -> str | None:
    """``workflows.services.audit`` -> ``services``; ``workflows.db.db`` -> ``db``; others -> None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "workflows" and len(parts) > 1 else None


def test_every_module_of_the_domain_sits_in_a_layer():
    strays = {name for name in relative(python_files("workflows"))
              if name not in DOMAIN_ROOT_MODULES and name.split("/")[1] not in LAYERS}
    assert strays == set()


def test_each_layer_imports_only_the_layers_below_it():
    offenders = {}
    for path in python_files("workflows"):
        name = path.relative_to(ROOT).as_posix()
        if name in DOMAIN_ROOT_MODULES:
            continue
        layer = name.split("/")[1]
        above = {m for m in imported_modules(path) if (reached := layer_of(m)) and reached not in LAYERS[layer]}
        if above:
            offenders[name] = sorted(above)
    assert offenders == {}


def test_a_use_case_is_found_by_its_folder():
    """Every module that commits (a use case) lives in usecases/ (or seeds the demo through them)."""
    committing = relative(p for p in python_files("workflows") if re.search(r"@use_case|\.commit\(", p.read_text(
        encoding="utf-8")))
    elsewhere = {name for name in committing if not name.startswith(("workflows/usecases/", "workflows/demo/"))}
    # transactions.py defines the decorator and the commit it wraps; the sign-in throttle charges an attempt
    # in a transaction of its own, committed before the password is checked, so parallel guesses see it
    assert elsewhere == {"workflows/services/transactions.py", "workflows/services/throttle.py"}


# Files that assemble the app: they hand the domain its keys, mail renderer and client address.
COMPOSITION_ROOT = {"webapp/__init__.py", "webapp/config.py", "webapp/keys.py", "webapp/safeguards.py"}


def test_the_web_layer_calls_use_cases_and_takes_only_constants_and_types_from_services():
    offenders = {}
    for path in python_files("webapp"):
        name = path.relative_to(ROOT).as_posix()
        if name in COMPOSITION_ROOT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workflows.services"):
                calls = [a.name for a in node.names if not a.name[0].isupper()]  # KINDS, SheetLimits: data, no calls
            elif isinstance(node, ast.Import):
                calls = [a.name for a in node.names if a.name.startswith("workflows.services")]
            else:
                continue
            if calls:
                offenders.setdefault(name, []).extend(calls)
    assert offenders == {}


def test_the_layer_checks_see_a_violation(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from workflows.usecases import tasks\nfrom workflows.services.routing import may_act\n",
                      encoding="utf-8")
    reached = {layer_of(m) for m in imported_modules(module)}
    assert "usecases" in reached and not reached <= LAYERS["services"]
