"""The audit trail in the reader's words: the names of its actions and of what can break in its chain."""

from flask_babel import lazy_gettext as _l

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
    "signed_out": _l("Signed out"),
    "sessions_ended": _l("Other sessions signed out"),
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
    "authority_created": _l("Authority created"),
    "authority_changed": _l("Authority changed"),
    "authority_role_changed": _l("Role within an authority changed"),
    "audit_checkpoint": _l("Audit checkpoint taken"),
    "audit_key_rotated": _l("Audit key rotated"),
    "document_altered": _l("Stored document found altered"),
    "document_missing": _l("Stored document found missing"),
    "document_intact": _l("Stored document found intact again"),
    "documents_verified": _l("Stored documents verified"),
    "backup_created": _l("Backup made"),
    "backup_restored": _l("Restored from a backup"),
    "session_scheduled": _l("Council session scheduled"),
    "session_attendance_taken": _l("Council session: attendance taken"),
    "session_opened": _l("Council session: ballots opened"),
    "session_sheet_cast": _l("Council session: ballot sheet cast"),
    "session_closed": _l("Council session: ballots closed"),
    "session_counted": _l("Council session: every nominee counted"),
    "session_minutes_issued": _l("Council session: minutes written"),
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

def audit_action(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))
