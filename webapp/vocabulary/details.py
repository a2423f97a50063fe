"""An audit event's details as a reader sees them: every key labelled, every value in the reader's words.

The trail keeps details as the domain wrote them (keys, codes, ISO dates, hashes); this module turns
them into labelled rows. A value is worded by what its key says it is: a status or a kind in the
reader's words, a person by their full name, a date on the bloc's calendar, a number grouped the
reader's way, a share as a percentage, a hash as machine text. Findings are worded from their
evidence, a failed step from its refusal code; nothing is shown as the raw structure it is stored in.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import date_format, datetime_format
from .citations import finding_basis
from .findings import DISCIPLINE_LABELS, HOLD_LABELS, INITIATIVE_LEVEL_LABELS, finding_message, finding_rule
from .process import (
    AUTHORITY_KIND_LABELS,
    CHOICE_LABELS,
    DOCUMENT_LABELS,
    ELEMENT_NAMES,
    KIND_LABELS,
    ROLE_NAMES,
    STATUS_LABELS,
)
from .refusals import word


@dataclass(frozen=True)
class Shown:
    """One value: text, machine text (a hash, a code), a yes/no mark, a list, or labelled rows."""

    text: str = ""
    machine: bool = False
    mark: bool | None = None
    items: tuple["Shown", ...] = ()
    rows: tuple["Row", ...] = ()
    technical: bool = False  # the engine's own account, for administrators: shown folded


@dataclass(frozen=True)
class Row:
    label: str
    value: Shown = field(default_factory=Shown)


LABELS = {
    "decision": _l("Decision"), "recommendation": _l("Recommendation"), "comment": _l("Comment"),
    "reviewer": _l("Reviewer"), "reason": _l("Reason"), "reason_code": _l("Kind of reason"),
    "award_type": _l("Award"), "award": _l("Award"), "nominee": _l("Nominee"), "year": _l("Year"),
    "process_version": _l("Process version"), "kind": _l("Kind"), "number": _l("Number"), "outcome": _l("Outcome"),
    "document_id": _l("Document"), "version": _l("Version"), "filename": _l("File name"),
    "size": _l("Size (bytes)"), "sha256": _l("SHA-256 fingerprint"), "findings": _l("Findings"),
    "rule": _l("Rule"), "basis": _l("Legal basis"), "rule_basis": _l("Legal basis"), "tally_result": _l("Tally"),
    "members": _l("Members entitled to vote"), "voters": _l("Voters"), "yes": _l("Yes votes"), "no": _l("No votes"),
    "quorum": _l("Quorum"), "threshold": _l("Threshold"), "base": _l("Threshold counts"),
    "needed_voters": _l("Voters needed"), "needed_yes": _l("Yes votes needed"), "quorum_met": _l("Quorum met"),
    "passed": _l("Passed"), "channel": _l("Channel"), "username": _l("User"), "user": _l("User"),
    "roles": _l("Roles"), "unit": _l("Unit"), "key": _l("Process"), "filters": _l("Filters"), "actor": _l("Actor"),
    "nomination_id": _l("Nomination"), "action": _l("Action"), "since": _l("From"), "until": _l("Until"),
    "order": _l("Order"), "users": _l("Users"), "intact": _l("Intact"), "checked": _l("Events checked"),
    "first_bad_seq": _l("First broken event"), "changes": _l("Changes"), "code": _l("Code"), "name": _l("Name"),
    "name_vi": _l("Vietnamese name"), "active": _l("Active"), "email": _l("E-mail"), "full_name": _l("Full name"),
    "task": _l("Task"), "meaning": _l("Meaning"), "content_sha256": _l("SHA-256 of the signed content"),
    "award_record": _l("Award entered in the history"), "initiatives_used": _l("Initiatives used"),
    "initiatives_freed": _l("Initiatives freed"), "award_records_revoked": _l("Awards taken out of the history"),
    "counts": _l("Records"), "created": _l("Added"), "updated": _l("Changed"), "unchanged": _l("Unchanged"),
    "format": _l("Format"), "rows": _l("Rows"), "person": _l("Person"), "collective": _l("Collective"),
    "row_id": _l("Row"), "hold_id": _l("Hold"), "effective_from": _l("In force from"), "replaces": _l("Replaces"),
    "articles": _l("Articles"), "position": _l("Position"), "grade": _l("Assessment"), "level": _l("Level"),
    "title": _l("Title"), "decision_ref": _l("Decision reference"), "reference": _l("Reference"),
    "required_documents": _l("Required documents"), "recruited_on": _l("Recruited on"),
    "collective_code": _l("Collective"), "unit_code": _l("Unit"), "detail": _l("Technical detail"),
    "line": _l("Line"), "what": _l("What happened"), "regulation": _l("Council regulation"),
    "article": _l("Article"), "rounding": _l("Rounding"), "source": _l("Client address"),
    "wait": _l("Next attempt waits (seconds)"), "session": _l("Session"), "sessions_ended": _l("Sessions ended"),
    "kept": _l("Session kept"), "events": _l("Events"), "auditors_notified": _l("Auditors notified"),
    "key_id": _l("Key"), "previous_key_id": _l("Previous key"), "altered": _l("Altered"), "missing": _l("Missing"),
    "audit_head_seq": _l("Audit chain up to event"), "tables": _l("Tables"), "documents": _l("Documents"),
    "damaged": _l("Damaged"), "backup_created_at": _l("Backup made at"), "engine": _l("Database"),
    "authority": _l("Deciding authority"), "role": _l("Role"), "held": _l("Held"), "symbol": _l("Number symbol"),
    # Council sessions.
    "session_id": _l("Council session"), "round_id": _l("Round"),
    "scheduled_for": _l("Scheduled for"), "place": _l("Place"), "present": _l("Present"),
    "written": _l("Absent with a written ballot"), "absent": _l("Absent"), "needed": _l("Members needed"),
    "attendance": _l("Attendance"), "minutes_sha256": _l("SHA-256 of the minutes"),
    "proposal": _l("List"), "nominees": _l("Nominees"), "round": _l("Round"), "late_reason": _l("Why it came late"),
    "list_checked": _l("Nominees checked"), "with_unmet_findings": _l("With unmet findings"),
    "needs_vote": _l("Goes to the council's vote"), "remaining": _l("Nominees still on the list"),
    "approved": _l("Approved"), "decision_id": _l("Decision"), "status": _l("Status"),
    "award_codes": _l("Award types"), "intake_deadline": _l("Intake deadline"), "council_date": _l("Council meets on"),
    "lists": _l("Lists"), "list": _l("List"), "awardees": _l("Awardees"),
    "award_records": _l("Awards entered in the histories"), "higher_authority": _l("Higher authority"),
    "decided_on": _l("Dated"), "awarded": _l("Awarded"), "not_awarded": _l("Not awarded"),
    "from_award": _l("Instead of"),
}
_ATTENDANCE = {"present": _l("present"), "written": _l("absent with a written ballot"), "absent": _l("absent")}
# Values that are codes of a kind, worded by the table of their key.
_CHANNELS = {"web": _l("web pages"), "api": _l("API"), "revocation": _l("revocation"),
             "password_change": _l("password change"),
             "signature:batch": _l("signing several decisions"), "signature:sign_decision": _l("signing a decision")}
_REASONS = {"throttled": _l("too many failed attempts"), "overdue": _l("overdue")}
_ORDERS = {"newest_first": _l("Newest first"), "oldest_first": _l("Oldest first")}
_MEANINGS = {"approved": _l("approved"), "refused": _l("refused")}
_BASES = {"voters": _l("the members who voted"), "members": _l("all members entitled to vote")}
_ROUNDINGS = {"up": _l("rounded up"), "nearest": _l("rounded to the nearest")}
_FORMATS = {"csv": "CSV", "xlsx": "XLSX"}
_REVOCATIONS = {"false_declaration": _l("false declaration"), "forged_dossier": _l("forged dossier"),
                "criteria_unmet": _l("criteria not met")}
_POSITIONS = {"chair": _l("chair"), "standing_vice_chair": _l("standing vice-chair"),
              "vice_chair": _l("vice-chair"), "member": _l("member"), "secretary": _l("secretary")}
_RECORD_KINDS = {"collectives": _l("Collectives"), "persons": _l("People"), "assessments": _l("Assessments"),
                 "awards": _l("Awards"), "initiatives": _l("Initiatives"), "discipline": _l("Discipline"),
                 "all": _l("All records"), "decision": _l("Decision"), "proposal": _l("Proposal")}
_CODED = {
    "decision": CHOICE_LABELS, "recommendation": CHOICE_LABELS, "vote": CHOICE_LABELS, "outcome": STATUS_LABELS,
    "status": STATUS_LABELS, "channel": _CHANNELS, "reason": _REASONS, "order": _ORDERS, "meaning": _MEANINGS,
    "base": _BASES, "rounding": _ROUNDINGS, "format": _FORMATS, "reason_code": _REVOCATIONS,
    "position": _POSITIONS, "task": ELEMENT_NAMES, "roles": ROLE_NAMES,
    "key": {"nomination": _l("Nomination"), "proposal": _l("List proposal")},
    "role": ROLE_NAMES, "attendance": _ATTENDANCE,
    "kind": {**DOCUMENT_LABELS, **KIND_LABELS, **HOLD_LABELS, **_RECORD_KINDS, **AUTHORITY_KIND_LABELS},
    "required_documents": DOCUMENT_LABELS, "level": {**INITIATIVE_LEVEL_LABELS, **DISCIPLINE_LABELS},
}
_PEOPLE = frozenset({"username", "user", "reviewer", "actor"})
_MACHINE = frozenset({"sha256", "content_sha256", "hash", "key_id", "previous_key_id", "minutes_sha256"})
_PLAIN_NUMBERS = frozenset({"year", "version", "process_version", "row_id", "hold_id", "document_id", "list",
                            "nomination_id", "first_bad_seq", "line", "seq", "award_record", "audit_head_seq",
                            "proposal", "round", "decision_id", "nominees", "remaining", "session_id", "round_id"})
_SHARES = frozenset({"quorum", "threshold", "share", "max_share"})
_DATES = frozenset({"since", "until", "effective_from", "latest", "recruited", "recruited_on", "day", "decided_on",
                    "backup_created_at", "intake_deadline", "council_date"})
# Kept in the details for the trail's own integrity, or said by another row already.
# A text kept in both languages is shown once, in the reader's (``basis`` with ``basis_vi``).
_UNSHOWN = frozenset({"facts", "params", "initiative_ids", "message", "basis_vi", "what", "what_vi", "results"})


def rows(action: str, details: Mapping, names: Mapping[str, str] | None = None) -> list[Row]:
    """The labelled rows of one event's details."""
    names = names or {}
    if action == "process_failed":
        return _failure(details)
    if action == "tally":
        return _tally(details, names)
    return [Row(_label(key), _value(key, value, names, details)) for key, value in details.items()
            if key not in _UNSHOWN and value not in (None, "", [], {})]


