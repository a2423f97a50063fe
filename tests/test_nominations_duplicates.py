"""One title a year: a nominee who holds the award for the year, or is already proposed for it, is refused.

The refusal names what stands in the way (the award and its decision, or the other nomination and
its status), in the reader's language, on the API and on the page; a withdrawn, refused or
revoked one stands in nobody's way; two starts at the same moment yield exactly one nomination.
"""

import re
import threading
from html import unescape

import pytest
from sqlalchemy import func, select

from tests.conftest import register
from tests.decision_helpers import sign
from workflows.db import db
from workflows.models import AwardRecord, Nomination, Person
from workflows.models.nominations import CLAIMING

NAME = "Phạm Quốc Việt"


def body(award="LDTT", year=2026, name=NAME, code=None, kind="individual"):
    nominee = {"kind": kind, "name": name}
    if code:
        nominee["code"] = code
    return {"award_type": award, "nominee": nominee, "year": year, "summary": "Hoàn thành tốt nhiệm vụ."}


def start(api, clerk="clerk_a", **kw):
    return api.as_(clerk).post("/nominations", json=body(**kw))


def hold_award(app, code, award="LDTT", year=2026, ref="12/QĐ-VPTW", revoked=False, collective=False):
    from datetime import datetime

    from workflows.models import Collective

    with app.app_context():
        model = Collective if collective else Person
        subject = db.session.execute(select(model).where(model.code == code)).scalar_one()
        record = AwardRecord(award_code=award, year=year, decision_ref=ref,
                             revoked_at=datetime(2026, 12, 1) if revoked else None,
                             **({"collective_id": subject.id} if collective else {"person_id": subject.id}))
        db.session.add(record)
        db.session.commit()


def nominations_of(app, code) -> int:
    with app.app_context():
        person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
        return db.session.execute(select(func.count()).select_from(Nomination)
                                  .where(Nomination.person_id == person.id)).scalar_one()


# -- the API -----------------------------------------------------------------------------------


def test_a_second_open_nomination_for_the_same_title_and_year_is_refused(app, api):
    code = register(app, "VPTW", NAME)
    first = start(api, code=code)
    assert first.status_code == 201
    second = start(api, code=code)
    assert second.status_code == 409
    answer = second.get_json()["error"]
    assert answer["code"] == "nomination.already_nominated"
    assert answer["params"] == {"award": "LDTT", "year": 2026, "nomination": first.get_json()["id"],
                                "status": "preparing"}
    assert answer["message"] == (f"The nominee is already proposed for LDTT for 2026 in nomination "
                                 f"{first.get_json()['id']} (preparing): a new one can be made only once that one "
                                 f"is withdrawn, refused or revoked.")
    vietnamese = api.as_("clerk_a").post("/nominations", json=body(code=code),
                                         headers={"Accept-Language": "vi"}).get_json()["error"]
    assert vietnamese["message"].startswith("Người/tập thể này đã được đề nghị LDTT năm 2026 trong đề nghị số")
    assert "(đang chuẩn bị hồ sơ)" in vietnamese["message"]  # the status in the reader's words
    assert nominations_of(app, code) == 1


def test_another_award_or_another_year_is_not_a_duplicate(app, api):
    code = register(app, "VPTW", NAME)
    assert start(api, code=code).status_code == 201
    assert start(api, code=code, year=2025).status_code == 201
    assert start(api, code=code, award="GIAYKHEN").status_code == 201
    assert nominations_of(app, code) == 3


def test_a_withdrawn_nomination_does_not_block_a_new_one(app, api):
    code = register(app, "VPTW", NAME)
    first = start(api, code=code).get_json()["id"]
    assert api.as_("clerk_a").post(f"/nominations/{first}/withdraw", json={"reason": "Nhầm hồ sơ"}).status_code == 200
    again = start(api, code=code)
    assert again.status_code == 201, again.get_json()


