"""Turning domain rows into the API's plain shapes."""

from datetime import timezone

from workflows import nominations


def utc(moment):
    """Stored times are naive UTC; say so on the way out."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None else None


def nomination(row, *, with_tasks: bool = True) -> dict:
    decision = row.decision
    return {
        "id": row.id, "status": row.status, "award_type": row.award_type.code, "year": row.year,
        "unit": row.unit.code, "summary": row.summary, "findings": row.findings or [],
        "nominee": {"kind": row.nominee_kind, "name": row.nominee_name, "position": row.nominee_position,
                    "username": row.nominee_user.username if row.nominee_user else None},
        "open_tasks": [task_brief(t) for t in nominations.open_tasks(row.id)] if with_tasks else [],
        "decision": {"kind": decision.kind, "number": decision.number, "signed_at": utc(decision.signed_at),
                     "signed_by": decision.signed_by.username} if decision else None,
        "withdrawn_reason": row.withdrawn_reason, "created_at": utc(row.created_at),
    }


def task_brief(task) -> dict:
    return {"id": task.id, "key": task.key, "name": task.name, "lane": task.lane,
            "assignee": task.assignee.username if task.assignee_id else None, "due_at": utc(task.due_at)}


def inbox_entry(entry) -> dict:
    """A ``tasks.InboxEntry`` in the shape of ``TaskOut``."""
    return {"id": entry.id, "key": entry.key, "name": entry.name, "lane": entry.lane,
            "nomination_id": entry.nomination_id, "assignee": entry.assignee, "pooled": entry.pooled,
            "created_at": utc(entry.created_at), "due_at": utc(entry.due_at), "nominee": entry.nominee,
            "award_type": entry.award_type, "unit": entry.unit}


def inbox_entry_json(entry) -> dict:
    """The same, ready for JSON as ``TaskOut`` would dump it: a page of these skips marshmallow."""
    return {"id": entry.id, "key": entry.key, "name": entry.name, "lane": entry.lane,
            "nomination_id": entry.nomination_id, "assignee": entry.assignee, "pooled": entry.pooled,
            "created_at": iso(entry.created_at), "due_at": iso(entry.due_at), "nominee": entry.nominee,
            "award_type": entry.award_type, "unit": entry.unit}


def iso(moment) -> str | None:
    """A stored time as marshmallow's DateTime field writes it: ISO 8601 with the UTC offset."""
    return moment.replace(tzinfo=timezone.utc).isoformat() if moment is not None else None


def audit_event(event) -> dict:
    return {"seq": event.seq, "at": utc(event.at), "actor": event.actor, "action": event.action,
            "nomination_id": event.nomination_id, "task": event.task_key, "details": event.details or {}}
