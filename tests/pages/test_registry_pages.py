"""The registry pages: lists, a person's history, holds, import with its error table, export."""

import io

import pytest
from sqlalchemy import select

from tests import registry_files as files
from tests.conftest import snapshot
from workflows.db import db
from workflows.models import Assessment, AuditEvent, ReviewHold
from workflows.usecases import accounts
from workflows.usecases.registry import importing


@pytest.fixture
def loaded(app):
    with app.app_context():
        importing.import_file(accounts.find_user("sec"), files.workbook(), "registry.xlsx")
    return app


def upload(browser, data, filename, kind=""):
    return browser.post_form("/registry/import", "/registry/import",
                             {"file": (io.BytesIO(data), filename), "kind": kind},
                             content_type="multipart/form-data")


def test_the_navigation_shows_the_registry_to_those_who_may_read_it(loaded, browser):
    for name in ("sec", "admin", "aud", "clerk_a", "head_a"):
        assert 'href="/registry"' in browser(name).get("/tasks").get_data(as_text=True), name
    for name in ("rev", "m1", "chair"):
        b = browser(name)
        assert 'href="/registry"' not in b.get("/tasks").get_data(as_text=True), name
        assert b.get("/registry").status_code == 403


def test_people_list_searches_and_filters(loaded, browser):
    page = browser("sec").get("/registry?q=Tuy%E1%BA%BFt&unit=VPTW").get_data(as_text=True)
    assert "Nguyễn Thị Ánh Tuyết" in page and "Lê Hoàng Yến" not in page
    own = browser("clerk_b").get("/registry").get_data(as_text=True)
    assert "Lê Hoàng Yến" in own and "Ánh Tuyết" not in own
    assert "Vụ Tổng hợp" in browser("aud").get("/registry/collectives").get_data(as_text=True)


def test_a_persons_page_shows_the_whole_history(loaded, browser):
    page = browser("head_a").get("/registry/people/A001").get_data(as_text=True)
    for text in ("Nguyễn Thị Ánh Tuyết", "HTXSNV", "123/QĐ-VPTW", "Số hoá hồ sơ thi đua", "not used yet"):
        assert text in page
    assert "Place the hold" not in page and "Add or correct" not in page  # the unit head only reads
    assert "Reprimand" in browser("sec").get("/registry/people/A002").get_data(as_text=True)
    assert browser("clerk_b").get("/registry/people/A001").status_code == 404


def test_the_page_speaks_vietnamese(loaded, browser):
    page = browser("sec", HTTP_ACCEPT_LANGUAGE="vi").get("/registry/people/A002").get_data(as_text=True)
    assert "Khiển trách" in page and "Đánh giá, xếp loại hằng năm" in page


def test_the_secretariat_places_and_lifts_a_hold(loaded, browser, app):
    sec = browser("sec")
    response = sec.post_form("/registry/people/A001", "/registry/people/A001/holds",
                             {"hold-kind": "complaint", "hold-reason": "Đơn thư khiếu nại"})
    assert response.status_code == 302
    page = sec.get("/registry/people/A001").get_data(as_text=True)
    assert "Đơn thư khiếu nại" in page and "Lift the hold" in page
    with app.app_context():
        hold_id = db.session.execute(select(ReviewHold.id)).scalar_one()
    response = sec.post_form("/registry/people/A001", f"/registry/holds/{hold_id}/lift",
                             {"lift-reason": "Đã xác minh"})
    assert response.status_code == 302
    with app.app_context():
        hold = db.session.get(ReviewHold, hold_id)
        assert hold.lift_reason == "Đã xác minh"
        actions = db.session.execute(select(AuditEvent.action).where(AuditEvent.action.like("hold_%"))
                                     .order_by(AuditEvent.seq)).scalars().all()
        assert actions == ["hold_placed", "hold_lifted"]


