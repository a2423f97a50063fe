"""The head's signed outcome: numbering, the reward, the signed content and its hash, the
electronic signature, the award written into the nominee's history, the register, revocation.

Each deciding authority keeps its own register: numbers run per authority, year and kind, end in
the authority's symbol (``15/QĐ-VPTW``), and are consumed only when the head approves, so a
refusal leaves no gap in the register.
"""

import hashlib
import json
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased, contains_eager

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import (
    Authority,
    AwardRecord,
    AwardType,
    Collective,
    CouncilSeat,
    Decision,
    Initiative,
    Nomination,
    NumberCounter,
    Person,
    Setting,
    Signature,
    Unit,
)
from workflows.models.people import UNIT_ROLES
from workflows.services import audit
from workflows.services.transactions import use_case
from workflows.usecases import accounts

# The numbering: "<n>/QĐ-<symbol>" for decisions, "<n>/TTr-<symbol>" for proposals upward
# (the bloc's symbol is KTĐ: "12/QĐ-KTĐ").
FORMATS = {"decision": "{seq}/QĐ-{symbol}", "proposal": "{seq}/TTr-{symbol}"}
KIND_OF_OUTCOME = {"awarded": "decision", "forwarded": "proposal"}
KINDS = tuple(FORMATS)

# Settings (administrators change them without a release); the defaults apply until seeded.
BASE_SALARY = "base_salary"
LEGAL_BASIS = "decision_legal_basis"
FREEING_REASONS = "revocation_frees_initiative"

REVOCATION_REASONS = ("false_declaration", "forged_dossier", "criteria_unmet")
REVOCATION_REASON_TEXT = {
    "false_declaration": "Khai man thành tích",
    "forged_dossier": "Giả mạo hồ sơ",
    "criteria_unmet": "Không đủ tiêu chuẩn (phát hiện sau khi khen thưởng)",
}
MAX_REASON = 2000

# Who may read every register; unit staff read their own unit's entries, and the office, council
# and head of an authority its register.
REGISTER_ROLES = frozenset({"auditor", "admin"})
# Roles within an authority that read its register (reviewers have no use for it).
REGISTER_AUTHORITY_ROLES = frozenset({"office", "council_member", "council_chair", "head"})
REVOKING_ROLES = frozenset({"admin", "council_chair"})

# The signer's capacity as printed above the signature.
SEAT_TITLES = {
    "chair": "CHỦ TỊCH HỘI ĐỒNG",
    "standing_vice_chair": "PHÓ CHỦ TỊCH THƯỜNG TRỰC",
    "vice_chair": "PHÓ CHỦ TỊCH HỘI ĐỒNG",
    "member": "ỦY VIÊN HỘI ĐỒNG",
    "secretary": "THƯ KÝ HỘI ĐỒNG",
}
DEFAULT_SEAT = "chair"

