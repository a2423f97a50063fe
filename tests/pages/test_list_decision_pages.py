"""Pages of a list's decision: the head's signing page, the decision with its annex, the register,
the nominee's page, the office's record of the answer from above, revocation; in both languages."""

import io
import re
from html import unescape

import pytest

from tests.conftest import PASSWORD, PDF
from tests.decision_helpers import pdf_text
from tests.list_decision_helpers import names_of, set_up_agencies, sign, signing_list

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("headers, words", [
    ({}, ("Sign the list's decision", "Annex", "Your password (one electronic signature for the whole list)",
          "Refuse the list")),
    (VI, ("Ký quyết định của danh sách", "Phụ lục", "Mật khẩu của đồng chí (một chữ ký điện tử cho cả danh sách)",
          "Không đồng ý danh sách")),
])
def test_the_head_signs_a_whole_list_on_one_page_with_one_password(app, api, browser, headers, words):
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=12)
    head = browser("vptw_head", **headers)
    page = text(head.get(f"/lists/{list_id}/sign"))
    for word in words:
        assert word in page, word
    assert page.count('type="password"') == 1
    names = names_of(app, ids)
    assert names[0] in page and names[11] in page
    # A wrong password signs nothing and is never shown back; the choice is kept.
    refused = head.post_form(f"/lists/{list_id}/sign", f"/lists/{list_id}/sign",
                             {"choice": "approve", "password": "wrong horse 42"})
    assert refused.status_code == 422 and "wrong horse 42" not in text(refused)
    assert 'id="sign-password-error"' in text(refused)
    # Refusing needs a reason.
    no_reason = head.post_form(f"/lists/{list_id}/sign", f"/lists/{list_id}/sign",
                               {"choice": "refuse", "password": PASSWORD})
    assert no_reason.status_code == 422 and 'id="sign-comment-error"' in text(no_reason)
    done = head.post_form(f"/lists/{list_id}/sign", f"/lists/{list_id}/sign",
                          {"choice": "approve", "password": PASSWORD, "comment": "Đồng ý"})
    assert done.status_code == 302
    decision_page = text(head.get(done.headers["Location"]))
    assert "1/QĐ-VPTW" in decision_page and names[11] in decision_page
    assert re.search(r'href="/decisions/\d+/document.pdf"', decision_page)
    # The nominee's page names the list decision; the register lists it with its count.
    nominee = text(browser("clerk_a", **headers).get(f"/nominations/{ids[3]}"))
    assert "1/QĐ-VPTW" in nominee and re.search(r'href="/decisions/\d+"', nominee)
    register = text(browser("vptw_office", **headers).get("/decisions"))
    assert "1/QĐ-VPTW" in register
    assert ("Annex (12)" if not headers else "Phụ lục (12)") in register


def test_the_office_records_the_answer_from_above_with_its_scan(app, api, browser):
    set_up_agencies(app)
    list_id, ids = signing_list(app, award="BKTTG", nominees=3)
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    office = browser("vptw_office", **VI)
    page = text(office.get(f"/decisions/{decision_id}"))
    assert "Tờ trình 1/TTr-VPTW" in page and "Ghi nhận kết quả của cấp trên" in page
    assert "Ghi nhận kết quả của cấp trên" not in text(browser("vptw_head").get(f"/decisions/{decision_id}"))
    form = {"higher_authority": "Thủ tướng Chính phủ", "number": "1234/QĐ-TTg", "decided_on": "2026-11-20",
            **{f"result-{i}": "awarded" for i in ids[:2]}, f"result-{ids[2]}": "not_awarded"}
    hostile = office.post_form(f"/decisions/{decision_id}", f"/decisions/{decision_id}/outcome",
                               {**form, "scan": (io.BytesIO(b"<html><script>x</script></html>"), "qd.pdf")},
                               content_type="multipart/form-data")
    assert hostile.status_code == 422 and 'id="outcome-scan-error"' in text(hostile)
    assert 'value="1234/QĐ-TTg"' in text(hostile)  # what was typed is kept
    missing = office.post_form(f"/decisions/{decision_id}", f"/decisions/{decision_id}/outcome",
                               {**{k: v for k, v in form.items() if k != f"result-{ids[2]}"},
                                "scan": (io.BytesIO(PDF), "qd.pdf")}, content_type="multipart/form-data")
    assert missing.status_code == 422 and 'id="outcome-results-error"' in text(missing)
    done = office.post_form(f"/decisions/{decision_id}", f"/decisions/{decision_id}/outcome",
                            {**form, "scan": (io.BytesIO(PDF), "qd-ttg.pdf")}, content_type="multipart/form-data")
    assert done.status_code == 302
    page = text(office.get(f"/decisions/{decision_id}"))
    assert "Kết quả của cấp trên" in page and "qd-ttg.pdf" in page and "Không được khen thưởng" in page
    assert office.get(f"/decisions/{decision_id}/outcome/scan").data == PDF
    assert "Đã khen thưởng" in text(browser("clerk_a", **VI).get(f"/nominations/{ids[0]}"))


def test_a_revoked_list_decision_shows_revoked_everywhere(app, api, browser):
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=3)
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    head = browser("vptw_head")
    refused = head.post_form(f"/decisions/{decision_id}", f"/decisions/{decision_id}/revoke",
                             {"reason_code": "criteria_unmet", "reason": ""})
    assert refused.status_code == 422 and 'id="revoke-reason-error"' in text(refused)
    done = head.post_form(f"/decisions/{decision_id}", f"/decisions/{decision_id}/revoke",
                          {"reason_code": "criteria_unmet", "reason": "Phát hiện sau", "password": PASSWORD})
    assert done.status_code == 302
    assert 'id="revoked-note"' in text(head.get(f"/decisions/{decision_id}"))
    assert 'id="revoked-note"' in text(browser("clerk_a").get(f"/nominations/{ids[1]}"))
    assert "table-danger" in text(browser("vptw_office").get("/decisions"))
    assert "ĐÃ THU HỒI" in pdf_text(head.get(f"/decisions/{decision_id}/document.pdf").data)
    assert "ĐÃ THU HỒI" in pdf_text(browser("clerk_a").get(f"/nominations/{ids[1]}/decision.pdf").data)


def test_another_agency_sees_no_page_of_it(app, api, browser):
    set_up_agencies(app)
    list_id, _ = signing_list(app, nominees=2)
    for outsider in ("btctw_office", "btctw_head", "clerk_b"):
        assert browser(outsider).get(f"/lists/{list_id}/sign").status_code == 404, outsider
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    for outsider in ("btctw_office", "btctw_head", "clerk_b"):
        b = browser(outsider)
        assert b.get(f"/decisions/{decision_id}").status_code == 404, outsider
        assert b.get(f"/decisions/{decision_id}/document.pdf").status_code == 404, outsider


@pytest.mark.parametrize("headers, title", [({}, "Lists to sign"), (VI, "Danh sách chờ ký")])
def test_the_head_finds_the_lists_waiting_for_their_signature(app, api, browser, headers, title):
    set_up_agencies(app)
    list_id, _ = signing_list(app, nominees=4)
    page = text(browser("vptw_head", **headers).get("/lists/signing"))
    assert title in page and f'href="/lists/{list_id}/sign"' in page and 'href="/lists/signing"' in page
    assert f'href="/lists/{list_id}/sign"' not in text(browser("btctw_head", **headers).get("/lists/signing"))
    sign(api, list_id)
    assert f'href="/lists/{list_id}/sign"' not in text(browser("vptw_head", **headers).get("/lists/signing"))
