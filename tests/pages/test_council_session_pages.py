"""The council session's pages in both languages: the office schedules and takes attendance, the chair
opens and closes, each member casts one sheet for the whole agenda, everyone present reads the minutes."""

import re

import pytest
from sqlalchemy import select

from tests.pages.conftest import csrf_token
from tests.session_helpers import agency_with_secretary, round_with_voting
from workflows.db import db
from workflows.models import CouncilSession, Nomination, SessionItem
from workflows.usecases import accounts

WORDS = {
    "en": {"schedule": "Schedule a session", "attendance": "Take attendance", "quorum": "Quorum met",
           "below": "Below the quorum", "open": "Open the ballots", "close": "Close the ballots and count",
           "sheet": "Your ballot sheet", "received": "Your ballot sheet was received",
           "minutes": "Download the minutes", "agenda": "Agenda"},
    "vi": {"schedule": "Lên lịch phiên họp", "attendance": "Điểm danh", "quorum": "Đủ túc số",
           "below": "Không đủ túc số", "open": "Mở phiếu bầu", "close": "Đóng phiếu bầu và kiểm phiếu",
           "sheet": "Phiếu bầu của đồng chí", "received": "Đã nhận phiếu bầu của đồng chí",
           "minutes": "Tải biên bản", "agenda": "Chương trình"},
}


@pytest.fixture
def agency(app):
    agency_with_secretary(app, "VPTW")
    agency_with_secretary(app, "BTCTW")


def post(b, page, action, data):
    token = csrf_token(b.get(page).get_data(as_text=True))
    return b.client.post(action, data={"csrf_token": token, **data})


def ids(app, *usernames):
    with app.app_context():
        return [accounts.find_user(u).id for u in usernames]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_session_from_scheduling_to_the_minutes(app, browser, agency, language):
    words = WORDS[language]
    round_id, nominees = round_with_voting(app, awards=("CSTDCS", "CSTDBO"))
    office = browser("vptw_office", HTTP_ACCEPT_LANGUAGE=language)
    page = f"/rounds/{round_id}/sessions"
    assert words["schedule"] in office.get(page).get_data(as_text=True)
    made = post(office, page, page, {"scheduled_for": "2026-12-20T08:00", "place": "Phòng họp 1"})
    assert made.status_code == 302
    path = made.headers["Location"]
    html = office.get(path).get_data(as_text=True)
    assert words["attendance"] in html and words["agenda"] in html and "Nguyễn Văn 01" in html
    members = ids(app, "vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4")
    below = {f"attendance-{m}": "absent" for m in members[2:]} | {f"attendance-{m}": "present" for m in members[:2]}
    refused = post(office, path, f"{path}/attendance", below)
    assert refused.status_code == 302
    assert words["below"] in office.get(path).get_data(as_text=True)
    everyone = {f"attendance-{m}": "present" for m in members[:4]} | {f"attendance-{members[4]}": "written"}
    assert post(office, path, f"{path}/attendance", everyone).status_code == 302
    html = office.get(path).get_data(as_text=True)
    # The office neither opens nor closes (the step's name is still on the session's diagram).
    assert words["quorum"] in html and 'id="open-ballots"' not in html
    chair = browser("vptw_head", HTTP_ACCEPT_LANGUAGE=language)
    chair_page = chair.get(path).get_data(as_text=True)
    assert 'id="open-ballots"' in chair_page and words["open"] in chair_page
    assert post(chair, path, f"{path}/open", {}).status_code == 302
    for username in ("vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4"):
        member = chair if username == "vptw_head" else browser(username, HTTP_ACCEPT_LANGUAGE=language)
        sheet = member.get(path).get_data(as_text=True)
        assert words["sheet"] in sheet
        assert set(re.findall(r'name="vote-(\d+)"', sheet)) == {str(n) for n in nominees}
        cast = post(member, path, f"{path}/ballots", {f"vote-{n}": "yes" for n in nominees})
        assert cast.status_code == 302
        after = member.get(path).get_data(as_text=True)
        assert words["received"] in after and 'name="vote-' not in after
    assert post(chair, path, f"{path}/close", {f"recommend-{nominees[0]}": "CSTDBO"}).status_code == 302
    html = chair.get(path).get_data(as_text=True)
    assert words["minutes"] in html
    minutes = chair.get(f"{path}/minutes.pdf")
    assert minutes.status_code == 200 and minutes.mimetype == "application/pdf"
    with app.app_context():
        assert {n.status for n in db.session.execute(select(Nomination)).scalars()} == {"signing"}
        assert db.session.execute(select(CouncilSession.status)).scalar_one() == "closed"
        assert db.session.execute(select(SessionItem.recommended_award_code).where(
            SessionItem.nomination_id == nominees[0])).scalar_one() == "CSTDBO"


def test_a_refused_sheet_says_why_and_another_agency_sees_nothing(app, browser, agency):
    round_id, nominees = round_with_voting(app)
    office = browser("vptw_office")
    page = f"/rounds/{round_id}/sessions"
    path = post(office, page, page, {"scheduled_for": "2026-12-20T08:00"}).headers["Location"]
    marks = {f"attendance-{m}": "present" for m in ids(app, "vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4")}
    post(office, path, f"{path}/attendance", marks)
    chair = browser("vptw_head")
    post(chair, path, f"{path}/open", {})
    member = browser("vptw_m1")
    partial = post(member, path, f"{path}/ballots", {f"vote-{nominees[0]}": "yes"})
    assert partial.status_code == 422
    assert "Choose yes or no for this nominee." in partial.get_data(as_text=True)
    outsider = browser("btctw_office")
    assert outsider.get(path).status_code == 404
    assert outsider.get(page).status_code == 404
    assert outsider.get("/sessions").status_code == 200
    assert path not in outsider.get("/sessions").get_data(as_text=True)
