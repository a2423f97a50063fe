"""Council sessions through the API: the agenda, attendance and the quorum, ballots opened and closed
together by the secretary or the chair, one ballot sheet per member, written ballots, the count of
every nominee, the minutes, and nothing of it seen by another agency."""

import hashlib

import pytest
from sqlalchemy import select

from tests.decision_helpers import pdf_text
from tests.session_helpers import WHEN, agency_with_secretary, marks, opened, round_with_voting, scheduled, sheet
from tests.test_secret_ballot import tables_holding_a_choice
from workflows.db import db
from workflows.models import (
    CouncilRegulation,
    CouncilSession,
    IndexedTask,
    Nomination,
    SealedBallot,
    SessionMember,
    TallyRecord,
    User,
)

EVERYONE = {"vptw_head": "present", "vptw_m1": "present", "vptw_m2": "present", "vptw_m3": "present",
            "vptw_m4": "present"}
FOUR_AND_WRITTEN = {**EVERYONE, "vptw_m4": "written"}


@pytest.fixture
def agency(app):
    agency_with_secretary(app, "VPTW")
    agency_with_secretary(app, "BTCTW")


def nominee_ids(session: dict) -> list[int]:
    return [item["nomination_id"] for group in session["agenda"] for item in group["items"]]


def test_the_agenda_is_every_nominee_waiting_for_the_vote_grouped_by_award(app, api, agency):
    round_id, (first, second, third) = round_with_voting(app, awards=("CSTDCS", "CSTDBO", "CSTDCS"))
    session = scheduled(api, round_id)
    assert session["status"] == "scheduled" and session["nominees"] == 3
    groups = [(g["award_type"], [i["nomination_id"] for i in g["items"]]) for g in session["agenda"]]
    assert groups == [("CSTDBO", [second]), ("CSTDCS", [first, third])]
    articles = {i["nomination_id"]: i["article"] for g in session["agenda"] for i in g["items"]}
    assert articles == {first: "grassroots", second: "emulation_fighter", third: "grassroots"}
    assert {s["username"] for s in session["seated"]} == {"vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4"}
    # Nominees on an open session's agenda go on no other.
    again = api.as_("vptw_office").post(f"/rounds/{round_id}/sessions", json={"scheduled_for": WHEN})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "session.nothing_to_vote"
    # A session's steps are taken on its page: no inbox lists them, none counts them.
    inbox = api.as_("vptw_office").get("/tasks")
    assert inbox.get_json() == [] and inbox.headers["X-Total-Count"] == "0"
    listed = api.as_("vptw_m1").get(f"/rounds/{round_id}/sessions").get_json()
    assert [s["id"] for s in listed] == [session["id"]]
    refused = api.as_("vptw_m1").post(f"/rounds/{round_id}/sessions", json={"scheduled_for": WHEN})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "session.office_only"


def test_quorum_not_met_no_ballot_opens(app, api, agency):
    round_id, ids = round_with_voting(app)
    session = scheduled(api, round_id)
    path = f"/sessions/{session['id']}"
    three = {"vptw_head": "present", "vptw_m1": "present", "vptw_m2": "present"}
    taken = api.as_("vptw_office").post(f"{path}/attendance", json={"attendance": marks(app, three)})
    assert taken.status_code == 200
    quorum = taken.get_json()["quorum"]
    assert (quorum["seated"], quorum["needed"], quorum["taking_part"], quorum["met"]) == (5, 4, 3, False)
    assert taken.get_json()["status"] == "scheduled" and taken.get_json()["may"]["open"] is False
    refused = api.as_("vptw_head").post(f"{path}/open")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "session.quorum_not_met"
    assert (error["params"]["taking_part"], error["params"]["needed"]) == (3, 4)
    ballot = api.as_("vptw_m1").post(f"{path}/ballots", json=sheet(ids))
    assert ballot.status_code == 409 and ballot.get_json()["error"]["code"] == "session.not_open"
    with app.app_context():
        assert db.session.execute(select(SealedBallot)).first() is None
        assert db.session.get(CouncilSession, session["id"]).opened_at is None
    # A member arrives: attendance is taken again, the quorum is met, the ballots open; then it is taken.
    four = {**three, "vptw_m3": "present"}
    assert api.as_("vptw_office").post(f"{path}/attendance",
                                       json={"attendance": marks(app, four)}).get_json()["quorum"]["met"] is True
    assert api.as_("vptw_head").post(f"{path}/open").get_json()["status"] == "open"
    again = api.as_("vptw_office").post(f"{path}/attendance", json={"attendance": marks(app, EVERYONE)})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "session.attendance_taken"


