"""The head's one decision for a whole list (or for every list of one award in a round), with its
annex naming every awardee; a state award's list goes up instead as one numbered proposal (tờ trình).

One signature (the password entered once) covers the whole annex: the signed content lists every
awardee with their position, unit and reward, and its SHA-256 is printed on the PDF. Numbers come
from the deciding authority's own register, as for a single nomination's decision, and only an
approval consumes one. Everything a list of several hundred needs is read and written in a few
statements: the annex in one query, the awardees' statuses in one update, their histories in one
insert.
"""

import re
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import (
    AwardRecord,
    AwardType,
    Collective,
    Decision,
    Initiative,
    Nomination,
    Person,
    Proposal,
    Round,
    Signature,
    Unit,
)
from workflows.rendering.papers import (
    AnnexRow,
    ListDecisionPaper,
    Revocation,
    Signer,
    list_decision_pdf,
    list_proposal_pdf,
)
from workflows.services import audit, lists
from workflows.services.transactions import use_case
from workflows.usecases import accounts, decisions, proposals

# A list reaches its head in this status, its nominees in this one.
SIGNING = "signing"
# Agency and grassroots awards are decided; a state award's list is proposed upward.
KIND_OF_LEVEL = {"state": "proposal"}
OUTCOME_OF_KIND = {"decision": "awarded", "proposal": "forwarded"}
LIST_STATUS_OF_KIND = {"decision": "decided", "proposal": "forwarded"}
MAX_COMMENT = 2000
# The signer's capacity on a list decision of an agency or a unit with legal status.
HEAD_TITLE = "THỦ TRƯỞNG CƠ QUAN"
OVERSIGHT = frozenset({"auditor", "admin"})


@dataclass(frozen=True)
class Signed:
    """What the head's signing of a list gave: the decision (None when refused) and the lists it moved."""

    decision: Decision | None
    proposals: list[Proposal]
    approved: bool


# -- who sees and signs what ------------------------------------------------------------------


def may_see_list(user, proposal: Proposal) -> bool:
    """Its unit; its authority's people once the unit sent it; auditors and administrators."""
    return proposals.may_view(user, proposal)


def may_sign(user, proposal: Proposal) -> bool:
    return user.active and user.holds("head", proposal.authority_id)


def visible_list(user, proposal_id) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None or not may_see_list(user, proposal):
        raise NotFound("list_decision.list_not_found", id=proposal_id)
    return proposal


def signing_nominees(proposal_ids: list[int]) -> list[Nomination]:
    """The nominees of the lists waiting for the head's signature, in list order (one query)."""
    if not proposal_ids:
        return []
    return list(db.session.execute(
        select(Nomination).where(Nomination.proposal_id.in_(proposal_ids), Nomination.status == SIGNING)
        .order_by(Nomination.proposal_id, Nomination.id)).scalars())


def kind_for(award: AwardType) -> str:
    return KIND_OF_LEVEL.get(award.level, "decision")


# -- signing ----------------------------------------------------------------------------------


@use_case
def sign_list(actor, proposal_id: int, *, password, approve: bool = True, comment: str = "") -> Signed:
    """The head of the list's deciding authority signs one decision (or proposal upward) for the
    whole list, or refuses it; either way the list moves past its ``sign_list`` step.

    A refusal consumes no number. Raises NotFound (a list the actor may not see), NotAllowed (not
    the head of its authority), Conflict (the list is not waiting for the signature, or nobody on
    it is), InvalidData (comment, password).
    """
    proposal = visible_list(actor, proposal_id)
    if not may_sign(actor, proposal):
        raise NotAllowed("list_decision.head_signs")
    comment = _checked_comment(comment, needed=not approve)
    if proposal.status != SIGNING:
        raise Conflict("list_decision.not_waiting", status=proposal.status)
    # Before anything is written: a refused password commits its failed attempt and nothing else.
    accounts.confirm_password(actor, password, purpose="signature:sign_list")
    if not approve:
        db.session.add(Signature(proposal_id=proposal.id, signer_id=actor.id, meaning="refused",
                                 signed_at=utcnow().replace(microsecond=0)))
        audit.record("list_refused", actor=actor, details={"list": proposal.id, "comment": comment})
        _complete(proposal, {"approved": False, "decision_id": "", "comment": comment}, actor)
        # The list's process has ended: its nominees are refused (their claims on the award are
        # released) and nothing went up.
        db.session.execute(update(Nomination).where(Nomination.proposal_id == proposal.id,
                                                    Nomination.status == SIGNING).values(status="rejected")
                           .execution_options(synchronize_session=False))
        proposal.status = "decided"
        db.session.commit()
        return Signed(None, [proposal], False)
    decision = _decide(actor, [proposal], proposal.award_type, round_id=proposal.round_id,
                       proposal_id=proposal.id, comment=comment)
    db.session.commit()
    db.session.refresh(decision)
    return Signed(decision, [proposal], True)


