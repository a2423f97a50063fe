"""Turning domain rows into the API's plain shapes."""

from datetime import timezone

from workflows.usecases import authorities, decisions, list_decisions, nominations, tasks, upward
from workflows.usecases.registry import records as registry_records

from .. import vocabulary


def utc(moment):
    """Stored times are naive UTC; say so on the way out."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None else None


def nomination(row, *, with_tasks: bool = True) -> dict:
    decision = row.decision or row.list_decision  # its own, or the list decision whose annex names it
    return {
        "id": row.id, "status": row.status, "award_type": row.award_type.code, "year": row.year,
        "unit": row.unit.code, "authority": row.authority.code, "summary": row.summary,
        "findings": [_finding(f) for f in row.findings or []],
        "nominee": {"kind": row.nominee_kind, "name": row.nominee_name, "position": row.nominee_position,
                    "username": row.nominee_user.username if row.nominee_user else None,
                    "code": _registry_code(row)},
        "on_hold": bool(nominations.open_holds(row)),
        "rule_set": row.rule_set.code if row.rule_set_id else None,
        "open_tasks": [task_brief(t) for t in nominations.open_tasks(row.id)] if with_tasks else [],
        "decision": {"id": decision.id, "kind": decision.kind, "number": decision.number,
                     "authority": decision.authority.code,
                     "signed_at": utc(decision.signed_at), "signed_by": decision.signed_by.username,
                     "revoked_at": utc(decision.revoked_at), "revoked": revocation(decision)} if decision else None,
        "withdrawn_reason": row.withdrawn_reason, "created_at": utc(row.created_at),
        "upward_result": row.upward_result,
    }


def _registry_code(row) -> str | None:
    subject = row.person or row.collective
    return subject.code if subject is not None else None


def authority(row, roles=None) -> dict:
    shown = {"code": row.code, "name": row.name, "name_vi": row.name_vi, "kind": row.kind,
             "symbol": row.symbol, "parent": row_parent_code(row), "active": row.active}
    if roles is not None:
        shown["roles"] = list(roles)
    return shown


def row_parent_code(row) -> str | None:
    parent = authorities.by_id(row.parent_id) if row.parent_id else None
    return parent.code if parent else None


def task_brief(task) -> dict:
    return {"id": task.id, "key": task.key, "name": task.name, "lane": task.lane,
            "assignee": task.assignee.username if task.assignee_id else None, "due_at": utc(task.due_at)}


def inbox_entry(entry) -> dict:
    """A ``tasks.InboxEntry`` in the shape of ``TaskOut``."""
    return {"id": entry.id, "key": entry.key, "name": entry.name, "lane": entry.lane,
            "nomination_id": entry.nomination_id, "assignee": entry.assignee, "pooled": entry.pooled,
            "created_at": utc(entry.created_at), "due_at": utc(entry.due_at), "nominee": entry.nominee,
            "award_type": entry.award_type, "unit": entry.unit, "authority": entry.authority,
            "proposal_id": entry.proposal_id}


def inbox_entry_json(entry) -> dict:
    """The same, ready for JSON as ``TaskOut`` would dump it: a page of these skips marshmallow."""
    return {"id": entry.id, "key": entry.key, "name": entry.name, "lane": entry.lane,
            "nomination_id": entry.nomination_id, "assignee": entry.assignee, "pooled": entry.pooled,
            "created_at": iso(entry.created_at), "due_at": iso(entry.due_at), "nominee": entry.nominee,
            "award_type": entry.award_type, "unit": entry.unit, "authority": entry.authority,
            "proposal_id": entry.proposal_id}


def task_form(task, form: dict) -> dict:
    """A task's form as ``Form`` describes it: each field's label in the request's language, and
    for a field naming a user, the people who may be named in it."""
    form_key = (task.form or task.key).removesuffix(".json")  # the form file names the form
    fields = []
    for field in tasks.public_fields(form):
        field["label"] = vocabulary.field_label(form_key, field["name"], field["label"])
        if field["type"] == "user" and field.get("role"):
            field["candidates"] = [{"username": user.username, "full_name": user.full_name}
                                   for user in tasks.users_with_role(field["role"], task.authority_id)]
        fields.append(field)
    return {"fields": fields}


def iso(moment) -> str | None:
    """A stored time as marshmallow's DateTime field writes it: ISO 8601 with the UTC offset."""
    return moment.replace(tzinfo=timezone.utc).isoformat() if moment is not None else None


def audit_event(event) -> dict:
    return {"seq": event.seq, "at": utc(event.at), "actor": event.actor, "action": event.action,
            "nomination_id": event.nomination_id, "task": event.task_key, "details": event.details or {}}


def person_brief(person) -> dict:
    return {"code": person.code, "full_name": person.full_name, "unit": person.unit.code,
            "collective": person.collective.code if person.collective else None, "position": person.position,
            "recruited_on": person.recruited_on, "active": person.active}


def collective_brief(collective) -> dict:
    return {"code": collective.code, "name": collective.name, "unit": collective.unit.code,
            "active": collective.active}


