"""A list's page and a council session's page draw their own process where it stands, in the reader's language."""

import pytest

from tests.list_helpers import list_at
from tests.session_helpers import agency_with_secretary, round_with_voting, scheduled


@pytest.mark.parametrize("lang, heading, current", [
    ("en", "Where the list stands", "Current step: Check the list."),
    ("vi", "Tiến độ xử lý danh sách đề nghị", "Bước hiện tại: Thẩm định danh sách."),
])
def test_the_list_page_draws_the_lists_process_at_the_offices_check(app, browser, lang, heading, current):
    list_id = list_at(app, "checking", nominees=2)
    html = browser("sec", HTTP_ACCEPT_LANGUAGE=lang).get(f"/lists/{list_id}").get_data(as_text=True)
    assert heading in html
    assert '<svg' in html and current in html
    # The steps before the check are done, not current.
    assert "Current step: Prepare" not in html and "Bước hiện tại: Lập" not in html


@pytest.mark.parametrize("lang, heading, current", [
    ("en", "Where the session stands", "Current step: Take attendance."),
    ("vi", "Tiến độ phiên họp Hội đồng", "Bước hiện tại: Điểm danh."),
])
def test_the_session_page_draws_the_sessions_process_at_attendance(app, api, browser, lang, heading, current):
    agency_with_secretary(app, "VPTW")
    round_id, _ = round_with_voting(app)
    session = scheduled(api, round_id)["id"]
    html = browser("vptw_office", HTTP_ACCEPT_LANGUAGE=lang).get(f"/sessions/{session}").get_data(as_text=True)
    assert heading in html and current in html


def test_another_agencys_office_gets_no_drawing_of_the_session(app, api, browser):
    agency_with_secretary(app, "VPTW")
    agency_with_secretary(app, "BTCTW")
    round_id, _ = round_with_voting(app)
    session = scheduled(api, round_id)["id"]
    response = browser("btctw_office").get(f"/sessions/{session}")
    assert response.status_code == 404
    assert "Take attendance" not in response.get_data(as_text=True)