@use_case
def sign_round_award(actor, round_id: int, award_code: str, *, password, comment: str = "") -> Signed:
    """One decision (or proposal upward) covering every list of one award in a round that waits
    for the head's signature; each of those lists moves past its ``sign_list`` step."""
    found = db.session.get(Round, round_id) if isinstance(round_id, int) else None
    if found is None or not (actor.active and (actor.roles & OVERSIGHT or found.authority_id in actor.authority_ids)):
        raise NotFound("list_decision.round_not_found", id=round_id)
    if not actor.holds("head", found.authority_id):
        raise NotAllowed("list_decision.head_signs")
    comment = _checked_comment(comment, needed=False)
    award = db.session.execute(select(AwardType).where(AwardType.code == award_code)).scalar_one_or_none() \
        if isinstance(award_code, str) else None
    if award is None or award.code not in (found.award_codes or []):
        raise InvalidData("list_decision.award_not_in_round", award=str(award_code),
                          fields={"award": Reason("field.choose_one", choices=list(found.award_codes or []))})
    proposals = list(db.session.execute(
        select(Proposal).where(Proposal.round_id == found.id, Proposal.award_type_id == award.id,
                               Proposal.status == SIGNING).order_by(Proposal.id)).scalars())
    if not proposals:
        raise Conflict("list_decision.no_list_waiting", award=award.code)
    accounts.confirm_password(actor, password, purpose="signature:sign_list")
    decision = _decide(actor, proposals, award, round_id=found.id, proposal_id=None, comment=comment)
    db.session.commit()
    db.session.refresh(decision)
    return Signed(decision, proposals, True)


def _checked_comment(comment, *, needed: bool) -> str:
    comment = comment.strip() if isinstance(comment, str) else ""
    if needed and not comment:
        raise InvalidData("list_decision.reason_needed", fields={"comment": Reason("field.required")})
    if len(comment) > MAX_COMMENT:
        raise InvalidData("list_decision.invalid", fields={"comment": Reason("field.too_long", max=MAX_COMMENT)})
    return comment


