"""Deciding authorities: who decides which award, each authority's own office, reviewers, council,
head and register, and nothing of one agency's work seen by another's."""

from datetime import date

import pytest
from sqlalchemy import select

from workflows.db import db
from workflows.models import Authority, AwardType, Collective, CouncilSeat, Person, Unit
from workflows.services import authorities
from workflows.usecases import accounts, decisions

from .conftest import FAST_HASH, PASSWORD, register

STAFF = ("office", "rev", "head", "m1", "m2", "m3", "m4")
ROLES = {"office": ["office"], "rev": ["reviewer"], "head": ["head", "council_chair", "council_member"],
         "m1": ["council_member"], "m2": ["council_member"], "m3": ["council_member"], "m4": ["council_member"]}


def set_up_agency(app, code: str, *, staff=STAFF) -> None:
    """Give the member agency its authority (symbol = its code) and the named staff, as the demo does."""
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one()
        authority = authorities.agency_of(unit.id)
        if authority is None:
            authority = Authority(code=code, name=unit.name, name_vi=unit.name_vi, kind="agency",
                                  parent_id=authorities.bloc().id, unit_id=unit.id, symbol=code)
            db.session.add(authority)
            db.session.flush()
        for suffix in staff:
            username = f"{code.lower()}_{suffix}"
            user = accounts.create_user(username, PASSWORD, roles=[], full_name=f"{code} {suffix}", unit_code=code,
                                        email=f"{username}@example.org", hash_method=FAST_HASH, allow_no_role=True)
            for role in ROLES[suffix]:
                authorities.grant(user, authority, role)
            db.session.flush()
            if suffix == "head":
                db.session.add(CouncilSeat(authority_id=authority.id, user_id=user.id, position="chair"))
        db.session.commit()


def council(code: str) -> list[str]:
    return [f"{code.lower()}_m{i}" for i in range(1, 5)] + [f"{code.lower()}_head"]


def drive(api, nid, code, *, until="signed", reviewer=True):
    """Walk a VPTW nomination through the agency's own authority ``code`` (its office, reviewer, council, head)."""
    prefix = code.lower()
    award = api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["award_type"]
    kinds = {a["code"]: a for a in api.as_("clerk_a").get("/award-types").get_json()}[award]
    for kind in kinds["required_documents"]:
        assert api.as_("clerk_a").upload(nid, kind).status_code == 201
    api.as_("clerk_a").complete(nid, "prepare_dossier")
    api.as_("head_a").complete(nid, "endorse", {"decision": "endorse", "comment": "OK"})
    if until == "checking":
        return None
    form = {"decision": "accept", "comment": "Đủ hồ sơ"}
    if reviewer:
        form["reviewer"] = f"{prefix}_rev"
    api.as_(f"{prefix}_office").complete(nid, "check_dossier", form)
    api.as_(f"{prefix}_rev").complete(nid, "appraise", {"recommendation": "approve", "comment": "Đạt"})
    if until == "voting":
        return None
    for member in council(code):
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    if until == "signing":
        return None
    return api.as_(f"{prefix}_head").complete(nid, "sign_decision", {"decision": "approve", "comment": "Đồng ý"})


def deciding_code(app, award: str, unit: str, person_code: str | None = None) -> str:
    with app.app_context():
        award_type = db.session.execute(select(AwardType).where(AwardType.code == award)).scalar_one()
        unit_id = db.session.execute(select(Unit.id).where(Unit.code == unit)).scalar_one()
        person = db.session.execute(select(Person).where(Person.code == person_code)).scalar_one() \
            if person_code else None
        return authorities.deciding(award_type, unit_id, person=person).code


# -- who decides -----------------------------------------------------------------------------------


def test_until_an_agency_is_set_up_the_bloc_decides_everything(app):
    for award in ("LDTT", "CSTDBO", "HCLD3"):
        assert deciding_code(app, award, "VPTW") == "KHOI"


def test_the_award_level_picks_the_authority(app):
    set_up_agency(app, "VPTW")
    assert deciding_code(app, "LDTT", "VPTW") == "VPTW"  # grassroots: the agency
    assert deciding_code(app, "CSTDBO", "VPTW") == "VPTW"  # agency level: its head decides
    assert deciding_code(app, "HCLD3", "VPTW") == "VPTW"  # state: the agency proposes upward
    assert deciding_code(app, "LDTT", "BTCTW") == "KHOI"  # another agency, not set up: the bloc


def test_an_agency_without_a_head_is_not_set_up(app):
    set_up_agency(app, "VPTW", staff=("office", "rev"))
    assert deciding_code(app, "LDTT", "VPTW") == "KHOI"


