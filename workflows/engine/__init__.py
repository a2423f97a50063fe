"""The only place that knows SpiffWorkflow: compile diagrams, run instances, lint files."""

from .definitions import CompiledProcess, compile_process, forms_of, read_sources
from .runtime import AutomaticStep, HumanTask, ProcessFault, Run, TaskNotReady, UnknownTask

__all__ = [
    "AutomaticStep", "CompiledProcess", "HumanTask", "ProcessFault", "Run", "TaskNotReady",
    "UnknownTask", "compile_process", "forms_of", "read_sources",
]