def _decide(actor, proposals: list[Proposal], award: AwardType, *, round_id, proposal_id, comment) -> Decision:
    """Number, sign and record the decision of these lists; set every awardee; move every list on."""
    authority = proposals[0].authority
    awardees = signing_nominees([p.id for p in proposals])
    if not awardees:
        raise Conflict("list_decision.nobody_to_sign")
    kind = kind_for(award)
    signed_at = utcnow().replace(microsecond=0)
    year = decisions.local(signed_at).year
    seq = decisions.next_number(authority.id, kind, year)
    coefficient = float(award.reward_coefficient or 0.0)
    base_salary = int(decisions.setting(decisions.BASE_SALARY, 0))
    decision = Decision(
        nomination_id=None, proposal_id=proposal_id, round_id=round_id, authority_id=authority.id, kind=kind,
        number=decisions.FORMATS[kind].format(seq=seq, symbol=authority.symbol), year=year, signed_at=signed_at,
        signed_by_id=actor.id, comment=comment,
        legal_basis="\n".join(str(line) for line in decisions.setting(decisions.LEGAL_BASIS, [])),
        reward_coefficient=coefficient, base_salary=base_salary,
        reward_amount=decisions.reward(coefficient, base_salary))
    decision.signed_by, decision.authority = actor, authority
    decision.signed_content = content_of(decision, award, proposals, awardees)
    decision.content_sha256 = decisions.content_sha256(decision.signed_content)
    db.session.add(decision)
    db.session.flush()
    ids = [n.id for n in awardees]
    outcome = OUTCOME_OF_KIND[kind]
    # Conditional: a nominee taken off the list (or signed) meanwhile makes the whole signing fail.
    changed = db.session.execute(
        update(Nomination).where(Nomination.id.in_(ids), Nomination.status == SIGNING)
        .values(status=outcome, list_decision_id=decision.id).execution_options(synchronize_session=False)).rowcount
    if changed != len(ids):
        raise Conflict("list_decision.list_changed")
    initiatives = _use_initiatives(awardees)
    records = write_history(awardees, decision, decision.number) if kind == "decision" else 0
    db.session.add(Signature(proposal_id=proposal_id, decision_id=decision.id, signer_id=actor.id,
                             meaning="approved", signed_at=signed_at, content_sha256=decision.content_sha256))
    audit.record("list_decision_signed", actor=actor, details={
        "number": decision.number, "kind": kind, "award": award.code, "lists": [p.id for p in proposals],
        "awardees": len(ids), "award_records": records, "initiatives_used": initiatives,
        "sha256": decision.content_sha256, "comment": comment})
    decision.audit_seq, decision.audit_hash = audit.head_now()
    for proposal in proposals:
        _complete(proposal, {"approved": True, "decision_id": str(decision.id)}, actor)
        if proposal.status == SIGNING:
            proposal.status = LIST_STATUS_OF_KIND[kind]
    db.session.flush()
    return decision


def _complete(proposal: Proposal, values: dict, actor) -> None:
    """Move the list past the head's step (in this transaction); refused when it is not there."""
    lists.complete_step(proposal, "sign_list", values, actor)


def write_history(nominees: list[Nomination], decision: Decision, reference: str) -> int:
    """The award enters each registry nominee's history (one insert for all); how many rows."""
    rows = [{"person_id": n.person_id, "collective_id": None if n.person_id else n.collective_id,
             "award_code": n.award_type.code, "year": n.year, "decision_ref": reference[:100],
             "decision_id": decision.id}
            for n in nominees if n.person_id or n.collective_id]
    if rows:
        db.session.execute(insert(AwardRecord), rows)
    return len(rows)


def _use_initiatives(nominees: list[Nomination]) -> list[int]:
    """The initiatives each awardee's met findings relied on, marked used (checked and set in bulk)."""
    owner = {}
    for nomination in nominees:
        for finding in nomination.findings or []:
            if isinstance(finding, dict) and finding.get("met"):
                for i in finding.get("initiative_ids") or []:
                    if isinstance(i, int):
                        owner.setdefault(i, nomination.id)
    if not owner:
        return []
    taken = db.session.execute(select(Initiative.id, Initiative.used_by_nomination_id).where(
        Initiative.id.in_(sorted(owner)), Initiative.used_by_nomination_id.is_not(None))).all()
    if [i for i, used_by in taken if used_by != owner[i]]:
        raise Conflict("initiative.already_used", ids=sorted(i for i, used_by in taken if used_by != owner[i]))
    db.session.execute(update(Initiative), [{"id": i, "used_by_nomination_id": n} for i, n in sorted(owner.items())])
    return sorted(owner)


# -- the signed content and the annex ---------------------------------------------------------


