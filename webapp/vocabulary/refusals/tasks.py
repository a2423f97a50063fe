"""Refusals about tasks, the ballot, signing and the process itself."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "task.not_found": _l("No task %(id)s."),
    "task.not_yours": _l("This task is not yours to do."),
    "task.not_offered": _l("This task is not offered to you."),
    "task.already": _l("The task is already %(state)s."),
    "task.held_by_someone": _l("The task is already held by someone."),
    "task.claimed_first_by_someone": _l("Someone else claimed the task first."),
    "task.claimed_by_someone": _l("Someone else has claimed this task."),
    "task.only_holder_gives_back": _l("Only the person holding a pool task can give it back."),
    "task.no_longer_ready": _l("The task can no longer be completed."),
    "task.wrong_kind": _l("This is not the kind of task this page handles."),
    "ballot.members_only": _l("Only council members vote."),
    "ballot.unreadable": _l("A sealed ballot of nomination %(nomination)s cannot be opened with the ballot keys this "
                            "server holds: a key was removed too early, or the ballot was altered. Nothing was "
                            "counted."),
    "ballot.count_mismatch": _l("The ballot box of nomination %(nomination)s holds %(count)s ballot(s), but "
                                "%(expected)s member(s) voted: it was tampered with. Nothing was counted."),
    "signing.chair_only": _l("Only the council chair signs decisions."),
    "audit.oversight_only": _l("Only auditors and administrators can search the whole trail."),
    "trail.period_reversed": _l("The end of the period is before its start."),
    "process.not_deployed": _l("No process version is deployed; an administrator must deploy one first."),
    "process.failed": _l("The process could not go on from the step “%(task)s”; nothing was changed, and the "
                         "administrators have been told through the audit trail."),
    "process.no_matching_row": _l("The decision table %(table)s has no rule for this case; nothing was changed, and "
                                  "the administrators have been told through the audit trail."),
    "council.no_regulation_in_force": _l("No council regulation is in force today; an administrator must publish "
                                         "one. Nothing was changed."),
    "council.regulation_unknown": _l("The council regulation %(regulation)s does not exist; nothing was changed."),
    "council.article_missing": _l("The council regulation %(regulation)s has no article %(article)s; nothing was "
                                  "changed."),
    "council.unknown_position": _l("Unknown council position %(position)s."),
    "tally.none_yet": _l("Nomination %(nomination)s has no tally minutes yet."),
}
