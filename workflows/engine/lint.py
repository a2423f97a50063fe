"""Upload-time checks for process diagrams, decision tables and task forms.

The parser accepts a lot that only fails later, at run time and in front of an official: scripts,
conditions and timer expressions are never compiled, a form named by a task is never opened, and its
own messages often lack a line. ``validate_files`` runs the parser and then those missing checks, and
turns every failure -- even a file that is not XML at all -- into a ``Problem`` an author can act on.
It never raises for broken input.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from glob import glob
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}
# Properties the application reads from every user task to route it and to show the nomination's status.
REQUIRED_PROPERTIES = ("role", "status", "form")
FIELD_TYPES = {"choice", "text", "user", "boolean", "password"}
# (xpath, kind of expression as problems name it, compile mode, how many levels up the owning element sits)
EXPRESSIONS = [
    ("//bpmn:script", "script", "exec", 1),
    ("//spiffworkflow:preScript", "pre_script", "exec", 2),
    ("//spiffworkflow:postScript", "post_script", "exec", 2),
    ("//bpmn:loopCardinality", "cardinality", "eval", 2),
    ("//bpmn:completionCondition", "completion_condition", "eval", 2),
    ("//bpmn:loopCondition", "loop_condition", "eval", 2),
    ("//bpmn:timeDuration | //bpmn:timeDate | //bpmn:timeCycle", "timer", "eval", 2),
]
_N = r"\d+(?:[.,]\d+)?"
DURATION = re.compile(rf"P(?=\d|T\d)(?:{_N}Y)?(?:{_N}M)?(?:{_N}W)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?")
CYCLE = re.compile(r"R\d*/\S+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file; ``line`` is the file's line, when it is known.

    What is wrong is a code with its particulars, worded by the web layer; ``detail`` particulars
    quote the parser's or the compiler's own technical account.
    """

    file: str
    line: int | None
    element: str | None  # the id of the diagram element at fault (for a form: the task using it)
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    name: str | None = None  # the element's human name, shown next to its id

    @property
    def where(self) -> str:
        """file:line: element (name), as an author finds the place."""
        where = os.path.basename(self.file) + (f":{self.line}" if self.line else "")
        if self.element:
            where += f": {self.element}" + (f" ({self.name})" if self.name else "")
        return where


def validate_files(paths: list[str]) -> list[Problem]:
    """Check diagrams, decision tables and forms together, as they will be deployed together.

    A diagram is checked with every ``.dmn`` of its folder (its decisions live there) and with the
    ``forms/`` folder beside it (its user tasks name those files).
    """
    bpmns = [os.path.abspath(p) for p in paths if p.lower().endswith(".bpmn")]
    dmns = [os.path.abspath(p) for p in paths if not p.lower().endswith(".bpmn")]
    for bpmn in bpmns:
        dmns += [d for d in sorted(glob(os.path.join(os.path.dirname(bpmn), "*.dmn"))) if d not in dmns]
    problems: list[Problem] = []
    loaded = {path: _load(path, problems) for path in dmns + bpmns}
    trees = {path: tree for path, (_, tree) in loaded.items() if tree is not None}
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parsed = []
    for path, tree in trees.items():
        # The parser rewrites some tags while validating, so it gets its own tree, made from the
        # same bytes so that the lines it reports match.
        add = parser.add_bpmn_xml if path in bpmns else parser.add_dmn_xml
        if _guard(problems, path, tree, add, etree.fromstring(loaded[path][0], _SAFE), filename=path):
            parsed.append(path)
    for path in bpmns:
        if path not in trees:
            continue
        dangling = _check_references(path, trees[path])
        problems += dangling
        if path in parsed and not dangling:  # the parser's own message for those is misleading
            for process_id in trees[path].xpath("//bpmn:process/@id", namespaces=NS):
                _guard(problems, path, trees[path], parser.get_subprocess_specs, process_id)
        problems += _check_expressions(path, trees[path])
        problems += _check_user_tasks(path, trees[path])
    return list(dict.fromkeys(problems))


# Uploaded by an administrator, still untrusted: no entity is expanded, no DTD or network read.
# A diagram never needs a document type, so one is refused rather than half-honoured.
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)\b")


