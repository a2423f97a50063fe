"""The process's own words: diagram elements, form labels and choices, statuses, kinds and levels."""

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# BPMN element ids of the shipped process -> their names.
ELEMENT_NAMES = {
    "nomination_participant": _l("Emulation and commendation council"),
    "lane_unit": _l("Unit"), "lane_secretariat": _l("Secretariat"), "lane_reviewer": _l("Reviewer"),
    "lane_council": _l("Council"), "lane_chair": _l("Chair"),
    "start": _l("Nomination started"),
    "prepare_dossier": _l("Prepare the dossier"),
    "endorse": _l("Endorse the dossier"),
    "endorse_decision": _l("Endorsed?"),
    "eligibility": _l("Check eligibility"),
    "check_dossier": _l("Check the dossier"),
    "check_overdue": _l("Check overdue (10 days)"),
    "remind_secretariat": _l("Remind the secretariat"),
    "reminder_sent": _l("Reminder sent"),
    "check_decision": _l("Dossier accepted?"),
    "appraise": _l("Appraise the nomination"),
    "open_vote": _l("Open the ballot"),
    "vote": _l("Vote"),
    "vote_rule": _l("Look up the voting rule"),
    "tally": _l("Count the ballots"),
    "vote_passed": _l("Vote passed?"),
    "outcome_not_approved": _l("Record: not approved"),
    "end_not_approved": _l("Not approved"),
    "sign_decision": _l("Sign the decision"),
    "chair_decision": _l("Chair's decision"),
    "outcome_forwarded": _l("Record: forwarded"),
    "end_forwarded": _l("Forwarded to the higher level"),
    "outcome_awarded": _l("Record: awarded"),
    "end_awarded": _l("Awarded"),
    "outcome_rejected": _l("Record: rejected"),
    "end_rejected": _l("Rejected"),
    "f_endorse_returned": _l("Returned"), "f_check_returned": _l("Returned"), "f_endorsed": _l("Endorsed"),
    "f_accepted": _l("Accepted"), "f_passed": _l("Passed"), "f_not_passed": _l("Not passed"),
    "f_forwarded": _l("Approved, state level"), "f_awarded": _l("Approved"), "f_rejected": _l("Rejected"),
    # The council session's process (bpmn/council_session.bpmn).
    "council_session_participant": _l("Council session"), "lane_office": _l("Secretariat"),
    "lane_presiding": _l("Council"), "session_start": _l("Session scheduled"),
    "article_rule": _l("Look up each nominee's article"), "take_attendance": _l("Take attendance"),
    "quorum_met": _l("Quorum met?"), "open_ballots": _l("Open the ballots"), "close_ballots": _l("Close the ballots"),
    "count_ballots": _l("Count every nominee"), "write_minutes": _l("Write the minutes"),
    "session_end": _l("Session closed"), "f_quorum_open": _l("Quorum met"), "f_below_quorum": _l("Below quorum"),
    # A list proposal's process (bpmn/proposal.bpmn).
    "proposal_participant": _l("A unit's list of nominees"),
    "list_lane_unit": _l("Unit"), "list_lane_secretariat": _l("Secretariat"), "list_lane_chair": _l("Chair"),
    "list_start": _l("List started"),
    "prepare_list": _l("Prepare the list"),
    "endorse_list": _l("Endorse the list"),
    "list_endorsed": _l("List endorsed?"),
    "list_eligibility": _l("Check the eligibility of every nominee"),
    "check_list": _l("Check the list"),
    "needs_vote": _l("Needs a council vote?"),
    "await_session": _l("Await the council session"),
    "outcome_emptied": _l("Record: nobody left on the list"),
    "end_emptied": _l("Nobody left on the list"),
    "sign_list": _l("Sign the list decision"),
    "list_level": _l("State-level award?"),
    "outcome_list_forwarded": _l("Record: forwarded"),
    "end_list_forwarded": _l("Proposal sent to the higher level"),
    "outcome_decided": _l("Record: decided"),
    "end_decided": _l("Decided"),
    "f_list_returned": _l("Returned"), "f_list_endorsed": _l("Endorsed"), "f_to_session": _l("Needs a vote"),
    "f_nobody_left": _l("Nobody left"), "f_without_vote": _l("Without a vote"), "f_list_forwarded": _l("State level"),
    "f_list_decided": _l("Decided here"),
}

# (form, field) -> label; the same field name means different things on different forms.
FIELD_LABELS = {
    ("prepare_dossier", "comment"): _l("Note to the unit head"),
    ("endorse", "decision"): _l("Decision"), ("endorse", "comment"): _l("Comment"),
    ("check_dossier", "decision"): _l("Decision"), ("check_dossier", "comment"): _l("Reasons or comment"),
    ("check_dossier", "reviewer"): _l("Reviewer (optional)"),
    ("appraise", "recommendation"): _l("Recommendation"), ("appraise", "comment"): _l("Written opinion"),
    ("vote", "vote"): _l("Your vote"),
    ("sign_decision", "decision"): _l("Decision"), ("sign_decision", "comment"): _l("Comment"),
    ("sign_decision", "password"): _l("Your password (electronic signature)"),
    ("session_step", "note"): _l("Note"),
    ("prepare_list", "comment"): _l("Note to the unit head"),
    ("endorse_list", "decision"): _l("Decision"), ("endorse_list", "comment"): _l("Comment"),
    ("check_list", "needs_vote"): _l("Some nominees go to the council's vote"),
    ("check_list", "remaining"): _l("Nominees still on the list"),
    ("await_session", "session_id"): _l("Council session"),
    ("sign_list", "approved"): _l("Approved"), ("sign_list", "decision_id"): _l("Decision"),
}

