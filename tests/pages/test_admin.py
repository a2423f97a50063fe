"""The administration pages: only administrators, users, units, award types, process versions."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import BPMN_FOLDER, PASSWORD
from workflows.db import db
from workflows.models import Nomination, ProcessDefinition, ProcessInstance, Unit, User
from workflows.services import audit

DIAGRAM = (Path(BPMN_FOLDER) / "nomination.bpmn").read_text(encoding="utf-8")
OLD_NAME, NEW_NAME = "Endorse the dossier", "Endorse the dossier (v2)"

ADMIN_PAGES = ["/admin", "/admin/users", "/admin/users/new", "/admin/users/clerk_a", "/admin/units",
               "/admin/units/new", "/admin/units/VPTW", "/admin/award-types", "/admin/award-types/LDTT",
               "/admin/process"]


def text(response) -> str:
    return response.get_data(as_text=True)


def user_row(app, username) -> User:
    with app.app_context():
        found = db.session.execute(select(User).where(User.username == username)).scalar_one()
        db.session.expunge(found)
        return found


def edit_user(app, b, username, **changes):
    """Post the edit form with the user's current values, changed by ``changes`` (None leaves a field out)."""
    current = user_row(app, username)
    data = {"full_name": current.full_name, "email": current.email or "", "role": sorted(current.roles),
            "unit": current.unit.code if current.unit else "", "active": "y" if current.active else None}
    data.update(changes)
    return b.post_form(f"/admin/users/{username}", f"/admin/users/{username}",
                       {key: value for key, value in data.items() if value is not None})


def upload(b, diagram: str, **extra):
    files = {"diagram": (io.BytesIO(diagram.encode("utf-8")), "nomination.bpmn"), **extra}
    return b.post_form("/admin/process", "/admin/process", files, content_type="multipart/form-data")


def versions(app) -> list[int]:
    with app.app_context():
        return list(db.session.execute(select(ProcessDefinition.version).where(ProcessDefinition.key == "nomination")
                                       .order_by(ProcessDefinition.version)).scalars())


def version_of(app, nomination_id) -> int:
    with app.app_context():
        return db.session.execute(
            select(ProcessDefinition.version)
            .join(ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id)
            .join(Nomination, Nomination.instance_id == ProcessInstance.id)
            .where(Nomination.id == nomination_id)).scalar_one()


# -- access --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("username", ["clerk_a", "sec", "aud"])
def test_only_administrators_see_the_admin_pages(browser, path, username):
    assert browser(username).get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_administrators_see_every_admin_page(browser, path):
    response = browser("admin").get(path)
    assert response.status_code == 200 and "style=" not in text(response) and "<script" not in text(response)


