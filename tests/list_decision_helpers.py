"""Shared steps of the list decision tests: agencies set up, a list of registry nominees at the
head's signature, the answer from above."""

import io
import json

from sqlalchemy import select

from tests.conftest import PASSWORD, PDF
from tests.list_helpers import list_at
from tests.test_authorities import set_up_agency
from workflows.db import db
from workflows.models import Nomination, Proposal
from workflows.usecases import accounts


def set_up_agencies(app) -> None:
    set_up_agency(app, "VPTW")
    set_up_agency(app, "BTCTW")


def signing_list(app, *, award="LDTT", nominees=3, unit="VPTW", year=2026, round_id=None) -> tuple[int, list[int]]:
    """A list of ``nominees`` new registry people of ``unit`` for ``award``, proposed, endorsed and
    checked through the use cases and waiting for its authority's head (at ``sign_list``, each
    nominee at ``signing``): (list id, nomination ids in list order)."""
    clerk, head = {"VPTW": ("clerk_a", "head_a"), "BTCTW": ("clerk_b", "head_b")}[unit]
    list_id = list_at(app, "signing", award=award, nominees=nominees, unit=unit, clerk=clerk, head=head,
                      office=f"{unit.lower()}_office", year=year, round_id=round_id)
    with app.app_context():
        ids = list(db.session.execute(select(Nomination.id).where(Nomination.proposal_id == list_id)
                                      .order_by(Nomination.id)).scalars())
        assert set(db.session.execute(select(Nomination.status).where(Nomination.id.in_(ids))).scalars()) == {
            "signing"}
        assert db.session.get(Proposal, list_id).status == "signing"
    return list_id, ids


def names_of(app, ids) -> list[str]:
    with app.app_context():
        by_id = dict(db.session.execute(select(Nomination.id, Nomination.nominee_name)
                                        .where(Nomination.id.in_(ids))).all())
        return [by_id[i] for i in ids]


def sign(api, list_id, head="vptw_head", **body):
    return api.as_(head).post(f"/lists/{list_id}/decision", json={"password": PASSWORD, **body})


def record_answer(api, decision_id, results, *, office="vptw_office", scan=PDF, filename="qd-ttg.pdf", raw=None,
                  **form):
    """The office records the answer from above (multipart, with the scan unless ``scan`` is None)."""
    data = {"higher_authority": "Thủ tướng Chính phủ", "number": "1234/QĐ-TTg", "decided_on": "2026-11-20",
            "results": raw if raw is not None else json.dumps({str(k): v for k, v in results.items()}), **form}
    if scan is not None:
        data["file"] = (io.BytesIO(scan), filename)
    return api.client.post(f"/api/v1/decisions/{decision_id}/outcome", data=data,
                           headers={"Authorization": f"Bearer {api.token(office)}"},
                           content_type="multipart/form-data")


def user(username: str):
    return accounts.find_user(username)