def test_a_unit_with_legal_status_decides_grassroots_titles_for_its_own_staff(app):
    set_up_agency(app, "VPTW")
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.code == "VPTW")).scalar_one()
        department = Collective(code="VPTW-NXB", unit_id=unit.id, name="Nhà xuất bản")
        db.session.add(department)
        db.session.flush()
        db.session.add(Person(code="NXB-1", unit_id=unit.id, collective_id=department.id, full_name="Người Thứ Nhất",
                              recruited_on=date(2015, 1, 1)))
        inside = Authority(code="VPTW_NXB", name="Publishing house", name_vi="Nhà xuất bản",
                           kind="unit_with_legal_status",
                           parent_id=authorities.agency_of(unit.id).id, unit_id=unit.id, collective_id=department.id,
                           symbol="NXB")
        db.session.add(inside)
        db.session.flush()
        for role in ("office", "head"):
            user = accounts.create_user(f"nxb_{role}", PASSWORD, roles=[], unit_code="VPTW", hash_method=FAST_HASH,
                                        allow_no_role=True)
            authorities.grant(user, inside, role)
        db.session.commit()
    register(app, "VPTW", "Người Ngoài")
    assert deciding_code(app, "LDTT", "VPTW", "NXB-1") == "VPTW_NXB"
    assert deciding_code(app, "CSTDBO", "VPTW", "NXB-1") == "VPTW"  # agency-level awards stay with the agency
    outsider = register(app, "VPTW", "Người Ngoài")
    assert deciding_code(app, "LDTT", "VPTW", outsider) == "VPTW"


def test_a_nomination_keeps_the_authority_it_started_with(app, api, nominate, walk):
    nid = nominate()
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["authority"] == "KHOI"
    set_up_agency(app, "VPTW")
    walk(nid, "appraise")  # the bloc's secretariat checked it
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["authority"] == "KHOI"
    assert api.as_("vptw_office").get(f"/nominations/{nid}").status_code == 404
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["status"] == "appraising"


# -- numbering ---------------------------------------------------------------------------------------


def test_numbers_run_per_authority_kind_and_year(app):
    set_up_agency(app, "VPTW")
    with app.app_context():
        bloc = authorities.bloc().id
        vptw = authorities.by_code("VPTW").id
        drawn = [decisions._next_number(bloc, "decision", 2026), decisions._next_number(bloc, "decision", 2026),
                 decisions._next_number(vptw, "decision", 2026), decisions._next_number(vptw, "proposal", 2026),
                 decisions._next_number(vptw, "decision", 2027), decisions._next_number(bloc, "decision", 2026),
                 decisions._next_number(vptw, "decision", 2026)]
        db.session.rollback()
    assert drawn == [1, 2, 1, 1, 1, 3, 2]


# -- the whole path within an agency ---------------------------------------------------------------


@pytest.fixture
def agencies(app):
    set_up_agency(app, "VPTW")
    set_up_agency(app, "BTCTW")


def test_an_agencys_grassroots_title_is_decided_by_its_own_office_council_and_head(app, api, nominate, agencies):
    nid = nominate()
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["authority"] == "VPTW"
    drive(api, nid, "VPTW", until="checking")
    assert [t for t in api.as_("sec").get("/tasks").get_json() if t["nomination_id"] == nid] == []
    mine = [t for t in api.as_("vptw_office").get("/tasks").get_json() if t["nomination_id"] == nid]
    assert [(t["key"], t["authority"]) for t in mine] == [("check_dossier", "VPTW")]
    # The reviewer named must be one of the authority's own.
    task = api.as_("vptw_office").task(nid, "check_dossier")
    form = api.as_("vptw_office").get(f"/tasks/{task}").get_json()["form"]
    candidates = {c["username"] for f in form["fields"] if f["name"] == "reviewer" for c in f["candidates"]}
    assert candidates == {"vptw_rev"}
    refused = api.as_("vptw_office").post(f"/tasks/{task}/complete",
                                          json={"decision": "accept", "comment": "OK", "reviewer": "rev"})
    assert refused.status_code == 422
    api.as_("vptw_office").complete(nid, "check_dossier", {"decision": "accept", "comment": "OK",
                                                           "reviewer": "vptw_rev"})
    api.as_("vptw_rev").complete(nid, "appraise", {"recommendation": "approve", "comment": "Đạt"})
    voters = {t["assignee"] for t in api.as_("vptw_office").get(f"/nominations/{nid}").get_json()["open_tasks"]}
    assert voters == set(council("VPTW"))
    for member in council("VPTW"):
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    assert [t for t in api.as_("chair").get("/tasks").get_json() if t["nomination_id"] == nid] == []
    signed = api.as_("vptw_head").complete(nid, "sign_decision", {"decision": "approve", "comment": "Đồng ý"})
    assert signed["status"] == "awarded"
    decision = api.as_("vptw_office").get(f"/nominations/{nid}").get_json()["decision"]
    assert (decision["number"], decision["authority"]) == ("1/QĐ-VPTW", "VPTW")
    register_rows = api.as_("vptw_office").get("/decisions").get_json()
    assert [(r["number"], r["authority"]) for r in register_rows] == [("1/QĐ-VPTW", "VPTW")]
    # The agency's council voted under the regulation in force above it (it has issued none of its own).
    tally = api.as_("vptw_office").get(f"/nominations/{nid}/tally.pdf")
    assert tally.status_code == 200


