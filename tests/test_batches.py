"""Batch use cases: each item its own transaction, its own outcome."""

import dataclasses

import pytest

from tests.ballot_helpers import counts_in_box
from tests.conftest import COUNCIL, PASSWORD
from workflows.db import db
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound
from workflows.models import Nomination
from workflows.usecases import accounts, batches


def user(name):
    return accounts.find_user(name)


def test_each_ballot_stands_on_its_own(app, api, nominate, walk):
    cast, stale, bad, theirs = (nominate(name=n) for n in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung",
                                                           "Đỗ Văn Hùng"))
    for nid in (cast, stale, bad, theirs):
        walk(nid, "vote")
    ids = {nid: api.as_("m1").task(nid, "vote") for nid in (cast, stale, bad)}
    other = api.as_("m2").task(theirs, "vote")
    api.as_("m1").complete(stale, "vote", {"vote": "no"})
    with app.app_context():
        outcomes = batches.cast_ballots(user("m1"), {
            ids[cast]: "yes", ids[stale]: "yes", ids[bad]: "maybe", other: "yes", "no-such-task": "no"})
        assert [o.task_id for o in outcomes] == [ids[cast], ids[stale], ids[bad], other, "no-such-task"]
        assert [type(o.error) if o.error else None for o in outcomes] == [None, Conflict, InvalidData, NotAllowed,
                                                                          NotFound]
        assert outcomes[0].ok and outcomes[0].nomination.id == cast
        assert counts_in_box(cast) == {"yes": 1} and counts_in_box(stale) == {"no": 1} and counts_in_box(bad) == {} \
            and counts_in_box(theirs) == {}


def test_an_outcome_never_carries_the_choice():
    assert {f.name for f in dataclasses.fields(batches.Outcome)} == {"task_id", "nomination", "error"}


def test_a_batch_completes_only_its_own_kind_of_task(app, api, nominate, walk):
    voting, signing = nominate(), nominate(name="Trần Thị Bình")
    walk(voting, "vote")
    walk(signing, "sign_decision")
    vote_task, sign_task = api.as_("chair").task(voting, "vote"), api.as_("chair").task(signing, "sign_decision")
    with app.app_context():
        [wrong_vote] = batches.cast_ballots(user("chair"), {sign_task: "yes"})
        [wrong_sign] = batches.sign_decisions(user("chair"), {vote_task: {"decision": "approve"}}, PASSWORD)
        assert isinstance(wrong_vote.error, InvalidData) and isinstance(wrong_sign.error, InvalidData)
        assert db.session.get(Nomination, signing).status == "signing" and counts_in_box(voting) == {}


@pytest.mark.parametrize("username, call", [
    ("clerk_a", lambda u: batches.cast_ballots(u, {})),
    ("clerk_a", lambda u: batches.ballot_sheet(u)),
    ("m1", lambda u: batches.sign_decisions(u, {})),
    ("m1", lambda u: batches.signing_sheet(u)),
])
def test_only_the_right_role_may(app, username, call):
    with app.app_context():
        with pytest.raises(NotAllowed):
            call(user(username))


def test_the_chair_signs_and_a_refusal_needs_reasons(app, api, nominate, walk):
    approved, refused = nominate(), nominate(name="Trần Thị Bình")
    for nid in (approved, refused):
        walk(nid, "sign_decision")
    tasks = {nid: api.as_("chair").task(nid, "sign_decision") for nid in (approved, refused)}
    with app.app_context():
        ok, missing = batches.sign_decisions(user("chair"), {
            tasks[approved]: {"decision": "approve", "comment": ""},
            tasks[refused]: {"decision": "reject", "comment": "   "}}, PASSWORD)
        assert ok.ok and ok.nomination.status == "awarded" and ok.nomination.decision.number == "1/QĐ-KTĐ"
        assert isinstance(missing.error, InvalidData) and "comment" in missing.error.fields
        assert db.session.get(Nomination, refused).status == "signing"


def test_sheets_bring_the_appraisal_and_publish_only_closed_tallies(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    api.as_("m1").complete(nid, "vote", {"vote": "yes"})
    with app.app_context():
        waiting = batches.ballot_sheet(user("m2"))
        assert waiting.total == 1
        [item] = waiting.items
        assert (item.appraisal.reviewer, item.appraisal.recommendation, item.appraisal.comment) == (
            "Rev", "approve", "Meets criteria")  # the reviewer by their full name
        assert [(d.kind, d.filename) for d in item.documents] == [
            ("proposal_letter", "proposal_letter.pdf"), ("achievement_report", "achievement_report.pdf"),
            ("review_minutes", "review_minutes.pdf")]  # the dossier as it counts, to read before voting
        [voted] = batches.ballot_sheet(user("m1")).cast
        assert voted.nomination.id == nid and voted.tally is None
    for member, vote in zip(COUNCIL[1:], ["no", "yes", "yes", "yes"]):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    with app.app_context():
        [voted] = batches.ballot_sheet(user("m1")).cast
        assert (voted.tally.yes, voted.tally.no, voted.tally.members, voted.tally.passed) == (4, 1, 5, True)
        [signing] = batches.signing_sheet(user("chair")).items
        assert signing.tally == voted.tally and signing.appraisal.recommendation == "approve"
