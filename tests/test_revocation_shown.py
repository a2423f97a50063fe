"""A revoked decision shows as revoked everywhere its nomination is shown, in both languages.

The nomination's status turns ``revoked`` with the decision (one transaction); the decision keeps
when, by whom and why. Pages, lists, the register, the registry's awards held and the API say so;
eligibility no longer counts the award.
"""

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from tests.conftest import register
from tests.decision_helpers import pdf_text, sign
from workflows.db import db
from workflows.models import AwardRecord, AwardType, Nomination, Person
from workflows.services import eligibility
from workflows.services.eligibility import history as histories

NAME = "Vương Thị Hạnh"
DETAILS = "Số liệu đánh giá năm bị khai sai."


@pytest.fixture
def revoked(app, api, walk):
    """A registry nominee's LDTT 2026, signed as 1/QĐ-KTĐ and then revoked; its ids and code."""
    code = register(app, "VPTW", NAME)
    nid = api.as_("clerk_a").post("/nominations", json={
        "award_type": "LDTT", "year": 2026, "summary": "",
        "nominee": {"kind": "individual", "name": NAME, "code": code}}).get_json()["id"]
    walk(nid, "sign_decision")
    sign(api, nid)
    decision = api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]
    answer = api.as_("admin").post(f"/decisions/{decision['id']}/revoke",
                                   json={"reason_code": "false_declaration", "reason": DETAILS})
    assert answer.status_code == 200, answer.get_json()
    return {"nomination": nid, "decision": decision["id"], "number": decision["number"], "code": code}


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.get_data(as_text=True))


def today() -> str:
    return str(date.today().year)


# -- the API ----------------------------------------------------------------------------------


def test_the_api_gives_the_nomination_as_revoked_with_when_who_and_why(api, revoked):
    body = api.as_("clerk_a").get(f"/nominations/{revoked['nomination']}").get_json()
    assert body["status"] == "revoked"
    assert body["decision"]["number"] == revoked["number"] == "1/QĐ-KTĐ"
    assert body["decision"]["revoked_at"] is not None
    assert body["decision"]["revoked"]["by"] == "admin"
    assert body["decision"]["revoked"]["reason_code"] == "false_declaration"
    assert body["decision"]["revoked"]["reason"] == DETAILS


def test_the_api_list_filters_and_shows_revoked(api, revoked):
    listed = api.as_("sec").get("/nominations?status=revoked").get_json()
    assert [n["id"] for n in listed] == [revoked["nomination"]]
    assert listed[0]["decision"]["revoked"]["reason_code"] == "false_declaration"
    assert api.as_("sec").get("/nominations?status=awarded").get_json() == []


def test_the_api_register_and_registry_say_revoked(api, revoked):
    [entry] = api.as_("sec").get("/decisions").get_json()
    assert entry["revoked"]["reason_code"] == "false_declaration" and entry["revoked"]["reason"] == DETAILS
    person = api.as_("sec").get(f"/people/{revoked['code']}").get_json()
    [award] = [a for a in person["awards"] if a["decision_ref"] == revoked["number"]]
    assert award["revoked_at"] is not None


def test_a_standing_decision_has_no_revocation(api, nominate, walk):
    nid = nominate(name="Đinh Văn Tường")
    walk(nid, "sign_decision")
    sign(api, nid)
    body = api.as_("clerk_a").get(f"/nominations/{nid}").get_json()
    assert body["status"] == "awarded" and body["decision"]["revoked"] is None


# -- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language, status, note", [
    ("en", "Revoked", "Decision 1/QĐ-KTĐ was revoked on"),
    ("vi", "Đã thu hồi", "Quyết định số 1/QĐ-KTĐ đã bị thu hồi ngày"),
])
def test_the_nomination_page_says_revoked_with_number_date_and_reason(browser, revoked, language, status, note):
    reason = "False declaration of achievements" if language == "en" else "Khai man thành tích"
    text = page(browser("clerk_a", HTTP_ACCEPT_LANGUAGE=language).get(f"/nominations/{revoked['nomination']}"))
    heading = re.search(r"<h1.*?</h1>", text, re.S).group(0)
    assert status in heading and ("Awarded" not in heading and "Đã khen thưởng" not in heading)
    alert = re.search(r'id="revoked-note">([^<]*)<', text).group(1)
    assert alert.startswith(note) and f"{reason}: {DETAILS}" in alert and today() in alert
    assert "false_declaration" not in text  # never the code


