"""Demo users and nominations at different steps, so a newcomer sees a living system."""

import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from workflows.db import db
from workflows.demo.registry import SeededRegistry, seed_registry
from workflows.models import Authority, CouncilSeat, IndexedTask, Person, Unit, User
from workflows.services import audit, authorities
from workflows.usecases import accounts, nominations, proposals, rounds, tasks
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
# Every member agency's own authority: "<code>_office", "_rev", "_head" and "_m1".."_m4" (code in
# lower-case ASCII). The head chairs the council and signs; the office's staff, a reviewer, four members.
AGENCY_STAFF = [
    ("office", "Cán bộ Văn phòng thi đua {code}", ["office"], None),
    ("rev", "Chuyên viên thẩm định {code}", ["reviewer"], None),
    ("head", "Thủ trưởng {code}", ["head", "council_chair", "council_member"], "chair"),
    ("m1", "Ủy viên Hội đồng {code} thứ nhất", ["council_member"], "standing_vice_chair"),
    ("m2", "Ủy viên Hội đồng {code} thứ hai", ["council_member"], "vice_chair"),
    ("m3", "Ủy viên Hội đồng {code} thứ ba", ["council_member"], "member"),
    ("m4", "Ủy viên Hội đồng {code} thứ tư", ["council_member"], "member"),
]
# The agency whose head also sits on the bloc's council: one person, roles in two authorities.
BLOC_COUNCIL_GUEST = UNIT_A

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


def usernames() -> list[str]:
    """Every demo account's username: the bloc's and each member agency's staff."""
    from workflows.services.reference import UNITS

    return [username for username, *_ in USERS] + [
        f"{authorities.ascii_code(code)}_{suffix}" for code, *_ in UNITS for suffix, *_ in AGENCY_STAFF]


def seed(upload_folder: str, hash_method: str = "scrypt") -> Seeded:
    """Create what is missing; running it twice adds nothing the second time."""
    if db.session.execute(select(User.id).where(User.username == "clerk_a")).first():
        return Seeded(0, 0, None)
    for username, full_name, unit, roles in USERS:
        accounts.create_user(username, PASSWORD, roles=roles, full_name=full_name, unit_code=unit,
                             email=f"{username}@example.org", hash_method=hash_method)
    audit.record("demo_seeded", details={"users": len(USERS)})
    bloc = authorities.bloc()
    db.session.add_all(CouncilSeat(authority_id=bloc.id, user_id=accounts.find_user(u).id, position=p)
                       for u, p in SEATS.items())
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
    # Made before the agencies set up their own authorities: the bloc decides them, as it did
    # everything before authorities existed, and keeps them.
    for award, code, target in steps:
        _start_and_drive(people, award, code, target, limits, year)
    staff = seed_agencies(hash_method)
    people = {u.username: u for u in db.session.execute(select(User)).scalars()}
    # The Party Central Office now decides its own grassroots titles: one signed, one being checked.
    office = authorities.ascii_code(UNIT_A)
    own = [("LDTT", "VP010", "awarded"), ("LDTT", "VP006", "checking")]
    for award, code, target in own:
        _start_and_drive(people, award, code, target, limits, year, office=office)
    listed = _seed_round(people, office, year, limits)
    return Seeded(len(USERS) + staff, len(steps) + len(own) + listed, registry)


# Unit A's people proposed on one list in its agency's year-end round, waiting for the office's check.
ROUND_LIST = ("VP001", "VP003", "VP009")


def _seed_round(people, office: str, year: int, limits: UploadLimits) -> int:
    """The Party Central Office's year-end round, with unit A's list of LĐTT at the office's check."""
    round_ = rounds.open_round(people[f"{office}_office"], UNIT_A, f"Đợt xét thi đua, khen thưởng năm {year}", year,
                               ["LDTT", "CSTDCS"], date(year, 12, 31), date(year, 12, 31))
    codes = set(ROUND_LIST)
    ids = [p.id for p in db.session.execute(select(Person).where(Person.code.in_(codes))).scalars()]
    proposal = proposals.propose(people["clerk_a"], award_code="LDTT", round_id=round_.id,
                                 title=f"Danh sách đề nghị Lao động tiên tiến năm {year}",
                                 nominees=[{"person_id": i} for i in sorted(ids)])
    for kind in ("proposal_letter", "review_minutes"):
        proposals.upload_paper(people["clerk_a"], proposal.id, kind=kind, stream=io.BytesIO(DEMO_PDF),
                               filename=f"{kind}.pdf", limits=limits)
    proposals.submit(people["clerk_a"], proposal.id)
    proposals.endorse(people["head_a"], proposal.id, approve=True, comment="Đồng ý đề nghị.")
    return len(ids)