def test_an_absent_members_written_ballot_is_counted(app, api, agency):
    round_id, (passing, failing) = round_with_voting(app)
    session = opened(app, api, round_id, FOUR_AND_WRITTEN)
    path = f"/sessions/{session['id']}"
    assert session["quorum"]["written"] == ["VPTW m4"] and session["quorum"]["met"] is True
    for member, choice in (("vptw_head", "no"), ("vptw_m1", "no"), ("vptw_m2", "yes"), ("vptw_m3", "yes")):
        cast = api.as_(member).post(f"{path}/ballots", json={"choices": {str(passing): "yes", str(failing): choice}})
        assert cast.status_code == 200, cast.get_json()
    written = api.as_("vptw_m4").post(f"{path}/ballots", json={"choices": {str(passing): "yes", str(failing): "no"}})
    assert written.status_code == 200 and written.get_json()["sheets_cast"] == 5
    closed = api.as_("vptw_head").post(f"{path}/close", json={})
    assert closed.status_code == 200, closed.get_json()
    results = {i["nomination_id"]: i for g in closed.get_json()["agenda"] for i in g["items"]}
    assert (results[passing]["result"]["yes"], results[passing]["result"]["voters"]) == (5, 5)
    assert results[passing]["status"] == "signing" and results[passing]["result"]["passed"] is True
    # 70 % of the five who voted is four: two yes do not pass.
    assert (results[failing]["result"]["yes"], results[failing]["result"]["no"]) == (2, 3)
    assert results[failing]["status"] == "not_approved"
    with app.app_context():
        record = db.session.get(TallyRecord, passing)
        assert "VPTW m4" in record.voters and len(record.voters) == 5
        steps = db.session.execute(select(IndexedTask.key, IndexedTask.state, User.username).outerjoin(
            User, User.id == IndexedTask.completed_by_id).where(IndexedTask.session_id == session["id"])
            .order_by(IndexedTask.created_at)).all()
        assert [tuple(s) for s in steps] == [("take_attendance", "completed", "vptw_office"),
                                             ("open_ballots", "completed", "vptw_head"),
                                             ("close_ballots", "completed", "vptw_head")]
        assert db.session.get(Nomination, failing).status == "not_approved"
        assert db.session.execute(select(SealedBallot)).first() is None


def test_a_written_ballot_is_refused_where_the_regulation_disallows_it(app, api, agency):
    with app.app_context():
        for regulation in db.session.execute(select(CouncilRegulation)).scalars():
            regulation.written_ballots = False
        db.session.commit()
    round_id, _ = round_with_voting(app)
    session = scheduled(api, round_id)
    refused = api.as_("vptw_office").post(f"/sessions/{session['id']}/attendance",
                                          json={"attendance": marks(app, FOUR_AND_WRITTEN)})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "session.bad_attendance"
    assert list(error["field_codes"].values()) == ["session.written_not_allowed"]
    assert api.as_("vptw_m1").get(f"/sessions/{session['id']}").get_json()["written_ballots"] is False


def test_a_written_ballot_after_the_close_is_refused(app, api, agency):
    round_id, ids = round_with_voting(app)
    session = opened(app, api, round_id, FOUR_AND_WRITTEN)
    path = f"/sessions/{session['id']}"
    for member in ("vptw_head", "vptw_m1", "vptw_m2", "vptw_m3"):
        assert api.as_(member).post(f"{path}/ballots", json=sheet(ids)).status_code == 200
    assert api.as_("vptw_sec").post(f"{path}/close", json={}).status_code == 200
    late = api.as_("vptw_m4").post(f"{path}/ballots", json=sheet(ids))
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "session.closed"
    with app.app_context():
        assert db.session.get(TallyRecord, ids[0]).voters == sorted(["VPTW head", "VPTW m1", "VPTW m2", "VPTW m3"])
        assert db.session.get(SessionMember, (session["id"], _id(app, "vptw_m4"))).voted_at is None