def test_a_state_award_is_proposed_upward_by_the_agency(app, api, nominate, agencies):
    nid = nominate(award_type="HCLD3")
    drive(api, nid, "VPTW")
    decision = api.as_("vptw_office").get(f"/nominations/{nid}").get_json()
    assert decision["status"] == "forwarded"
    assert decision["decision"]["number"] == "1/TTr-VPTW"


def test_the_bloc_keeps_numbering_its_own_decisions(app, api, nominate, walk, agencies):
    with app.app_context():
        # The clerk's agency decides now; a unit of an agency not set up still goes to the bloc.
        db.session.execute(select(Authority)).all()
    nid = nominate(clerk="clerk_b", name="Trần Văn Khối")
    assert api.as_("clerk_b").get(f"/nominations/{nid}").get_json()["authority"] == "BTCTW"


ELSEWHERE = ("btctw_office", "btctw_rev", "btctw_m1", "btctw_head", "sec", "rev", "m1", "chair")


def test_another_authority_sees_nothing_of_an_agencys_nomination(app, api, nominate, agencies):
    nid = nominate()
    drive(api, nid, "VPTW")
    document = api.as_("clerk_a").get(f"/nominations/{nid}/documents").get_json()[0]["id"]
    decision_id = api.as_("vptw_office").get(f"/nominations/{nid}").get_json()["decision"]["id"]
    with app.app_context():
        from workflows.models import IndexedTask
        task_ids = list(db.session.execute(select(IndexedTask.id).where(IndexedTask.nomination_id == nid)).scalars())
    for username in ELSEWHERE:
        caller = api.as_(username)
        assert caller.get(f"/nominations/{nid}").status_code == 404, username
        assert caller.get(f"/nominations/{nid}/documents/{document}").status_code == 404, username
        assert caller.get(f"/nominations/{nid}/decision.pdf").status_code == 404, username
        assert caller.get(f"/nominations/{nid}/audit").status_code in (403, 404), username
        assert all(caller.get(f"/tasks/{t}").status_code in (403, 404) for t in task_ids), username
        assert nid not in [n["id"] for n in caller.get("/nominations").get_json()], username
        assert nid not in [t["nomination_id"] for t in caller.get("/tasks").get_json()], username
        assert caller.get(f"/decisions/{decision_id}").status_code in (403, 404), username
        register_rows = caller.get("/decisions")
        assert register_rows.status_code == 403 or decision_id not in [r["id"] for r in register_rows.get_json()]
    # Oversight still reads everything.
    assert api.as_("aud").get(f"/nominations/{nid}").status_code == 200
    assert decision_id in [r["id"] for r in api.as_("aud").get("/decisions").get_json()]


def test_an_agencys_reviewer_cannot_take_from_the_blocs_pool_or_the_other_way(app, api, nominate, walk, agencies):
    bloc_nid = nominate(clerk="clerk_b", name="Không Ai")  # BTCTW is set up: its own
    drive_btctw = api.as_("clerk_b")
    assert drive_btctw.get(f"/nominations/{bloc_nid}").get_json()["authority"] == "BTCTW"
    vptw_nid = nominate()
    drive(api, vptw_nid, "VPTW", until="checking")
    api.as_("vptw_office").complete(vptw_nid, "check_dossier", {"decision": "accept", "comment": "OK"})
    task = api.as_("vptw_rev").task(vptw_nid, "appraise")
    for outsider in ("rev", "btctw_rev"):
        assert api.as_(outsider).post(f"/tasks/{task}/claim").status_code in (403, 404)
    assert api.as_("vptw_rev").post(f"/tasks/{task}/claim").status_code == 200


