"""Who may read and change the registry.

The bloc's secretariat (its emulation office) and administrators manage the whole bloc; a member
agency's emulation office manages its own agency's registry; a unit's emulation officer manages
their own unit's people; the unit head reads their own unit; the auditor reads everything and
changes nothing. Only the emulation offices and administrators place or lift review holds, as a hold
stops a nomination before the vote and the unit must not be the judge of its own people.
"""

from dataclasses import dataclass

from workflows.errors import NotAllowed

MANAGE_ALL = frozenset({"secretariat", "admin"})
READ_ALL = MANAGE_ALL | {"auditor"}
HOLD_ROLES = MANAGE_ALL
# The emulation office of a member agency (or of a unit with legal status): its own agency's registry.
AGENCY_OFFICE = "agency_office"


@dataclass(frozen=True)
class Scope:
    """What the caller may touch: every unit (``unit_id`` None) or one unit."""

    unit_id: int | None

    def covers(self, unit_id: int) -> bool:
        return self.unit_id is None or self.unit_id == unit_id


@dataclass(frozen=True)
class Operator:
    """The command line: whoever runs it administers the installation, so it acts bloc-wide."""

    id: None = None
    username: None = None  # the trail records the system as the actor
    active: bool = True
    unit_id: None = None
    roles: frozenset = frozenset({"admin"})

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)


OPERATOR = Operator()


def read_scope(actor) -> Scope:
    """The units whose registry the caller may read; NotAllowed for roles without access."""
    roles = _roles(actor)
    if roles & READ_ALL:
        return Scope(None)
    if AGENCY_OFFICE in roles:
        return Scope(_office_unit(actor))
    if roles & {"unit_clerk", "unit_head"} and actor.unit_id is not None:
        return Scope(actor.unit_id)
    raise NotAllowed("registry.no_access")


def change_scope(actor) -> Scope:
    """The units whose registry the caller may change or import into."""
    roles = _roles(actor)
    if roles & MANAGE_ALL:
        return Scope(None)
    if AGENCY_OFFICE in roles:
        return Scope(_office_unit(actor))
    if "unit_clerk" in roles and actor.unit_id is not None:
        return Scope(actor.unit_id)
    raise NotAllowed("registry.no_change")


def may_read(actor) -> bool:
    try:
        read_scope(actor)
    except NotAllowed:
        return False
    return True


def may_change(actor) -> bool:
    try:
        change_scope(actor)
    except NotAllowed:
        return False
    return True


def may_manage_holds(actor) -> bool:
    return bool(_roles(actor) & (HOLD_ROLES | {AGENCY_OFFICE}))


def require_hold_manager(actor) -> None:
    if not may_manage_holds(actor):
        raise NotAllowed("hold.managers_only")


def _roles(actor) -> frozenset:
    """The actor's roles, the secretariat's meaning the bloc's office; an agency's office is ``AGENCY_OFFICE``."""
    if actor is None or not actor.active:
        raise NotAllowed("account.inactive")
    roles = actor.roles
    if "secretariat" in roles and not any(r.role == "office" and r.authority.kind == "bloc" for r in _held(actor)):
        roles = (roles - {"secretariat"}) | {AGENCY_OFFICE}
    return roles


def _held(actor) -> list:
    return list(getattr(actor, "authority_roles", ()))


def _office_unit(actor) -> int | None:
    """The member agency whose registry an agency's office keeps (the first, for an office of several)."""
    units = sorted(r.authority.unit_id for r in _held(actor) if r.role == "office" and r.authority.unit_id)
    return units[0] if units else -1