def test_a_member_casts_one_sheet_with_every_nominee(app, api, agency):
    round_id, ids = round_with_voting(app)
    session = opened(app, api, round_id, EVERYONE)
    path = f"/sessions/{session['id']}"
    partial = api.as_("vptw_m1").post(f"{path}/ballots", json={"choices": {str(ids[0]): "yes"}})
    assert partial.status_code == 422
    assert partial.get_json()["error"]["field_codes"] == {str(ids[1]): "session.choice_missing"}
    assert api.as_("vptw_m1").post(f"{path}/ballots", json=sheet(ids)).status_code == 200
    twice = api.as_("vptw_m1").post(f"{path}/ballots", json=sheet(ids, "no"))
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "session.already_cast"
    assert api.as_("vptw_office").post(f"{path}/ballots", json=sheet(ids)).status_code == 403
    read = api.as_("vptw_m2").get(path).get_json()
    assert read["sheets_cast"] == 1 and read["may"]["cast"] is True
    assert [m["cast"] for m in read["members"] if m["username"] == "vptw_m1"] == [True]
    with app.app_context():
        assert db.session.execute(select(SealedBallot.nomination_id)).scalars().all().count(ids[0]) == 1


def test_only_the_secretary_or_the_chair_opens_and_closes(app, api, agency):
    round_id, ids = round_with_voting(app)
    session = scheduled(api, round_id)
    path = f"/sessions/{session['id']}"
    api.as_("vptw_office").post(f"{path}/attendance", json={"attendance": marks(app, EVERYONE)})
    for someone in ("vptw_office", "vptw_m1"):
        refused = api.as_(someone).post(f"{path}/open")
        assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "session.presiding_only"
    assert api.as_("vptw_sec").post(f"{path}/open").status_code == 200
    for someone in ("vptw_office", "vptw_m2"):
        assert api.as_(someone).post(f"{path}/close", json={}).status_code == 403
    closed = api.as_("vptw_head").post(f"{path}/close", json={})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    # Nobody voted: below the quorum of voters, nobody passes.
    assert {i["status"] for g in closed.get_json()["agenda"] for i in g["items"]} == {"not_approved"}


def test_another_agencys_office_sees_nothing(app, api, agency):
    round_id, ids = round_with_voting(app)
    session = opened(app, api, round_id, EVERYONE)
    path = f"/sessions/{session['id']}"
    for call in (lambda c: c.get(path), lambda c: c.post(f"{path}/open"), lambda c: c.post(f"{path}/close", json={}),
                 lambda c: c.post(f"{path}/ballots", json=sheet(ids)),
                 lambda c: c.post(f"{path}/attendance", json={"attendance": {}}),
                 lambda c: c.get(f"{path}/minutes.pdf"), lambda c: c.get(f"/rounds/{round_id}/sessions"),
                 lambda c: c.post(f"/rounds/{round_id}/sessions", json={"scheduled_for": WHEN})):
        for outsider in ("btctw_office", "btctw_head", "btctw_m1", "clerk_b"):
            assert call(api.as_(outsider)).status_code == 404
    assert api.as_("aud").get(path).status_code == 200


def test_the_database_holds_no_voter_with_a_choice(app, api, agency):
    round_id, ids = round_with_voting(app)
    session = opened(app, api, round_id, EVERYONE)
    path = f"/sessions/{session['id']}"
    for member, choice in (("vptw_head", "yes"), ("vptw_m1", "no"), ("vptw_m2", "yes"), ("vptw_m3", "no")):
        assert api.as_(member).post(f"{path}/ballots", json=sheet(ids, choice)).status_code == 200
    with app.app_context():
        assert tables_holding_a_choice() == set()
        assert set(SealedBallot.__table__.columns.keys()) == {"id", "nomination_id", "sealed"}
    api.as_("vptw_head").post(f"{path}/close", json={})
    with app.app_context():
        assert tables_holding_a_choice() == set()