def test_a_refused_nomination_does_not_block_a_new_one(app, api, walk):
    code = register(app, "VPTW", NAME)
    first = start(api, code=code).get_json()["id"]
    walk(first, "sign_decision")
    api.as_("chair").complete(first, "sign_decision", {"decision": "reject", "comment": "Chưa đủ."})
    assert api.as_("clerk_a").get(f"/nominations/{first}").get_json()["status"] == "rejected"
    assert start(api, code=code).status_code == 201


def test_a_nominee_who_holds_the_title_for_the_year_is_refused_with_the_decision(app, api):
    code = register(app, "VPTW", NAME)
    hold_award(app, code, ref="12/QĐ-VPTW")
    refused = start(api, code=code)
    assert refused.status_code == 409
    answer = refused.get_json()["error"]
    assert answer["code"] == "nomination.already_awarded"
    assert answer["params"] == {"award": "LDTT", "year": 2026, "decision": "12/QĐ-VPTW"}
    assert answer["message"] == "The nominee already holds LDTT for 2026 (decision 12/QĐ-VPTW): one title a year."
    vietnamese = start_vi(api, code)
    assert vietnamese["message"] == ("Người/tập thể được đề nghị đã có LDTT năm 2026 (quyết định 12/QĐ-VPTW): "
                                     "mỗi năm chỉ một danh hiệu.")
    assert nominations_of(app, code) == 0


def start_vi(api, code):
    answer = api.as_("clerk_a").post("/nominations", json=body(code=code), headers={"Accept-Language": "vi"})
    return answer.get_json()["error"]


def test_a_revoked_award_does_not_block(app, api):
    code = register(app, "VPTW", NAME)
    hold_award(app, code, revoked=True)
    assert start(api, code=code).status_code == 201


def test_a_collective_is_checked_the_same_way(app, api):
    code = register(app, "VPTW", "Vụ Tổng hợp thử", kind="collective")
    assert start(api, code=code, award="TTLDTT", kind="collective", name="Vụ Tổng hợp thử").status_code == 201
    again = start(api, code=code, award="TTLDTT", kind="collective", name="Vụ Tổng hợp thử")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "nomination.already_nominated"
    other = register(app, "VPTW", "Vụ Hành chính thử", kind="collective")
    hold_award(app, other, award="TTLDTT", ref="31/QĐ-VPTW", collective=True)
    held = start(api, code=other, award="TTLDTT", kind="collective", name="Vụ Hành chính thử")
    assert held.status_code == 409 and held.get_json()["error"]["params"]["decision"] == "31/QĐ-VPTW"


def test_an_awarded_nomination_blocks_until_its_decision_is_revoked(app, api, walk):
    code = register(app, "VPTW", NAME)
    first = start(api, code=code).get_json()["id"]
    walk(first, "sign_decision")
    number = sign(api, first) and api.as_("clerk_a").get(f"/nominations/{first}").get_json()["decision"]["number"]
    refused = start(api, code=code).get_json()["error"]
    assert refused["code"] == "nomination.already_awarded" and refused["params"]["decision"] == number
    decision_id = api.as_("sec").get(f"/nominations/{first}").get_json()["decision"]["id"]
    revoked = api.as_("admin").post(f"/decisions/{decision_id}/revoke",
                                    json={"reason_code": "criteria_unmet", "reason": "Sai số liệu đánh giá."})
    assert revoked.status_code == 200, revoked.get_json()
    again = start(api, code=code)
    assert again.status_code == 201, again.get_json()


def test_a_forwarded_proposal_blocks_a_second_one(app, api, walk):
    code = register(app, "VPTW", NAME)
    first = start(api, code=code, award="BKTTG").get_json()["id"]
    walk(first, "sign_decision")
    sign(api, first)
    assert api.as_("clerk_a").get(f"/nominations/{first}").get_json()["status"] == "forwarded"
    refused = start(api, code=code, award="BKTTG").get_json()["error"]
    assert refused["code"] == "nomination.already_nominated"
    assert refused["params"]["status"] == "forwarded" and refused["params"]["nomination"] == first


