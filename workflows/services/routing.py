"""Who a task belongs to, and who may see or change a nomination. Pure rules, no queries.

Lanes name who does the work: the ``Unit`` lane belongs to the nominating unit's own staff,
the ``Reviewer`` lane to a named reviewer or else the reviewers' pool, the ``Council`` lane to
one member per ballot. Within a lane, the task's ``role`` property says which role acts. Every
role but the unit's is held within an authority: a task of the secretariat, a reviewer, the
council or the chair goes to the holders of that role within the nomination's deciding authority.
"""

from dataclasses import dataclass

from workflows.models.people import UNIT_ROLES

# Lanes whose tasks are narrowed to the nominating unit.
UNIT_LANES = frozenset({"Unit"})
# Lanes whose unassigned tasks sit in a pool that members of the role may claim from.
POOL_LANES = frozenset({"Reviewer"})
# Roles that see every nomination, from its first draft.
OVERSIGHT_ROLES = frozenset({"auditor", "admin"})
# Roles held within an authority: they see the authority's nominations once the unit has submitted them.
BLOC_ROLES = frozenset({"secretariat", "reviewer", "council_member", "council_chair"})
AUTHORITY_ROLES = BLOC_ROLES


@dataclass(frozen=True)
class Route:
    """Where a ready task goes: a role, optionally narrowed to a unit and to one person."""

    role: str
    unit_id: int | None
    assignee: str | None  # a username
    pooled: bool
    authority_id: int | None = None


def route(lane: str | None, role: str | None, assignee: str | None, nomination_unit_id: int,
          authority_id: int | None = None) -> Route:
    """The route of a task from its lane, its role property, any named assignee and the deciding authority."""
    if not role:
        raise ValueError(f"a task in lane {lane!r} has no role property")
    unit_id = nomination_unit_id if lane in UNIT_LANES or role in UNIT_ROLES else None
    pooled = lane in POOL_LANES and not assignee
    within = authority_id if unit_id is None and role in AUTHORITY_ROLES else None
    return Route(role=role, unit_id=unit_id, assignee=assignee, pooled=pooled, authority_id=within)


def may_act(user, task) -> bool:
    """May ``user`` complete (or claim) ``task`` — an IndexedTask or anything shaped like it."""
    if not user.active or task.role not in user.roles:
        return False
    # A step of the office, a reviewer, the council or the chair is taken within its authority only.
    if task.role in AUTHORITY_ROLES and not user.acts_as(task.role, getattr(task, "authority_id", None)):
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
    """Unit staff see their unit's nominations; the deciding authority's office, reviewers, council
    and head see them once submitted; oversight sees all."""
    roles = user.roles
    if not user.active:
        return False
    if roles & OVERSIGHT_ROLES:
        return True
    if roles & UNIT_ROLES and nomination.unit_id == user.unit_id:
        return True
    return nomination.submitted_at is not None and nomination.authority_id in authority_ids(user)


def authority_ids(user) -> frozenset[int]:
    """The authorities the user holds a role in (none for the command line's operator)."""
    return getattr(user, "authority_ids", frozenset())


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
