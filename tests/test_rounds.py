"""A round: its office opens, changes and closes it; what it takes and until when; late entries."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.list_helpers import registered_people, user
from workflows.db import db
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound
from workflows.models import AuditEvent
from workflows.usecases import proposals, rounds
from workflows.usecases.proposals import today


def opened(**changes):
    values = {"authority": "KHOI", "name": "Đợt xét 2026", "year": 2026, "award_codes": ["LDTT", "CSTDCS"],
              "intake_deadline": today() + timedelta(days=3), "council_date": None, **changes}
    return rounds.open_round(user("sec"), values.pop("authority"), **values)


def test_only_the_office_of_the_authority_opens_and_changes_a_round(app):
    with app.app_context():
        for who in ("clerk_a", "chair", "aud", "admin"):
            with pytest.raises(NotAllowed):
                rounds.open_round(user(who), "KHOI", "x", 2026, ["LDTT"], today())
        round_ = opened()
        with pytest.raises(NotAllowed):
            rounds.edit_round(user("clerk_a"), round_.id, name="Đổi")
        rounds.edit_round(user("sec"), round_.id, name="Đợt xét cuối năm 2026",
                          council_date=today() + timedelta(days=10))
        [changed] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "round_changed")).scalars()
        assert set(changed.details["changes"]) == {"name", "council_date"}


def test_a_round_refuses_what_makes_no_sense(app):
    with app.app_context():
        with pytest.raises(InvalidData) as refused:
            opened(award_codes=["NOPE"], name=" ", council_date=today() - timedelta(days=30))
        assert set(refused.value.fields) == {"award_codes", "name", "council_date"}
        with pytest.raises(InvalidData) as no_award:
            opened(award_codes=[])
        assert no_award.value.fields["award_codes"].code == "round.award_codes_needed"


def test_a_closed_round_takes_no_list_and_a_late_entry_runs_past_the_deadline(app):
    [person] = registered_people(app, "VPTW", 1)
    with app.app_context():
        round_ = opened(intake_deadline=today() - timedelta(days=2))
        with pytest.raises(InvalidData) as early:
            rounds.accept_late(user("sec"), round_.id, "VPTW", "Lý do", today() - timedelta(days=5))
        assert early.value.fields["until"].code == "round.late_before_deadline"
        rounds.accept_late(user("sec"), round_.id, "VPTW", "Lý do", today() - timedelta(days=1))
        with pytest.raises(Conflict) as expired:  # the late entry ran out yesterday
            proposals.propose(user("clerk_a"), award_code="LDTT", round_id=round_.id,
                              nominees=[{"person_id": person}])
        assert expired.value.code == "round.intake_closed"
        rounds.accept_late(user("sec"), round_.id, "VPTW", "Gia hạn thêm", today())
        listed = proposals.propose(user("clerk_a"), award_code="LDTT", round_id=round_.id,
                                   nominees=[{"person_id": person}])
        assert listed.late_reason == "Gia hạn thêm" and listed.year == 2026
        rounds.close_round(user("sec"), round_.id)
        with pytest.raises(Conflict) as closed:
            proposals.propose(user("clerk_a"), award_code="LDTT", round_id=round_.id,
                              nominees=[{"name": "Người ngoài sổ"}])
        assert closed.value.code == "round.closed"


def test_a_single_nomination_needs_no_round_and_a_list_needs_none_either(app, nominate):
    nid = nominate()
    assert nid
    [person] = registered_people(app, "VPTW", 1)
    with app.app_context():
        listed = proposals.propose(user("clerk_a"), award_code="LDTT", year=2026, nominees=[{"person_id": person}])
        assert listed.round_id is None and listed.late_reason is None
        with pytest.raises(NotFound):
            proposals.propose(user("clerk_a"), award_code="LDTT", round_id=99999, nominees=[{"person_id": person}])


def test_the_panel_counts_per_unit_and_award_and_a_unit_sees_its_own_lists_only(app):
    a = registered_people(app, "VPTW", 2)
    b = registered_people(app, "BTCTW", 1)
    with app.app_context():
        round_ = opened()
        proposals.propose(user("clerk_a"), award_code="LDTT", round_id=round_.id,
                          nominees=[{"person_id": p} for p in a])
        proposals.propose(user("clerk_b"), award_code="LDTT", round_id=round_.id, nominees=[{"person_id": b[0]}])
        office = rounds.panel(user("sec"), round_.id)
        # The office sees a list once its unit head has sent it: none yet.
        assert office.rows == [] and office.is_office
        unit = rounds.panel(user("clerk_a"), round_.id)
        assert [(r.unit.code, r.award_code, r.counts["proposed"]) for r in unit.rows] == [("VPTW", "LDTT", 2)]
        assert not unit.is_office and unit.late == []
