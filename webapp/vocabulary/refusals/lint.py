"""Problems found in process files an administrator uploads (or `bpmn validate` checks).

Particulars named ``detail`` quote the parser's or the compiler's own technical account, as
it is: it names elements and attributes of the file, not things of the domain.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Kinds of expression in a diagram, as a problem names where it was found.
EXPRESSIONS = {
    "script": _l("script"), "pre_script": _l("script run before the task"),
    "post_script": _l("script run after the task"), "cardinality": _l("number of instances"),
    "completion_condition": _l("completion condition"), "loop_condition": _l("loop condition"),
    "timer": _l("timer"),
}


def _what(params) -> str:
    what = str(params.get("what", ""))
    if what.startswith("condition:"):
        return _("the condition on %(flow)s", flow=what.partition(":")[2])
    return str(EXPRESSIONS.get(what, what))


def _expression(params) -> str:
    return _("%(what)s, line %(line)s: %(detail)s: %(text)s", what=_what(params), line=params.get("line", ""),
             detail=params.get("detail", ""), text=params.get("text", ""))


def _empty(params) -> str:
    return _("%(what)s is empty", what=_what(params))


WORDS = {
    "lint.not_well_formed": _l("not well-formed XML: %(detail)s"),
    "lint.doctype_refused": _l("a document type (<!DOCTYPE>) or entities are not accepted in a diagram; "
                               "save it again from the modeller without them"),
    "lint.unreadable": _l("cannot read the file: %(detail)s"),
    "lint.dangling_reference": _l("%(attribute)s “%(target)s” names no element"),
    "lint.schema": _l("does not follow the schema: %(detail)s"),
    "lint.cannot_parse": _l("cannot be read as a process: %(detail)s"),
    "lint.expression": _expression,
    "lint.empty_expression": _empty,
    "lint.timer_unquoted": _l("%(timer)s: an ISO 8601 value must be a quoted string here: “%(text)s”"),
    "lint.timer_not_iso": _l("%(timer)s: %(value)s is not an ISO 8601 value"),
    "lint.missing_property": _l("the property “%(property)s” is missing"),
    "lint.due_not_whole_days": _l("due_in_days must be a whole number of days: %(value)s"),
    "lint.form_missing": _l("form file not found: %(form)s"),
    "lint.form_not_json": _l("not valid JSON: %(detail)s"),
    "lint.form_unreadable": _l("cannot read the form: %(detail)s"),
    "lint.form_no_fields": _l("a form is an object with a “fields” list"),
    "lint.field_no_name": _l("field %(position)s needs a non-empty “name”"),
    "lint.field_twice": _l("the field “%(field)s” is defined more than once"),
    "lint.field_unknown_type": _l("the field “%(field)s” has an unknown type %(type)s (known: %(known)s)"),
    "lint.field_no_choices": _l("the field “%(field)s” needs a non-empty list of choices"),
    "lint.field_required_not_boolean": _l("in the field “%(field)s”, “required” must be true or false"),
    "lint.field_required_when_not_map": _l("in the field “%(field)s”, “required_when” must map a field name to "
                                           "a list of values"),
    "lint.field_required_when_unknown": _l("in the field “%(field)s”, “required_when” refers to the unknown field "
                                           "“%(other)s”"),
    "lint.field_required_when_not_list": _l("in the field “%(field)s”, “required_when” for “%(other)s” must be a "
                                            "list of values"),
    "process.diagram_missing": _l("the process diagram is missing"),
    "process.cannot_compile": _l("cannot be compiled: %(detail)s"),
    "process.files_have_problems": _l("The process files have %(count)s problem(s); nothing was stored."),
    "process.files_refused": _l("The files cannot be used."),
    "process.no_files": _l("Choose the files to upload."),
    "process.too_many_files": _l("Upload at most %(max)s files at a time."),
    "process.bad_file_name": _l("%(filename)s: choose a %(suffix)s file named with letters, digits, “.”, “_” or "
                                "“-”."),
    "process.file_too_large": _l("%(filename)s is larger than %(megabytes)s MB."),
    "process.file_not_utf8": _l("%(filename)s is not UTF-8 text; save it as UTF-8 and upload it again."),
}
