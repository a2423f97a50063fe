"""Shared steps of the list decision tests: agencies set up, a list of registry nominees at the
head's signature, the answer from above."""

import io
import json

from sqlalchemy import select

from tests.conftest import PASSWORD, PDF
from tests.test_authorities import set_up_agency
from workflows.db import db, utcnow
from workflows.models import Authority, AwardType, Nomination, Person, Proposal, Unit, User
from workflows.usecases import accounts

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
GIVEN = ("Văn An", "Thị Bình", "Đức Cường", "Thu Dung", "Minh Đức", "Ngọc Hà", "Quang Huy", "Thanh Lan")


def set_up_agencies(app) -> None:
    set_up_agency(app, "VPTW")
    set_up_agency(app, "BTCTW")


def name_of(i: int) -> str:
    return f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[(i // len(SURNAMES)) % len(GIVEN)]} {i + 1}"


def signing_list(app, *, award="LDTT", nominees=3, unit="VPTW", year=2026) -> tuple[int, list[int]]:
    """A list of ``nominees`` registry people of ``unit`` for ``award``, waiting for its head's
    signature (the list at ``signing``, each nominee at ``signing``): (list id, nomination ids)."""
    with app.app_context():
        unit_row = db.session.execute(select(Unit).where(Unit.code == unit)).scalar_one()
        authority = db.session.execute(select(Authority).where(Authority.code == unit)).scalar_one()
        award_row = db.session.execute(select(AwardType).where(AwardType.code == award)).scalar_one()
        clerk = db.session.execute(select(User).where(User.unit_id == unit_row.id)).scalars().first()
        proposal = Proposal(authority_id=authority.id, unit_id=unit_row.id, award_type_id=award_row.id, year=year,
                            title=f"Danh sách đề nghị {award} năm {year}", status="signing",
                            created_by_id=clerk.id)
        db.session.add(proposal)
        db.session.flush()
        ids = []
        for i in range(nominees):
            person = Person(code=f"{unit}-{proposal.id}-{i:04d}", unit_id=unit_row.id, full_name=name_of(i),
                            position="Chuyên viên")
            db.session.add(person)
            db.session.flush()
            nomination = Nomination(unit_id=unit_row.id, authority_id=authority.id, award_type_id=award_row.id,
                                    year=year, nominee_kind="individual", nominee_name=person.full_name,
                                    nominee_position="Chuyên viên", person_id=person.id, proposal_id=proposal.id,
                                    status="signing", created_by_id=clerk.id, submitted_at=utcnow())
            db.session.add(nomination)
            db.session.flush()
            ids.append(nomination.id)
        db.session.commit()
        return proposal.id, ids


def sign(api, list_id, head="vptw_head", **body):
    return api.as_(head).post(f"/lists/{list_id}/decision", json={"password": PASSWORD, **body})


def record_answer(api, decision_id, results, *, office="vptw_office", scan=PDF, filename="qd-ttg.pdf", raw=None,
                  **form):
    """The office records the answer from above (multipart, with the scan unless ``scan`` is None)."""
    data = {"higher_authority": "Thủ tướng Chính phủ", "number": "1234/QĐ-TTg", "decided_on": "2026-11-20",
            "results": raw if raw is not None else json.dumps({str(k): v for k, v in results.items()}), **form}
    if scan is not None:
        data["file"] = (io.BytesIO(scan), filename)
    return api.client.post(f"/api/v1/decisions/{decision_id}/outcome", data=data,
                           headers={"Authorization": f"Bearer {api.token(office)}"},
                           content_type="multipart/form-data")


def user(username: str):
    return accounts.find_user(username)