def test_a_nominee_known_only_by_name_is_not_checked(api):
    # A name alone cannot tell a person from a namesake; the findings flag the unregistered nominee.
    assert start(api).status_code == 201
    assert start(api).status_code == 201


def test_the_database_refuses_a_second_claim_even_past_the_check(app):
    """The partial unique index holds the rule on its own, whatever code writes the row."""
    code = register(app, "VPTW", NAME)
    with app.app_context():
        person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
        from workflows.services import reference
        from workflows.usecases import accounts
        award = reference.award_type("LDTT")
        clerk = accounts.find_user("clerk_a")
        fields = dict(unit_id=clerk.unit_id, award_type_id=award.id, year=2026, nominee_kind="individual",
                      nominee_name=NAME, person_id=person.id, created_by_id=clerk.id, summary="")
        db.session.add(Nomination(status="withdrawn", **fields))
        db.session.add(Nomination(status="preparing", **fields))
        db.session.commit()
        db.session.add(Nomination(status="checking", **fields))
        with pytest.raises(Exception) as raised:
            db.session.commit()
        assert "unique" in str(raised.value).lower() or "duplicate" in str(raised.value).lower()
        db.session.rollback()
    assert str(CLAIMING).startswith("status NOT IN")


def test_two_starts_at_the_same_moment_yield_exactly_one(app, api):
    code = register(app, "VPTW", NAME)
    token = api.token("clerk_a")
    racers = 6
    barrier = threading.Barrier(racers, timeout=30)
    answers = [None] * racers

    def run(index):
        client = app.test_client()
        barrier.wait()
        answer = client.post("/api/v1/nominations", json=body(code=code), headers={"Authorization": f"Bearer {token}"})
        answers[index] = (answer.status_code, ((answer.get_json() or {}).get("error") or {}).get("code"))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a start hung"
    assert sorted(status for status, _ in answers) == [201] + [409] * (racers - 1), answers
    # Every loser is told why: the winner's nomination, or at worst that another change got there first.
    assert {code for status, code in answers if status == 409} <= {"nomination.already_nominated",
                                                                      "change.concurrent"}
    assert nominations_of(app, code) == 1


# -- the page ---------------------------------------------------------------------------------


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("language, expected", [
    ("en", "The nominee is already proposed for LDTT for 2026 in nomination"),
    ("vi", "Người/tập thể này đã được đề nghị LDTT năm 2026 trong đề nghị số"),
])
def test_the_page_says_why_at_the_top_of_the_form(app, api, browser, language, expected):
    code = register(app, "VPTW", NAME)
    first = start(api, code=code).get_json()["id"]
    b = browser("clerk_a", HTTP_ACCEPT_LANGUAGE=language)
    answer = b.post_form("/nominations/new", "/nominations/new", {
        "award_type": "LDTT", "nominee_kind": "individual", "nominee_code": code, "nominee_name": NAME,
        "year": "2026", "summary": "Hoàn thành tốt nhiệm vụ."})
    assert answer.status_code == 409
    page = page_text(answer)
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert summary, "no error summary at the top of the form"
    assert expected in summary.group(0) and f"{first}" in summary.group(0)
    assert 'href="#nominee_code"' in summary.group(0)
    assert nominations_of(app, code) == 1


def test_the_page_names_the_award_already_held(app, browser):
    code = register(app, "VPTW", NAME)
    hold_award(app, code, ref="12/QĐ-VPTW")
    answer = browser("clerk_a").post_form("/nominations/new", "/nominations/new", {
        "award_type": "LDTT", "nominee_kind": "individual", "nominee_code": code, "nominee_name": NAME,
        "year": "2026", "summary": ""})
    assert answer.status_code == 409
    assert "The nominee already holds LDTT for 2026 (decision 12/QĐ-VPTW): one title a year." in page_text(answer)


# -- the findings --------------------------------------------------------------------------------


