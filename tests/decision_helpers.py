"""Shared steps of the decision tests: a nominee in the registry, a signed outcome, PDF text."""

import io
import unicodedata

import pypdf
from sqlalchemy import select

from tests.conftest import COUNCIL
from workflows.db import db
from workflows.models import CouncilSeat, Initiative, Nomination, Person, TallyRecord, Unit, User

NOMINEE = "Nguyễn Thị Hằng"
CHAIR_NAME = "Lê Thị Thu Hà"


def seat_the_chair(app, name=CHAIR_NAME) -> None:
    with app.app_context():
        chair = db.session.execute(select(User).where(User.username == "chair")).scalar_one()
        chair.full_name = name
        db.session.merge(CouncilSeat(user_id=chair.id, position="chair"))
        db.session.commit()


def link_to_registry(app, nomination_id: int, code: str = "VPTW-0001", initiatives: int = 0) -> list[int]:
    """Make the nominee a registry person and, optionally, let a met finding rely on initiatives."""
    with app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        unit = db.session.execute(select(Unit).where(Unit.code == "VPTW")).scalar_one()
        person = Person(code=code, unit_id=unit.id, full_name=nomination.nominee_name, position="Chuyên viên")
        db.session.add(person)
        db.session.flush()
        nomination.person_id = person.id
        ids = []
        for number in range(initiatives):
            initiative = Initiative(person_id=person.id, title=f"Sáng kiến số {number + 1}", level="grassroots",
                                    year=nomination.year, reference=f"SK-{number + 1}")
            db.session.add(initiative)
            db.session.flush()
            ids.append(initiative.id)
        if ids:
            nomination.findings = list(nomination.findings or []) + [{
                "rule": "initiative_recognised", "basis": "Luật Thi đua, khen thưởng, Điều 23", "met": True,
                "message": "recognised initiative", "initiative_ids": ids}]
        db.session.commit()
        return ids


def to_signing(api, nominate, walk, *, award_type="CSTDCS", name=NOMINEE, registered=True) -> int:
    nid = nominate(award_type=award_type, name=name, registered=registered)
    walk(nid, "vote")
    for member in COUNCIL:
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    return nid


def sign(api, nid, decision="approve", comment="Đồng ý.") -> dict:
    return api.as_("chair").complete(nid, "sign_decision", {"decision": decision, "comment": comment})


def write_tally(app, nid, *, voters=("m1", "m2", "m3", "m4", "chair"), yes=5, no=0) -> None:
    """Replace the tally minutes the tally step wrote with a known row (usernames of members and voters)."""
    with app.app_context():
        db.session.merge(TallyRecord(
            nomination_id=nid, regulation_code="QC-HĐTĐKT-2026",
            rule={"quorum": 2 / 3, "threshold": 0.7, "base": "members", "rounding": "up",
                  "legal_basis": "Quy chế hoạt động của Hội đồng, Điều 8"},
            members=list(COUNCIL), voters=list(voters), yes=yes, no=no, needed_voters=4, needed_yes=4,
            quorum_met=len(voters) >= 4, passed=len(voters) >= 4 and yes >= 4))
        db.session.commit()


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces made single spaces."""
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())
