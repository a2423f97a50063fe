"""The process's words in the reader's language.

Task names, form labels and choices, statuses, eligibility findings and audit actions come
from data (the BPMN diagram, the task forms, the eligibility rules) written in English. The
data stays as it is; the pages look its keys up here, and anything a newer process version
adds that this table does not know yet is shown as the data says it.
"""

import re
from datetime import date

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
}

CHOICE_LABELS = {
    "endorse": _l("Endorse"), "return": _l("Return to the unit"), "accept": _l("Accept"),
    "approve": _l("Approve"), "reject": _l("Reject"), "yes": _l("Yes"), "no": _l("No"),
}

STATUS_LABELS = {
    "preparing": _l("Preparing"), "endorsing": _l("Awaiting endorsement"), "checking": _l("Being checked"),
    "appraising": _l("Being appraised"), "voting": _l("Council voting"), "signing": _l("Awaiting signature"),
    "awarded": _l("Awarded"), "forwarded": _l("Forwarded upward"), "not_approved": _l("Not approved"),
    "rejected": _l("Rejected"), "withdrawn": _l("Withdrawn"),
}
KIND_LABELS = {"individual": _l("Individual"), "collective": _l("Collective")}
LEVEL_LABELS = {"grassroots": _l("Grassroots"), "agency": _l("Agency"), "state": _l("State")}
DOCUMENT_LABELS = {
    "proposal_letter": _l("Proposal letter"), "achievement_report": _l("Achievement report"),
    "review_minutes": _l("Minutes of the review meeting"), "initiative_proof": _l("Proof of the initiative"),
    "other": _l("Other document"),
}

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
}

# Coded values in details, by the key they appear under.
_CHANNELS = {"web": _l("web pages"), "api": _l("API")}
_ORDERS = {"newest_first": _l("Newest first"), "oldest_first": _l("Oldest first")}
_REASONS = {"throttled": _l("too many failed attempts")}
_RULES = {
    "nominee_kind": _l("Kind of nominee"), "dossier_complete": _l("Complete dossier"),
    "registered": _l("In the registry"), "rule_set": _l("Rule set in force"),
    "assessment_at_least": _l("Annual assessment"), "recruited_before_year_end": _l("Time in service"),
    "award_in_year": _l("Title that year"), "award_held_before": _l("Earlier award"),
    "consecutive_awards": _l("Titles in consecutive years"), "awards_in_window": _l("Titles in the period"),
    "consecutive_assessments": _l("Assessments in consecutive years"),
    "grades_in_window": _l("Assessments in the period"), "unused_initiatives": _l("Initiatives not yet used"),
    "members_with_award": _l("Members' titles"), "member_with_award": _l("A member's title"),
    "no_member_discipline": _l("Members' discipline"), "no_open_hold": _l("No pending review"),
    "quota": _l("Quota"), "confirmed_by_people": _l("For people to judge"), "any_of": _l("One of the grounds"),
    "all_of": _l("All of the grounds"),
}
INITIATIVE_LEVEL_LABELS = {"grassroots": _l("grassroots"), "agency": _l("agency"), "national": _l("national")}
DISCIPLINE_LABELS = {"reprimand": _l("reprimand"), "warning": _l("warning"), "removal": _l("removal from post"),
                     "dismissal": _l("dismissal")}
HOLD_LABELS = {"discipline_review": _l("disciplinary review"), "inspection": _l("inspection"),
               "complaint": _l("complaint")}
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
    "reason": _REASONS, "task": ELEMENT_NAMES, "rule": _RULES, "base": _BASES, "rule_basis": _BASES,
}


def award_name(award) -> str:
    """The award's name in the page's language."""
    return award.name_vi if str(get_locale()) == "vi" and award.name_vi else award.name


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


def finding_rule(finding: dict) -> str:
    rule = finding.get("rule", "")
    if rule in _RULES:
        return str(_RULES[rule])
    needed = (finding.get("facts") or {}).get("needed")
    if needed and rule.startswith(("holds_", "consecutive_")):
        return _("Earlier award: %(award)s", award=needed)
    return rule