def test_admin_pages_need_signing_in(browser):
    response = browser().get("/admin/users")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_non_administrator_cannot_post_either(app, browser):
    response = browser("sec").post_form("/tasks", "/admin/units/VPTW/status", {"active": "0"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.execute(select(Unit.active).where(Unit.code == "VPTW")).scalar_one()


def test_a_form_posted_without_its_csrf_token_is_refused(app, browser):
    b = browser("admin")
    assert b.client.post("/admin/units/VPTW/status", data={"active": "0"}).status_code == 400
    assert b.client.post("/admin/users/new", data={"username": "x", "full_name": "X", "role": "auditor",
                                                   "password": "long enough"}).status_code == 400
    assert user_row(app, "admin").active and "Deactivated" not in text(b.get("/admin/units"))


# -- users -----------------------------------------------------------------------------------------

def test_the_list_filters_by_unit_role_and_status(browser):
    b = browser("admin")
    page = text(b.get("/admin/users?unit=VPTW"))
    assert "clerk_a" in page and "head_a" in page and "clerk_b" not in page and ">sec<" not in page
    page = text(b.get("/admin/users?role=council_member"))
    assert all(name in page for name in ("m1", "m4", "chair")) and "clerk_a" not in page
    assert "No user matches" in text(b.get("/admin/users?active=no"))


def test_create_a_user(app, browser):
    b = browser("admin")
    response = b.post_form("/admin/users/new", "/admin/users/new", {
        "username": "clerk_c", "full_name": "Lê Văn C", "email": "c@example.org", "unit": "BDVTW",
        "role": ["unit_clerk", "reviewer"], "password": "a fine password"})
    assert response.status_code == 302
    created = user_row(app, "clerk_c")
    assert created.full_name == "Lê Văn C" and created.active
    assert "clerk_c" in text(b.get("/admin/users?unit=BDVTW"))
    browser().sign_in("clerk_c", "a fine password")
    with app.app_context():
        [event] = audit.search(action="user_created")
        assert event.actor == "admin" and event.details["roles"] == ["reviewer", "unit_clerk"]


def test_validation_errors_are_shown_next_to_the_fields(app, browser):
    b = browser("admin")
    response = b.post_form("/admin/users/new", "/admin/users/new", {
        "username": "clerk_c", "full_name": "C", "email": "not an address", "role": ["unit_clerk"],
        "password": "a fine password"})
    assert response.status_code == 422
    page = text(response)
    assert re.search(r'id="unit-error">[^<]*roles need a unit', page)
    assert re.search(r'id="email-error">[^<]*e-mail address', page)
    assert 'value="clerk_c"' in page  # what was typed is kept
    response = b.post_form("/admin/users/new", "/admin/users/new", {
        "username": "sec", "full_name": "Another", "role": ["secretariat"], "password": "a fine password"})
    assert response.status_code == 422 and re.search(r'id="username-error">[^<]*already exists', text(response))
    with app.app_context():
        assert db.session.execute(select(User).where(User.username == "clerk_c")).first() is None


def test_edit_a_user_unit_and_roles(app, browser):
    b = browser("admin")
    response = edit_user(app, b, "clerk_b", unit="BDVTW", role=["unit_clerk", "unit_head"], full_name="Clerk Bee")
    assert response.status_code == 302
    changed = user_row(app, "clerk_b")
    assert changed.full_name == "Clerk Bee" and changed.unit.code == "BDVTW"
    with app.app_context():
        [event] = audit.search(action="user_updated")
        assert event.details["changes"]["unit"] == ["BTCTW", "BDVTW"]
    response = edit_user(app, b, "clerk_b", unit="")
    assert response.status_code == 422 and re.search(r'id="unit-error">[^<]*roles need a unit', text(response))


def test_a_deactivated_user_can_no_longer_sign_in_nor_use_a_token(app, api, browser, nominate):
    nomination = nominate(clerk="clerk_b")
    assert api.as_("clerk_b").get("/me").status_code == 200
    signed_in = browser("clerk_b")
    assert edit_user(app, browser("admin"), "clerk_b", active=None).status_code == 302
    assert not user_row(app, "clerk_b").active
    assert api.as_("clerk_b").get("/me").status_code == 401
    assert signed_in.get("/tasks").status_code == 302  # the open session ends too
    refused = browser().post_form("/sign-in", "/sign-in", {"username": "clerk_b", "password": PASSWORD})
    assert refused.status_code == 401
    with app.app_context():
        assert db.session.get(Nomination, nomination).created_by_id == user_row(app, "clerk_b").id  # history kept


def test_an_administrator_cannot_deactivate_themself_or_drop_their_admin_role(app, browser):
    b = browser("admin")
    response = edit_user(app, b, "admin", active=None)
    assert response.status_code == 422 and "cannot deactivate your own account" in text(response)
    response = edit_user(app, b, "admin", role=["auditor"])
    assert response.status_code == 422 and "cannot remove your own administrator role" in text(response)
    after = user_row(app, "admin")
    assert after.active and after.roles == {"admin"}


def test_password_reset_works_and_the_trail_keeps_no_password(app, api, browser):
    api.token("rev")
    b = browser("admin")
    response = b.post_form("/admin/users/rev", "/admin/users/rev/password",
                           {"pw-password": "brand new secret", "pw-confirm": "brand new secret"})
    assert response.status_code == 302
    assert api.as_("rev").get("/me").status_code == 401  # the old token went with the old password
    assert browser().post_form("/sign-in", "/sign-in", {"username": "rev", "password": PASSWORD}).status_code == 401
    browser().sign_in("rev", "brand new secret")
    with app.app_context():
        [event] = audit.search(action="password_reset")
        assert event.actor == "admin" and event.details == {"username": "rev"}
        assert all("brand new secret" not in str(e.details) for e in audit.search())


def test_password_reset_errors_are_shown_in_place(browser):
    response = browser("admin").post_form("/admin/users/rev", "/admin/users/rev/password",
                                          {"pw-password": "short", "pw-confirm": "short"})
    assert response.status_code == 422 and 'id="pw-password-error"' in text(response)


# -- units ---------------------------------------------------------------------------------------

def test_create_rename_and_deactivate_a_unit(app, browser):
    b = browser("admin")
    response = b.post_form("/admin/units/new", "/admin/units/new",
                           {"code": "VPDUK", "name": "Office of the Bloc", "name_vi": "Văn phòng Đảng ủy Khối"})
    assert response.status_code == 302
    assert b.post_form("/admin/units/VPDUK", "/admin/units/VPDUK",
                       {"name": "Bloc Office", "name_vi": "Văn phòng"}).status_code == 302
    assert b.post_form("/admin/units", "/admin/units/VPDUK/status", {"active": "0"}).status_code == 302
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.code == "VPDUK")).scalar_one()
        assert (unit.name, unit.active) == ("Bloc Office", False)
        assert [e.action for e in audit.search(actor="admin") if e.action.startswith("unit_")] == [
            "unit_created", "unit_updated", "unit_deactivated"]
    response = b.post_form("/admin/units/new", "/admin/units/new", {"code": "VPDUK", "name": "Again"})
    assert response.status_code == 422 and re.search(r'id="code-error">[^<]*already exists', text(response))


