"""A list proposal runs its process once for the whole list; each nominee keeps their own status."""

import pytest
from sqlalchemy import func, select

from tests.list_helpers import list_at, registered_people, set_without_vote, user
from tests.test_notifications import mailbox, parsed  # noqa: F401, F811  (a fixture)
from workflows.db import db
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound
from workflows.models import AuditEvent, IndexedTask, Nomination, ProcessInstance, Proposal
from workflows.services import lists
from workflows.usecases import proposals


def statuses(proposal_id):
    return [n.status for n in db.session.execute(select(Nomination).where(
        Nomination.proposal_id == proposal_id).order_by(Nomination.id)).scalars()]


def open_tasks(proposal_id):
    return db.session.execute(select(IndexedTask).where(IndexedTask.proposal_id == proposal_id,
                                                        IndexedTask.state == "ready")).scalars().all()


def test_a_list_of_many_is_one_task_per_step_and_each_nominee_follows(app):
    proposal_id = list_at(app, "checking", nominees=5)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.status == "checking" and lists.step_of(proposal) == "check_list"
        assert statuses(proposal_id) == ["checking"] * 5
        [task] = open_tasks(proposal_id)
        assert (task.key, task.role, task.nomination_id, task.authority_id) == (
            "check_list", "secretariat", None, proposal.authority_id)
        done = db.session.execute(select(IndexedTask.key).where(
            IndexedTask.proposal_id == proposal_id, IndexedTask.state == "completed")
            .order_by(IndexedTask.created_at)).scalars().all()
        assert done == ["prepare_list", "endorse_list"]
        # The eligibility script ran once for the whole list and left findings on every nominee.
        findings = [n.findings for n in db.session.execute(select(Nomination).where(
            Nomination.proposal_id == proposal_id)).scalars()]
        assert all(any(f["rule"] == "registered" and f["met"] for f in found) for found in findings)
        checked = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "list_eligibility_checked")).scalars().all()
        assert [e.details["list_checked"]["nominees"] for e in checked] == [5]
        assert db.session.execute(select(func.count()).select_from(ProcessInstance)).scalar_one() == 1


def test_the_office_returns_one_and_holds_one_while_the_others_go_to_the_vote(app):
    set_without_vote(app, "LDTT", False)
    proposal_id = list_at(app, "checking", nominees=3)
    with app.app_context():
        a, b, c = db.session.execute(select(Nomination.id).where(Nomination.proposal_id == proposal_id)
                                     .order_by(Nomination.id)).scalars().all()
        with pytest.raises(InvalidData) as refused:
            proposals.check(user("sec"), proposal_id, {a: {"outcome": "return"}})
        assert list(refused.value.fields) == [f"decisions.{a}"]
        proposals.check(user("sec"), proposal_id, {str(a): {"outcome": "return", "reason": "Thiếu biên bản"}})
        assert statuses(proposal_id) == ["returned", "checking", "checking"]
        assert lists.step_of(db.session.get(Proposal, proposal_id)) == "check_list"
        proposals.check(user("sec"), proposal_id, {b: {"outcome": "accept"},
                                                   c: {"outcome": "hold", "reason": "Đang thanh tra"}})
        assert statuses(proposal_id) == ["returned", "voting", "on_hold"]
        proposal = db.session.get(Proposal, proposal_id)
        assert (proposal.status, lists.step_of(proposal)) == ("voting", "await_session")
        proposals.release_hold(user("sec"), c)
        assert statuses(proposal_id) == ["returned", "voting", "voting"]
        # The returned nominee's claim is released: the unit may propose them again.
        person = db.session.get(Nomination, a).person_id
        again = proposals.propose(user("clerk_a"), award_code="LDTT", year=2026, nominees=[{"person_id": person}])
        assert statuses(again.id) == ["preparing"]


def test_without_a_vote_the_list_goes_straight_to_the_head(app):
    proposal_id = list_at(app, "signing", nominees=2)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert (proposal.status, lists.step_of(proposal)) == ("signing", "sign_list")
        assert statuses(proposal_id) == ["signing", "signing"]
        [task] = open_tasks(proposal_id)
        assert task.role == "council_chair"
        lists.complete_step(proposal, "sign_list", {"approved": True, "decision_id": 0}, user("chair"))
        db.session.commit()
        assert db.session.get(Proposal, proposal_id).status == "decided"
        assert lists.step_of(proposal) is None and open_tasks(proposal_id) == []


def test_a_step_the_list_is_not_at_is_refused_and_changes_nothing(app, unchanged):
    proposal_id = list_at(app, "voting", nominees=1)
    with unchanged():
        with app.app_context():
            proposal = db.session.get(Proposal, proposal_id)
            with pytest.raises(Conflict) as refused:
                lists.complete_step(proposal, "sign_list", {"approved": True}, user("chair"))
            assert (refused.value.code, refused.value.params["at"]) == ("list.step_not_ready", "await_session")
            db.session.rollback()
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert lists.complete_step(proposal, "await_session", {}, user("sec")) == "sign_list"
        db.session.commit()
        assert db.session.get(Proposal, proposal_id).status == "signing"


def test_the_head_returns_the_list_to_the_clerk_with_a_reason(app):
    proposal_id = list_at(app, "endorsing", nominees=2)
    with app.app_context():
        with pytest.raises(InvalidData):
            proposals.endorse(user("head_a"), proposal_id, approve=False)
        with pytest.raises(NotAllowed):
            proposals.endorse(user("clerk_a"), proposal_id)
        proposals.endorse(user("head_a"), proposal_id, approve=False, comment="Bổ sung biên bản")
        proposal = db.session.get(Proposal, proposal_id)
        assert (proposal.status, lists.step_of(proposal), statuses(proposal_id)) == (
            "preparing", "prepare_list", ["preparing", "preparing"])
        assert proposal.submitted_at is None