def _load(path: str, problems: list[Problem]) -> tuple[bytes | None, object]:
    """The file's bytes and tree; the tree is None after recording why it cannot be had."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        if _DOCTYPE.search(data):
            problems.append(Problem(path, None, None, "lint.doctype_refused", {}))
            return None, None
        return data, etree.fromstring(data, _SAFE)
    except etree.XMLSyntaxError as e:
        problems.append(Problem(path, e.lineno or None, None, "lint.not_well_formed", {"detail": e.msg}))
    except (OSError, ValueError) as e:
        problems.append(Problem(path, None, None, "lint.unreadable",
                                {"detail": str(getattr(e, "strerror", None) or e)}))
    return None, None


def _check_references(path: str, tree) -> list[Problem]:
    """Sequence flows must join existing elements; the schema does not check these references."""
    ids = set(tree.xpath("//@id"))
    return [Problem(path, flow.sourceline, flow.get("id"), "lint.dangling_reference",
                    {"attribute": attr, "target": flow.get(attr)}, flow.get("name"))
            for flow in tree.xpath("//bpmn:sequenceFlow", namespaces=NS)
            for attr in ("sourceRef", "targetRef") if flow.get(attr) and flow.get(attr) not in ids]


def _guard(problems: list[Problem], path: str, tree, call, *args, **kwargs) -> bool:
    """Run one parser step; its failure becomes a Problem, with the line looked up when it has none."""
    try:
        call(*args, **kwargs)
        return True
    except ValidationException as e:
        line = int(e.line_number) if str(e.line_number).isdigit() else None
        element, name = e.id or None, e.name or None
        if line is None and element:
            found = tree.xpath("//*[@id=$id]", id=element)
            line = found[0].sourceline if found else None
        elif line is not None and element is None:  # schema errors give only a line
            element, name = next(((el.get("id"), el.get("name")) for el in tree.iter()
                                  if el.sourceline == line and el.get("id")), (None, None))
        message = "; ".join([str(e.args[0]).rstrip(". ")] + list(e.notes))
        message = re.sub(r"\{\w+://[^}]*\}", "", message)  # '{http://...MODEL}sequenceFlow' -> 'sequenceFlow'
        problems.append(Problem(path, line, element, "lint.schema", {"detail": message}, name))
    except Exception as e:  # the parser has other failure modes on odd input; none may escape
        problems.append(Problem(path, None, None, "lint.cannot_parse", {"detail": f"{type(e).__name__}: {e}"}))
    return False


def _compile(path: str, el, owner, kind: str, mode: str) -> list[Problem]:
    """Compile one script or expression as the engine will run it: the raw text, unstripped."""
    text = el.text or ""
    try:
        compile(text, f"<{kind}>", mode)
        return []
    except (SyntaxError, ValueError) as e:
        lineno, lines = getattr(e, "lineno", None) or 1, text.splitlines() or [""]
        bad = (getattr(e, "text", None) or lines[min(lineno, len(lines)) - 1]).strip()
        where = el.sourceline + lineno - 1
        if not text.strip():
            return [Problem(path, where, owner.get("id"), "lint.empty_expression", {"what": kind}, owner.get("name"))]
        return [Problem(path, where, owner.get("id"), "lint.expression",
                        {"what": kind, "line": lineno, "detail": getattr(e, "msg", None) or str(e), "text": bad},
                        owner.get("name"))]


def _check_expressions(path: str, tree) -> list[Problem]:
    """Every script and expression the engine will exec or eval, reported on the element that owns it."""
    problems = []
    for xpath, kind, mode, up in EXPRESSIONS:
        for el in tree.xpath(xpath, namespaces=NS):
            owner = el
            for _ in range(up):
                owner = owner.getparent() if owner.getparent() is not None else owner
            found = _compile(path, el, owner, kind, mode)
            problems += found or (_check_timer(path, el, owner) if kind == "timer" else [])
    for cond in tree.xpath("//bpmn:sequenceFlow/bpmn:conditionExpression", namespaces=NS):
        flow = cond.getparent()
        source = tree.xpath("//*[@id=$id]", id=flow.get("sourceRef") or "")
        owner = source[0] if source else flow
        problems += _compile(path, cond, owner, f"condition:{flow.get('id')}", "eval")
    return problems


def _check_timer(path: str, el, owner) -> list[Problem]:
    """Timer bodies are Python: a bare P10D compiles (it is a name) and fails only when the timer starts."""
    text, kind = (el.text or "").strip(), etree.QName(el).localname
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None  # a real expression: its value is only known at run time
    if DURATION.fullmatch(text) or (CYCLE.fullmatch(text) and DURATION.search(text)):
        code, params = "lint.timer_unquoted", {"timer": kind, "text": text}
    elif value is None or (isinstance(value, str) and _is_iso(kind, value)):
        return []
    else:
        code, params = "lint.timer_not_iso", {"timer": kind, "value": repr(value)}
    return [Problem(path, el.sourceline, owner.get("id"), code, params, owner.get("name"))]


def _is_iso(kind: str, value: str) -> bool:
    """Roughly what the engine's own parsers accept for each kind of timer."""
    if kind == "timeDate":
        try:
            return bool(datetime.fromisoformat(value))
        except ValueError:
            return False
    return bool((CYCLE if kind == "timeCycle" else DURATION).fullmatch(value))