def content_of(decision: Decision, award: AwardType, proposals: list[Proposal], awardees: list[Nomination]) -> dict:
    """What the one signature covers: the decision and every awardee of its annex."""
    authority = decision.authority
    codes = _registry_codes(awardees)
    units = _unit_names({n.unit_id for n in awardees} | {p.unit_id for p in proposals})
    signer = decision.signed_by
    position = decisions.seat_title(signer.id, authority.id) if authority.kind == "bloc" else HEAD_TITLE
    annex = [{"no": number, "nomination_id": n.id, "name": n.nominee_name, "kind": n.nominee_kind,
              "position": n.nominee_position or "", "unit": units[n.unit_id], "code": codes.get(n.id, ""),
              "reward": decision.reward_amount}
             for number, n in enumerate(awardees, start=1)]
    return {
        "authority": {"code": authority.code, "symbol": authority.symbol,
                      "name": "" if authority.kind == "bloc" else (authority.name_vi or authority.name)},
        "kind": decision.kind, "number": decision.number,
        "date": decisions.local(decision.signed_at).date().isoformat(),
        "legal_basis": decisions.basis_lines(decision),
        "award": {"code": award.code, "name": decisions.award_name(award), "kind": award.kind,
                  "level": award.level, "year": awardees[0].year},
        "lists": [{"id": p.id, "unit": units[p.unit_id], "title": p.title or ""} for p in proposals],
        "reward": {"coefficient": decision.reward_coefficient, "base_salary": decision.base_salary,
                   "amount": decision.reward_amount, "total": decision.reward_amount * len(annex)},
        "annex": annex, "count": len(annex),
        "signer": {"username": signer.username, "name": signer.full_name, "position": position},
        "signed_at": decision.signed_at.isoformat(),
    }


def _registry_codes(nominees: list[Nomination]) -> dict[int, str]:
    people = {n.person_id for n in nominees if n.person_id}
    collectives = {n.collective_id for n in nominees if n.collective_id}
    person_codes = dict(db.session.execute(select(Person.id, Person.code).where(Person.id.in_(people))).all()) \
        if people else {}
    collective_codes = dict(db.session.execute(select(Collective.id, Collective.code)
                                               .where(Collective.id.in_(collectives))).all()) if collectives else {}
    return {n.id: person_codes.get(n.person_id) or collective_codes.get(n.collective_id) or "" for n in nominees}


def _unit_names(unit_ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(Unit.id, Unit.name, Unit.name_vi).where(Unit.id.in_(sorted(unit_ids)))).all()
    return {uid: name_vi or name for uid, name, name_vi in rows}


def unit_code(decision: Decision) -> str:
    """The code of the unit whose list it decides; "" for a decision on several lists."""
    if decision.proposal_id is None:
        return ""
    return db.session.execute(select(Unit.code).join(Proposal, Proposal.unit_id == Unit.id)
                              .where(Proposal.id == decision.proposal_id)).scalar_one()


def is_list_decision(decision: Decision) -> bool:
    return decision.nomination_id is None


def annex(decision: Decision) -> list[dict]:
    """The annex as signed, each row with the awardee's status now (awarded, forwarded, revoked)
    and, for a proposal upward, the answer from above (one query for the whole annex)."""
    rows = list((decisions.signed_content(decision) or {}).get("annex") or [])
    now = dict((nid, (status, result)) for nid, status, result in db.session.execute(
        select(Nomination.id, Nomination.status, Nomination.upward_result)
        .where(Nomination.list_decision_id == decision.id)).all())
    return [{**row, "status": now.get(row["nomination_id"], ("", None))[0],
             "upward_result": now.get(row["nomination_id"], ("", None))[1]} for row in rows]


def awardee_counts(decision_ids: list[int]) -> dict[int, int]:
    """How many awardees each list decision names (one grouped query for a page of the register)."""
    if not decision_ids:
        return {}
    return dict(db.session.execute(
        select(Nomination.list_decision_id, func.count()).where(Nomination.list_decision_id.in_(decision_ids))
        .group_by(Nomination.list_decision_id)).all())