_BASIS = re.compile(r"Law on Emulation and Commendation (?P<number>\S+), Art\. (?P<article>\d+)")
# The rule sets' own citations: "Law 06/2022/QH15, Art. 74(1)(d); Circular 01/2024/TT-BNV, Art. 1(5)(d)".
_CITATION = re.compile(r"(?P<kind>Law|Decree|Circular) (?P<number>\d\S+), Art\. (?P<article>[\w()]+)")
_CITATIONS = {
    "Law": _l("Law %(number)s, Art. %(article)s"),
    "Decree": _l("Decree %(number)s, Art. %(article)s"),
    "Circular": _l("Circular %(number)s, Art. %(article)s"),
}


def finding_basis(finding: dict) -> str:
    """The legal basis, with the texts' titles in the reader's language."""
    basis = finding.get("basis", "")
    found = _BASIS.fullmatch(basis)
    if found:
        return _("Law on Emulation and Commendation %(number)s, Art. %(article)s", **found.groupdict())
    return _CITATION.sub(lambda m: str(_CITATIONS[m["kind"]]) % {"number": m["number"], "article": m["article"]},
                         basis)


def finding_message(finding: dict) -> str:
    """What a finding found, in the reader's language; older findings without facts as recorded."""
    facts, rule = finding.get("facts"), finding.get("rule", "")
    if not facts:
        return finding.get("message", "")
    if "kind" in facts:
        return _say(facts) or finding.get("message", "")
    # Findings recorded before the rules became data carry facts without a kind.
    if rule == "nominee_kind":
        return _say({**facts, "kind": rule})
    if rule == "dossier_complete":
        return _say({**facts, "kind": rule})
    found = ", ".join(map(str, facts.get("found") or [])) or _("none")
    if rule.startswith("holds_"):
        return _("needs %(award)s held before; found %(years)s", award=facts.get("needed"), years=found)
    if rule.startswith("consecutive_"):
        return _("needs %(award)s in %(years)s; found %(found)s", award=facts.get("needed"),
                 years=", ".join(map(str, facts.get("years") or [])), found=found)
    return finding.get("message", "")


def _list(values) -> str:
    return ", ".join(str(v) for v in values) if values else _("none")


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), "short")


