"""Refusals about rounds and list proposals (danh sách đề nghị) and the nominees on them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


def _wrong_kind(params) -> str:
    if params.get("nominee_kind") == "collective":
        return _("%(nominee)s: %(award)s is awarded to collectives only.", nominee=params.get("nominee", ""),
                 award=params.get("award", ""))
    return _("%(nominee)s: %(award)s is awarded to individuals only.", nominee=params.get("nominee", ""),
             award=params.get("award", ""))


def _already_awarded(params) -> str:
    if params.get("decision"):
        return _("%(nominee)s already holds %(award)s for %(year)s (decision %(decision)s): one title a year.",
                 nominee=params.get("nominee", ""), award=params.get("award", ""), year=params.get("year", ""),
                 decision=params.get("decision"))
    return _("%(nominee)s already holds %(award)s for %(year)s: one title a year.",
             nominee=params.get("nominee", ""), award=params.get("award", ""), year=params.get("year", ""))


WORDS = {
    "list.not_found": _l("List %(id)s was not found."),
    "list.clerks_propose": _l("Only a unit's emulation officer proposes lists, for their own unit."),
    "list.own_unit_only": _l("You may propose lists for your own unit only."),
    "list.cannot_propose": _l("The list cannot be proposed: correct the fields marked."),
    "list.no_nominees": _l("Choose at least one nominee."),
    "list.too_many_nominees": _l("A list holds at most %(max)s nominees."),
    "list.nominees_refused": _l("%(count)s nominee(s) cannot be put on the list: see each one."),
    "list.nominee_not_in_registry": _l("No one with number %(nominee)s in your unit's registry."),
    "list.nominee_wrong_kind": _wrong_kind,
    "list.nominee_twice": _l("%(nominee)s is on the list twice."),
    "list.nominee_other_authority": _l("%(nominee)s is decided by another authority: propose them on a "
                                       "list of their own."),
    "list.nominee_already_awarded": _already_awarded,
    "list.nominee_already_nominated": _l("%(nominee)s is already nominated for %(award)s for %(year)s "
                                         "(nomination %(nomination)s, %(status)s)."),
    "list.nominee_claimed": _l("%(nominee)s cannot be proposed for this award again this year."),
    "list.clerk_submits": _l("Only the unit's emulation officer submits the unit's list."),
    "list.nobody_on_it": _l("Nobody is left on the list: add nominees before submitting it."),
    "list.head_endorses": _l("Only the head of the unit endorses the unit's list."),
    "list.reason_needed": _l("Give the reason."),
    "list.unit_withdraws": _l("Only the proposing unit may take a nominee off its list."),
    "list.nominee_not_withdrawable": _l("%(nominee)s is %(status)s: they can no longer be taken off the list."),
    "list.office_checks": _l("Only the office of the deciding authority checks the list."),
    "list.step_not_ready": _l("List %(list)s is not at the step “%(step)s” (it is at “%(at)s”)."),
    "list.cannot_check": _l("The decisions cannot be recorded: correct the nominees marked."),
    "list.no_decisions": _l("Decide on at least one nominee."),
    "list.nominee_not_on_list": _l("Nomination %(nomination)s is not on this list."),
    "list.nominee_reason_needed": _l("Give the reason for %(nominee)s."),
    "list.nominee_not_checking": _l("%(nominee)s is %(status)s: there is nothing to decide for them now."),
    "list.nominee_not_on_hold": _l("%(nominee)s is %(status)s, not on hold."),
    "list.cannot_change": _l("The list cannot be changed: correct the fields marked."),
    "round.not_found": _l("Round %(id)s was not found."),
    "round.office_opens": _l("Only the office of an authority opens its rounds."),
    "round.office_changes": _l("Only the office of the round's authority changes the round."),
    "round.invalid": _l("The round cannot be saved: correct the fields marked."),
    "round.award_codes_needed": _l("Choose at least one award type."),
    "round.council_before_deadline": _l("The council cannot sit before the intake deadline (%(deadline)s)."),
    "round.cannot_accept_late": _l("The late entry cannot be recorded: correct the fields marked."),
    "round.late_before_deadline": _l("A late entry runs past the intake deadline (%(deadline)s)."),
    "round.other_authority": _l("%(award)s of your unit is not decided by the authority of the round “%(round)s”."),
    "round.closed": _l("The round “%(round)s” is closed."),
    "round.award_not_taken": _l("The round “%(round)s” does not take %(award)s."),
    "round.intake_closed": _l("The round “%(round)s” took nominations until %(deadline)s; after that only a "
                              "unit the office lets in late may propose."),
}
