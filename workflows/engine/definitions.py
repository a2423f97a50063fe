"""Compile the diagrams of one process into a storable definition, and restore it.

A definition is stored once per version; instances keep only a reference to it, so the
serialized instance does not embed the spec and keeps running on its own version when
the files change.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG


class SharedSpecWorkflowConverter(BpmnWorkflowConverter):
    """Converts a workflow without its spec, which is stored once per definition version.

    The library embeds the whole parsed spec in every serialized instance and rebuilds it on
    every load; here the spec objects come from a per-definition cache instead. The bodies
    mirror the library's own converter for the parts that remain.
    """

    def to_dict(self, workflow, with_spec=True):
        if with_spec:
            return super().to_dict(workflow)
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, specs=None):
        if specs is None:
            return super().from_dict(dct)
        spec, subprocess_specs = specs
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


REGISTRY = BpmnWorkflowSerializer.configure(DEFAULT_CONFIG)
SERIALIZER = BpmnWorkflowSerializer(REGISTRY)
# Replaces the library's workflow converter in the registry, and is called directly.
WORKFLOW_CONVERTER = SharedSpecWorkflowConverter(BpmnWorkflow, REGISTRY)


@dataclass(frozen=True)
class CompiledProcess:
    """Everything needed to store one version of a process definition."""

    key: str
    sha256: str
    sources: dict[str, str]  # file name (relative to the bpmn folder) -> text
    spec_json: str


def read_sources(bpmn_dir: str | Path, key: str) -> dict[str, str]:
    """The process's own diagram, every decision table and every form in the folder."""
    folder = Path(bpmn_dir)
    names = [f"{key}.bpmn"] + sorted(p.name for p in folder.glob("*.dmn"))
    sources = {name: (folder / name).read_text(encoding="utf-8") for name in names}
    for form in sorted((folder / "forms").glob("*.json")):
        sources[f"forms/{form.name}"] = form.read_text(encoding="utf-8")
    return sources


def compile_process(key: str, sources: dict[str, str]) -> CompiledProcess:
    """Parse and validate the sources; raises the parser's own errors (see lint for readable ones)."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    for name, text in sources.items():
        if name.endswith(".bpmn"):
            parser.add_bpmn_str(text.encode("utf-8"), name)
        elif name.endswith(".dmn"):
            parser.add_dmn_str(text.encode("utf-8"), name)
    spec = parser.get_spec(key)
    subprocess_specs = parser.get_subprocess_specs(key)
    spec_json = json.dumps({
        "spec": REGISTRY.convert(spec),
        "subprocess_specs": {name: REGISTRY.convert(sp) for name, sp in subprocess_specs.items()},
    }, sort_keys=True)
    digest = hashlib.sha256(json.dumps(sources, sort_keys=True).encode("utf-8")).hexdigest()
    return CompiledProcess(key=key, sha256=digest, sources=sources, spec_json=spec_json)


@lru_cache(maxsize=64)
def restore_specs(spec_json: str):
    """Spec objects for a stored definition, parsed once per process and shared by its instances."""
    stored = json.loads(spec_json)
    spec = REGISTRY.restore(stored["spec"])
    subprocess_specs = {name: REGISTRY.restore(sp) for name, sp in stored["subprocess_specs"].items()}
    return spec, subprocess_specs


def forms_of(sources: dict[str, str]) -> dict[str, dict]:
    """The task forms of a definition, by file name."""
    return {name.removeprefix("forms/"): json.loads(text)
            for name, text in sources.items() if name.startswith("forms/")}
