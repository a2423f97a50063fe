"""Refusals about a list's decision, the answer from above and a higher form recommended."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "list_decision.list_not_found": _l("No list %(id)s."),
    "list_decision.round_not_found": _l("No round %(id)s."),
    "list_decision.head_signs": _l("Only the head of the authority that decides the list signs its decision."),
    "list_decision.not_waiting": _l("The list is not waiting for the head's signature (it is %(status)s)."),
    "list_decision.reason_needed": _l("Say why the list is refused."),
    "list_decision.invalid": _l("The decision cannot be signed as it is."),
    "list_decision.award_not_in_round": _l("The round takes no nominations for %(award)s."),
    "list_decision.no_list_waiting": _l("No list for %(award)s is waiting for the head's signature."),
    "list_decision.nobody_to_sign": _l("Nobody on the list is waiting for the decision."),
    "list_decision.list_changed": _l("The list changed while it was being signed; open it again and sign anew."),
    "upward.office_records": _l("Only the office of the authority that sent the proposal up records the answer."),
    "upward.not_a_proposal": _l("%(number)s is a decision, not a proposal sent up."),
    "upward.revoked": _l("Proposal %(number)s was revoked."),
    "upward.already_recorded": _l("The answer to proposal %(number)s is recorded already."),
    "upward.date_needed": _l("Give the date of the decision from above (not in the future)."),
    "upward.not_on_proposal": _l("This nominee is not on the proposal."),
    "upward.result_missing": _l("Say for every nominee whether they were awarded."),
    "upward.scan_needed": _l("Attach the scan of the decision from above."),
    "upward.invalid": _l("The answer cannot be recorded as it is."),
    "upward.no_outcome": _l("No answer to %(number)s is recorded yet."),
    "upward.office_recommends": _l("Only the office of the nominee's authority proposes the higher form."),
    "upward.higher_form_needed": _l("Choose another, higher form of award."),
    "upward.not_recommended": _l("The council did not recommend %(award)s for this nominee."),
    "upward.already_proposed": _l("%(award)s is proposed already for this nominee (list %(list)s)."),
}