@pytest.mark.parametrize("language, status", [("en", "Revoked"), ("vi", "Đã thu hồi")])
def test_the_nominations_list_says_revoked(browser, revoked, language, status):
    text = page(browser("sec", HTTP_ACCEPT_LANGUAGE=language).get("/nominations"))
    [row] = [r for r in re.findall(r"<tr>.*?</tr>", text, re.S) if NAME in r]
    assert f">{status}</span>" in row and revoked["number"] in row
    filtered = page(browser("sec", HTTP_ACCEPT_LANGUAGE=language).get("/nominations?status=revoked"))
    assert NAME in filtered


@pytest.mark.parametrize("language, reason", [("en", "False declaration of achievements"),
                                              ("vi", "Khai man thành tích")])
def test_the_register_says_revoked_with_the_reason(browser, revoked, language, reason):
    text = page(browser("sec", HTTP_ACCEPT_LANGUAGE=language).get("/decisions"))
    [row] = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", text, re.S) if revoked["number"] in r]
    assert "table-danger" in row and f"{reason}: {DETAILS}" in row


@pytest.mark.parametrize("language, note", [("en", "Decision 1/QĐ-KTĐ was revoked on"),
                                            ("vi", "Quyết định số 1/QĐ-KTĐ đã bị thu hồi ngày")])
def test_the_registry_awards_held_say_revoked_and_why(browser, revoked, language, note):
    text = page(browser("sec", HTTP_ACCEPT_LANGUAGE=language).get(f"/registry/people/{revoked['code']}"))
    section = re.search(r'id="awards-heading".*?</section>', text, re.S).group(0)
    [row] = [r for r in re.findall(r"<tr>.*?</tr>", section, re.S) if revoked["number"] in r]
    assert note in row


@pytest.mark.parametrize("language, words", [("en", "revoked the decision"), ("vi", None)])
def test_the_timeline_names_the_revocation_with_its_reason(browser, revoked, language, words):
    text = page(browser("aud", HTTP_ACCEPT_LANGUAGE=language).get(f"/nominations/{revoked['nomination']}"))
    reason = "False declaration of achievements" if language == "en" else "Khai man thành tích"
    assert f"{revoked['number']}: {reason}: {DETAILS}" in text
    if words:
        assert words in text


def test_the_decision_pdf_carries_the_revocation(api, revoked):
    answer = api.as_("clerk_a").get(f"/nominations/{revoked['nomination']}/decision.pdf")
    assert answer.status_code == 200
    assert "THU HỒI" in pdf_text(answer.data).upper()


# -- the record -------------------------------------------------------------------------------


def test_revocation_changes_the_status_and_the_award_in_one_go(app, revoked):
    with app.app_context():
        nomination = db.session.get(Nomination, revoked["nomination"])
        assert nomination.status == "revoked" and nomination.decision.revoked_at is not None
        [record] = db.session.execute(select(AwardRecord).where(
            AwardRecord.decision_id == revoked["decision"])).scalars().all()
        assert record.revoked_at is not None


def test_eligibility_does_not_count_a_revoked_award(app, revoked):
    with app.app_context():
        person = db.session.execute(select(Person).where(Person.code == revoked["code"])).scalar_one()
        history = histories.of_people([person.id])[person.id]
        assert history.award_years("LDTT") == set()
        cstdcs = db.session.execute(select(AwardType).where(AwardType.code == "CSTDCS")).scalar_one()
        findings = eligibility.evaluate_people(cstdcs, 2026, [person.id])[person.id]
        title = [f for f in findings if f["facts"].get("kind") == "award_in_year"]
        assert title and not title[0]["met"]  # CSTDCS needs LDTT that year: the revoked one does not count