def test_an_award_that_arrives_after_the_start_is_named_in_the_findings(app, api, browser):
    code = register(app, "VPTW", NAME)
    nid = start(api, code=code).get_json()["id"]
    hold_award(app, code, ref="40/QĐ-VPTW")  # imported from the unit's records meanwhile
    page = page_text(browser("clerk_a").get(f"/nominations/{nid}"))
    assert "already holds LDTT for 2026 (decision 40/QĐ-VPTW)" in page
    page = page_text(browser("clerk_a", HTTP_ACCEPT_LANGUAGE="vi").get(f"/nominations/{nid}"))
    assert "đã có LDTT năm 2026 (quyết định 40/QĐ-VPTW)" in page


def test_an_award_held_from_its_own_decision_is_not_a_finding(app, api, walk):
    code = register(app, "VPTW", NAME)
    nid = start(api, code=code).get_json()["id"]
    walk(nid, "sign_decision")
    sign(api, nid)
    with app.app_context():
        from workflows.services import eligibility
        nomination = db.session.get(Nomination, nid)
        rules = [f["rule"] for f in eligibility.findings_for(nomination, set())]
    assert "not_held_already" not in rules


# -- the upgrade ------------------------------------------------------------------------------------


def test_the_upgrade_names_duplicates_made_before_it_and_carries_revocations_over(empty_app):
    from datetime import datetime

    import sqlalchemy as sa
    from flask_migrate import upgrade

    folder = empty_app.extensions["migrate"].directory
    with empty_app.app_context():
        upgrade(directory=folder, revision="0008_sealed_ballots")
        tables = sa.MetaData()
        tables.reflect(bind=db.engine)

        def add(table, **values):
            """A row with the given values; every other required column gets a plain value of its type."""
            columns = tables.tables[table].columns
            for column in columns:
                if column.name in values or column.nullable or column.primary_key:
                    continue
                python = column.type.python_type if not isinstance(column.type, sa.JSON) else list
                values[column.name] = {int: 0, str: "x", bool: True, datetime: datetime(2026, 1, 1),
                                       list: [], dict: {}, float: 0.0}[python]
            return db.session.execute(tables.tables[table].insert().values(**values)).inserted_primary_key[0]

        unit = add("unit", code="VPTW")
        clerk = add("user_account", username="clerk")
        award = add("award_type", code="LDTT")
        person = add("person", code="VP001", unit_id=unit)
        common = dict(unit_id=unit, award_type_id=award, year=2026, nominee_kind="individual", person_id=person,
                      created_by_id=clerk)
        first = add("nomination", status="preparing", **common)
        second = add("nomination", status="checking", **common)
        add("nomination", status="withdrawn", **common)
        signed = add("nomination", status="awarded", **{**common, "year": 2025})
        add("decision", nomination_id=signed, kind="decision", number="1/QĐ-KTĐ", year=2025, signed_by_id=clerk,
            revoked_at=datetime(2026, 3, 1))
        db.session.commit()

        with pytest.raises(SystemExit) as stopped:  # the migration tool logs the error and stops
            upgrade(directory=folder)
        reported = str(stopped.value.__context__)
        assert reported.endswith(f"withdraw all but one of each group, then upgrade again: {first}, {second}")
        db.session.rollback()
        assert "uq_nomination_claim_person" not in {i["name"] for i in sa.inspect(db.engine).get_indexes("nomination")}
        db.session.execute(sa.text("UPDATE nomination SET status = 'withdrawn' WHERE id = :id"), {"id": second})
        db.session.commit()
        upgrade(directory=folder)
        statuses = dict(db.session.execute(sa.text("SELECT id, status FROM nomination")).all())
        assert statuses[signed] == "revoked" and statuses[first] == "preparing"
        assert {index["name"] for index in sa.inspect(db.engine).get_indexes("nomination")} >= {
            "uq_nomination_claim_person", "uq_nomination_claim_collective"}