# The bloc works in Hà Nội time (UTC+7, no daylight saving); times are stored in UTC.
HANOI = timezone(timedelta(hours=7))


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) time as a naive Hà Nội time, for printing."""
    return moment.replace(tzinfo=timezone.utc).astimezone(HANOI).replace(tzinfo=None)


def setting(key: str, default):
    row = db.session.get(Setting, key)
    return default if row is None else row.value


# -- signing ----------------------------------------------------------------------------------


def issue(nomination, outcome: str, *, signer, comment: str = "") -> Decision:
    """Record the signed decision (or proposal) with the next number of the year, its legal basis,
    reward and content hash."""
    kind = KIND_OF_OUTCOME[outcome]
    # Whole seconds: the hash covers the time, and every database must give it back unchanged.
    signed_at = utcnow().replace(microsecond=0)
    year = local(signed_at).year  # the year printed in the document's date
    authority = nomination.authority
    seq = _next_number(authority.id, kind, year)
    coefficient = float(nomination.award_type.reward_coefficient or 0.0)
    base_salary = int(setting(BASE_SALARY, 0))
    decision = Decision(
        nomination_id=nomination.id, authority_id=authority.id, kind=kind,
        number=FORMATS[kind].format(seq=seq, symbol=authority.symbol), year=year,
        signed_at=signed_at, signed_by_id=signer.id, comment=comment or "",
        legal_basis="\n".join(str(line) for line in setting(LEGAL_BASIS, [])),
        reward_coefficient=coefficient, base_salary=base_salary, reward_amount=reward(coefficient, base_salary))
    db.session.add(decision)
    decision.signed_by, decision.nomination, decision.authority = signer, nomination, authority
    decision.signed_content = content_of(decision)
    decision.content_sha256 = content_sha256(decision.signed_content)
    # The chain's head at the signing (the chair's completion, just recorded), kept with the
    # decision and printed on its paper; set before the insert, so it costs no statement.
    decision.audit_seq, decision.audit_hash = audit.head_now()
    db.session.flush()
    return decision


def record_award(nomination, decision: Decision) -> dict:
    """What the signed outcome changes in the registry, for the trail: the initiatives it used
    and, for a decision (a proposal awards nothing yet), the award entered in the history."""
    notes = {"initiatives_used": _use_initiatives(nomination)}
    if decision.kind == "decision":
        notes["award_record"] = _write_award_record(nomination, decision)
    return notes


def reward(coefficient: float, base_salary: int) -> int:
    """coefficient × base salary in whole đồng, half rounded up (4.5 × 2,340,000 = 10,530,000)."""
    amount = Decimal(str(coefficient)) * Decimal(base_salary)
    return int(amount.to_integral_value(rounding=ROUND_HALF_UP))


def record_signature(nomination, signer, decision: Decision | None) -> Signature:
    """The chair's electronic signature: approved (with the hash of what was signed) or refused."""
    signature = Signature(
        nomination_id=nomination.id, signer_id=signer.id,
        signed_at=decision.signed_at if decision else utcnow().replace(microsecond=0),
        meaning="approved" if decision else "refused",
        content_sha256=decision.content_sha256 if decision else "")
    db.session.add(signature)
    return signature


def content_of(decision: Decision) -> dict:
    """What the signature covers, in a fixed shape, from the current records; at signing it is
    stored on the decision (``signed_content``) and the hash printed on the PDF is over it."""
    nomination = decision.nomination
    signer = decision.signed_by
    issuer = {}
    if decision.authority is not None and decision.authority.kind != "bloc":
        # The bloc's decisions keep the shape they were always signed in; others name their issuer.
        issuer = {"authority": {"code": decision.authority.code, "symbol": decision.authority.symbol,
                                "name": decision.authority.name_vi or decision.authority.name}}
    return {**issuer,
        "kind": decision.kind, "number": decision.number, "date": local(decision.signed_at).date().isoformat(),
        "legal_basis": basis_lines(decision),
        "awardee": {"name": nomination.nominee_name, "kind": nomination.nominee_kind,
                    "position": nomination.nominee_position or "", "unit": unit_name(nomination.unit),
                    "code": _registry_code(nomination)},
        "award": {"code": nomination.award_type.code, "name": award_name(nomination.award_type),
                  "year": nomination.year},
        "reward": {"coefficient": decision.reward_coefficient, "base_salary": decision.base_salary,
                   "amount": decision.reward_amount},
        "signer": {"username": signer.username, "name": signer.full_name,
                   "position": seat_title(signer.id, decision.authority_id)},
        "signed_at": decision.signed_at.isoformat(),
    }


