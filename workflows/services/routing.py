"""Who a task belongs to, and who may see or change a nomination. Pure rules, no queries.

Lanes name who does the work: the ``Unit`` lane belongs to the nominating unit's own staff,
the ``Reviewer`` lane to a named reviewer or else the reviewers' pool, the ``Council`` lane to
one member per ballot. Within a lane, the task's ``role`` property says which role acts.
"""

from dataclasses import dataclass

from workflows.models.people import UNIT_ROLES

# Lanes whose tasks are narrowed to the nominating unit.
UNIT_LANES = frozenset({"Unit"})
# Lanes whose unassigned tasks sit in a pool that members of the role may claim from.
POOL_LANES = frozenset({"Reviewer"})
# Roles that see every nomination, from its first draft.
OVERSIGHT_ROLES = frozenset({"auditor", "admin"})
# Bloc-wide roles that see a nomination once its unit has submitted it.
BLOC_ROLES = frozenset({"secretariat", "reviewer", "council_member", "council_chair"})


@dataclass(frozen=True)
class Route:
    """Where a ready task goes: a role, optionally narrowed to a unit and to one person."""

    role: str
    unit_id: int | None
    assignee: str | None  # a username
    pooled: bool


def route(lane: str | None, role: str | None, assignee: str | None, nomination_unit_id: int) -> Route:
    """The route of a task from its lane, its role property and any named assignee."""
    if not role:
        raise ValueError(f"a task in lane {lane!r} has no role property")
    unit_id = nomination_unit_id if lane in UNIT_LANES or role in UNIT_ROLES else None
    pooled = lane in POOL_LANES and not assignee
    return Route(role=role, unit_id=unit_id, assignee=assignee, pooled=pooled)


def may_act(user, task) -> bool:
    """May ``user`` complete (or claim) ``task`` — an IndexedTask or anything shaped like it."""
    if not user.active or task.role not in user.roles:
        return False
    if task.unit_id is not None and task.unit_id != user.unit_id:
        return False
    return task.assignee_id is None or task.assignee_id == user.id


def may_claim(user, task) -> bool:
    """A pool task nobody holds yet, offered to the user's role."""
    return task.pooled and task.assignee_id is None and may_act(user, task)


def may_unclaim(user, task) -> bool:
    """Only the holder gives a pool task back; a named assignment cannot be dropped."""
    return user.active and task.pooled and task.assignee_id == user.id


def may_view(user, nomination) -> bool:
    """Unit staff see their unit's nominations; the bloc sees them once submitted; oversight sees all."""
    roles = user.roles
    if not user.active:
        return False
    if roles & OVERSIGHT_ROLES:
        return True
    if roles & UNIT_ROLES and nomination.unit_id == user.unit_id:
        return True
    return bool(roles & BLOC_ROLES) and nomination.submitted_at is not None


def may_edit_dossier(user, nomination) -> bool:
    """The nominating unit's clerk prepares the dossier."""
    return user.active and "unit_clerk" in user.roles and nomination.unit_id == user.unit_id


def may_withdraw(user, nomination) -> bool:
    """The nominating unit (its clerk or head) may withdraw its own nomination."""
    return user.active and bool(user.roles & UNIT_ROLES) and nomination.unit_id == user.unit_id


def may_start(user) -> bool:
    """Only a unit's clerk starts nominations, for their own unit."""
    return user.active and "unit_clerk" in user.roles and user.unit_id is not None


def may_read_whole_trail(user) -> bool:
    return user.active and bool(user.roles & OVERSIGHT_ROLES)
