"""Refusals about accounts: signing in, passwords, users and units."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

WORDS = {
    "account.inactive": _l("Sign in with an active account first."),
    "admin.only": _l("Only an administrator may do this."),
    "sign_in.failed": _l("Unknown username or wrong password."),
    "sign_in.throttled": lambda params: ngettext(
        "Too many failed password attempts; wait %(num)s second, then try again.",
        "Too many failed password attempts; wait %(num)s seconds, then try again.", params["seconds"]),
    "signature.password_needed": _l("Re-enter your password to sign."),
    "signature.wrong_password": _l("The password is wrong; nothing was signed."),
    "password.wrong": _l("Wrong password."),
    "password.current_wrong": _l("The current password is wrong."),
    "password.too_short": _l("Use at least %(min)s characters."),
    "user.not_found": _l("No user named %(username)s."),
    "user.exists": _l("A user named %(username)s already exists."),
    "user.cannot_create": _l("The user cannot be created."),
    "user.cannot_change": _l("The user cannot be changed."),
    "user.bad_username": _l("Use 1 to 64 letters, digits, dots or underscores."),
    "user.bad_full_name": _l("Give a full name of at most %(max)s characters."),
    "user.bad_email": _l("Give an e-mail address such as name@agency.gov.vn."),
    "user.unknown_roles": _l("Unknown role(s): %(roles)s."),
    "user.no_role": _l("Give at least one role."),
    "user.unit_role_needs_unit": _l("The unit's roles need a unit."),
    "user.cannot_deactivate_self": _l("You cannot deactivate your own account."),
    "user.cannot_drop_own_admin": _l("You cannot remove your own administrator role."),
    "unit.not_found": _l("No unit with code %(code)s."),
    "unit.exists": _l("A unit with code %(code)s already exists."),
    "unit.inactive": _l("Unit %(code)s is inactive; choose an active unit."),
    "unit.bad_code": _l("Use 1 to 32 capital letters, digits or underscores."),
    "unit.cannot_create": _l("The unit cannot be created."),
    "unit.cannot_change": _l("The unit cannot be changed."),
}