CHOICE_LABELS = {
    "endorse": _l("Endorse"), "return": _l("Return to the unit"), "accept": _l("Accept"),
    "approve": _l("Approve"), "reject": _l("Reject"), "yes": _l("Yes"), "no": _l("No"),
}

STATUS_LABELS = {
    "preparing": _l("Preparing"), "endorsing": _l("Awaiting endorsement"), "checking": _l("Being checked"),
    "appraising": _l("Being appraised"), "voting": _l("Council voting"), "signing": _l("Awaiting signature"),
    "awarded": _l("Awarded"), "forwarded": _l("Forwarded upward"), "not_approved": _l("Not approved"),
    "rejected": _l("Rejected"), "withdrawn": _l("Withdrawn"), "revoked": _l("Revoked"),
    "on_hold": _l("On hold"), "returned": _l("Returned to the unit"), "decided": _l("Decided"),
    "answered": _l("Answered from above"),
}
TASK_STATES = {"completed": _l("completed"), "cancelled": _l("cancelled"), "ready": _l("ready")}
ROLE_NAMES = {
    "unit_clerk": _l("Unit emulation officer"), "unit_head": _l("Unit head"), "secretariat": _l("Secretariat"),
    "reviewer": _l("Reviewer"), "council_member": _l("Council member"), "council_chair": _l("Council chair"),
    "auditor": _l("Auditor"), "admin": _l("Administrator"),
    # Held within an authority: its emulation office and its head, who signs.
    "office": _l("Emulation office"), "head": _l("Head of the authority"),
}
AUTHORITY_KIND_LABELS = {"bloc": _l("The bloc"), "agency": _l("Member agency"),
                         "unit_with_legal_status": _l("Unit with legal status")}
# A pool by the lane its tasks come from: whoever of the role claims a task first does it.
POOL_NAMES = {"Reviewer": _l("Any reviewer — first to claim")}
KIND_LABELS = {"individual": _l("Individual"), "collective": _l("Collective")}
LEVEL_LABELS = {"grassroots": _l("Grassroots"), "agency": _l("Agency"), "state": _l("State")}
DOCUMENT_LABELS = {
    "proposal_letter": _l("Proposal letter"), "achievement_report": _l("Achievement report"),
    "review_minutes": _l("Minutes of the review meeting"), "initiative_proof": _l("Proof of the initiative"),
    "other": _l("Other document"),
}

def award_name(award) -> str:
    """The award's name in the page's language."""
    return award.name_vi if str(get_locale()) == "vi" and award.name_vi else award.name


def authority_name(authority) -> str:
    """The deciding authority's name in the page's language."""
    if authority is None:
        return ""
    return authority.name_vi if str(get_locale()) == "vi" and authority.name_vi else authority.name


def unit_name(unit) -> str:
    """The unit's name in the page's language."""
    return unit.name_vi if str(get_locale()) == "vi" and unit.name_vi else unit.name


def element_name(key: str | None, fallback: str = "") -> str:
    """A task's or diagram element's name, from its BPMN id."""
    label = ELEMENT_NAMES.get(key or "")
    return str(label) if label is not None else (fallback or key or "")


def task_name(task) -> str:
    return element_name(task.key, task.name)


def diagram_names() -> dict[str, str]:
    return {key: str(label) for key, label in ELEMENT_NAMES.items()}


def field_label(form: str | None, name: str, fallback: str = "") -> str:
    label = FIELD_LABELS.get((form or "", name))
    return str(label) if label is not None else (fallback or name)


def choice_label(value) -> str:
    return str(CHOICE_LABELS.get(value, value)) if isinstance(value, str) else str(value)


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


# Why a decision was revoked (Law 06/2022/QH15, Chapter VII), as the register and the pages name it.
REVOCATION_LABELS = {
    "false_declaration": _l("False declaration of achievements"),
    "forged_dossier": _l("Forged dossier"),
    "criteria_unmet": _l("Criteria later found unmet"),
}


def revocation_reason(decision) -> str:
    """The stored reason in the reader's words: its kind, then what was found."""
    code, _sep, details = (decision.revoke_reason or "").partition(": ")
    label = REVOCATION_LABELS.get(code)
    if label is None:
        return decision.revoke_reason or ""
    return f"{label}: {details}" if details else str(label)


def revocation_note(decision) -> str:
    """One sentence for every place a revoked decision's nomination shows: which, when, why."""
    if decision is None or decision.revoked_at is None:
        return ""
    when = format_date(decision.revoked_at, "medium")
    if decision.kind == "proposal":
        return _("Proposal %(number)s was revoked on %(date)s. Reason: %(reason)s", number=decision.number,
                 date=when, reason=revocation_reason(decision))
    return _("Decision %(number)s was revoked on %(date)s. Reason: %(reason)s", number=decision.number, date=when,
             reason=revocation_reason(decision))




def role_name(role: str) -> str:
    return str(ROLE_NAMES.get(role, role))


def pool_name(lane: str | None, role: str | None = None) -> str:
    """Who a pool task waits for, said as such: "any reviewer — first to claim"."""
    named = POOL_NAMES.get(lane or "")
    if named is not None:
        return str(named)
    if role:
        return str(_l("Anyone with the role %(role)s — first to claim", role=role_name(role)))
    return str(_l("Anyone with the role — first to claim"))