def test_a_hold_without_a_reason_or_without_the_token_changes_nothing(loaded, browser, unchanged):
    sec, clerk = browser("sec"), browser("clerk_a")  # signing in is on the trail: before the check
    with unchanged():
        assert sec.post_form("/registry/people/A001", "/registry/people/A001/holds",
                             {"hold-kind": "complaint", "hold-reason": ""}).status_code == 422
        assert sec.client.post("/registry/people/A001/holds",
                               data={"hold-kind": "complaint", "hold-reason": "x"}).status_code in (400, 422)
        assert clerk.post_form("/registry/people/A001", "/registry/people/A001/holds",
                               {"hold-kind": "complaint", "hold-reason": "x"}).status_code == 403


def test_a_clerk_adds_an_assessment_from_the_page(loaded, browser, app):
    clerk = browser("clerk_a")
    response = clerk.post_form("/registry/people/A002", "/registry/people/A002/assessments",
                               {"assessment-year": "2025", "assessment-grade": "HTTNV"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Assessment.grade).where(Assessment.year == 2025,
                                                                 Assessment.person_id.isnot(None))
                                  .order_by(Assessment.id.desc())).scalars().first() == "HTTNV"
    other = browser("clerk_b")
    assert other.post_form("/registry", "/registry/people/A002/assessments",
                           {"assessment-year": "2025", "assessment-grade": "HTTNV"}).status_code == 404


def test_import_page_shows_counts_or_the_table_of_errors(loaded, browser, app):
    sec = browser("sec")
    good = upload(sec, files.csv_file(*files.PERSONS, delimiter=";", bom=True), "persons.csv")
    assert good.status_code == 200 and "The file was imported." in good.get_data(as_text=True)
    with app.app_context():
        before = snapshot()
    bad = upload(sec, files.csv_file(["person", "year", "grade"], [["A001", 2020, "HTNV"], ["A001", 2021, "??"]]),
                 "data.csv", kind="assessments")
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "nothing was imported" in page and "<td>3</td>" in page and "is not a grade" in page
    with app.app_context():
        after = snapshot()
    assert {k: v for k, v in before.items() if k not in ("audit_event", "audit_head")} == \
        {k: v for k, v in after.items() if k not in ("audit_event", "audit_head")}
    strange = upload(sec, b"\x00\x01\x02", "persons.csv")
    assert strange.status_code == 422 and "neither CSV" in strange.get_data(as_text=True)


def test_import_page_is_for_those_who_may_change(loaded, browser):
    assert browser("head_a").get("/registry/import").status_code == 403
    assert browser("aud").get("/registry/import").status_code == 403
    assert browser("clerk_a").get("/registry/import").status_code == 200


def test_export_links_download_the_units_own_records(loaded, browser):
    response = browser("clerk_a").get("/registry/export?kind=persons&format=csv")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.data.decode("utf-8-sig")
    assert "Nguyễn Thị Ánh Tuyết" in text and "B001" not in text
    assert browser("clerk_a").get("/registry/export?kind=persons&unit=BTCTW").status_code == 404
    assert browser("sec").get("/registry/export?kind=all&format=xlsx").status_code == 200


def test_a_collectives_page_with_members_and_a_hold(loaded, browser, app):
    sec = browser("sec")
    page = sec.get("/registry/collectives/VPTW-TH").get_data(as_text=True)
    assert "Vụ Tổng hợp" in page and "Nguyễn Thị Ánh Tuyết" in page and "TTLDXS" in page
    response = sec.post_form("/registry/collectives/VPTW-TH", "/registry/collectives/VPTW-TH/holds",
                             {"hold-kind": "inspection", "hold-reason": "Thanh tra công vụ"})
    assert response.status_code == 302
    assert "On hold" in sec.get("/registry/collectives/VPTW-TH").get_data(as_text=True)
    assert browser("head_b").get("/registry/collectives/VPTW-TH").status_code == 404


def test_the_audit_search_names_the_registry_events(loaded, browser):
    page = browser("aud").get("/audit?action=registry_imported").get_data(as_text=True)
    assert "Registry imported" in page
