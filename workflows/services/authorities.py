"""Deciding authorities: which one decides a nomination, and who holds which role within each.

An award's level picks the authority (Law 06/2022/QH15, Chapter IV): a grassroots title is decided
inside the nominee's agency — by the unit with legal status the nominee belongs to where one is set
up, else by the agency; an agency-level award by the agency; a state award is proposed by the agency
(its head signs the proposal, which goes up); the bloc decides the bloc's own matters. An agency (or a
unit with legal status) counts only once it is set up — active, with an office and a head — and until
then the bloc decides in its place, as it did for everything before authorities existed.
"""

import unicodedata

from sqlalchemy import select

from workflows.db import db
from workflows.models import Authority, AuthorityRole, Collective, Person, Unit, User
from workflows.models.authorities import KINDS, ROLES

BLOC_CODE = "KHOI"
BLOC_SYMBOL = "KTĐ"
BLOC_NAME = "Emulation Bloc of Central Party Agencies"
BLOC_NAME_VI = "Khối thi đua các cơ quan Đảng Trung ương"
# What an authority needs before it decides anything: someone to run the work, someone to sign.
SET_UP_ROLES = ("office", "head")
# The roles of the diagram (as accounts and older records name them) and the roles within an
# authority they stand for; the chair of the council also heads the bloc, as before authorities.
LEGACY_ROLES = {"secretariat": ("office",), "reviewer": ("reviewer",), "council_member": ("council_member",),
                "council_chair": ("council_chair", "head")}


# -- reading ---------------------------------------------------------------------------------------

def bloc() -> Authority:
    """The bloc's authority, made on first need (every installation has one)."""
    found = db.session.execute(select(Authority).where(Authority.kind == "bloc").order_by(Authority.id)
                               .limit(1)).scalar_one_or_none()
    if found is None:
        found = Authority(code=BLOC_CODE, name=BLOC_NAME, name_vi=BLOC_NAME_VI, kind="bloc", symbol=BLOC_SYMBOL)
        db.session.add(found)
        db.session.flush()
    return found


def by_code(code: str) -> Authority | None:
    if not isinstance(code, str):
        return None
    return db.session.execute(select(Authority).where(Authority.code == code)).scalar_one_or_none()


def by_id(authority_id: int) -> Authority | None:
    return db.session.get(Authority, authority_id)


def unit_code(authority: Authority) -> str:
    found = db.session.get(Unit, authority.unit_id) if authority.unit_id else None
    return found.code if found else ""


def collective_code(authority: Authority) -> str:
    if authority.collective_id is None:
        return ""
    found = db.session.get(Collective, authority.collective_id)
    return found.code if found else ""


def every() -> list[Authority]:
    """Every authority: the bloc first, then agencies and their units with legal status by code."""
    rows = db.session.execute(select(Authority)).scalars()
    return sorted(rows, key=lambda a: (KINDS.index(a.kind) if a.kind in KINDS else 9, a.code))


def is_set_up(authority: Authority | None) -> bool:
    """Active, with an active holder of each of the office and the head."""
    if authority is None or not authority.active:
        return False
    held = set(db.session.execute(
        select(AuthorityRole.role).join(User, User.id == AuthorityRole.user_id)
        .where(AuthorityRole.authority_id == authority.id, AuthorityRole.role.in_(SET_UP_ROLES),
               User.active.is_(True))).scalars())
    return held >= set(SET_UP_ROLES)


def agency_of(unit_id: int | None) -> Authority | None:
    if unit_id is None:
        return None
    return db.session.execute(select(Authority).where(Authority.kind == "agency", Authority.unit_id == unit_id)
                              .order_by(Authority.id).limit(1)).scalar_one_or_none()


def deciding(award, unit_id: int, *, person: Person | None = None, collective: Collective | None = None) -> Authority:
    """The authority that decides (or, for a state award, proposes) this award for this nominee.

    ``bloc`` level (the bloc's own matters) goes to the bloc; ``grassroots`` to the unit with
    legal status the nominee is in where one is set up, else to the nominee's agency; ``agency``
    and ``state`` to the nominee's agency. An authority not yet set up passes to the bloc.
    """
    if award.level == "bloc":
        return bloc()
    agency = agency_of(unit_id)
    if not is_set_up(agency):
        return bloc()
    if award.level == "grassroots":
        department = collective.id if collective is not None else getattr(person, "collective_id", None)
        if department is not None:
            inside = db.session.execute(select(Authority).where(
                Authority.kind == "unit_with_legal_status", Authority.parent_id == agency.id,
                Authority.collective_id == department)).scalars().first()
            if is_set_up(inside):
                return inside
    return agency


