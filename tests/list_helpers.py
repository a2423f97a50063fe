"""Lists at a chosen step, made the way users make them (through the use cases), for any test.

    from tests.list_helpers import list_at
    proposal_id = list_at(app, "voting", award="LDTT", nominees=3)

Steps: ``"preparing"`` (just proposed), ``"endorsing"`` (submitted), ``"checking"`` (endorsed: at
``check_list``), ``"voting"`` (every nominee accepted, the list at ``await_session``; the award is
made to need a vote) and ``"signing"`` (every nominee accepted without a vote, the list at
``sign_list``; the regulation in force is made to decide the award without a vote).
"""

from sqlalchemy import select

from tests.conftest import register
from workflows.db import db
from workflows.models import CouncilRegulation, Nomination, Person, User
from workflows.services import council
from workflows.usecases import proposals

STEPS = ("preparing", "endorsing", "checking", "voting", "signing")
_COUNTER = [0]


def user(username: str) -> User:
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def registered_people(app, unit: str, count: int, *, year: int = 2026, prefix: str = "Cán bộ") -> list[int]:
    """``count`` new people of the unit's registry with a good record for the year (eligible for
    LĐTT); their person ids."""
    codes = []
    for _ in range(count):
        _COUNTER[0] += 1
        codes.append(register(app, unit, f"{prefix} {_COUNTER[0]:03d}", year=year))
    with app.app_context():
        return list(db.session.execute(select(Person.id).where(Person.code.in_(codes)).order_by(Person.id)).scalars())


def set_without_vote(app, award: str, without: bool) -> None:
    """Make the regulation in force (the bloc's) decide ``award`` without a vote, or with one."""
    with app.app_context():
        regulation = council.regulation_in_force(proposals.today())
        assert regulation is not None, "no council regulation in force"
        codes = [c for c in (regulation.without_vote or []) if c != award]
        db.session.get(CouncilRegulation, regulation.id).without_vote = codes + ([award] if without else [])
        db.session.commit()


def list_at(app, step: str, *, award: str = "LDTT", nominees: int = 3, unit: str = "VPTW", clerk: str = "clerk_a",
            head: str = "head_a", office: str = "sec", year: int = 2026, round_id: int | None = None) -> int:
    """A list of ``nominees`` new registry people of ``unit``, moved to ``step``; its proposal id."""
    assert step in STEPS, f"step must be one of {STEPS}"
    people = registered_people(app, unit, nominees, year=year)
    if step in ("voting", "signing"):
        set_without_vote(app, award, step == "signing")
    with app.app_context():
        proposal = proposals.propose(user(clerk), award_code=award, round_id=round_id, year=year,
                                     nominees=[{"person_id": pid} for pid in people], title="Danh sách đề nghị")
        proposal_id = proposal.id
        if step == "preparing":
            return proposal_id
        proposals.submit(user(clerk), proposal_id)
        if step == "endorsing":
            return proposal_id
        proposals.endorse(user(head), proposal_id, approve=True)
        if step == "checking":
            return proposal_id
        ids = db.session.execute(select(Nomination.id).where(Nomination.proposal_id == proposal_id)).scalars()
        proposals.check(user(office), proposal_id, {i: {"outcome": "accept"} for i in ids})
        return proposal_id
