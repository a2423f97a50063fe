"""Refusals about nominations, their nominees and dossiers."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..findings import HOLD_LABELS


def _on_hold(params) -> str:
    holds = ", ".join(str(HOLD_LABELS.get(kind, kind)) for kind in params.get("holds") or [])
    return _("The nomination is on hold (%(holds)s pending): it cannot go to the council's vote until the hold is "
             "lifted.", holds=holds)


def _for_kind_only(params) -> str:
    kind = params.get("nominee_kind")
    if kind == "collective":
        return _("%(award)s is awarded to collectives only.", award=params.get("award", ""))
    return _("%(award)s is awarded to individuals only.", award=params.get("award", ""))


def _not_in_registry(params) -> str:
    if params.get("nominee_kind") == "collective":
        return _("No collective with code %(code)s in your unit's registry.", code=params.get("code", ""))
    return _("No person with code %(code)s in your unit's registry.", code=params.get("code", ""))


def _already_awarded(params) -> str:
    if params.get("decision"):
        return _("The nominee already holds %(award)s for %(year)s (decision %(decision)s): one title a year.",
                 award=params.get("award", ""), year=params.get("year", ""), decision=params["decision"])
    return _("The nominee already holds %(award)s for %(year)s: one title a year.", award=params.get("award", ""),
             year=params.get("year", ""))


WORDS = {
    "nomination.not_found": _l("No nomination %(id)s."),
    "nomination.cannot_start": _l("The nomination cannot be started."),
    "nomination.clerks_start": _l("Only a unit's emulation officer can start a nomination."),
    "nomination.unit_withdraws": _l("Only the nominating unit can withdraw its nomination."),
    "nomination.on_hold": _on_hold,
    "nominee.name_needed": _l("The nominee's name is required."),
    "nominee.not_in_unit_registry": _not_in_registry,
    "award_type.unknown": _l("Unknown award type %(code)s."),
    "award_type.not_found": _l("No award type with code %(code)s."),
    "award_type.for_kind_only": _for_kind_only,
    "award_type.cannot_change": _l("The award type cannot be changed."),
    "dossier.clerk_adds": _l("Only the nominating unit's emulation officer can add documents."),
    "dossier.clerk_removes": _l("Only the nominating unit's emulation officer can remove documents."),
    "dossier.not_open_to_add": _l("The dossier is %(status)s; documents can be added while it is being prepared."),
    "dossier.not_open_to_remove": _l("The dossier is %(status)s; documents can be removed while it is being "
                                     "prepared."),
    "dossier.incomplete": _l("The dossier is missing required documents: %(missing)s."),
    "dossier.missing": _l("Missing: %(missing)s."),
    "document.not_found": _l("No document %(id)s in nomination %(nomination)s."),
    "document.unknown_kind": _l("Unknown kind of document: %(kind)s."),
    "document.unknown_kinds": _l("Unknown kind(s) of document: %(document_kinds)s."),
    "document.already_removed": _l("The document has already been removed."),
    "document.bad_storage_key": _l("The stored file cannot be found."),
    "withdrawal.reason_needed": _l("Give a reason for the withdrawal."),
    "withdrawal.too_late": _l("A nomination that is %(status)s can no longer be withdrawn."),
    "nomination.already_awarded": _already_awarded,
    "nomination.already_nominated": _l("The nominee is already proposed for %(award)s for %(year)s in nomination "
                                       "%(nomination)s (%(status)s): a new one can be made only once that one is "
                                       "withdrawn, refused or revoked."),
    "initiative.already_used": _l("The initiative(s) %(ids)s already supported another award."),
}