def deciding_by_department(award, unit_id: int, departments) -> dict:
    """``deciding`` for many nominees of one unit at once: department (collective id or None) -> authority.

    The same answer as ``deciding`` gives a nominee of that department, in a few statements
    whatever the number of departments.
    """
    departments = set(departments)
    if award.level == "bloc":
        return dict.fromkeys(departments, bloc())
    agency = agency_of(unit_id)
    if not is_set_up(agency):
        return dict.fromkeys(departments, bloc())
    found = dict.fromkeys(departments, agency)
    wanted = [d for d in departments if d is not None]
    if award.level != "grassroots" or not wanted:
        return found
    inside: dict[int, Authority] = {}
    for row in db.session.execute(select(Authority).where(
            Authority.kind == "unit_with_legal_status", Authority.parent_id == agency.id,
            Authority.collective_id.in_(wanted)).order_by(Authority.id)).scalars():
        inside.setdefault(row.collective_id, row)  # the first, as ``deciding``'s ``.first()`` takes
    for department, authority in inside.items():
        if is_set_up(authority):
            found[department] = authority
    return found


def held_by(user) -> list[tuple[Authority, list[str]]]:
    """The authorities the user holds roles in, each with those roles (in ROLES order)."""
    found: dict[int, tuple[Authority, set]] = {}
    for row in getattr(user, "authority_roles", ()):
        found.setdefault(row.authority_id, (row.authority, set()))[1].add(row.role)
    ordered = sorted(found.values(), key=lambda pair: (KINDS.index(pair[0].kind), pair[0].code))
    return [(authority, [r for r in ROLES if r in roles]) for authority, roles in ordered]


def holders(authority_id: int, role: str) -> list[User]:
    """Active users holding ``role`` within the authority, by name."""
    return list(db.session.execute(
        select(User).join(AuthorityRole, AuthorityRole.user_id == User.id)
        .where(AuthorityRole.authority_id == authority_id, AuthorityRole.role == role, User.active.is_(True))
        .order_by(User.full_name, User.username)).scalars())


def members(authority_id: int) -> list[tuple[User, list[str]]]:
    """Everyone holding a role within the authority, with their roles."""
    rows = db.session.execute(
        select(User, AuthorityRole.role).join(AuthorityRole, AuthorityRole.user_id == User.id)
        .where(AuthorityRole.authority_id == authority_id).order_by(User.full_name, User.username)).all()
    found: dict[int, tuple[User, set]] = {}
    for user, role in rows:
        found.setdefault(user.id, (user, set()))[1].add(role)
    return [(user, [r for r in ROLES if r in roles]) for user, roles in found.values()]


# -- granting ----------------------------------------------------------------------------------------

def grant(user: User, authority: Authority, role: str) -> bool:
    """Give the user a role within the authority; False when they held it already."""
    if role not in ROLES:
        raise ValueError(f"unknown role within an authority: {role}")
    if any(r.authority_id == authority.id and r.role == role for r in user.authority_roles):
        return False
    user.authority_roles.append(AuthorityRole(authority_id=authority.id, role=role, authority=authority))
    return True


def grant_legacy(user: User, roles, authority: Authority | None = None) -> None:
    """Give the roles of the diagram's names (``secretariat``, ``council_chair``, …) within an authority,
    the bloc unless another is named."""
    authority = authority or bloc()
    for legacy in roles:
        for role in LEGACY_ROLES.get(legacy, ()):
            grant(user, authority, role)


def legacy_roles_in(user: User, authority_id: int) -> set[str]:
    """The diagram's names of the roles the user holds within one authority."""
    held = {r.role for r in user.authority_roles if r.authority_id == authority_id}
    return {legacy for legacy, roles in LEGACY_ROLES.items() if held & set(roles)}


def set_legacy_roles(user: User, roles, authority: Authority | None = None) -> None:
    """Make the user's roles within the authority (the bloc by default) exactly the named ones."""
    authority = authority or bloc()
    wanted = {role for legacy in roles for role in LEGACY_ROLES.get(legacy, ())}
    user.authority_roles = [r for r in user.authority_roles if r.authority_id != authority.id or r.role in wanted]
    for role in sorted(wanted):
        grant(user, authority, role)


def ascii_code(code: str) -> str:
    """A code as lower-case ASCII, for usernames made from it (``VPTW`` → ``vptw``)."""
    folded = unicodedata.normalize("NFKD", code.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c == "_")).lower()