def test_a_unit_with_users_is_deactivated_and_keeps_them(app, api, browser):
    b = browser("admin")
    assert b.post_form("/admin/units", "/admin/units/BTCTW/status", {"active": "0"}).status_code == 302
    assert "BTCTW" not in [u["code"] for u in api.as_("sec").get("/units").get_json()]
    assert user_row(app, "clerk_b").unit.code == "BTCTW"
    assert b.post_form("/admin/units", "/admin/units/BTCTW/status", {"active": "1"}).status_code == 302
    assert "BTCTW" in [u["code"] for u in api.as_("sec").get("/units").get_json()]


# -- award types ---------------------------------------------------------------------------------

def test_edited_required_documents_are_what_the_api_returns(app, api, browser):
    b = browser("admin")
    response = b.post_form("/admin/award-types/LDTT", "/admin/award-types/LDTT", {
        "name": "Advanced Worker", "name_vi": "Lao động tiên tiến", "active": "y",
        "required_documents": ["proposal_letter", "other"]})
    assert response.status_code == 302
    [ldtt] = [a for a in api.as_("clerk_a").get("/award-types").get_json() if a["code"] == "LDTT"]
    assert ldtt["required_documents"] == ["proposal_letter", "other"]
    with app.app_context():
        [event] = audit.search(action="award_type_updated")
        assert event.details["changes"]["required_documents"][1] == ["proposal_letter", "other"]


def test_an_unknown_document_kind_is_refused_in_place(browser):
    response = browser("admin").post_form("/admin/award-types/LDTT", "/admin/award-types/LDTT", {
        "name": "Advanced Worker", "active": "y", "required_documents": ["passport"]})
    assert response.status_code == 422 and re.search(r'id="required_documents-error">[^<]*passport', text(response))


# -- process versions ----------------------------------------------------------------------------

def test_a_broken_diagram_shows_its_problems_and_stores_nothing(app, browser):
    broken = DIAGRAM.replace("tally_result = count_votes(", "tally_result = count_votes((")
    line = broken[:broken.index("tally_result = count_votes((")].count("\n") + 1
    response = upload(browser("admin"), broken)
    assert response.status_code == 422
    page = text(response)
    assert f"nomination.bpmn:{line}: tally (Count the ballots): script, line 1" in page
    assert versions(app) == [1]
    with app.app_context():
        assert audit.search(action="process_deployed", actor="admin") == []


def test_a_file_that_is_not_utf8_is_refused(app, browser):
    response = upload(browser("admin"), DIAGRAM, task_forms=(io.BytesIO("{\"fields\": \"é\"}".encode("latin-1")),
                                                             "endorse.json"))
    assert response.status_code == 422 and "endorse.json is not UTF-8 text" in text(response)
    assert versions(app) == [1]


def test_a_changed_diagram_becomes_version_2_and_running_nominations_keep_theirs(app, api, browser, nominate,
                                                                              walk):
    before = nominate()
    renamed = DIAGRAM.replace(f'name="{OLD_NAME}"', f'name="{NEW_NAME}"')
    assert renamed != DIAGRAM
    b = browser("admin")
    response = upload(b, renamed)
    assert response.status_code == 302
    page = text(b.get(response.headers["Location"]))
    assert "Version 2 is now used for new nominations; running nominations stay on their version" in page
    assert versions(app) == [1, 2]
    after = nominate(name="Trần Thị Hoa")
    assert (version_of(app, before), version_of(app, after)) == (1, 2)
    walk(before, "endorse")
    walk(after, "endorse")
    names = {t["nomination_id"]: t["name"] for t in api.as_("head_a").get("/tasks?key=endorse").get_json()}
    assert (names[before], names[after]) == (OLD_NAME, NEW_NAME)
    page = text(b.get("/admin/process"))
    assert re.search(r"<td>2</td>.*?Used for new nominations", page, re.S)
    assert upload(b, renamed).status_code == 302
    assert versions(app) == [1, 2]  # the same files again store nothing
