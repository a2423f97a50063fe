"""Pages of signed decisions: signing with the password, the register, documents, revocation."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.decision_helpers import pdf_text, sign, to_signing, write_tally


def signing_form(api, nids, password):
    data = {f"decision-{api.as_('chair').task(nid, 'sign_decision')}": "approve" for nid in nids}
    if password is not None:
        data["password"] = password
    return data


@pytest.mark.parametrize("password, message", [
    ("wrong horse", "The password is wrong; nothing was signed."),
    ("", "Enter your password to sign."),
])
def test_the_signing_sheet_asks_for_the_password_once(api, browser, nominate, walk, password, message):
    nids = [to_signing(api, nominate, walk), to_signing(api, nominate, walk, name="Trần Thị Bình")]
    chair = browser("chair")
    page = chair.get("/signing").get_data(as_text=True)
    assert page.count('type="password"') == 1 and 'name="password"' in page
    response = chair.post_form("/signing", "/signing", signing_form(api, nids, password))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert password not in html or password == ""
    # Nothing signed, the choices are kept for the next try.
    assert all(api.as_("sec").get(f"/nominations/{nid}").get_json()["status"] == "signing" for nid in nids)
    assert len(re.findall(r'value="approve"\s+checked', html)) == 2
    done = chair.post_form("/signing", "/signing", signing_form(api, nids, PASSWORD))
    assert "decision 1/QĐ-KTĐ issued" in done.get_data(as_text=True)


def test_the_task_page_signs_with_a_password_it_never_shows_back(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    chair = browser("chair")
    page = chair.get(f"/tasks/{task}").get_data(as_text=True)
    assert re.search(r'type="password" id="field-password" name="password"', page)
    refused = chair.post_form(f"/tasks/{task}", f"/tasks/{task}",
                              {"decision": "approve", "comment": "", "password": "wrong horse 42"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "wrong horse 42" not in html and "Wrong password." in html
    done = chair.post_form(f"/tasks/{task}", f"/tasks/{task}", {"decision": "approve", "password": PASSWORD})
    assert done.status_code == 302
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["status"] == "awarded"


def test_the_register_page_searches_and_respects_units(api, browser, nominate, walk):
    hang, binh = to_signing(api, nominate, walk, name="Nguyễn Thị Hằng"), to_signing(api, nominate, walk,
                                                                                    name="Lê Thị Bình")
    sign(api, hang)
    sign(api, binh)
    page = browser("sec").get("/decisions").get_data(as_text=True)
    assert "1/QĐ-KTĐ" in page and "2/QĐ-KTĐ" in page and "₫2,340,000" in page  # money the English way
    assert 'href="/decisions"' in page  # in the navigation
    found = browser("sec").get("/decisions?q=Hằng").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in found and "Lê Thị Bình" not in found
    assert "1/QĐ-KTĐ" in browser("clerk_a").get("/decisions").get_data(as_text=True)
    assert "No decision matches." in browser("clerk_b").get("/decisions").get_data(as_text=True)
    assert browser("rev").get("/decisions").status_code == 403
    assert 'href="/decisions"' not in browser("rev").get("/").get_data(as_text=True)


def test_the_nomination_page_links_its_documents(app, api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    write_tally(app, nid)
    page = browser("clerk_a").get(f"/nominations/{nid}").get_data(as_text=True)
    assert f'href="/nominations/{nid}/decision.pdf"' in page and f'href="/nominations/{nid}/tally.pdf"' in page
    assert "Revoke the decision" not in page  # a unit cannot revoke
    response = browser("clerk_a").get(f"/nominations/{nid}/decision.pdf")
    assert response.status_code == 200 and "Số: 1/QĐ-KTĐ" in pdf_text(response.data)
    assert "BIÊN BẢN KIỂM PHIẾU" in pdf_text(browser("clerk_a").get(f"/nominations/{nid}/tally.pdf").data)
    assert browser("clerk_b").get(f"/nominations/{nid}/decision.pdf").status_code == 404


def test_revocation_from_the_nomination_page(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    decision_id = api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]["id"]
    chair = browser("chair")
    page = chair.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Revoke the decision" in page and 'id="revoke-password"' in page
    refused = chair.post_form(f"/nominations/{nid}", f"/decisions/{decision_id}/revoke", {
        "reason_code": "forged_dossier", "reason": "Bản sao giấy khen bị tẩy xóa.", "password": "wrong horse 7"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Wrong password." in html and "wrong horse 7" not in html
    assert "Bản sao giấy khen bị tẩy xóa." in html and re.search(r'value="forged_dossier" checked', html)
    admin = browser("admin")
    assert 'id="revoke-password"' not in admin.get(f"/nominations/{nid}").get_data(as_text=True)
    done = admin.post_form(f"/nominations/{nid}", f"/decisions/{decision_id}/revoke", {
        "reason_code": "forged_dossier", "reason": "Bản sao giấy khen bị tẩy xóa."})
    assert done.status_code == 302
    after = admin.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "has been revoked" in after and "Revoke the decision" not in after
    assert "Revoked" in browser("sec").get("/decisions").get_data(as_text=True)
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]["revoked_at"]


def test_revocation_needs_the_csrf_token(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    decision_id = api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]["id"]
    response = browser("admin").client.post(f"/decisions/{decision_id}/revoke",
                                            data={"reason_code": "forged_dossier", "reason": "x"})
    assert response.status_code == 400
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]["revoked_at"] is None


def test_the_register_and_documents_speak_vietnamese(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    secretariat = browser("sec", HTTP_ACCEPT_LANGUAGE="vi")
    register = secretariat.get("/decisions").get_data(as_text=True)
    assert "Sổ quyết định" in register and "Tiền thưởng (đồng)" in register and "2.340.000\xa0₫" in register
    page = secretariat.get(f"/nominations/{nid}").get_data(as_text=True)
    assert "Văn bản đã ký" in page and "Quyết định 1/QĐ-KTĐ (PDF)" in page
