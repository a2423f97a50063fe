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
        "unit": row.unit.code, "summary": row.summary, "findings": [_finding(f) for f in row.findings or []],
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
    task, nomination = entry.task, entry.nomination
    return {"id": task.id, "key": task.key, "name": task.name, "lane": task.lane,
            "nomination_id": task.nomination_id, "assignee": entry.assignee, "pooled": task.pooled,
            "created_at": utc(task.created_at), "due_at": utc(task.due_at), "nominee": nomination.nominee_name,
            "award_type": nomination.award_type.code, "unit": nomination.unit.code}


def audit_event(event) -> dict:
    return {"seq": event.seq, "at": utc(event.at), "actor": event.actor, "action": event.action,
            "nomination_id": event.nomination_id, "task": event.task_key, "details": event.details or {}}


FINDING_FIELDS = ("rule", "basis", "met", "message")


def _finding(finding: dict) -> dict:
    """A finding as the API has always given it; the structured facts serve the pages' translations."""
    return {key: finding[key] for key in FINDING_FIELDS if key in finding}