def _say(f: dict) -> str | None:
    """One finding's evidence in the reader's language (see workflows/eligibility/checks.py)."""
    kind = f.get("kind")
    if kind == "nominee_kind":
        return _("the award is for %(award_kind)s nominees; the nominee is %(nominee_kind)s",
                 award_kind=_kind(f.get("award_kind")), nominee_kind=_kind(f.get("nominee_kind")))
    if kind == "dossier_complete":
        missing = f.get("missing") or []
        if not missing:
            return _("all required documents are present")
        return _("missing: %(documents)s", documents=", ".join(str(DOCUMENT_LABELS.get(k, k)) for k in missing))
    if kind == "registered":
        return _("the nominee is in the registry") if f["registered"] else \
            _("the nominee is not in the registry: their assessments and awards cannot be checked")
    if kind == "rule_set":
        return _("no eligibility rule set is in force for %(year)s; an administrator must add one", year=f["year"])
    if kind == "assessment_at_least":
        return _("needs %(grade)s or better in %(year)s; found %(found)s", grade=f["grade"], year=f["year"],
                 found=f["found"] or _("no assessment"))
    if kind == "recruited_before_year_end":
        if not f["recruited"]:
            return _("needs recruitment on or before %(latest)s; no recruitment date", latest=_day(f["latest"]))
        return _("needs recruitment on or before %(latest)s; recruited %(recruited)s", latest=_day(f["latest"]),
                 recruited=_day(f["recruited"]))
    if kind == "award_in_year":
        return (_("needs %(award)s in %(year)s; found") if f["held"] else
                _("needs %(award)s in %(year)s; not found")) % {"award": f["award"], "year": f["year"]}
    if kind == "award_held_before":
        return _("needs %(award)s before %(year)s; found %(found)s", award=f["award"], year=f["year"],
                 found=_list(f["found"]))
    if kind == "consecutive_awards":
        return _("needs %(award)s in %(years)s; found %(found)s", award=f["award"], years=_list(f["years"]),
                 found=_list(f["found"]))
    if kind == "awards_in_window":
        return _("needs %(award)s at least %(count)s times in %(start)s–%(year)s; found %(found)s",
                 award=f["award"], count=f["count"], start=f["start"], year=f["year"], found=_list(f["found"]))
    if kind == "consecutive_assessments":
        said = _("needs %(grade)s or better in %(years)s; found %(found)s", grade=f["grade"],
                 years=_list(f["years"]), found=_list(f["found"]))
        if f.get("after_award"):
            said += _("; after %(award)s (held %(earlier)s before %(start)s)", award=f["after_award"],
                      earlier=_list(f["earlier"]), start=f["years"][0])
        return said
    if kind == "grades_in_window":
        return _("needs %(grade)s at least %(count)s times in %(start)s–%(year)s; found %(found)s",
                 grade=f["grade"], count=f["count"], start=f["start"], year=f["year"], found=_list(f["found"]))
    if kind == "unused_initiatives":
        said = _("needs %(count)s unused initiative(s) recognised at %(level)s level or wider in "
                 "%(start)s–%(year)s; found %(unused)s unused", count=f["count"],
                 level=str(INITIATIVE_LEVEL_LABELS.get(f["level"], f["level"])), start=f["start"], year=f["year"],
                 unused=f["unused"])
        return said + (_(", %(used)s already used", used=f["used"]) if f["used"] else "")
    if kind == "members_with_award":
        return _("needs at least %(share)s per cent of members with %(award)s in %(year)s; found %(holding)s of "
                 "%(members)s", share=f["share"], award=f["award"], year=f["year"], holding=f["holding"],
                 members=f["members"])
    if kind == "member_with_award":
        return _("needs a member with %(award)s in %(year)s; found %(holding)s", award=f["award"], year=f["year"],
                 holding=f["holding"])
    if kind == "no_member_discipline":
        levels = ", ".join(str(DISCIPLINE_LABELS.get(level, level)) for level in f["found"])
        return _("needs no member disciplined at “%(level)s” or above in %(year)s; found %(count)s",
                 level=str(DISCIPLINE_LABELS.get(f["at_least"], f["at_least"])), year=f["year"],
                 count=len(f["found"])) + (f" ({levels})" if levels else "")
    if kind == "no_open_hold":
        if not f["holds"]:
            return _("no disciplinary review, inspection or complaint pending")
        return _("on hold: %(holds)s pending; the nomination cannot go to the vote until it is lifted",
                 holds=", ".join(str(HOLD_LABELS.get(h, h)) for h in f["holds"]))
    if kind == "quota":
        if not f["applies"]:
            return _("no quota for %(award)s applies to this unit", award=f["award"])
        return _("at most %(share)s per cent of the unit's %(of_award)s (%(base)s) may hold %(award)s: "
                 "%(allowed)s allowed; %(taken)s nominated or held", share=f["share"], of_award=f["of_award"],
                 base=f["base"], award=f["award"], allowed=f["allowed"], taken=f["taken"])
    if kind == "confirmed_by_people":
        return _("to be judged by the secretariat and the council: %(what)s", what=f["what"])
    if kind in ("any_of", "all_of"):
        parts = [_say(part) or "" for part in f["parts"]]
        return (_(" OR ") if kind == "any_of" else _(" AND ")).join(parts)
    return None


def _kind(kind) -> str:
    return {"individual": _("individual"), "collective": _("collective")}.get(kind, str(kind))


