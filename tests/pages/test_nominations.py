"""The nomination pages: the list, starting one, its page, the dossier, withdrawing."""

import io
import re
from datetime import date
from html import unescape
from urllib.parse import unquote

import pytest

from tests.conftest import PDF
from workflows.db import db
from workflows.models import Document, Nomination
from workflows.services import audit

VIETNAMESE_FILE = "Tờ trình khen thưởng năm 2026.pdf"
SAFE_VIETNAMESE_FILE = "Tờ_trình_khen_thưởng_năm_2026.pdf"


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    assert found, f"no error shown for {field_id}"
    return found.group(1)


def row_with(page: str, needle: str) -> str:
    [row] = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S) if needle in row]
    return row


def upload(b, nomination_id, kind="proposal_letter", content=PDF, filename="letter.pdf"):
    page = f"/nominations/{nomination_id}"
    return b.post_form(page, f"{page}/documents", {"kind": kind, "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def test_the_list_shows_only_what_the_user_may_see(browser, nominate):
    mine = nominate(name="Nguyễn Văn An")
    theirs = nominate(clerk="clerk_b", name="Trần Thị Bình", award_type="CSTDCS", year=2025)

    page = text(browser("clerk_a").get("/nominations"))
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page
    assert f'href="/nominations/{mine}"' in page
    assert 'href="/nominations/new"' in page  # a unit clerk may start one

    page = text(browser("aud").get("/nominations"))
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    assert 'href="/nominations/new"' not in page
    assert "Preparing" in page and "badge" in page

    b = browser("aud")
    filtered = text(b.get("/nominations?unit=BTCTW"))
    assert "Trần Thị Bình" in filtered and "Nguyễn Văn An" not in filtered
    assert f'href="/nominations/{theirs}"' in filtered
    filtered = text(b.get("/nominations?year=2026&award_type=LDTT&status=preparing"))
    assert "Nguyễn Văn An" in filtered and "Trần Thị Bình" not in filtered
    assert "No nomination matches." in text(b.get("/nominations?status=awarded"))


def test_the_list_is_paged_and_keeps_its_filters(monkeypatch, browser, nominate):
    from webapp.pages import nominations as pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    for name in ("Một", "Hai", "Ba"):
        nominate(name=name)
    b = browser("clerk_a")
    first = text(b.get("/nominations?award_type=LDTT"))
    assert ">Ba</a>" in first and ">Hai</a>" in first and ">Một</a>" not in first and "Page 1 of 2" in first
    assert 'href="/nominations?page=2&amp;award_type=LDTT"' in b.get("/nominations?award_type=LDTT").get_data(
        as_text=True)
    second = text(b.get("/nominations?award_type=LDTT&page=2"))
    assert ">Một</a>" in second and ">Hai</a>" not in second and "Page 2 of 2" in second


def test_the_bloc_sees_a_nomination_only_once_submitted(browser, nominate, walk):
    nid = nominate(name="Lê Văn Cường")
    assert "Lê Văn Cường" not in text(browser("sec").get("/nominations"))
    assert browser("sec").get(f"/nominations/{nid}").status_code == 404
    walk(nid, "check_dossier")
    assert "Lê Văn Cường" in text(browser("sec").get("/nominations"))


def test_another_units_nomination_and_its_documents_are_not_found(browser, nominate):
    nid = nominate()
    assert upload(browser("clerk_a"), nid).status_code == 302
    page = text(browser("clerk_a").get(f"/nominations/{nid}"))
    [download] = re.findall(rf'href="(/nominations/{nid}/documents/\d+)"', page)

    other = browser("clerk_b")
    assert other.get(f"/nominations/{nid}").status_code == 404
    assert other.get(download).status_code == 404
    token_page = "/nominations"  # the nomination's own page is not found, so take the token from the list
    refused = other.post_form(token_page, f"/nominations/{nid}/documents",
                              {"kind": "other", "file": (io.BytesIO(PDF), "x.pdf")},
                              content_type="multipart/form-data")
    assert refused.status_code == 404
    assert other.post_form(token_page, f"/nominations/{nid}/withdraw", {"reason": "no"}).status_code == 404


def test_the_auditor_reads_the_page_without_any_form(browser, nominate):
    nid = nominate()
    assert upload(browser("clerk_a"), nid).status_code == 302
    page = text(browser("aud").get(f"/nominations/{nid}"))
    assert "Nguyễn Văn Tâm" in page and "letter.pdf" in page
    assert f'action="/nominations/{nid}/documents' not in page
    assert f'action="/nominations/{nid}/withdraw' not in page
    assert "/remove" not in page

    clerk_page = text(browser("clerk_a").get(f"/nominations/{nid}"))
    assert f'action="/nominations/{nid}/documents#upload-errors"' in clerk_page
    assert 'enctype="multipart/form-data"' in clerk_page
    assert f'action="/nominations/{nid}/withdraw#withdraw-errors"' in clerk_page and "/remove" in clerk_page


def test_start_form_shows_errors_in_place_and_keeps_the_input(app, browser):
    b = browser("clerk_a")
    form = text(b.get("/nominations/new"))
    assert 'name="award_type"' in form and "Grassroots Emulation Fighter" in form
    assert "Proof of the initiative" in form and "3 consecutive" not in form  # the criteria are in words
    assert "three years in a row" in form
    assert re.search(rf'id="year"[^>]*value="{date.today().year}"', form)  # this year unless told otherwise
    for field in ("award_type", "nominee_kind", "nominee_name", "nominee_position", "nominee_username", "year",
                  "summary"):
        assert re.search(rf'<label[^>]*for="{field}', form), f"{field} has no label"

    response = b.post_form("/nominations/new", "/nominations/new", {
        "award_type": "LDTT", "nominee_kind": "collective", "nominee_name": "  ", "nominee_position": "Phó vụ trưởng",
        "nominee_username": "nobody_here", "year": "1999", "summary": "Hoàn thành xuất sắc nhiệm vụ năm 1999."})
    assert response.status_code == 422
    page = text(response)
    assert "individuals only" in error_of(page, "nominee_kind")
    assert "name is required" in error_of(page, "nominee_name")
    assert "No user named nobody_here" in error_of(page, "nominee_username")
    assert "Give a year between" in error_of(page, "year")
    assert 'value="Phó vụ trưởng"' in page and 'value="1999"' in page and 'value="nobody_here"' in page
    assert "Hoàn thành xuất sắc nhiệm vụ năm 1999." in page
    assert re.search(r'<option selected value="LDTT"|<option value="LDTT" selected', page)
    assert re.search(r'value="collective"[^>]*checked|checked[^>]*value="collective"', page)
    with app.app_context():
        assert db.session.query(Nomination).count() == 0


def test_a_year_that_is_not_a_number_is_explained(browser):
    b = browser("clerk_a")
    response = b.post_form("/nominations/new", "/nominations/new", {
        "award_type": "", "nominee_kind": "individual", "nominee_name": "Nguyễn Văn Tâm", "year": "năm nay"})
    assert response.status_code == 422
    page = text(response)
    assert "Unknown award type" in error_of(page, "award_type")
    assert "Give a year between" in error_of(page, "year")


def test_starting_a_nomination(app, browser):
    b = browser("clerk_a")
    response = b.post_form("/nominations/new", "/nominations/new", {
        "award_type": "CSTDCS", "nominee_kind": "individual", "nominee_name": "Phạm Thị Dung",
        "nominee_position": "Chuyên viên chính", "nominee_username": "head_a", "year": "2026",
        "summary": "Sáng kiến cải tiến quy trình."})
    assert response.status_code == 302
    with app.app_context():
        nomination = db.session.query(Nomination).one()
        assert (nomination.nominee_name, nomination.award_type.code, nomination.unit.code) == \
            ("Phạm Thị Dung", "CSTDCS", "VPTW")
        assert nomination.nominee_user.username == "head_a"
    assert response.headers["Location"].endswith(f"/nominations/{nomination.id}")
    page = text(b.get(response.headers["Location"]))
    assert f"Nomination {nomination.id} started" in page
    assert "Phạm Thị Dung" in page and "Sáng kiến cải tiến quy trình." in page
    assert "required, missing" in page  # the checklist of the award's documents


@pytest.mark.parametrize("username", ["head_a", "sec", "aud"])
def test_only_a_unit_clerk_gets_the_start_form(browser, username):
    assert browser(username).get("/nominations/new").status_code == 403


def test_upload_and_download_keep_a_vietnamese_file_name(browser, nominate):
    nid = nominate()
    b = browser("clerk_a")
    response = upload(b, nid, kind="proposal_letter", filename=VIETNAMESE_FILE)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/nominations/{nid}#dossier")
    page = text(b.get(f"/nominations/{nid}"))
    assert f"{SAFE_VIETNAMESE_FILE} was added to the dossier" in page
    [download] = re.findall(rf'href="(/nominations/{nid}/documents/\d+)">{SAFE_VIETNAMESE_FILE}<', page)

    for who in ("clerk_a", "head_a", "aud"):
        response = browser(who).get(download)
        assert response.status_code == 200 and response.data == PDF
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment")
        encoded = re.search(r"filename\*=UTF-8''([^;]+)", disposition).group(1)
        assert unquote(encoded) == SAFE_VIETNAMESE_FILE


def test_a_refused_upload_is_explained_next_to_the_file_field(browser, nominate):
    nid = nominate()
    response = upload(browser("clerk_a"), nid, content=b"just some text", filename="notes.pdf")
    assert response.status_code == 422
    assert "is not a PDF document" in error_of(text(response), "upload-file")
    response = upload(browser("clerk_a"), nid, content=PDF, filename="")
    assert response.status_code == 422
    assert "Choose the file" in error_of(text(response), "upload-file")


def test_removing_a_document_keeps_every_version(app, browser, nominate):
    nid = nominate()
    b = browser("clerk_a")
    assert upload(b, nid, filename="first.pdf").status_code == 302
    assert upload(b, nid, filename="second.pdf").status_code == 302
    with app.app_context():
        second = db.session.query(Document).filter_by(filename="second.pdf").one().id
    page = f"/nominations/{nid}"
    response = b.post_form(page, f"{page}/documents/{second}/remove", {})
    assert response.status_code == 302
    shown = text(b.get(page))
    assert "second.pdf was removed from the dossier" in shown
    dossier = shown[shown.index('id="dossier"'):shown.index('id="findings-heading"')]
    assert ">removed<" in row_with(dossier, "second.pdf") and ">current<" in row_with(dossier, "first.pdf")
    assert f"{page}/documents/{second}/remove" not in dossier  # only the current version has the button
    assert b.get(f"{page}/documents/{second}").data == PDF  # the removed version stays readable
    assert b.post_form(page, f"{page}/documents/{second}/remove", {}).status_code == 409
    with app.app_context():
        removed = db.session.get(Document, second)
        assert removed.removed_at is not None and removed.removed_by_id is not None
        [event] = audit.search(nomination_id=nid, action="document_removed")
        assert event.actor == "clerk_a" and event.details["document_id"] == second


def test_documents_cannot_be_removed_by_others_or_after_submission(app, browser, nominate, walk):
    nid = nominate()
    assert upload(browser("clerk_a"), nid).status_code == 302
    with app.app_context():
        document = db.session.query(Document).one().id
    page = f"/nominations/{nid}"
    assert browser("head_a").post_form(page, f"{page}/documents/{document}/remove", {}).status_code == 403
    walk(nid, "endorse")
    b = browser("clerk_a")
    assert b.post_form(page, f"{page}/documents/{document}/remove", {}).status_code == 409
    assert "/remove" not in text(b.get(page)) and f'action="{page}/documents"' not in text(b.get(page))


def test_the_page_shows_the_diagram_with_the_current_step_and_the_timeline(browser, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    page = text(browser("sec").get(f"/nominations/{nid}"))
    assert '<svg' in page and 'class="bpmn-diagram"' in page
    assert re.search(r'<g class="shape userTask current" data-id="check_dossier">', page)
    assert re.search(r'<g class="shape userTask done" data-id="endorse">', page)
    assert re.search(r'<g class="shape userTask done" data-id="prepare_dossier">', page)
    assert 'data-id="appraise"' in page and not re.search(r'class="[^"]*current[^"]*" data-id="appraise"', page)
    assert "Check the dossier" in page and 'href="/tasks/' in page  # the secretariat may act: a button
    timeline = page[page.index('id="timeline-heading"'):]
    for words in ("started the nomination", "uploaded a document", "completed a step", "checked eligibility"):
        assert words in timeline
    assert "Endorse — OK" in timeline
    assert "Endorse the dossier" in page[page.index('id="opinions-heading"'):]


def test_ballots_appear_only_as_the_fact_of_voting(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    api.as_("m1").complete(nid, "vote", {"vote": "no"})
    page = text(browser("aud").get(f"/nominations/{nid}"))
    rows = re.findall(r"<tr>(.*?)</tr>", page[page.index('id="timeline-heading"'):], re.S)
    [ballot] = [row for row in rows if "cast a ballot" in row]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", ballot, re.S)
    assert cells[1].strip() == "M1" and cells[-1].strip() == ""
    opinions = page[page.index('id="opinions-heading"'):page.index('id="now-heading"')]
    assert "Vote" not in opinions and "M1" not in opinions


def test_withdrawing_needs_a_reason(app, browser, nominate):
    nid = nominate()
    b = browser("clerk_a")
    page = f"/nominations/{nid}"
    response = b.post_form(page, f"{page}/withdraw", {"reason": "   "})
    assert response.status_code == 422
    assert "required" in error_of(text(response), "withdraw-reason")
    response = b.post_form(page, f"{page}/withdraw", {"reason": "Nhân sự đã chuyển công tác."})
    assert response.status_code == 302
    shown = text(b.get(page))
    assert "Withdrawn" in shown and "Nhân sự đã chuyển công tác." in shown
    assert f'action="{page}/withdraw"' not in shown
    with app.app_context():
        assert db.session.get(Nomination, nid).status == "withdrawn"


def test_forms_without_their_csrf_token_are_refused(browser, nominate):
    nid = nominate()
    client = browser("clerk_a").client
    assert client.post("/nominations/new", data={"award_type": "LDTT"}).status_code == 400
    assert client.post(f"/nominations/{nid}/withdraw", data={"reason": "x"}).status_code == 400
    assert client.post(f"/nominations/{nid}/documents", data={"kind": "other", "file": (io.BytesIO(PDF), "a.pdf")},
                       content_type="multipart/form-data").status_code == 400


def test_a_nominee_is_chosen_from_the_units_registry_and_named_from_it(app, browser):
    from tests.conftest import register

    code = register(app, "VPTW", "Lã Thị Sổ")
    other = register(app, "BTCTW", "Người Ngoài")
    clerk = browser("clerk_a")
    form = clerk.get("/nominations/new").get_data(as_text=True)
    assert f'<option value="{code}">Lã Thị Sổ' in form and other not in form
    fields = {"award_type": "LDTT", "nominee_kind": "individual", "nominee_code": code, "nominee_name": "",
              "year": "2026", "summary": "Hoàn thành tốt nhiệm vụ."}
    started = clerk.post_form("/nominations/new", "/nominations/new", fields)
    assert started.status_code == 302
    page = clerk.get(started.headers["Location"]).get_data(as_text=True)
    assert "Lã Thị Sổ" in page
    refused = clerk.post_form("/nominations/new", "/nominations/new", {**fields, "nominee_code": other})
    assert refused.status_code == 422 and "in your unit&#39;s registry" in refused.get_data(as_text=True)
