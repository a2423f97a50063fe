"""A list's steps cost about the same number of SQL statements whatever the number of its nominees."""

from contextlib import contextmanager

from sqlalchemy import event, select

from tests.list_helpers import registered_people, user
from workflows.db import db
from workflows.models import Nomination
from workflows.usecases import proposals


@contextmanager
def counted():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _steps(app, people: list[int]) -> dict[str, int]:
    """Statements run by proposing, submitting, endorsing and checking a list of these people."""
    costs = {}
    with app.app_context():
        with counted() as statements:
            proposal_id = proposals.propose(user("clerk_a"), award_code="LDTT", year=2026, title="Danh sách",
                                            nominees=[{"person_id": pid} for pid in people]).id
        # The unit of work inserts the nominations one by one (nomination and decision refer to each
        # other, so it orders rows singly): those inserts aside, proposing is a fixed number of statements.
        costs["propose"] = len([s for s in statements if not s.startswith("INSERT INTO nomination ")])
        assert len(statements) - costs["propose"] <= len(people)
        with counted() as statements:
            proposals.submit(user("clerk_a"), proposal_id)
        costs["submit"] = len(statements)
        with counted() as statements:
            proposals.endorse(user("head_a"), proposal_id, approve=True)
        costs["endorse"] = len(statements)
        with counted() as statements:
            proposals.nominees(user("sec"), proposal_id)
        costs["read"] = len(statements)
        assert len(db.session.execute(select(Nomination.id).where(
            Nomination.proposal_id == proposal_id)).all()) == len(people)
    return costs


def test_a_list_of_twelve_costs_about_the_statements_of_a_list_of_two(app):
    small = _steps(app, registered_people(app, "VPTW", 2))
    large = _steps(app, registered_people(app, "VPTW", 12))
    for step, cost in small.items():
        # Per-nominee statements would add at least ten per step here; a few batched ones may split.
        assert large[step] <= cost + 3, (step, small, large)