def _label(key: str) -> str:
    label = LABELS.get(key)
    return str(label) if label is not None else _("Other detail")


def _value(key: str, value, names: Mapping[str, str], siblings: Mapping = MappingProxyType({})) -> Shown:
    if key == "findings" and isinstance(value, list):
        return Shown(items=tuple(_finding(f) for f in value if isinstance(f, Mapping)))
    if key == "changes" and isinstance(value, Mapping):
        return Shown(rows=tuple(_change(name, pair, names) for name, pair in value.items()))
    if key == "counts" and isinstance(value, Mapping):
        return Shown(rows=tuple(Row(str(_RECORD_KINDS.get(kind, kind)), Shown(_counts(numbers)))
                                for kind, numbers in value.items() if isinstance(numbers, Mapping)))
    if key == "rule" and isinstance(value, str):
        return Shown(str(finding_rule({"rule": value})))
    if key in ("basis", "rule_basis", "legal_basis") and isinstance(value, str):
        return Shown(finding_basis({"basis": value, "basis_vi": siblings.get(f"{key}_vi", "")}))
    if isinstance(value, Mapping):
        return Shown(rows=tuple(Row(_label(k), _value(k, v, names, value)) for k, v in value.items()
                                if k not in _UNSHOWN and v not in (None, "", [], {})))
    if isinstance(value, (list, tuple)):
        shown = [_value(key, item, names) for item in value]
        if all(not (s.items or s.rows) and s.mark is None for s in shown):
            return Shown(", ".join(s.text for s in shown), machine=any(s.machine for s in shown))
        return Shown(items=tuple(shown))
    return _scalar(key, value, names)