def content_sha256(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify(decision: Decision) -> bool:
    """Does the stored signed content still hash to what was signed and printed?"""
    return decision.signed_content is not None and content_sha256(decision.signed_content) == \
        decision.content_sha256


def signed_content(decision: Decision) -> dict:
    """The content as signed; for a decision signed before it was kept, as the records say now."""
    return decision.signed_content or content_of(decision)


def basis_lines(decision: Decision) -> list[str]:
    return [line for line in (decision.legal_basis or "").split("\n") if line.strip()]


def seat_title(user_id: int, authority_id: int | None = None) -> str:
    seat = db.session.execute(select(CouncilSeat).where(
        CouncilSeat.user_id == user_id, CouncilSeat.authority_id == authority_id)).scalar_one_or_none() \
        if authority_id is not None else None
    return SEAT_TITLES.get(seat.position if seat else DEFAULT_SEAT, SEAT_TITLES[DEFAULT_SEAT])


def unit_name(unit: Unit) -> str:
    return unit.name_vi or unit.name


def award_name(award: AwardType) -> str:
    return award.name_vi or award.name


def _registry_code(nomination) -> str:
    if nomination.person_id:
        return db.session.get(Person, nomination.person_id).code
    if nomination.collective_id:
        return db.session.get(Collective, nomination.collective_id).code
    return ""


def _write_award_record(nomination, decision: Decision) -> int | str:
    """The award enters the history next year's eligibility reads; the row id, or why not."""
    if not (nomination.person_id or nomination.collective_id):
        return "skipped: the nominee is not linked to the registry"
    record = AwardRecord(person_id=nomination.person_id, collective_id=nomination.collective_id,
                         award_code=nomination.award_type.code, year=nomination.year,
                         decision_ref=decision.number, decision_id=decision.id)
    db.session.add(record)
    db.session.flush()
    return record.id


def _use_initiatives(nomination) -> list[int]:
    """An initiative supports one award only: mark those the met eligibility findings relied on."""
    ids = sorted({int(i) for finding in nomination.findings or [] if isinstance(finding, dict) and finding.get("met")
                  for i in finding.get("initiative_ids") or [] if isinstance(i, int)})
    if not ids:
        return []
    taken = db.session.execute(select(Initiative.id).where(
        Initiative.id.in_(ids), Initiative.used_by_nomination_id.is_not(None),
        Initiative.used_by_nomination_id != nomination.id)).scalars().all()
    if taken:
        raise Conflict("initiative.already_used", ids=list(taken))
    db.session.execute(update(Initiative).where(Initiative.id.in_(ids))
                       .values(used_by_nomination_id=nomination.id).execution_options(synchronize_session=False))
    return ids


def next_number(authority_id: int, kind: str, year: int) -> int:
    """The next number of the authority's register for the kind and year (consumed in this transaction)."""
    return _next_number(authority_id, kind, year)


def _next_number(authority_id: int, kind: str, year: int) -> int:
    # Increment in the database: concurrent signings each get their own number.
    mine = (NumberCounter.authority_id == authority_id, NumberCounter.kind == kind, NumberCounter.year == year)
    changed = db.session.execute(update(NumberCounter).where(*mine).values(last=NumberCounter.last + 1)
                                 .execution_options(synchronize_session=False)).rowcount
    if changed == 0:
        db.session.add(NumberCounter(authority_id=authority_id, kind=kind, year=year, last=1))
        db.session.flush()
        return 1
    return db.session.execute(select(NumberCounter.last).where(*mine)).scalar_one()


# -- the register -----------------------------------------------------------------------------


def register_authorities(user) -> frozenset[int]:
    """The authorities whose registers the user reads through a role held within them."""
    return frozenset(r.authority_id for r in getattr(user, "authority_roles", ()) if r.role in REGISTER_AUTHORITY_ROLES)


def may_read_register(user) -> bool:
    return user.active and bool(user.roles & (REGISTER_ROLES | UNIT_ROLES) or register_authorities(user))


def readable_registers(user) -> list[Authority]:
    """The authorities whose whole register the user reads, for choosing one."""
    query = select(Authority).order_by(Authority.id)
    if not user.roles & REGISTER_ROLES:
        query = query.where(Authority.id.in_(sorted(register_authorities(user))))
    return list(db.session.execute(query).scalars())


def _may_read_entry(user, decision: Decision) -> bool:
    if user.roles & REGISTER_ROLES:
        return True
    if decision.authority_id in register_authorities(user):
        return True
    if not (user.roles & UNIT_ROLES) or user.unit_id is None:
        return False
    if decision.nomination is not None:
        return decision.nomination.unit_id == user.unit_id
    # A list decision: the units whose nominees its annex names.
    return db.session.execute(select(Nomination.id).where(Nomination.list_decision_id == decision.id,
                                                          Nomination.unit_id == user.unit_id).limit(1)).first() \
        is not None


def register(user, *, year: int | None = None, kind: str | None = None, q: str | None = None,
             unit: str | None = None, authority: str | None = None, limit: int = 50,
             offset: int = 0) -> tuple[list[Decision], int]:
    """Signed decisions and proposals, newest first, with the total before paging.

    ``q`` matches the number or the awardee's name (case-insensitive); ``unit`` is a unit code.
    Unit staff see their own unit's entries only; reviewers have no use for the register.
    """
    if not may_read_register(user):
        raise NotAllowed("register.not_readable")
    if kind is not None and kind not in KINDS:
        raise InvalidData("register.unknown_kind", kind=str(kind),
                          fields={"kind": Reason("field.choose_one", choices=list(KINDS))})
    # A list decision has no nomination of its own: its annex's nominees stand for it.
    named = aliased(Nomination)
    query = select(Decision).outerjoin(Nomination, Nomination.id == Decision.nomination_id)

    def names(condition):
        return or_(condition(Nomination), Decision.id.in_(
            select(named.list_decision_id).where(named.list_decision_id.is_not(None), condition(named))))

    if not user.roles & REGISTER_ROLES:
        readable = []
        if user.roles & UNIT_ROLES and user.unit_id is not None:
            readable.append(names(lambda n: n.unit_id == user.unit_id))
        if held := register_authorities(user):
            readable.append(Decision.authority_id.in_(sorted(held)))
        query = query.where(or_(*readable) if readable else Decision.id.is_(None))
    if authority:
        query = query.join(Authority, Authority.id == Decision.authority_id).where(Authority.code == authority)
    if year:
        query = query.where(Decision.year == year)
    if kind:
        query = query.where(Decision.kind == kind)
    if unit:
        unit_id = select(Unit.id).where(Unit.code == unit).scalar_subquery()
        query = query.where(names(lambda n: n.unit_id == unit_id))
    if q and q.strip():
        # SQL lower() folds every letter on PostgreSQL but only A-Z on SQLite: offer both foldings,
        # so "qđ" and "QĐ" find "2/QĐ-KTĐ" on either (on SQLite a non-ASCII capital must match as typed).
        text = q.strip()
        ascii_folded = "".join(c.lower() if c.isascii() else c for c in text)
        patterns = [f"%{_escape_like(folded)}%" for folded in {text.lower(), ascii_folded}]
        conditions = [func.lower(Decision.number).like(p, escape="\\") for p in patterns]
        conditions += [names(lambda n, p=p: func.lower(n.nominee_name).like(p, escape="\\")) for p in patterns]
        query = query.where(or_(*conditions))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    # The nomination (with its unit and award, joined by their own mapping) comes in the same query.
    rows = db.session.execute(query.options(contains_eager(Decision.nomination))
                              .order_by(Decision.signed_at.desc(), Decision.id.desc())
                              .limit(limit).offset(offset)).unique().scalars()
    return list(rows), total


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get(user, decision_id: int) -> Decision:
    """A decision the user may see in the register; others are not found."""
    decision = db.session.get(Decision, decision_id) if isinstance(decision_id, int) else None
    if decision is None or not may_read_register(user) or not _may_read_entry(user, decision):
        raise NotFound("decision.not_found", id=decision_id)
    return decision


# -- revocation -------------------------------------------------------------------------------


def may_revoke(user, decision: Decision | None = None) -> bool:
    """Administrators, and the head of the authority whose register holds the decision."""
    if not user.active:
        return False
    if "admin" in user.roles:
        return True
    if decision is None:
        return bool(user.roles & REVOKING_ROLES)
    return user.holds("head", decision.authority_id)


@use_case
def revoke(actor, decision_id: int, *, reason_code, reason, password=None) -> Decision:
    """Revoke a decision for a stated reason; the trail keeps everything.

    Its nomination takes the status ``revoked`` (the decision keeps when, by whom and why), so
    every page, list and register shows it revoked and it no longer blocks a new nomination.
    The award leaves the history eligibility reads (its row stays, marked revoked); the
    initiatives it used are freed only when Setting "revocation_frees_initiative" lists the
    reason. The chair re-enters their password (an administrator acts on their own session).
    Raises NotAllowed, NotFound, InvalidData, or Conflict when it is already revoked.
    """
    if not may_revoke(actor):
        raise NotAllowed("revocation.not_allowed")
    decision = get(actor, decision_id)
    if not may_revoke(actor, decision):
        raise NotAllowed("revocation.not_allowed")
    errors = {}
    if reason_code not in REVOCATION_REASONS:
        errors["reason_code"] = Reason("field.choose_one", choices=list(REVOCATION_REASONS))
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        errors["reason"] = Reason("revocation.reason_needed")
    elif len(reason) > MAX_REASON:
        errors["reason"] = Reason("field.too_long", max=MAX_REASON)
    needs_password = "admin" not in actor.roles
    if needs_password and (not isinstance(password, str) or not password):
        errors["password"] = Reason("revocation.password_needed")
    if errors:
        raise InvalidData("revocation.invalid", fields=errors)
    if decision.revoked_at is not None:
        raise Conflict("revocation.already", number=decision.number)
    if needs_password:
        accounts.confirm_password(actor, password, purpose="revocation")
    now = utcnow().replace(microsecond=0)
    # Conditional: of two revocations at once, exactly one is recorded.
    changed = db.session.execute(update(Decision).where(Decision.id == decision.id, Decision.revoked_at.is_(None))
                                 .values(revoked_at=now, revoked_by_id=actor.id,
                                         revoke_reason=f"{reason_code}: {reason}")
                                 .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Conflict("revocation.already", number=decision.number)
    # The nomination's status is what every list, filter and count reads: it turns with the decision
    # (for a list decision, every awardee of its annex does).
    decided = list(db.session.execute(select(Nomination.id).where(
        Nomination.list_decision_id == decision.id)).scalars()) if decision.nomination_id is None \
        else [decision.nomination_id]
    db.session.execute(update(Nomination).where(Nomination.id.in_(decided)).values(status="revoked")
                       .execution_options(synchronize_session=False))
    records = list(db.session.execute(select(AwardRecord.id).where(
        AwardRecord.decision_id == decision.id, AwardRecord.revoked_at.is_(None))).scalars())
    if records:
        db.session.execute(update(AwardRecord).where(AwardRecord.id.in_(records)).values(revoked_at=now)
                           .execution_options(synchronize_session=False))
    freed = []
    if reason_code in setting(FREEING_REASONS, []):
        freed = list(db.session.execute(select(Initiative.id).where(
            Initiative.used_by_nomination_id.in_(decided))).scalars())
        if freed:
            db.session.execute(update(Initiative).where(Initiative.id.in_(freed)).values(used_by_nomination_id=None)
                               .execution_options(synchronize_session=False))
    details = {"number": decision.number, "reason_code": reason_code, "reason": reason,
               "award_records_revoked": records, "initiatives_freed": freed}
    if decision.nomination_id is None:
        details["awardees"] = len(decided)
    audit.record("decision_revoked", actor=actor, nomination_id=decision.nomination_id, details=details)
    db.session.commit()
    db.session.refresh(decision)
    return decision


def revocation_text(decision: Decision) -> str:
    """The stored reason as printed: the reason's name, then the details given."""
    code, _, details = (decision.revoke_reason or "").partition(": ")
    label = REVOCATION_REASON_TEXT.get(code)
    return f"{label}. {details}" if label else (decision.revoke_reason or "")
