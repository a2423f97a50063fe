"""Administering the deciding authorities: list, create and change them, give and take roles within them.

Which authority decides a nomination, and who holds what in it, is the service
``workflows/services/authorities.py``; the pages and the API read it through the functions here.
"""

import re

from sqlalchemy import delete, select

from workflows.db import db
from workflows.errors import Conflict, InvalidData, NotFound, Reason
from workflows.models import Authority, AuthorityRole, Collective, Unit, User
from workflows.models.authorities import KINDS, ROLES
from workflows.services import audit
from workflows.services.authorities import (
    bloc,
    by_code,
    by_id,
    collective_code,
    every,
    grant,
    held_by,
    is_set_up,
    members,
    unit_code,
)
from workflows.services.transactions import use_case
from workflows.usecases.administration import require_admin

# What the pages and the API read, as the service gives it.
__all__ = ["assign", "by_id", "collective_code", "every", "get", "held_by", "is_set_up", "listing", "members",
           "save", "unit_code"]

_CODE = re.compile(r"[A-Z0-9_]{1,32}")


def listing(actor) -> list[tuple[Authority, bool, int]]:
    """Every authority with whether it is set up and how many people hold roles in it."""
    require_admin(actor)
    counts: dict[int, int] = {}
    for authority_id, _user in db.session.execute(select(AuthorityRole.authority_id, AuthorityRole.user_id)
                                                  .distinct()).all():
        counts[authority_id] = counts.get(authority_id, 0) + 1
    return [(a, is_set_up(a), counts.get(a.id, 0)) for a in every()]


def get(actor, code: str) -> Authority:
    require_admin(actor)
    found = by_code(code)
    if found is None:
        raise NotFound("authority.not_found", code=str(code))
    return found


@use_case
def save(actor, *, code, name, name_vi, kind, symbol, parent=None, unit=None, collective=None,
         active=True, existing: str | None = None) -> Authority:
    """Create an authority, or (``existing``: its code) change one. Codes and symbols are unique."""
    require_admin(actor)
    authority = get(actor, existing) if existing else None
    errors = {}
    code = (code or "").strip().upper() if isinstance(code, str) else ""
    if not _CODE.fullmatch(code):
        errors["code"] = Reason("authority.bad_code")
    name, name_vi = _text(name), _text(name_vi)
    if not name or len(name) > 200:
        errors["name"] = Reason("user.bad_full_name", max=200)
    if len(name_vi) > 200:
        errors["name_vi"] = Reason("field.too_long", max=200)
    symbol = _text(symbol)
    if not symbol or len(symbol) > 32 or "/" in symbol:
        errors["symbol"] = Reason("authority.bad_symbol")
    if kind not in KINDS:
        errors["kind"] = Reason("field.choose_one", choices=list(KINDS))
    parent_row = by_code(parent) if parent else None
    if parent and parent_row is None:
        errors["parent"] = Reason("authority.not_found", code=str(parent))
    unit_row = db.session.execute(select(Unit).where(Unit.code == unit)).scalar_one_or_none() if unit else None
    if unit and unit_row is None:
        errors["unit"] = Reason("unit.not_found", code=str(unit))
    collective_row = db.session.execute(select(Collective).where(Collective.code == collective)) \
        .scalar_one_or_none() if collective else None
    if collective and collective_row is None:
        errors["collective"] = Reason("authority.collective_not_found", code=str(collective))
    if kind == "agency" and unit_row is None and "unit" not in errors:
        errors["unit"] = Reason("authority.agency_needs_unit")
    if kind == "unit_with_legal_status":
        if parent_row is None or parent_row.kind != "agency":
            errors.setdefault("parent", Reason("authority.parent_must_be_agency"))
        if collective_row is None:
            errors.setdefault("collective", Reason("authority.needs_department"))
        elif parent_row is not None and parent_row.unit_id != collective_row.unit_id:
            errors["collective"] = Reason("authority.department_elsewhere")
    if kind == "bloc" and (authority is None or authority.kind != "bloc"):
        errors["kind"] = Reason("authority.one_bloc")
    if authority is not None and authority.kind == "bloc" and kind != "bloc":
        errors["kind"] = Reason("authority.one_bloc")
    if errors:
        raise InvalidData("authority.invalid", fields=errors)
    for column, value in (("code", code), ("symbol", symbol)):
        clash = db.session.execute(select(Authority.id).where(getattr(Authority, column) == value)).scalar()
        if clash is not None and (authority is None or clash != authority.id):
            raise Conflict("authority.taken", field=column, value=value)
    if authority is None:
        authority = Authority(code=code, name=name, name_vi=name_vi, kind=kind, symbol=symbol)
        db.session.add(authority)
        action = "authority_created"
    else:
        action = "authority_changed"
    authority.code, authority.name, authority.name_vi, authority.kind, authority.symbol = \
        code, name, name_vi, kind, symbol
    authority.active = bool(active)
    authority.parent_id = parent_row.id if parent_row else (bloc().id if kind == "agency" else None)
    authority.unit_id = unit_row.id if unit_row else (parent_row.unit_id if parent_row else None)
    authority.collective_id = collective_row.id if collective_row else None
    db.session.flush()
    audit.record(action, actor=actor, details={"code": code, "kind": kind, "symbol": symbol,
                                               "active": authority.active})
    db.session.commit()
    return authority


@use_case
def assign(actor, code: str, username: str, role: str, *, held: bool) -> Authority:
    """Give (``held``) or take away a role within the authority."""
    authority = get(actor, code)
    target = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none() \
        if isinstance(username, str) else None
    if target is None:
        raise NotFound("user.not_found", username=str(username))
    if role not in ROLES:
        raise InvalidData("authority.unknown_role", role=str(role),
                          fields={"role": Reason("field.choose_one", choices=list(ROLES))})
    if held:
        changed = grant(target, authority, role)
    else:
        changed = db.session.execute(delete(AuthorityRole).where(
            AuthorityRole.user_id == target.id, AuthorityRole.authority_id == authority.id,
            AuthorityRole.role == role)).rowcount > 0
    if changed:
        audit.record("authority_role_changed", actor=actor, details={
            "authority": authority.code, "username": target.username, "role": role, "held": held})
    db.session.commit()
    db.session.expire(target)
    return authority


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""
