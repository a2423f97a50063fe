"""The people of a year-end round: a member agency with its office, head and council, its
departments, and the staff its registry offers as candidates.

Written straight into the tables (the registry's import is measured elsewhere): 25 staff per
department assessed "completed tasks well" (HTTNV) in the round's year, and in the first
departments two staff each assessed "excellent" (HTXSNV), the emulation-fighter candidates.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select

from workflows.db import db
from workflows.models import Assessment, Authority, Collective, CouncilSeat, Person, Unit
from workflows.services import authorities
from workflows.usecases import accounts

from .world import FAST_HASH, PASSWORD

YEAR = 2026
PER_LIST = 25


@dataclass
class Agency:
    """One member agency as the year-end run drives it: who plays each part, and its staff."""

    code: str
    unit_id: int
    office: str
    head: str
    members: list[str]  # every voting member of its council, the head (who chairs it) first
    clerk: str
    unit_head: str
    departments: list[int] = field(default_factory=list)  # collective ids
    staff: dict[int, list[int]] = field(default_factory=dict)  # collective id -> person ids
    excellent: list[int] = field(default_factory=list)  # person ids assessed HTXSNV


def build_agency(unit: Unit, *, lists: int, fighters: int, members: int) -> Agency:
    """The agency's authority and people: ``lists`` departments of ``PER_LIST`` staff, ``members`` voting seats."""
    prefix = authorities.ascii_code(unit.code)
    authority = db.session.execute(select(Authority).where(Authority.code == unit.code)).scalar_one_or_none()
    if authority is None:
        authority = Authority(code=unit.code, name=unit.name, name_vi=unit.name_vi, kind="agency",
                              parent_id=authorities.bloc().id, unit_id=unit.id, symbol=unit.code)
        db.session.add(authority)
        db.session.flush()

    def person(suffix: str, roles, seat=None, unit_roles=()) -> str:
        username = f"{prefix}_{suffix}"
        user = accounts.create_user(username, PASSWORD, roles=list(unit_roles), unit_code=unit.code,
                                    full_name=f"{suffix} {unit.code}", hash_method=FAST_HASH,
                                    allow_no_role=True)
        for role in roles:
            authorities.grant(user, authority, role)
        db.session.flush()
        if seat:
            db.session.add(CouncilSeat(authority_id=authority.id, user_id=user.id, position=seat))
        return username

    agency = Agency(
        code=unit.code, unit_id=unit.id,
        office=person("office", ["office"], "secretary"),
        head=person("head", ["head", "council_chair", "council_member"], "chair"),
        members=[], clerk=person("clerk", [], unit_roles=["unit_clerk"]),
        unit_head=person("unithead", [], unit_roles=["unit_head"]))
    agency.members = [agency.head] + [person(f"m{i}", ["council_member"], "member") for i in range(1, members)]
    _staff(agency, lists, fighters)
    db.session.commit()
    return agency


def _staff(agency: Agency, lists: int, fighters: int) -> None:
    recruited = date(2010, 9, 1)
    for index in range(lists):
        collective = Collective(code=f"{agency.code}-D{index:02d}", unit_id=agency.unit_id,
                                name=f"Phòng {index + 1:02d}")
        db.session.add(collective)
        db.session.flush()
        agency.departments.append(collective.id)
        rows = [{"code": f"{agency.code}-{index:02d}-{n:03d}", "unit_id": agency.unit_id,
                 "collective_id": collective.id, "full_name": f"Cán bộ {index + 1:02d}.{n + 1:03d}",
                 "position": "Chuyên viên", "recruited_on": recruited, "active": True}
                for n in range(PER_LIST)]
        db.session.execute(insert(Person), rows)
        ids = list(db.session.execute(select(Person.id).where(Person.collective_id == collective.id)
                                      .order_by(Person.id)).scalars())
        agency.staff[collective.id] = ids
    everyone = [pid for ids in agency.staff.values() for pid in ids]
    agency.excellent = everyone[:fighters]
    excellent = set(agency.excellent)
    db.session.execute(insert(Assessment), [
        {"person_id": pid, "year": YEAR, "grade": "HTXSNV" if pid in excellent else "HTTNV"} for pid in everyone])
