"""The secret ballot: nothing stored or logged ties a council member to a choice."""

import json
import logging

from sqlalchemy import inspect

from tests.conftest import COUNCIL, snapshot
from workflows.db import db
from workflows.models import Ballot, ProcessInstance

CHOICES = {"yes", "no"}


def cast_votes(api, nominate, walk, votes):
    nid = nominate()
    walk(nid, "vote")
    for member, vote in zip(COUNCIL, votes):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    return nid


def contains_choice(value) -> bool:
    """True when a stored value is, or holds anywhere inside it, a ballot choice.

    Only values count: the tally's {"yes": 4, "no": 1} names choices as keys of counts.
    """
    if isinstance(value, str):
        if value in CHOICES:
            return True
        try:
            return contains_choice(json.loads(value))
        except ValueError:
            return False
    if isinstance(value, dict):
        return any(contains_choice(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_choice(v) for v in value)
    return False


def test_only_the_tally_sheet_knows_the_choices(app, api, nominate, walk, caplog):
    caplog.set_level(logging.DEBUG)
    nid = cast_votes(api, nominate, walk, ["no", "yes", "yes", "yes", "yes"])
    with app.app_context():
        rows = snapshot()
        holders = {name for name, table_rows in rows.items()
                   if any(contains_choice(value) for row in table_rows for value in row)}
        assert holders == {"ballot"}
        counts = {b.choice: b.count for b in db.session.query(Ballot).filter_by(nomination_id=nid)}
        assert counts == {"yes": 4, "no": 1}
        # The tally sheet has no column that could point at a person or a moment.
        assert {c.name for c in inspect(Ballot).columns} == {"nomination_id", "choice", "count"}
    logged = "\n".join(record.getMessage() + repr(getattr(record, "__dict__", {})) for record in caplog.records)
    for member in COUNCIL:
        assert "'vote': 'no'" not in logged and '"vote": "no"' not in logged, member


def test_workflow_keeps_only_that_each_member_voted(app, api, nominate, walk):
    nid = cast_votes(api, nominate, walk, ["yes", "no", "yes", "no", "yes"])
    with app.app_context():
        state = db.session.query(ProcessInstance).one().state
        data = json.loads(state)
    assert not contains_choice(data)
    assert '"voted":true' in state.replace(" ", "")
    trail = api.as_("aud").get(f"/nominations/{nid}/audit").get_json()
    cast = [e for e in trail if e["action"] == "ballot_cast"]
    assert sorted(e["actor"] for e in cast) == sorted(COUNCIL) and all(e["details"] == {} for e in cast)


def test_members_see_their_own_ballot_task_only(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    mine = api.as_("m2").get("/tasks").get_json()
    assert [t["assignee"] for t in mine if t["nomination_id"] == nid] == ["m2"]
    other = api.as_("m3").task(nid, "vote")
    assert api.as_("m2").post(f"/tasks/{other}/complete", json={"vote": "no"}).status_code == 403
    detail = api.as_("m2").get(f"/tasks/{other}")
    assert detail.status_code == 403