def _scalar(key: str, value, names: Mapping[str, str]) -> Shown:
    if isinstance(value, bool):
        return Shown(mark=value)
    if isinstance(value, int):
        return Shown(str(value) if key in _PLAIN_NUMBERS else format_decimal(value))
    if isinstance(value, float):
        return Shown(format_percent(value, "#,##0.#%") if key in _SHARES else format_decimal(value))
    text = str(value)
    if key in _PEOPLE:
        return Shown(names.get(text, text))
    if key in _MACHINE:
        return Shown(text, machine=True)
    if key in _DATES:
        return Shown(_when(text))
    table = _CODED.get(key)
    if table is not None and text in table:
        return Shown(str(table[text]))
    return Shown(text)


def _when(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return date_format(date.fromisoformat(text))
    return datetime_format(moment)


def _finding(finding: Mapping) -> Shown:
    met = finding.get("met")
    verdict = _("met") if met else _("not met") if met is False else _("for people to judge")
    lines = [Row(str(finding_rule(finding)), Shown(finding_message(finding)))]
    lines.append(Row(str(_("Verdict")), Shown(verdict, mark=met)))
    if finding.get("basis"):
        lines.append(Row(str(_("Legal basis")), Shown(finding_basis(finding))))
    return Shown(rows=tuple(lines))


def _change(name: str, pair, names: Mapping[str, str]) -> Row:
    if isinstance(pair, (list, tuple)) and len(pair) == 2:
        before, after = (_value(name, side, names) for side in pair)
        return Row(_label(name), Shown(_("%(before)s → %(after)s", before=_flat(before), after=_flat(after))))
    return Row(_label(name), _value(name, pair, names))


def _flat(shown: Shown) -> str:
    if shown.mark is not None:
        return _("yes") if shown.mark else _("no")
    return shown.text or "—"


def _counts(numbers: Mapping) -> str:
    return _("%(created)s added, %(updated)s changed, %(unchanged)s unchanged",
             created=format_decimal(numbers.get("created", 0)), updated=format_decimal(numbers.get("updated", 0)),
             unchanged=format_decimal(numbers.get("unchanged", 0)))


def _failure(details: Mapping) -> list[Row]:
    """A failed step: what it means for the reader, then the engine's account for administrators."""
    found = [Row(str(LABELS["what"]), Shown(word(details.get("code") or "process.failed",
                                                   details.get("params") or {})))]
    technical = details.get("detail") or details.get("message")
    if technical:
        line = details.get("line")
        text = _("%(detail)s (line %(line)s)", detail=technical, line=line) if line else str(technical)
        found.append(Row(str(LABELS["detail"]), Shown(text, machine=True, technical=True)))
    return found


def voting_rule(threshold: float, base: str, quorum: float) -> str:
    """The rule a tally applied, from its numbers: "70 % of the members who voted (quorum 67 % of the members)"."""
    share, needed = format_percent(threshold, "#,##0.#%"), format_percent(quorum, "#,##0.#%")
    if base == "members":
        return _("%(share)s of all members entitled to vote (quorum %(quorum)s of the members)", share=share,
                 quorum=needed)
    return _("%(share)s of the members who voted (quorum %(quorum)s of the members)", share=share, quorum=needed)


def _tally(details: Mapping, names: Mapping[str, str]) -> list[Row]:
    """A tally's counts and the rule it applied, worded from the numbers the trail kept."""
    result = dict(details.get("tally_result") or {})
    found = []
    if {"threshold", "base", "quorum"} <= result.keys():
        found.append(Row(str(LABELS["rule"]), Shown(voting_rule(result["threshold"], result["base"],
                                                                  result["quorum"]))))
    basis = details.get("rule_basis") or result.get("rule_basis")
    if basis:
        found.append(Row(str(LABELS["rule_basis"]), Shown(finding_basis({"basis": basis}))))
    # The article's code is the regulation's own key; its legal basis above names it for people.
    shown = {key: value for key, value in result.items()
             if key not in ("rule", "rule_basis", "quorum", "threshold", "base", "text", "article")}
    return found + [Row(_label(key), _value(key, value, names)) for key, value in shown.items()
                    if value not in (None, "", [], {})]
