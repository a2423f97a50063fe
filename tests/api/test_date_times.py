"""Every moment the API gives carries its offset: stored times are UTC, and the answers say so."""

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from tests.openapi_contract import contract_of
from workflows.db import db
from workflows.models import Document

ZONED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def utc(value: str) -> datetime:
    """An answer's moment as stored: naive UTC. Fails on a moment without an offset."""
    assert ZONED.match(value), value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.utcoffset() == timedelta(0), value
    return moment.replace(tzinfo=None)


def moments(body, found=None) -> list[tuple[str, str]]:
    """Every (key, value) of the answer whose key names a moment: ``at`` or ``*_at``."""
    found = [] if found is None else found
    if isinstance(body, list):
        for item in body:
            moments(item, found)
    elif isinstance(body, dict):
        for key, value in body.items():
            if (key == "at" or key.endswith("_at")) and value is not None:
                found.append((key, value))
            else:
                moments(value, found)
    return found


def test_the_document_declares_every_moment_a_date_time(app):
    schemas = contract_of(app).document["components"]["schemas"]
    declared = 0
    for name, schema in schemas.items():
        for key, prop in schema.get("properties", {}).items():
            if key == "at" or key.endswith("_at"):
                assert prop.get("format") == "date-time", f"{name}.{key}"
                declared += 1
    assert declared >= 15


def test_every_moment_of_a_nominations_life_carries_its_offset(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "sign_decision")
    api.as_("chair").complete(nid, "sign_decision", {"decision": "approve"})
    nomination = api.as_("sec").get(f"/nominations/{nid}").get_json()
    code = nomination["nominee"]["code"]
    hold = api.as_("sec").post(f"/people/{code}/holds", json={"kind": "inspection", "reason": "Đang thanh tra"})
    assert hold.status_code == 201
    assert api.as_("sec").post(f"/holds/{hold.get_json()['id']}/lift", json={"reason": "Đã xong"}).status_code == 200
    revoked = api.as_("admin").post(f"/decisions/{nomination['decision']['id']}/revoke",
                                    json={"reason_code": "criteria_unmet", "reason": "Sai sót"})
    assert revoked.status_code == 200

    answers = {
        "nomination": api.as_("sec").get(f"/nominations/{nid}").get_json(),
        "documents": api.as_("clerk_a").get(f"/nominations/{nid}/documents").get_json(),
        "trail": api.as_("sec").get(f"/nominations/{nid}/audit").get_json(),
        "search": api.as_("aud").get(f"/audit?nomination={nid}").get_json(),
        "register": api.as_("sec").get("/decisions").get_json(),
        "revoked": revoked.get_json(),
        "person": api.as_("sec").get(f"/people/{code}").get_json(),
    }
    keys = set()
    for name, body in answers.items():
        found = moments(body)
        assert found, name
        for key, value in found:
            utc(value)
            keys.add(key)
    assert {"created_at", "signed_at", "revoked_at", "uploaded_at", "at", "placed_at", "lifted_at"} <= keys


def test_a_moment_is_the_stored_one_on_the_utc_clock(app, api, nominate):
    nid = nominate()
    uploaded = api.as_("clerk_a").upload(nid, "other").get_json()
    with app.app_context():
        stored = db.session.execute(select(Document.uploaded_at).where(Document.id == uploaded["id"])).scalar_one()
    assert utc(uploaded["uploaded_at"]) == stored
    assert utc(api.as_("clerk_a").get(f"/nominations/{nid}/documents").get_json()[0]["uploaded_at"]) == stored


def test_tasks_say_when_they_came_and_are_due(api, nominate):
    nid = nominate()
    listed = [t for t in api.as_("clerk_a").get("/tasks").get_json() if t["nomination_id"] == nid]
    detail = api.as_("clerk_a").get(f"/tasks/{listed[0]['id']}").get_json()
    for task in (listed[0], detail):
        created, due = utc(task["created_at"]), utc(task["due_at"])
        assert created < due
    assert listed[0]["created_at"] == detail["created_at"] and listed[0]["due_at"] == detail["due_at"]
