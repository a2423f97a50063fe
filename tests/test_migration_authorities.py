"""Revision 0010_authorities: what the bloc decided before authorities existed stays the bloc's.

A database at the previous revision, with a signed decision, a nomination waiting for the
secretariat, council seats, a regulation and the global roles, is upgraded; everything is the
bloc's, readable and numbered as before, and the bloc's people keep their work.
"""

from datetime import date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, select, text

from workflows.db import db
from workflows.models import (
    Authority,
    AuthorityRole,
    CouncilRegulation,
    CouncilSeat,
    Decision,
    IndexedTask,
    Nomination,
    User,
)
from workflows.services import routing
from workflows.usecases import decisions, nominations, tasks

BEFORE = "0009_tenure"
AT = datetime(2026, 11, 2, 3, 4, 5)


def insert(table: str, **values) -> int:
    """Insert a row into a table as the database has it now (the older schema), returning its id."""
    reflected = MetaData()
    reflected.reflect(db.engine, only=[table])
    result = db.session.execute(reflected.tables[table].insert().values(**values))
    return (result.inserted_primary_key or [None])[0]


def seed_previous_revision() -> dict:
    unit = insert("unit", code="VPTW", name="Party Central Office", name_vi="Văn phòng Trung ương Đảng", active=True)
    award = insert("award_type", code="LDTT", name="Advanced Worker", name_vi="Lao động tiên tiến",
                   kind="individual", level="grassroots", required_documents=[], reward_coefficient=0.3, active=True)
    people = {}
    for username, roles in (("sec", ["secretariat"]), ("chair", ["council_member", "council_chair"]),
                            ("clerk_a", ["unit_clerk"]), ("aud", ["auditor"])):
        people[username] = insert("user_account", username=username, full_name=username.title(),
                                  password_hash="x", unit_id=unit if username == "clerk_a" else None, active=True,
                                  created_at=AT)
        for role in roles:
            insert("user_role", user_id=people[username], role=role)
    definition = insert("process_definition", key="nomination", version=1, sha256="0" * 64, sources={},
                        spec_json="{}", created_at=AT)
    ids = {}
    for name, status in (("signed", "awarded"), ("waiting", "checking")):
        instance = insert("process_instance", definition_id=definition, state="{}", finished=status == "awarded",
                          version=1, created_at=AT, updated_at=AT)
        ids[name] = insert("nomination", unit_id=unit, award_type_id=award, year=2026, nominee_kind="individual",
                           nominee_name=f"Người {name}", summary="", status=status, findings=[],
                           instance_id=instance, submitted_at=AT, created_by_id=people["clerk_a"], created_at=AT,
                           updated_at=AT)
    insert("task_index", id="t-check", instance_id=instance, nomination_id=ids["waiting"], key="check_dossier",
           name="Check the dossier", lane="Secretariat", role="secretariat", unit_id=None, assignee_id=None,
           pooled=False, state="ready", secret=False, created_at=AT)
    insert("decision", nomination_id=ids["signed"], kind="decision", number="3/QĐ-KTĐ", year=2026, signed_at=AT,
           signed_by_id=people["chair"], comment="", legal_basis="", reward_coefficient=0.3, base_salary=0,
           reward_amount=0, content_sha256="")
    insert("number_counter", kind="decision", year=2026, last=3)
    insert("council_seat", user_id=people["chair"], position="chair")
    insert("council_regulation", code="QC-2026", title="Quy chế", legal_basis="Điều 1", title_vi="", legal_basis_vi="",
           effective_from=date(2026, 1, 1), created_at=AT, rounding="up")
    db.session.commit()
    return ids


def test_the_blocs_work_carries_over_to_the_blocs_authority(empty_app):
    folder = empty_app.extensions["migrate"].directory
    with empty_app.app_context():
        upgrade(directory=folder, revision=BEFORE)
        ids = seed_previous_revision()
        upgrade(directory=folder)
        bloc = db.session.execute(select(Authority)).scalar_one()
        assert (bloc.kind, bloc.code, bloc.symbol) == ("bloc", "KHOI", "KTĐ")
        assert {n.authority_id for n in db.session.execute(select(Nomination)).scalars()} == {bloc.id}
        decision = db.session.execute(select(Decision)).scalar_one()
        assert (decision.number, decision.authority_id) == ("3/QĐ-KTĐ", bloc.id)
        assert db.session.execute(select(CouncilSeat.authority_id)).scalar_one() == bloc.id
        assert db.session.execute(select(CouncilRegulation.authority_id)).scalar_one() == bloc.id
        assert db.session.execute(select(IndexedTask.authority_id)).scalar_one() == bloc.id
        held = {(r.user_id, r.role) for r in db.session.execute(select(AuthorityRole)).scalars()}
        sec = db.session.execute(select(User).where(User.username == "sec")).scalar_one()
        chair = db.session.execute(select(User).where(User.username == "chair")).scalar_one()
        assert held == {(sec.id, "office"), (chair.id, "council_member"), (chair.id, "council_chair"),
                        (chair.id, "head")}
        assert db.session.execute(text("SELECT count(*) FROM user_role WHERE role = 'secretariat'")).scalar() == 0
        # The bloc's people keep their work: the secretariat sees the nomination and its task, the
        # chair the register; the next decision number follows the last one issued.
        assert nominations.get(sec, ids["waiting"]).status == "checking"
        assert [e.id for e in tasks.inbox(sec)[0]] == ["t-check"]
        assert routing.may_act(sec, db.session.get(IndexedTask, "t-check"))
        assert [d.number for d in decisions.register(chair)[0]] == ["3/QĐ-KTĐ"]
        assert decisions._next_number(bloc.id, "decision", 2026) == 4
        db.session.rollback()
        downgrade(directory=folder, revision=BEFORE)
        roles = set(db.session.execute(text("SELECT role FROM user_role")).scalars())
        assert {"secretariat", "council_member", "council_chair", "unit_clerk", "auditor"} <= roles
        assert db.session.execute(text("SELECT number FROM decision")).scalar_one() == "3/QĐ-KTĐ"
        db.session.rollback()