# Domain error messages (English, with the particulars filled in) -> the same in the reader's language.
_ERRORS = [
    (r"No nomination (?P<id>\d+)\.", _l("No nomination %(id)s.")),
    (r"No task (?P<id>[\w-]+)\.", _l("No task %(id)s.")),
    (r"No document (?P<document>\d+) in nomination (?P<id>\d+)\.",
     _l("No document %(document)s in nomination %(id)s.")),
    (r"No user named (?P<name>.+)\.", _l("No user named %(name)s.")),
    (r"No unit with code (?P<code>.+)\.", _l("No unit with code %(code)s.")),
    (r"No award type with code (?P<code>.+)\.", _l("No award type with code %(code)s.")),
    (r"This task is not yours to do\.", _l("This task is not yours to do.")),
    (r"This task is not offered to you\.", _l("This task is not offered to you.")),
    (r"Only council members vote\.", _l("Only council members vote.")),
    (r"Only the council chair signs decisions\.", _l("Only the council chair signs decisions.")),
    (r"Only an administrator may do this\.", _l("Only an administrator may do this.")),
    (r"Only auditors and administrators can search the whole trail\.",
     _l("Only auditors and administrators can search the whole trail.")),
    (r"Only a unit's emulation officer \(unit_clerk\) can start a nomination\.",
     _l("Only a unit's emulation officer can start a nomination.")),
    (r"Only the nominating unit's emulation officer can add documents\.",
     _l("Only the nominating unit's emulation officer can add documents.")),
    (r"Only the nominating unit's emulation officer can remove documents\.",
     _l("Only the nominating unit's emulation officer can remove documents.")),
    (r"Only the nominating unit can withdraw its nomination\.",
     _l("Only the nominating unit can withdraw its nomination.")),
    (r"Only the person holding a pool task can give it back\.",
     _l("Only the person holding a pool task can give it back.")),
    (r"The task is already (?P<state>\w+)\.", _l("The task is already %(state)s.")),
    (r"The task is already held by someone\.", _l("The task is already held by someone.")),
    (r"Someone else claimed the task first\.", _l("Someone else claimed the task first.")),
    (r"Someone else has claimed this task\.", _l("Someone else has claimed this task.")),
    (r"Someone else changed this at the same moment; reload and try again\.",
     _l("Someone else changed this at the same moment; reload and try again.")),
    (r"The document has already been removed\.", _l("The document has already been removed.")),
    (r"A nomination that is (?P<status>\w+) cannot be withdrawn\.",
     _l("A nomination that is %(status)s cannot be withdrawn.")),
    (r"The dossier is (?P<status>\w+); documents can be added while it is being prepared\.",
     _l("The dossier is %(status)s; documents can be added while it is being prepared.")),
    (r"The dossier is (?P<status>\w+); documents can be removed while it is being prepared\.",
     _l("The dossier is %(status)s; documents can be removed while it is being prepared.")),
    (r"The task can no longer be completed: .*", _l("The task can no longer be completed.")),
    (r"A user named (?P<name>.+) already exists\.", _l("A user named %(name)s already exists.")),
    (r"Only an administrator or the council chair can revoke a decision\.",
     _l("Only an administrator or the council chair can revoke a decision.")),
    (r"You may not read the rules\.", _l("You may not read the rules.")),
    (r"The nomination is on hold \(.+ pending\): it cannot go to the council's vote until the hold is lifted\.",
     _l("The nomination is on hold: it cannot go to the council's vote until the hold is lifted.")),
    (r"No process definition is deployed; run init-db first\.",
     _l("No process definition is deployed; run init-db first.")),
    # A task form's checks; the page states separately when a field becomes required.
    (r"This field is required( when .*)?\.", _l("This field is required.")),
    (r"Choose one of: .*\.", _l("Choose one of the options.")),
    (r"Must be text\.", _l("Must be text.")),
    (r"Unknown field\.", _l("Unknown field.")),
    (r"Some fields are not valid: .*\.", _l("Some fields are not valid.")),
]
_ERROR_PATTERNS = [(re.compile(pattern), label) for pattern, label in _ERRORS]
_TASK_STATES = {"completed": _l("completed"), "cancelled": _l("cancelled"), "ready": _l("ready")}


def error_message(message: str) -> str:
    """A domain error's message in the reader's language, when it is one of the known ones."""
    for pattern, label in _ERROR_PATTERNS:
        found = pattern.fullmatch(message or "")
        if found:
            values = found.groupdict()
            if "status" in values:
                values["status"] = status_label(values["status"]).lower()
            if "state" in values:
                values["state"] = str(_TASK_STATES.get(values["state"], values["state"]))
            return str(label) % values if values else str(label)
    return message


def init_app(app) -> None:
    """Make the lookups available to every template."""

    @app.context_processor
    def vocabulary():
        return {"task_name": task_name, "element_name": element_name, "status_label": status_label,
                "audit_action": audit_action, "detail_value": detail_value, "choice_label": choice_label,
                "finding_rule": finding_rule, "finding_message": finding_message, "finding_basis": finding_basis,
                "award_name": award_name,
                "unit_name": unit_name}
