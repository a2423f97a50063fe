"""Refusals about signed decisions, the register and revocation."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "decision.not_found": _l("No decision %(id)s."),
    "decision.none_signed": _l("Nomination %(nomination)s has no signed decision."),
    "register.not_readable": _l("The register is for the secretariat, the council, auditors, administrators and "
                                "the units' own staff."),
    "register.unknown_kind": _l("Unknown kind of entry: %(kind)s."),
    "revocation.not_allowed": _l("Only an administrator or the head of the authority that issued it can revoke a "
                                 "decision."),
    "revocation.invalid": _l("The decision cannot be revoked."),
    "revocation.reason_needed": _l("Give the reason: what was found, and where it is recorded."),
    "revocation.password_needed": _l("Re-enter your password to sign the revocation."),
    "revocation.already": _l("Decision %(number)s was already revoked."),
}
