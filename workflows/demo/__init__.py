"""Demo users and nominations at different steps, so a newcomer sees a living system."""

import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from workflows.db import db
from workflows.demo.registry import SeededRegistry, seed_registry
from workflows.models import CouncilSeat, IndexedTask, Person, User
from workflows.services import audit
from workflows.usecases import accounts, nominations, tasks
from workflows.usecases.nominations import UploadLimits

PASSWORD = "laurel-demo"
UNIT_A, UNIT_B = "VPTW", "BTCTW"

USERS = [
    ("clerk_a", "Nguyễn Thị An", UNIT_A, ["unit_clerk"]),
    ("head_a", "Trần Văn Bình", UNIT_A, ["unit_head"]),
    ("clerk_b", "Lê Thị Cúc", UNIT_B, ["unit_clerk"]),
    ("head_b", "Phạm Văn Dũng", UNIT_B, ["unit_head"]),
    ("sec", "Hoàng Thị Em", None, ["secretariat"]),
    ("rev", "Vũ Văn Giang", None, ["reviewer"]),
    ("rev2", "Đặng Thị Hà", None, ["reviewer"]),
    ("m1", "Bùi Văn Khánh", UNIT_B, ["council_member"]),
    ("m2", "Đỗ Thị Lan", None, ["council_member"]),
    ("m3", "Ngô Văn Minh", None, ["council_member"]),
    ("m4", "Dương Thị Ngọc", None, ["council_member"]),
    ("chair", "Lý Văn Phúc", None, ["council_member", "council_chair"]),
    ("aud", "Mai Thị Quỳnh", None, ["auditor"]),
    ("admin", "Quản trị hệ thống", None, ["admin"]),
]
COUNCIL = ["m1", "m2", "m3", "m4", "chair"]
SEATS = {"chair": "chair", "m1": "standing_vice_chair", "m2": "vice_chair", "m3": "member", "m4": "member"}

# A one-page PDF, enough to stand for a scanned document in the demo.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass(frozen=True)
class Seeded:
    """What the demo added: nothing at all when it was there already."""

    users: int
    nominations: int
    registry: SeededRegistry | None
    password: str = PASSWORD


def seed(upload_folder: str, hash_method: str = "scrypt") -> Seeded:
    """Create what is missing; running it twice adds nothing the second time."""
    if db.session.execute(select(User.id).where(User.username == "clerk_a")).first():
        return Seeded(0, 0, None)
    for username, full_name, unit, roles in USERS:
        accounts.create_user(username, PASSWORD, roles=roles, full_name=full_name, unit_code=unit,
                             email=f"{username}@example.org", hash_method=hash_method)
    audit.record("demo_seeded", details={"users": len(USERS)})
    db.session.add_all(CouncilSeat(user_id=accounts.find_user(u).id, position=p) for u, p in SEATS.items())
    db.session.commit()
    registry = seed_registry()
    limits = UploadLimits(folder=upload_folder, max_bytes=20 * 1024 * 1024)
    year = date.today().year
    people = {u.username: u for u in db.session.execute(select(User)).scalars()}
    # Registry codes of unit A's staff (see demo_registry): VP002 lacks CSTDCS in one of the last
    # three years, VP007 is under a complaint, so their findings show what the rules flag.
    steps = [
        ("LDTT", "VP004", "preparing"),
        ("CSTDCS", "VP003", "endorsing"),
        ("LDTT", "VP005", "checking"),
        ("CSTDBO", "VP002", "appraising"),
        ("LDTT", "VP007", "appraising"),
        ("LDTT", "VP008", "voting"),
        ("GIAYKHEN", "VP009", "awarded"),
    ]
    for award, code, target in steps:
        person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
        nomination = nominations.start(
            people["clerk_a"], award_type=award, year=year, summary=f"Thành tích năm {year} của {person.full_name}.",
            nominee={"kind": "individual", "name": person.full_name, "position": person.position, "code": code})
        _drive(nomination, target, people, limits)
    return Seeded(len(USERS), len(steps), registry)


def _drive(nomination, target: str, people: dict, limits: UploadLimits) -> None:
    """Walk a nomination through the real process until it reaches ``target``."""
    script = [
        ("preparing", "prepare_dossier", "clerk_a", {}),
        ("endorsing", "endorse", "head_a", {"decision": "endorse", "comment": "Đồng ý đề nghị."}),
        ("checking", "check_dossier", "sec", {"decision": "accept", "comment": "Hồ sơ đầy đủ.", "reviewer": "rev"}),
        ("appraising", "appraise", "rev", {"recommendation": "approve", "comment": "Đủ tiêu chuẩn."}),
    ]
    for status, key, username, form in script:
        if nomination.status == target:
            return
        if key == "prepare_dossier":
            for kind in nomination.award_type.required_documents:
                nominations.upload_document(people["clerk_a"], nomination.id, kind=kind,
                                            stream=io.BytesIO(DEMO_PDF), filename=f"{kind}.pdf", limits=limits)
        tasks.complete(people[username], _task(nomination.id, key), form)
    voters = COUNCIL if target != "voting" else COUNCIL[:2]
    for username in voters:
        tasks.complete(people[username], _task(nomination.id, "vote", people[username].id), {"vote": "yes"})
    if target == "awarded":
        tasks.complete(people["chair"], _task(nomination.id, "sign_decision"),
                       {"decision": "approve", "comment": "Đồng ý khen thưởng.", "password": PASSWORD})


def _task(nomination_id: int, key: str, assignee_id: int | None = None) -> str:
    query = select(IndexedTask.id).where(IndexedTask.nomination_id == nomination_id, IndexedTask.key == key,
                                         IndexedTask.state == "ready")
    if assignee_id is not None:
        query = query.where(IndexedTask.assignee_id == assignee_id)
    return db.session.execute(query.limit(1)).scalar_one()