def test_the_minutes_list_every_nominee_and_match_their_stored_digest(app, api, agency):
    round_id, ids = round_with_voting(app, awards=("CSTDCS", "CSTDBO"))
    session = opened(app, api, round_id, FOUR_AND_WRITTEN, presiding="vptw_sec")
    path = f"/sessions/{session['id']}"
    assert api.as_("vptw_m1").get(f"{path}/minutes.pdf").status_code == 404
    for member in ("vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4"):
        api.as_(member).post(f"{path}/ballots", json=sheet(ids))
    closed = api.as_("vptw_head").post(f"{path}/close", json={"recommendations": {str(ids[0]): "CSTDBO"}}).get_json()
    pdf = api.as_("vptw_m1").get(f"{path}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == closed["minutes_sha256"]
    assert api.as_("aud").get(f"{path}/minutes.pdf").data == pdf.data
    words = pdf_text(pdf.data)
    for expected in ("BIÊN BẢN PHIÊN HỌP", "Nguyễn Văn 01", "Nguyễn Văn 02", "VPTW m4", "QC-HDTDKT-2024",
                     "hai phần ba", "Thông qua", "CSTDBO"):
        assert expected in words, expected


def _id(app, username):
    from workflows.usecases import accounts
    with app.app_context():
        return accounts.find_user(username).id


# -- the whole path: a list of the agency's emulation fighters through its council's session -----------------------

def test_an_emulation_fighter_list_is_voted_by_the_agencys_council_in_a_session(app, api, agency):
    from tests.list_helpers import list_at
    from workflows.models import Proposal
    from workflows.services import lists

    opened_round = api.as_("vptw_office").post("/rounds", json={
        "authority": "VPTW", "name": "Đợt xét cuối năm 2026", "year": 2026, "award_codes": ["CSTDCS"],
        "intake_deadline": "2026-12-31"})
    assert opened_round.status_code == 201, opened_round.get_json()
    round_id = opened_round.get_json()["id"]
    first = list_at(app, "voting", award="CSTDCS", nominees=2, office="vptw_office", round_id=round_id)
    second = list_at(app, "voting", award="CSTDCS", nominees=1, office="vptw_office", round_id=round_id)
    with app.app_context():
        nominees = {p: list(db.session.execute(select(Nomination.id).where(Nomination.proposal_id == p)
                                               .order_by(Nomination.id)).scalars()) for p in (first, second)}
        assert {n.authority.code for n in db.session.execute(select(Nomination)).scalars()} == {"VPTW"}
        assert lists.step_of(db.session.get(Proposal, first)) == "await_session"
    session = scheduled(api, round_id)
    assert sorted(nominee_ids(session)) == sorted(nominees[first] + nominees[second])
    assert [g["award_type"] for g in session["agenda"]] == ["CSTDCS"]
    assert {i["article"] for i in session["agenda"][0]["items"]} == {"grassroots"}
    path = f"/sessions/{session['id']}"
    assert api.as_("vptw_office").post(f"{path}/attendance",
                                       json={"attendance": marks(app, FOUR_AND_WRITTEN)}).status_code == 200
    assert api.as_("vptw_sec").post(f"{path}/open").status_code == 200
    rejected = nominees[first][1]
    for member in ("vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4"):
        choices = {str(n): "yes" for n in nominees[first] + nominees[second]}
        if member in ("vptw_m1", "vptw_m2"):
            choices[str(rejected)] = "no"
        assert api.as_(member).post(f"{path}/ballots", json={"choices": choices}).status_code == 200
    closed = api.as_("vptw_head").post(f"{path}/close", json={}).get_json()
    assert closed["status"] == "closed" and closed["minutes_sha256"]
    with app.app_context():
        status = {n.id: n.status for n in db.session.execute(select(Nomination)).scalars()}
        assert status == {nominees[first][0]: "signing", rejected: "not_approved", nominees[second][0]: "signing"}
        for proposal_id in (first, second):
            proposal = db.session.get(Proposal, proposal_id)
            assert lists.step_of(proposal) == "sign_list" and proposal.status == "signing"
        record = db.session.get(TallyRecord, rejected)
        assert (record.yes, record.no, record.needed_yes, record.passed) == (3, 2, 4, False)
    # The head signs each list next: nothing is left for another session.
    again = api.as_("vptw_office").post(f"/rounds/{round_id}/sessions", json={"scheduled_for": WHEN})
    assert again.status_code == 409