def test_a_duplicate_nominee_is_refused_by_name(app):
    [person] = registered_people(app, "VPTW", 1, prefix="Trùng")
    with app.app_context():
        first = proposals.propose(user("clerk_a"), award_code="LDTT", year=2026, nominees=[{"person_id": person}])
        name = db.session.execute(select(Nomination.nominee_name).where(
            Nomination.proposal_id == first.id)).scalar_one()
        others = registered_people(app, "VPTW", 1)
        with pytest.raises(Conflict) as refused:
            proposals.propose(user("clerk_a"), award_code="LDTT", year=2026,
                              nominees=[{"person_id": others[0]}, {"person_id": person}])
        assert refused.value.code == "list.nominee_already_nominated"
        assert refused.value.params["nominee"] == name and list(refused.value.fields) == ["nominees.1"]
        with pytest.raises(InvalidData) as twice:
            proposals.propose(user("clerk_a"), award_code="LDTT", year=2026,
                              nominees=[{"person_id": others[0]}, {"person_id": others[0]}])
        assert twice.value.fields["nominees.1"].code == "list.nominee_twice"


def test_a_withdrawn_nominee_lets_the_list_move_on_and_others_see_nothing(app):
    set_without_vote(app, "LDTT", True)
    proposal_id = list_at(app, "checking", nominees=2)
    with app.app_context():
        a, b = db.session.execute(select(Nomination.id).where(Nomination.proposal_id == proposal_id)
                                  .order_by(Nomination.id)).scalars().all()
        proposals.check(user("sec"), proposal_id, {a: {"outcome": "accept"}})
        with pytest.raises(NotFound):
            proposals.withdraw_nominee(user("clerk_b"), b, "Chuyển công tác")
        with pytest.raises(NotFound):
            proposals.get(user("head_b"), proposal_id)
        proposals.withdraw_nominee(user("clerk_a"), b, "Chuyển công tác")
        proposal = db.session.get(Proposal, proposal_id)
        assert (statuses(proposal_id), lists.step_of(proposal)) == (["signing", "withdrawn"], "sign_list")


def test_a_nominee_of_a_list_has_a_page_and_an_api_answer_like_any_nomination(app, api, browser):
    proposal_id = list_at(app, "checking", nominees=1)
    with app.app_context():
        [nid] = db.session.execute(select(Nomination.id).where(Nomination.proposal_id == proposal_id)).scalars()
    for lang in ("en", "vi"):
        page = browser("sec", HTTP_ACCEPT_LANGUAGE=lang).get(f"/nominations/{nid}")
        assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    answer = api.as_("sec").get(f"/nominations/{nid}")
    assert answer.status_code == 200 and answer.get_json()["status"] == "checking"
    assert api.as_("clerk_b").get(f"/nominations/{nid}").status_code == 404


def test_withdrawing_a_listed_nominee_through_the_nomination_takes_them_off_the_list(app, api):
    proposal_id = list_at(app, "checking", nominees=2)
    with app.app_context():
        first, second = db.session.execute(select(Nomination.id).where(
            Nomination.proposal_id == proposal_id).order_by(Nomination.id)).scalars().all()
    response = api.as_("clerk_a").post(f"/nominations/{first}/withdraw", json={"reason": "Nghỉ hưu"})
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    with app.app_context():
        assert statuses(proposal_id) == ["withdrawn", "checking"]


def test_each_step_of_a_list_is_mailed_to_who_may_take_it_in_their_language(app, mailbox):  # noqa: F811
    from workflows.models import OutboxMessage
    from workflows.usecases import accounts

    with app.app_context():
        accounts.set_locale(accounts.find_user("head_a"), "vi")
    proposal_id = list_at(app, "voting", nominees=2)
    with app.app_context():
        sent = [(m.to_address, m.params["task"]) for m in db.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]
    assert sent == [("clerk_a@example.org", "prepare_list"), ("head_a@example.org", "endorse_list"),
                    ("sec@example.org", "check_list")]  # nobody is told to wait for the council
    assert app.test_cli_runner().invoke(args=["tick"]).exit_code == 0
    head = [content for tos, content in mailbox.received if tos == ["head_a@example.org"]][0]
    message = parsed(head)
    assert message["Subject"] == f"Việc cần xử lý: Xác nhận danh sách — danh sách {proposal_id}, LDTT (VPTW)"


def test_two_officers_deciding_on_different_nominees_at_once_still_move_the_list_on(app):
    from tests.races import run_together

    set_without_vote(app, "LDTT", False)
    proposal_id = list_at(app, "checking", nominees=2)
    with app.app_context():
        a, b = db.session.execute(select(Nomination.id).where(Nomination.proposal_id == proposal_id)
                                  .order_by(Nomination.id)).scalars().all()

    def decide(nomination_id):
        def call():
            with app.app_context():
                proposals.check(user("sec"), proposal_id, {nomination_id: {"outcome": "accept"}})
                db.session.remove()
        return call

    run_together([decide(a), decide(b)])
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert statuses(proposal_id) == ["voting", "voting"]
        assert (proposal.status, lists.step_of(proposal)) == ("voting", "await_session")