def get(user, decision_id: int) -> Decision:
    """A list decision the user may see; single decisions and others' are not found here."""
    decision = decisions.get(user, decision_id)
    if not is_list_decision(decision):
        raise NotFound("decision.not_found", id=decision_id)
    return decision


def paper(decision: Decision) -> ListDecisionPaper:
    """The document as signed: every name and figure from the signed content."""
    content = decisions.signed_content(decision)
    signed_at = decisions.local(decision.signed_at)
    revocation = None
    if decision.revoked_at is not None:
        revocation = Revocation(decisions.local(decision.revoked_at), decisions.revocation_text(decision))
    signer, award, reward = content["signer"], content["award"], content["reward"]
    return ListDecisionPaper(
        kind=content["kind"], number=content["number"], signed_on=signed_at,
        issuer=(content.get("authority") or {}).get("name", ""), legal_basis=list(content["legal_basis"]),
        award=award["name"], year=award["year"], awardee_kind=award["kind"],
        proposed_by=sorted({entry["unit"] for entry in content["lists"]}),
        reward_coefficient=reward["coefficient"], base_salary=reward["base_salary"], reward_amount=reward["amount"],
        annex=[AnnexRow(row["name"], row["position"], row["unit"], row["reward"]) for row in content["annex"]],
        signer=Signer(signer["position"], signer["name"], signed_at), sha256=decision.content_sha256,
        revocation=revocation, audit_seq=decision.audit_seq, audit_hash=decision.audit_hash or "")


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    media_type: str = "application/pdf"


def document(user, decision_id: int) -> Document:
    """The list decision (or proposal upward) with its annex, as PDF; a revoked one says so."""
    decision = get(user, decision_id)
    render = list_proposal_pdf if decision.kind == "proposal" else list_decision_pdf
    slug = re.sub(r"[^A-Za-z0-9]+", "-", decision.number.split("/")[0])
    return Document(f"{decision.kind}-{decision.year}-{slug}.pdf", render(paper(decision)))


# -- for the signing page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What the head is about to sign: the list, its kind, the reward and the annex."""

    proposal: Proposal
    kind: str
    awardees: list[Nomination]
    coefficient: float
    base_salary: int
    amount: int
    may_sign: bool

    @property
    def total(self) -> int:
        return self.amount * len(self.awardees)


def preview(user, proposal_id: int) -> Preview:
    proposal = visible_list(user, proposal_id)
    award = proposal.award_type
    coefficient = float(award.reward_coefficient or 0.0)
    base_salary = int(decisions.setting(decisions.BASE_SALARY, 0))
    awardees = signing_nominees([proposal.id]) if proposal.status == SIGNING else []
    return Preview(proposal, kind_for(award), awardees, coefficient, base_salary,
                   decisions.reward(coefficient, base_salary),
                   may_sign=proposal.status == SIGNING and may_sign(user, proposal))


def waiting(user) -> list[tuple[Proposal, int]]:
    """The lists waiting for this head's signature, in the authorities they head, with how many
    nominees each (one query)."""
    headed = sorted(r.authority_id for r in getattr(user, "authority_roles", ()) if r.role == "head")
    if not user.active or not headed:
        return []
    counted = (select(Nomination.proposal_id, func.count().label("n")).where(Nomination.status == SIGNING)
               .group_by(Nomination.proposal_id).subquery())
    rows = db.session.execute(select(Proposal, counted.c.n).join(counted, counted.c.proposal_id == Proposal.id)
                              .where(Proposal.status == SIGNING, Proposal.authority_id.in_(headed))
                              .order_by(Proposal.submitted_at, Proposal.id)).all()
    return [(proposal, count) for proposal, count in rows]


def decision_of_list(proposal_id: int) -> Decision | None:
    """The decision (or proposal upward) that named the list's nominees, newest first."""
    return db.session.execute(select(Decision).join(Nomination, Nomination.list_decision_id == Decision.id)
                              .where(Nomination.proposal_id == proposal_id)
                              .order_by(Decision.id.desc()).limit(1)).scalars().first()