def seed_agencies(hash_method: str = "scrypt") -> int:
    """Give every member agency its authority, office, reviewer, head and a council of five; the
    number of users added. The head of ``BLOC_COUNCIL_GUEST`` also sits on the bloc's council."""
    bloc = authorities.bloc()
    added = 0
    for unit in db.session.execute(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).scalars():
        authority = db.session.execute(select(Authority).where(Authority.code == unit.code)).scalar_one_or_none()
        if authority is None:
            authority = Authority(code=unit.code, name=unit.name, name_vi=unit.name_vi, kind="agency",
                                  parent_id=bloc.id, unit_id=unit.id, symbol=unit.code)
            db.session.add(authority)
            db.session.flush()
        prefix = authorities.ascii_code(unit.code)
        for suffix, name, roles, seat in AGENCY_STAFF:
            username = f"{prefix}_{suffix}"
            if accounts.find_user(username) is not None:
                continue
            user = accounts.create_user(username, PASSWORD, roles=[], full_name=name.format(code=unit.code),
                                        unit_code=unit.code, email=f"{username}@example.org",
                                        hash_method=hash_method, allow_no_role=True)
            for role in roles:
                authorities.grant(user, authority, role)
            db.session.flush()
            if seat:
                db.session.add(CouncilSeat(authority_id=authority.id, user_id=user.id, position=seat))
            added += 1
    guest = accounts.find_user(f"{authorities.ascii_code(BLOC_COUNCIL_GUEST)}_head")
    if guest is not None:
        authorities.grant(guest, bloc, "council_member")
        if db.session.get(CouncilSeat, (bloc.id, guest.id)) is None:
            db.session.add(CouncilSeat(authority_id=bloc.id, user_id=guest.id, position="member"))
    audit.record("demo_seeded", details={"users": added})
    db.session.commit()
    return added


def _start_and_drive(people, award, code, target, limits, year, office=None) -> None:
    person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
    nomination = nominations.start(
        people["clerk_a"], award_type=award, year=year, summary=f"Thành tích năm {year} của {person.full_name}.",
        nominee={"kind": "individual", "name": person.full_name, "position": person.position, "code": code})
    _drive(nomination, target, people, limits, office)


def _drive(nomination, target: str, people: dict, limits: UploadLimits, office: str | None = None) -> None:
    """Walk a nomination through the real process until it reaches ``target``; ``office``: the
    username prefix of the agency's own authority that decides it (else the bloc's users act)."""
    sec, rev = (f"{office}_office", f"{office}_rev") if office else ("sec", "rev")
    council = [f"{office}_m{i}" for i in range(1, 5)] + [f"{office}_head"] if office else COUNCIL
    chair = f"{office}_head" if office else "chair"
    script = [
        ("preparing", "prepare_dossier", "clerk_a", {}),
        ("endorsing", "endorse", "head_a", {"decision": "endorse", "comment": "Đồng ý đề nghị."}),
        ("checking", "check_dossier", sec, {"decision": "accept", "comment": "Hồ sơ đầy đủ.", "reviewer": rev}),
        ("appraising", "appraise", rev, {"recommendation": "approve", "comment": "Đủ tiêu chuẩn."}),
    ]
    for status, key, username, form in script:
        if nomination.status == target:
            return
        if key == "prepare_dossier":
            for kind in nomination.award_type.required_documents:
                nominations.upload_document(people["clerk_a"], nomination.id, kind=kind,
                                            stream=io.BytesIO(DEMO_PDF), filename=f"{kind}.pdf", limits=limits)
        tasks.complete(people[username], _task(nomination.id, key), form)
    voters = council if target != "voting" else council[:2]
    for username in voters:
        tasks.complete(people[username], _task(nomination.id, "vote", people[username].id), {"vote": "yes"})
    if target == "awarded":
        tasks.complete(people[chair], _task(nomination.id, "sign_decision"),
                       {"decision": "approve", "comment": "Đồng ý khen thưởng.", "password": PASSWORD})


def _task(nomination_id: int, key: str, assignee_id: int | None = None) -> str:
    query = select(IndexedTask.id).where(IndexedTask.nomination_id == nomination_id, IndexedTask.key == key,
                                         IndexedTask.state == "ready")
    if assignee_id is not None:
        query = query.where(IndexedTask.assignee_id == assignee_id)
    return db.session.execute(query.limit(1)).scalar_one()
