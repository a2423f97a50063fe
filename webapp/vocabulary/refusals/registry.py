"""Refusals about the registry of people and collectives: records, holds, import and export."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


def _subject_not_found(params) -> str:
    if params.get("subject") == "collective":
        return _("No collective with code %(code)s.", code=params.get("code", ""))
    return _("No person with code %(code)s.", code=params.get("code", ""))


def _unknown_subject(params) -> str:
    if params.get("subject") == "collective":
        return _("Unknown collective %(code)s.", code=params.get("code", ""))
    return _("Unknown person %(code)s.", code=params.get("code", ""))


WORDS = {
    "registry.no_access": _l("Your role gives no access to the registry of people and collectives."),
    "registry.no_change": _l("Only the secretariat, administrators and a unit's emulation officer may change the "
                             "registry."),
    "registry.subject_not_found": _subject_not_found,
    "registry.row_not_found": _l("No such history row (%(id)s)."),
    "registry.row_clash": _l("Another history row of %(code)s already has these values; correct that one."),
    "registry.row_invalid": _l("The row cannot be saved."),
    "registry.unknown_history_kind": _l("Unknown kind of history: %(kind)s."),
    "registry.discipline_people_only": _l("Discipline records are kept for people only."),
    "registry.not_a_grade": _l("“%(value)s” is not a grade; use one of %(choices)s."),
    "registry.not_a_level": _l("“%(value)s” is not a level; use one of %(choices)s."),
    "registry.person_or_collective_needed": _l("Give the code of the person or of the collective."),
    "registry.person_or_collective_not_both": _l("Give either a person's code or a collective's code, not both."),
    "hold.not_found": _l("No hold %(id)s."),
    "hold.managers_only": _l("Only the secretariat and administrators may place or lift a review hold."),
    "hold.cannot_place": _l("The hold cannot be placed."),
    "hold.cannot_lift": _l("The hold cannot be lifted."),
    "hold.already_lifted": _l("This hold was already lifted."),
    "import.rejected": _l("The file has %(count)s error(s); nothing was imported."),
    "import.row_errors": _l("%(count)s error(s) in the rows."),
    "import.unknown_kind": _l("Unknown kind of records: %(kind)s."),
    "import.sheet_kind_unknown": _l("Cannot tell which records this sheet holds: name the sheet (or the file) after "
                                    "its kind, one of %(kinds)s, or choose the kind."),
    "import.second_sheet": _l("A second sheet of %(kind)s; put them in one sheet."),
    "import.unknown_column": _l("Unknown column for %(kind)s; expected %(expected)s."),
    "import.column_twice": _l("This column appears twice."),
    "import.column_missing": _l("The column %(column)s (%(heading_vi)s) is missing."),
    "import.code_twice": _l("The code %(code)s is already on row %(row)s."),
    "import.other_units_record": _l("%(code)s is a record of another unit; you may change only your own unit's."),
    "import.only_own_unit": _l("You may import only your own unit's records, not those of %(unit)s."),
    "import.recruited_in_future": _l("The recruitment date %(day)s is in the future."),
    "import.unknown_subject": _unknown_subject,
    "import.collective_of_other_unit": _l("The collective %(code)s belongs to unit %(unit)s, not %(expected)s."),
    "import.same_as_row": _l("The same record as row %(row)s."),
    "export.invalid": _l("The export cannot be made."),
    "export.bad_kind": _l("Use one of %(choices)s (or all of them, as XLSX)."),
}