def _check_user_tasks(path: str, tree) -> list[Problem]:
    """The properties the application relies on, and the form each user task names."""
    problems = []
    forms = os.path.join(os.path.dirname(path), "forms")
    for task in tree.xpath("//bpmn:userTask", namespaces=NS):
        tid, name = task.get("id"), task.get("name")
        props = {p.get("name"): p for p in task.xpath(
            "bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)}
        value = {key: p.get("value") or "" for key, p in props.items()}
        problems += [Problem(path, task.sourceline, tid, "lint.missing_property", {"property": key}, name)
                     for key in REQUIRED_PROPERTIES if not value.get(key)]
        if "due_in_days" in value and not value["due_in_days"].isdigit():
            problems.append(Problem(path, props["due_in_days"].sourceline, tid, "lint.due_not_whole_days",
                                    {"value": value["due_in_days"]}, name))
        form = value.get("form")
        if form and (os.path.basename(form) != form or not os.path.isfile(os.path.join(forms, form))):
            problems.append(Problem(path, props["form"].sourceline, tid, "lint.form_missing",
                                    {"form": f"forms/{form}"}, name))
        elif form:
            problems += _check_form(os.path.join(forms, form), tid)
    return problems


def _check_form(path: str, task_id: str | None) -> list[Problem]:
    """A form file in our own format: {"fields": [{"name", "type", "required", ...}]}.

    Problems name the form file, the task using the form and the line of the field at fault.
    """
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        form = json.loads(text)
    except json.JSONDecodeError as e:
        return [Problem(path, e.lineno, task_id, "lint.form_not_json", {"detail": e.msg})]
    except RecursionError:  # nested deeper than the parser recurses; no form nests past 4
        return [Problem(path, None, task_id, "lint.form_not_json", {"detail": "nested too deep"})]
    except (OSError, ValueError) as e:
        return [Problem(path, None, task_id, "lint.form_unreadable", {"detail": str(e)})]
    fields = form.get("fields") if isinstance(form, dict) else None
    if not isinstance(fields, list):
        return [Problem(path, 1, task_id, "lint.form_no_fields")]
    problems, names = [], [f.get("name") for f in fields if isinstance(f, dict)]
    for i, spec in enumerate(fields):
        fname = spec.get("name") if isinstance(spec, dict) else None
        if not (isinstance(fname, str) and fname):
            problems.append(Problem(path, None, task_id, "lint.field_no_name", {"position": i + 1}))
            continue
        ftype, choices, when = spec.get("type"), spec.get("choices"), spec.get("required_when", {})
        wrong = [("lint.field_twice", {}) if names.count(fname) > 1 else None,
                 ("lint.field_unknown_type", {"type": repr(ftype), "known": sorted(FIELD_TYPES)})
                 if ftype not in FIELD_TYPES else None,
                 ("lint.field_no_choices", {}) if ftype == "choice" and not (
                     isinstance(choices, list) and choices and all(isinstance(c, str) for c in choices)) else None,
                 ("lint.field_required_not_boolean", {}) if not isinstance(spec.get("required", False), bool)
                 else None]
        if not isinstance(when, dict):
            wrong.append(("lint.field_required_when_not_map", {}))
        else:
            wrong += [("lint.field_required_when_unknown", {"other": other}) if other not in names
                      else ("lint.field_required_when_not_list", {"other": other}) if not isinstance(values, list)
                      else None for other, values in when.items()]
        problems += [Problem(path, _json_line(text, fname), task_id, code, {"field": fname, **params})
                     for code, params in filter(None, wrong)]
    return problems


def _json_line(text: str, field_name: str | None) -> int | None:
    """The line where the field is named; JSON parsing keeps no positions."""
    if field_name is None:
        return None
    match = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(field_name)), text)
    return text.count("\n", 0, match.start()) + 1 if match else None
