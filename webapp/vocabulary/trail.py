"""The audit trail in the reader's words: actions, the labels of details and their coded values."""

import re

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .citations import finding_basis
from .findings import RULES, finding_rule
from .process import CHOICE_LABELS, DOCUMENT_LABELS, ELEMENT_NAMES, KIND_LABELS, STATUS_LABELS

# Audit actions as the trail's reader names them.
AUDIT_ACTIONS = {
    "process_started": _l("Nomination started"),
    "document_uploaded": _l("Document uploaded"),
    "document_removed": _l("Document removed"),
    "task_claimed": _l("Task claimed"),
    "task_unclaimed": _l("Task given back"),
    "task_completed": _l("Task completed"),
    "returned": _l("Returned"),
    "eligibility_checked": _l("Eligibility checked"),
    "ballot_cast": _l("Ballot cast"),
    "tally": _l("Ballots counted"),
    "decision_signed": _l("Decision signed"),
    "withdrawn": _l("Withdrawn"),
    "reminder_sent": _l("Reminder sent"),
    "timer_fired": _l("Timer fired"),
    "process_failed": _l("Process failed"),
    "process_deployed": _l("Process version deployed"),
    "signed_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "sign_in_refused": _l("Sign-in refused"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset"),
    "user_created": _l("User created"),
    "user_updated": _l("User changed"),
    "unit_created": _l("Unit created"),
    "unit_updated": _l("Unit changed"),
    "unit_activated": _l("Unit reactivated"),
    "unit_deactivated": _l("Unit deactivated"),
    "award_type_updated": _l("Award type changed"),
    "demo_seeded": _l("Demo data loaded"),
    "audit_exported": _l("Audit trail exported"),
    "audit_verified": _l("Audit chain verified"),
    "signature_given": _l("Electronic signature"),
    "decision_revoked": _l("Decision revoked"),
    "registry_imported": _l("Registry imported"),
    "registry_exported": _l("Registry exported"),
    "registry_history_saved": _l("Registry history added or corrected"),
    "registry_history_corrected": _l("Registry history corrected"),
    "hold_placed": _l("Review hold placed"),
    "hold_lifted": _l("Review hold lifted"),
    "rule_set_published": _l("Eligibility rule set published"),
    "regulation_published": _l("Council regulation published"),
    "council_seat_changed": _l("Council seat changed"),
    "audit_checkpoint": _l("Audit checkpoint taken"),
    "audit_key_rotated": _l("Audit key rotated"),
    "document_altered": _l("Stored document found altered"),
    "document_missing": _l("Stored document found missing"),
    "document_intact": _l("Stored document found intact again"),
    "documents_verified": _l("Stored documents verified"),
    "backup_created": _l("Backup made"),
    "backup_restored": _l("Restored from a backup"),
}

# What broke in the audit chain, as audit.verify names it.
CHAIN_PROBLEMS = {
    "missing": _l("an event is missing"),
    "link": _l("its link to the previous event is broken"),
    "content": _l("its content does not match its hash"),
    "truncated": _l("events after it were removed"),
    "unkeyed": _l("it carries a plain hash where the chain is keyed"),
    "key_unknown": _l("it was sealed by a key this installation does not have"),
}

# Why a checkpoint file no longer holds, as checkpoints.check names it.
CHECKPOINT_PROBLEMS = {
    "sealed": _l("the checkpoint file itself was changed"),
    "chain": _l("the chain is broken"),
    "gone": _l("the chain no longer reaches that event: events were removed"),
    "different": _l("the event at that place is not the one written down: the chain was rewritten"),
}