def test_one_person_with_roles_in_two_authorities_sees_both(app, api, nominate, walk, agencies):
    with app.app_context():
        head = accounts.find_user("vptw_head")
        authorities.grant(head, authorities.bloc(), "council_member")
        db.session.commit()
    me = api.as_("vptw_head").get("/me").get_json()
    assert {a["code"]: a["roles"] for a in me["authorities"]} == {
        "KHOI": ["council_member"], "VPTW": ["council_member", "council_chair", "head"]}
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.code == "VPTW")).scalar_one()
        agency = authorities.agency_of(unit.id)
        agency.active = False  # for a moment the bloc decides the clerk's next nomination
        db.session.commit()
    bloc_nid = nominate(name="Người Của Khối")
    with app.app_context():
        authorities.by_code("VPTW").active = True
        db.session.commit()
    own_nid = nominate(name="Người Của Văn Phòng")
    assert api.as_("clerk_a").get(f"/nominations/{bloc_nid}").get_json()["authority"] == "KHOI"
    walk(bloc_nid, "vote")
    drive(api, own_nid, "VPTW", until="signing")
    waiting = {(t["nomination_id"], t["key"]) for t in api.as_("vptw_head").get("/tasks").get_json()}
    assert {(bloc_nid, "vote"), (own_nid, "sign_decision")} <= waiting
    listed = {n["id"] for n in api.as_("vptw_head").get("/nominations").get_json()}
    assert {bloc_nid, own_nid} <= listed
    # The bloc's council now has six: the bloc's chair cannot sign until all six have voted.
    api.as_("vptw_head").complete(bloc_nid, "vote", {"vote": "yes"})


def test_the_head_of_the_authority_revokes_its_decisions_and_no_other(app, api, nominate, agencies):
    nid = nominate()
    drive(api, nid, "VPTW")
    decision_id = api.as_("vptw_office").get(f"/nominations/{nid}").get_json()["decision"]["id"]
    refused = api.as_("chair").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "criteria_unmet", "reason": "x", "password": PASSWORD})
    assert refused.status_code in (403, 404)
    done = api.as_("vptw_head").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "criteria_unmet", "reason": "Phát hiện sau", "password": PASSWORD})
    assert done.status_code == 200, done.get_json()


def test_the_authorities_are_listed_for_api_callers(app, api, agencies):
    listed = api.as_("clerk_a").get("/authorities").get_json()
    assert [(a["code"], a["kind"], a["symbol"], a["parent"]) for a in listed] == [
        ("KHOI", "bloc", "KTĐ", None), ("BTCTW", "agency", "BTCTW", "KHOI"), ("VPTW", "agency", "VPTW", "KHOI")]


def test_an_agencys_office_keeps_its_own_agencys_registry(app, api, agencies):
    own, other = register(app, "VPTW", "Người Văn Phòng"), register(app, "BTCTW", "Người Ban Tổ Chức")
    assert api.as_("vptw_office").get(f"/people/{own}").status_code == 200
    assert api.as_("vptw_office").get(f"/people/{other}").status_code in (403, 404)
    assert other not in [p["code"] for p in api.as_("vptw_office").get("/people").get_json()]
    assert api.as_("sec").get(f"/people/{other}").status_code == 200  # the bloc's office: the whole bloc


def test_each_council_votes_under_its_own_regulation_and_seats(app, api, nominate, agencies):
    articles = [{"article": name, "quorum": 0.5, "threshold": 0.5, "base": "voters"}
                for name in ("grassroots", "agency", "state", "emulation_fighter")]
    body = {"code": "QC-VPTW-2026", "title": "Quy chế Hội đồng VPTW", "legal_basis": "Quyết định 1/QĐ-VPTW",
            "effective_from": "2020-01-01", "articles": articles, "authority": "VPTW"}
    published = api.as_("admin").post("/council/regulations", json=body)
    assert published.status_code == 201, published.get_json()
    assert [r["code"] for r in api.as_("vptw_m1").get("/council/regulations?authority=VPTW").get_json()] == [
        "QC-VPTW-2026"]
    assert "QC-VPTW-2026" not in [r["code"] for r in api.as_("m1").get("/council/regulations").get_json()]
    assert api.as_("admin").put("/council/seats/vptw_m1", json={"position": "standing_vice_chair",
                                                                "authority": "VPTW"}).status_code == 204
    seats = {s["username"]: s["position"] for s in api.as_("m1").get("/council/seats?authority=VPTW").get_json()}
    assert seats == {"vptw_head": "chair", "vptw_m1": "standing_vice_chair"}
    assert "vptw_m1" not in [s["username"] for s in api.as_("m1").get("/council/seats").get_json()]
    assert api.as_("m1").get("/council/seats?authority=NOPE").status_code == 404
    nid = nominate()
    drive(api, nid, "VPTW")
    with app.app_context():
        from workflows.models import TallyRecord
        assert db.session.get(TallyRecord, nid).regulation_code == "QC-VPTW-2026"