def registry_record(record) -> dict:
    """A person or collective with its whole history and its holds, open or lifted."""
    brief = person_brief(record.subject) if record.kind == "person" else collective_brief(record.subject)
    body = {
        **brief,
        "assessments": [{"id": a.id, "year": a.year, "grade": a.grade} for a in record.assessments],
        "awards": [{"id": a.id, "award": a.award_code, "year": a.year, "decision_ref": a.decision_ref,
                    "revoked_at": utc(a.revoked_at)} for a in record.awards],
        "initiatives": [{"id": i.id, "title": i.title, "level": i.level, "year": i.year, "reference": i.reference,
                         "used_by_nomination": i.used_by_nomination_id} for i in record.initiatives],
        "holds": [hold(h) for h in record.holds],
    }
    if record.kind == "person":
        body["discipline"] = [{"id": d.id, "year": d.year, "level": d.level, "reference": d.reference}
                              for d in record.discipline]
    else:
        body["members"] = [person_brief(p) for p in record.members]
    return body


def hold(row) -> dict:
    subject, code = registry_records.hold_subject(row)
    users = registry_records.hold_users(row)
    return {"id": row.id, "kind": row.kind, "reason": row.reason, "placed_at": utc(row.placed_at),
            "placed_by": users[0], "lifted_at": utc(row.lifted_at), "lifted_by": users[1],
            "lift_reason": row.lift_reason, "person": code if subject == "person" else None,
            "collective": code if subject == "collective" else None}


def revocation(decision) -> dict | None:
    """When, by whom and why a decision was revoked, as ``RevocationOut``; None while it stands."""
    if decision.revoked_at is None:
        return None
    code, _, reason = (decision.revoke_reason or "").partition(": ")
    return {"at": utc(decision.revoked_at), "by": decision.revoked_by.username if decision.revoked_by else None,
            "reason_code": code, "reason": reason}


def register_entry(decision, awardees: int | None = None) -> dict:
    """One entry of the register; ``awardees`` counts a list decision's annex (read when not given)."""
    nomination = decision.nomination
    revoked = revocation(decision)
    if nomination is None:  # a list decision: its annex names the awardees
        content = decisions.signed_content(decision)
        count = awardees if awardees is not None else list_decisions.awardee_counts([decision.id]).get(decision.id, 0)
        units = sorted({entry.get("unit", "") for entry in content.get("lists", [])})
        who = {"nomination_id": None, "awardee": "", "awardees": count, "list_id": decision.proposal_id,
               "unit": list_decisions.unit_code(decision), "award_type": content["award"]["code"],
               "units": units}
    else:
        who = {"nomination_id": nomination.id, "awardee": nomination.nominee_name, "awardees": 1,
               "list_id": None, "unit": nomination.unit.code, "award_type": nomination.award_type.code}
    return {
        "id": decision.id, "kind": decision.kind, "number": decision.number,
        "year": decision.year, "signed_at": utc(decision.signed_at), "signed_by": decision.signed_by.username,
        **who, "authority": decision.authority.code,
        "legal_basis": decisions.basis_lines(decision),
        "reward": {"coefficient": decision.reward_coefficient, "base_salary": decision.base_salary,
                   "amount": decision.reward_amount},
        "content_sha256": decision.content_sha256, "revoked": revoked,
    }


FINDING_FIELDS = ("rule", "basis", "met", "message", "initiative_ids")


def _finding(finding: dict) -> dict:
    """A finding as the API gives it; the structured facts serve the pages' translations."""
    return {key: finding[key] for key in FINDING_FIELDS if key in finding}


def list_decision(decision) -> dict:
    """A list decision (or proposal upward) with its annex as signed and each awardee's status now."""
    content = decisions.signed_content(decision)
    found = upward.outcome_of(decision) if decision.kind == "proposal" else None
    return {
        "id": decision.id, "kind": decision.kind, "number": decision.number, "year": decision.year,
        "authority": decision.authority.code, "list_id": decision.proposal_id, "round_id": decision.round_id,
        "lists": content.get("lists", []), "award": content["award"], "signed_at": utc(decision.signed_at),
        "signed_by": decision.signed_by.username, "legal_basis": decisions.basis_lines(decision),
        "reward": {key: content["reward"][key] for key in ("coefficient", "base_salary", "amount")},
        "total_reward": content["reward"]["total"], "count": content["count"],
        "annex": list_decisions.annex(decision), "content_sha256": decision.content_sha256,
        "revoked": revocation(decision), "outcome": outcome(found) if found is not None else None,
    }


def outcome(row) -> dict:
    results = upward.results_of(row)
    return {"id": row.id, "decision_id": row.decision_id, "higher_authority": row.higher_authority,
            "number": row.number, "decided_on": row.decided_on, "filename": row.filename,
            "media_type": row.media_type, "size": row.size, "sha256": row.sha256,
            "recorded_by": upward.recorded_by(row), "recorded_at": utc(row.recorded_at),
            "awarded": results["awarded"], "not_awarded": results["not_awarded"]}
