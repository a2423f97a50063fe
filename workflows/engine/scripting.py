"""The restricted script engine that runs the diagrams' scripts, conditions and timer expressions.

Restricting builtins stops mistakes (an ``import``, an ``open``), not a hostile author: only
administrators may deploy diagrams. Real logic lives in tested helper functions that the domain
injects per run; scripts stay one-line calls to them.
"""

import builtins

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

_SAFE_BUILTIN_NAMES = (
    "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list",
    "max", "min", "range", "round", "set", "sorted", "str", "sum", "tuple", "zip",
    "True", "False", "None",
)
SAFE_BUILTINS = {name: getattr(builtins, name) for name in _SAFE_BUILTIN_NAMES}


def script_engine(helpers: dict) -> PythonScriptEngine:
    """An engine whose scripts see only safe builtins and the given helper functions.

    It is not serialized with a workflow, so every load attaches a fresh one.
    """
    environment = TaskDataEnvironment({"__builtins__": SAFE_BUILTINS, **helpers})
    return PythonScriptEngine(environment=environment)