# Labels for the keys found in events' details; unknown keys are shown as they are.
DETAIL_LABELS = {
    "decision": _l("Decision"), "recommendation": _l("Recommendation"), "comment": _l("Comment"),
    "reviewer": _l("Reviewer"), "reason": _l("Reason"), "award_type": _l("Award"), "nominee": _l("Nominee"),
    "year": _l("Year"), "process_version": _l("Process version"), "kind": _l("Kind"), "number": _l("Number"),
    "outcome": _l("Outcome"), "document_id": _l("Document"), "version": _l("Version"), "filename": _l("File name"),
    "size": _l("Size (bytes)"), "sha256": _l("SHA-256"), "findings": _l("Findings"), "rule": _l("Rule"),
    "basis": _l("Legal basis"), "met": _l("Met"), "message": _l("Message"), "tally_result": _l("Tally"),
    "rule_basis": _l("Legal basis"), "members": _l("Members entitled to vote"), "voters": _l("Voters"),
    "yes": _l("Yes votes"), "no": _l("No votes"), "quorum": _l("Quorum"), "threshold": _l("Threshold"),
    "base": _l("Threshold counts"), "needed_voters": _l("Voters needed"), "needed_yes": _l("Yes votes needed"),
    "quorum_met": _l("Quorum met"), "passed": _l("Passed"), "channel": _l("Channel"), "username": _l("Username"),
    "roles": _l("Roles"), "unit": _l("Unit"), "key": _l("Process"), "line": _l("Line"), "filters": _l("Filters"),
    "actor": _l("Actor"), "nomination_id": _l("Nomination"), "action": _l("Action"), "since": _l("From"),
    "until": _l("Until"), "order": _l("Order"), "users": _l("Users"), "intact": _l("Intact"),
    "checked": _l("Events checked"), "first_bad_seq": _l("First broken event"), "changes": _l("Changes"),
    "code": _l("Code"), "name": _l("Name"), "name_vi": _l("Vietnamese name"), "active": _l("Active"),
    "email": _l("E-mail"), "full_name": _l("Full name"), "facts": _l("Evidence"), "task": _l("Task"),
    "events": _l("Events"), "auditors_notified": _l("Auditors notified"), "key_id": _l("Key"),
    "previous_key_id": _l("Previous key"), "altered": _l("Altered"), "missing": _l("Missing"),
    "audit_head_seq": _l("Audit chain up to event"), "tables": _l("Tables"), "rows": _l("Rows"),
    "documents": _l("Documents"), "damaged": _l("Damaged"), "backup_created_at": _l("Backup made at"),
    "engine": _l("Database"),
}

# Coded values in details, by the key they appear under.
_CHANNELS = {"web": _l("web pages"), "api": _l("API")}
_ORDERS = {"newest_first": _l("Newest first"), "oldest_first": _l("Oldest first")}
_REASONS = {"throttled": _l("too many failed attempts")}
# The voting rules of the shipped decision table (bpmn/vote_rules.dmn), as the tally records them.
# A "%" cannot open a message id, so these are worded differently in English and English readers
# see the table's own words.
_VOTING_RULES = {
    "70% of the members who voted": _l("70 per cent of the members who voted"),
    "90% of all members (emulation-fighter titles)": _l("90 per cent of all members (emulation-fighter titles)"),
    "90% of all members (state-level awards)": _l("90 per cent of all members (state-level awards)"),
}
# The tally's rule as workflows/council.py words it, and an article of the regulation as cited.
_VOTING_RULE = re.compile(r"(?P<threshold>\d+)% of (?P<base>all members entitled to vote|the members who voted) "
                          r"\(quorum (?P<quorum>\d+)% of the members\)")
_REGULATION_BASIS = re.compile(r"(?P<code>\S+: )?Council regulation, Art\. (?P<article>\S+)")
_BASES = {
    "voters": _l("the members who voted"), "members": _l("all members"),
    "the members who voted": _l("the members who voted"),
    "all members entitled to vote": _l("all members entitled to vote"),
    "Council regulation; Law 06/2022/QH15 Art. 89": _l("Council regulation; Law 06/2022/QH15 Art. 89"),
}
_CODED_VALUES = {
    "decision": CHOICE_LABELS, "recommendation": CHOICE_LABELS, "vote": CHOICE_LABELS, "outcome": STATUS_LABELS,
    "status": STATUS_LABELS,
    "kind": {**DOCUMENT_LABELS, **KIND_LABELS, "decision": _l("Decision")}, "channel": _CHANNELS, "order": _ORDERS,
    "reason": _REASONS, "task": ELEMENT_NAMES, "rule": RULES, "base": _BASES, "rule_basis": _BASES,
}


def audit_action(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


def detail_value(key: str, value):
    """A detail's value, worded where it is a known code; anything else unchanged."""
    if not isinstance(value, str):
        return value
    if key == "basis":
        return finding_basis({"basis": value})
    if key == "rule" and value.startswith(("holds_", "consecutive_")):
        return finding_rule({"rule": value, "facts": {"needed": value.partition("_")[2]}})
    if key == "rule" and value in _VOTING_RULES:
        return value if str(get_locale()) == "en" else str(_VOTING_RULES[value])
    if key == "rule" and str(get_locale()) != "en" and (found := _VOTING_RULE.fullmatch(value)):
        return _("%(threshold)s per cent of %(base)s (quorum %(quorum)s per cent of the members)",
                 threshold=found["threshold"], quorum=found["quorum"], base=str(_BASES[found["base"]]))
    if key in ("rule_basis", "legal_basis") and (found := _REGULATION_BASIS.fullmatch(value)):
        return _("%(code)sCouncil regulation, Art. %(article)s", code=found["code"] or "", article=found["article"])
    table = _CODED_VALUES.get(key, {})
    return str(table[value]) if value in table else value


