"""Council sessions in tests: an agency set up with a secretary, and a round with nominees waiting for the vote."""

from datetime import date

from sqlalchemy import select

from tests.conftest import FAST_HASH, PASSWORD
from tests.test_authorities import set_up_agency
from workflows.db import db, utcnow
from workflows.models import AwardType, CouncilSeat, Nomination, Round, Unit
from workflows.services import authorities
from workflows.usecases import accounts

WHEN = "2026-12-20T08:00:00+07:00"


def agency_with_secretary(app, code: str = "VPTW") -> None:
    """The agency's office, reviewer, head (chair) and four members, and a secretary who does not vote."""
    set_up_agency(app, code)
    with app.app_context():
        authority = authorities.by_code(code)
        username = f"{code.lower()}_sec"
        user = accounts.create_user(username, PASSWORD, roles=[], full_name=f"{code} secretary", unit_code=code,
                                    email=f"{username}@example.org", hash_method=FAST_HASH, allow_no_role=True)
        db.session.flush()
        db.session.add(CouncilSeat(authority_id=authority.id, user_id=user.id, position="secretary"))
        db.session.commit()


def round_with_voting(app, code: str = "VPTW", awards=("CSTDCS", "CSTDCS"), year: int = 2026) -> tuple[int, list[int]]:
    """A round of the agency with one nominee per award, each accepted by the office and waiting for the vote."""
    with app.app_context():
        authority = authorities.by_code(code)
        office = accounts.find_user(f"{code.lower()}_office")
        clerk = accounts.find_user("clerk_a")
        unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one()
        found = Round(authority_id=authority.id, name=f"Đợt xét cuối năm {year}", year=year,
                      award_codes=sorted(set(awards)), intake_deadline=date(year, 12, 10), created_by_id=office.id)
        db.session.add(found)
        db.session.flush()
        ids = []
        for number, award in enumerate(awards, start=1):
            award_type = db.session.execute(select(AwardType).where(AwardType.code == award)).scalar_one()
            nomination = Nomination(unit_id=unit.id, authority_id=authority.id, award_type_id=award_type.id,
                                    year=year, nominee_kind="individual", nominee_name=f"Nguyễn Văn {number:02d}",
                                    round_id=found.id, status="voting", created_by_id=clerk.id,
                                    submitted_at=utcnow())
            db.session.add(nomination)
            db.session.flush()
            ids.append(nomination.id)
        db.session.commit()
        return found.id, ids


def marks(app, attendance: dict[str, str]) -> dict[str, str]:
    """{username: mark} as the API takes it: {user id: mark}."""
    with app.app_context():
        return {str(accounts.find_user(name).id): mark for name, mark in attendance.items()}


def scheduled(api, round_id, office="vptw_office") -> dict:
    response = api.as_(office).post(f"/rounds/{round_id}/sessions",
                                    json={"scheduled_for": WHEN, "place": "Phòng họp số 1"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def opened(app, api, round_id, attendance, *, presiding="vptw_head") -> dict:
    session = scheduled(api, round_id)
    taken = api.as_("vptw_office").post(f"/sessions/{session['id']}/attendance",
                                        json={"attendance": marks(app, attendance)})
    assert taken.status_code == 200, taken.get_json()
    response = api.as_(presiding).post(f"/sessions/{session['id']}/open")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def sheet(nomination_ids, choice="yes") -> dict:
    return {"choices": {str(n): choice for n in nomination_ids}}



