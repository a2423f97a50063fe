"""The authorities on the pages: the administrators' pages for them, and the authority shown on the
nomination, task, inbox and register pages, in both languages."""

import pytest
from sqlalchemy import select

from tests.test_authorities import drive, set_up_agency
from workflows.db import db
from workflows.models import AuthorityRole, CouncilSeat, User
from workflows.services import authorities


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_administrators_list_and_open_the_authorities(app, browser, language):
    set_up_agency(app, "VPTW")
    b = browser("admin", HTTP_ACCEPT_LANGUAGE=language)
    listing = b.get("/admin/authorities")
    assert listing.status_code == 200
    assert "KHOI" in text(listing) and "VPTW" in text(listing)
    assert ("Khối thi đua" in text(listing)) == (language == "vi")
    page = b.get("/admin/authorities/VPTW")
    assert page.status_code == 200 and "vptw_head" in text(page)
    assert b.get("/admin/authorities/new").status_code == 200
    assert b.get("/admin/authorities/NOPE").status_code == 404


@pytest.mark.parametrize("username", ["clerk_a", "sec", "chair", "aud"])
def test_only_administrators_reach_the_authority_pages(browser, username):
    assert browser(username).get("/admin/authorities").status_code == 403


def test_create_an_authority_give_roles_and_seat_its_council(app, browser):
    b = browser("admin")
    created = b.post_form("/admin/authorities/new", "/admin/authorities/new", {
        "code": "BTCTW", "name": "Central Organization Commission", "name_vi": "Ban Tổ chức Trung ương",
        "kind": "agency", "symbol": "BTCTW", "parent": "KHOI", "unit": "BTCTW", "collective": "", "active": "y"})
    assert created.status_code == 302, text(created)[:2000]
    for username, role in (("head_b", "head"), ("clerk_b", "office")):
        given = b.post_form("/admin/authorities/BTCTW", "/admin/authorities/BTCTW/roles",
                            {"username": username, "role": role, "held": "1"})
        assert given.status_code == 302
    seated = b.post_form("/admin/authorities/BTCTW", "/admin/authorities/BTCTW/seats",
                         {"username": "head_b", "position": "chair"})
    assert seated.status_code == 302
    with app.app_context():
        authority = authorities.by_code("BTCTW")
        assert authorities.is_set_up(authority)
        head = db.session.execute(select(User).where(User.username == "head_b")).scalar_one()
        assert db.session.get(CouncilSeat, (authority.id, head.id)).position == "chair"
    taken = b.post_form("/admin/authorities/BTCTW", "/admin/authorities/BTCTW/roles",
                        {"username": "clerk_b", "role": "office", "held": "0"})
    assert taken.status_code == 302
    with app.app_context():
        assert not db.session.execute(select(AuthorityRole).where(AuthorityRole.role == "office",
                                                                  AuthorityRole.authority_id == authority.id)).first()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_refused_authority_is_worded_in_the_readers_language(browser, language):
    b = browser("admin", HTTP_ACCEPT_LANGUAGE=language)
    refused = b.post_form("/admin/authorities/new", "/admin/authorities/new", {
        "code": "bad code", "name": "X", "name_vi": "", "kind": "agency", "symbol": "A/B", "parent": "",
        "unit": "", "collective": ""})
    assert refused.status_code == 422
    expected = "Mã gồm 1 đến 32" if language == "vi" else "A code is 1 to 32"
    assert expected in text(refused)


def test_the_authority_is_shown_where_the_work_is(app, api, browser, nominate):
    set_up_agency(app, "VPTW")
    nid = nominate()
    drive(api, nid, "VPTW", until="checking")
    office = browser("vptw_office")
    assert "VPTW" in text(office.get("/tasks"))
    page = text(office.get(f"/nominations/{nid}"))
    assert 'id="deciding-authority"' in page
    vi = browser("vptw_office", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Cấp quyết định" in text(vi.get(f"/nominations/{nid}"))
    assert browser("sec").get(f"/nominations/{nid}").status_code == 404


def test_the_register_names_each_decisions_authority(app, api, browser, nominate):
    set_up_agency(app, "VPTW")
    nid = nominate()
    drive(api, nid, "VPTW")
    register = text(browser("vptw_head").get("/decisions"))
    assert "1/QĐ-VPTW" in register
    assert "1/QĐ-VPTW" not in text(browser("chair").get("/decisions"))
    assert "1/QĐ-VPTW" in text(browser("aud").get("/decisions?authority=VPTW"))
    assert "1/QĐ-VPTW" not in text(browser("aud").get("/decisions?authority=KHOI"))
