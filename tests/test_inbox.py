"""The inbox query and the completion path, checked against plain rules rather than against themselves."""

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import event, select

from tests.conftest import PASSWORD
from workflows.db import db, utcnow
from workflows.models import IndexedTask, Nomination
from workflows.services import routing
from workflows.usecases import accounts, batches, tasks

_ids = count(1)


def user(name):
    return accounts.find_user(name)


def add_task(nomination, *, role, unit_id=None, assignee=None, due_in=None, created_ago=0, key="extra",
             state="ready"):
    """A task index row beside the real ones, routed as the process routes it (a role held within an
    authority: within the nomination's): the inbox reads nothing but this table and its joins."""
    now = utcnow()
    within = nomination.authority_id if role in routing.AUTHORITY_ROLES and unit_id is None else None
    task = IndexedTask(
        id=f"00000000-0000-0000-0000-{next(_ids):012d}", instance_id=nomination.instance_id,
        nomination_id=nomination.id, key=key, name=f"Task {key}", lane=None, role=role, unit_id=unit_id,
        authority_id=within, assignee_id=assignee.id if assignee else None,
        pooled=assignee is None and role == "reviewer",
        state=state, created_at=now - timedelta(minutes=created_ago),
        due_at=now + timedelta(days=due_in) if due_in is not None else None)
    db.session.add(task)
    return task


def expected_inbox(person, key=None) -> list[str]:
    """Every ready task ``routing.may_act`` gives the person, soonest due first, undated last."""
    rows = db.session.execute(select(IndexedTask).where(IndexedTask.state == "ready")).scalars()
    mine = [t for t in rows if routing.may_act(person, t) and (key is None or t.key == key)]
    mine.sort(key=lambda t: (t.due_at is None, t.due_at or t.created_at, t.created_at, t.id))
    return [t.id for t in mine]


@pytest.fixture
def crowded(app, nominate):
    """Tasks along every route: roles, a unit's or the whole bloc's, held by someone or by
    nobody, dated and undated, equal due dates, and tasks that are not ready."""
    first, second = nominate(name="Trần Thị Bình"), nominate(name="Lê Văn Cường", clerk="clerk_b")
    with app.app_context():
        a, b = db.session.get(Nomination, first), db.session.get(Nomination, second)
        chair, m1, rev, rev2 = user("chair"), user("m1"), user("rev"), user("rev2")
        for n, due in enumerate([3, None, 1, 3, None, 7, 1, None]):
            add_task(a, role="council_member", assignee=[chair, m1][n % 2], due_in=due, created_ago=n, key="vote")
            add_task(b, role="council_chair", due_in=due, created_ago=n % 3, key="sign_decision")
            add_task(a, role="reviewer", assignee=[None, rev, rev2][n % 3], due_in=due, created_ago=n)
            add_task(b, role="unit_head", unit_id=[a.unit_id, b.unit_id][n % 2], due_in=due, key="endorse")
        add_task(a, role="council_chair", due_in=0, state="completed", key="sign_decision")
        add_task(a, role="secretariat", due_in=2, state="cancelled")
        db.session.commit()
    return first, second


@pytest.mark.parametrize("username", ["chair", "m1", "m2", "rev", "rev2", "sec", "head_a", "head_b", "clerk_a",
                                      "aud"])
def test_inbox_lists_what_routing_allows_in_due_order_page_by_page(app, crowded, username):
    with app.app_context():
        person = user(username)
        wanted = expected_inbox(person)
        entries, total = tasks.inbox(person)
        assert [e.id for e in entries] == wanted and total == len(wanted)
        paged = []
        for offset in range(0, len(wanted) + 3, 3):
            page, page_total = tasks.inbox(person, limit=3, offset=offset)
            assert page_total == len(wanted)
            paged += [e.id for e in page]
        assert paged == wanted


def test_inbox_filters_by_kind_of_task(app, crowded):
    with app.app_context():
        chair = user("chair")
        votes, total = tasks.inbox(chair, key="vote")
        assert [e.id for e in votes] == expected_inbox(chair, key="vote") and total == 4
        assert {e.key for e in votes} == {"vote"}


def test_inbox_rows_carry_the_task_and_its_nomination(app, crowded):
    first, _ = crowded
    with app.app_context():
        [entry] = [e for e in tasks.inbox(user("clerk_a"))[0] if e.nomination_id == first]
        row = db.session.get(IndexedTask, entry.id)
        assert (entry.key, entry.name, entry.created_at, entry.due_at, entry.assignee) == \
            (row.key, row.name, row.created_at, row.due_at, None)
        assert (entry.nominee, entry.award_type, entry.unit) == ("Trần Thị Bình", "LDTT", "VPTW")


def test_an_inactive_user_has_an_empty_inbox(app, crowded):
    with app.app_context():
        chair = user("chair")
        chair.active = False
        assert tasks.inbox(chair) == ([], 0)


def test_api_inbox_rows_match_the_documented_task_shape(api, crowded):
    listed = api.as_("chair").get("/tasks")
    assert listed.status_code == 200 and int(listed.headers["X-Total-Count"]) == len(listed.get_json()) == 12
    for row in listed.get_json():
        one = api.as_("chair").get(f"/tasks/{row['id']}").get_json()
        assert row == {k: v for k, v in one.items() if k != "form"}


def test_completion_reads_and_writes_in_few_statements(app, api, nominate, walk):
    """A ballot: token, task, lock, instance, task with nomination, tally, audit head, then
    one flush of the audit event and head, task index, nomination and instance."""
    nid = nominate()
    walk(nid, "vote")
    task_id = api.as_("m1").task(nid, "vote")
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = api.as_("m1").post(f"/tasks/{task_id}/complete", json={"vote": "yes"})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200 and response.get_json() == {"nomination_id": nid, "status": "voting"}
    assert len(statements) <= 14, "\n".join(statements)


def test_the_answer_of_a_completion_is_what_was_committed(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "sign_decision")
    task_id = api.as_("chair").task(nid, "sign_decision")
    with app.app_context():
        [outcome] = batches.sign_decisions(user("chair"), {task_id: {"decision": "approve", "comment": "OK"}},
                                           password=PASSWORD)
        assert outcome.ok and outcome.nomination.status == "awarded"
        # The decision was added by its foreign key; the answer still shows it.
        assert outcome.nomination.decision.number.endswith("/QĐ-KTĐ")
        assert db.session.get(IndexedTask, task_id).state == "completed"
