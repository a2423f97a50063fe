"""Refusals about deciding authorities and the roles held within them."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "authority.not_found": _l("No authority %(code)s."),
    "authority.invalid": _l("The authority cannot be saved as given."),
    "authority.bad_code": _l("A code is 1 to 32 capital letters, digits or underscores."),
    "authority.bad_symbol": _l("A number symbol is 1 to 32 characters, without a slash."),
    "authority.collective_not_found": _l("No department %(code)s in the registry."),
    "authority.agency_needs_unit": _l("A member agency's authority names the member agency it is."),
    "authority.parent_must_be_agency": _l("A unit with legal status sits under a member agency's authority."),
    "authority.needs_department": _l("Name the department that is the unit with legal status."),
    "authority.department_elsewhere": _l("That department belongs to another agency."),
    "authority.one_bloc": _l("There is one bloc; an authority cannot become it or stop being it."),
    "authority.taken": _l("Another authority already has %(value)s."),
    "authority.unknown_role": _l("No such role within an authority."),
}
