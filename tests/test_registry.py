"""Reading and correcting the registry one subject at a time; who may; review holds on the trail."""

import pytest
from sqlalchemy import select

from tests import registry_files as files
from tests.conftest import snapshot
from workflows.db import db
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound
from workflows.models import Assessment, AuditEvent, ReviewHold
from workflows.usecases import accounts
from workflows.usecases.registry import exporting, importing, records


def user(name):
    return accounts.find_user(name)


@pytest.fixture
def registry(app):
    with app.app_context():
        importing.import_file(user("sec"), files.workbook(), "registry.xlsx")
    return app


def events(action):
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_a_persons_whole_history(registry):
    with registry.app_context():
        record = records.person(user("sec"), "A001")
        assert record.subject.full_name == "Nguyễn Thị Ánh Tuyết"
        assert [(a.year, a.grade) for a in record.assessments] == [(2024, "HTXSNV"), (2025, "HTTNV")]
        assert [(a.award_code, a.decision_ref) for a in record.awards] == [("CSTDCS", "123/QĐ-VPTW")]
        assert [i.title for i in record.initiatives] == ["Số hoá hồ sơ thi đua"]
        collective = records.collective(user("sec"), "VPTW-TH")
        assert [p.code for p in collective.members] == ["A001"]
        assert [a.award_code for a in collective.awards] == ["TTLDXS"]
        assert records.person(user("sec"), "A002").discipline[0].level == "reprimand"


@pytest.mark.parametrize("name, visible", [
    ("sec", {"A001", "A002", "B001"}), ("admin", {"A001", "A002", "B001"}), ("aud", {"A001", "A002", "B001"}),
    ("clerk_a", {"A001", "A002"}), ("head_a", {"A001", "A002"}), ("clerk_b", {"B001"}), ("head_b", {"B001"}),
])
def test_who_sees_whom(registry, name, visible):
    with registry.app_context():
        page = records.people(user(name))
        assert {p.code for p in page.items} == visible and page.total == len(visible)
        for code in {"A001", "B001"} - visible:
            with pytest.raises(NotFound):
                records.person(user(name), code)
        assert {c.code for c in records.collectives(user(name)).items} <= {"VPTW-TH", "BTCTW-CS"}


@pytest.mark.parametrize("name", ["rev", "m1", "chair"])
def test_roles_without_access_to_the_registry(registry, name):
    with registry.app_context():
        with pytest.raises(NotAllowed):
            records.people(user(name))
        with pytest.raises(NotAllowed):
            records.person(user(name), "A001")


def test_search_by_name_code_and_unit_paginated(registry):
    with registry.app_context():
        assert [p.code for p in records.people(user("sec"), q="ánh tuyết").items] == ["A001"]
        assert [p.code for p in records.people(user("sec"), q="b00").items] == ["B001"]
        assert [p.code for p in records.people(user("sec"), unit="VPTW").items] == ["A001", "A002"]
        assert records.people(user("sec"), q="100%").total == 0
        second = records.people(user("sec"), page=2, per_page=2)
        assert [p.code for p in second.items] == ["B001"] and second.pages == 2
        # a unit head cannot widen their view with the unit filter
        assert records.people(user("head_a"), unit="BTCTW").total == 0


def test_a_clerk_adds_and_corrects_history_of_their_own_unit(registry):
    with registry.app_context():
        row, created = records.save_history(user("clerk_a"), "person", "A002", "assessments",
                                            {"year": "2025", "grade": "HTXSNV"})
        assert created and row.grade == "HTXSNV"
        row, created = records.save_history(user("clerk_a"), "person", "A002", "assessments",
                                            {"year": 2025, "grade": "htnv"})
        assert not created and row.grade == "HTNV"
        corrected = records.correct_history(user("clerk_a"), "assessments", row.id, {"year": 2024, "grade": "HTNV"})
        assert corrected.year == 2024
        saved = events("registry_history_saved")
        assert [e.details["created"] for e in saved] == [True, False]
        assert saved[1].details["changes"] == {"grade": ["HTXSNV", "HTNV"]}
        assert events("registry_history_corrected")[0].details["changes"] == {"year": [2025, 2024]}


def test_history_rows_are_checked_like_imported_ones(registry):
    with registry.app_context():
        before = snapshot()
        for kind, raw in (("assessments", {"year": 2025, "grade": "NICE"}), ("awards", {"award": "TTLDXS",
                                                                                        "year": 2025}),
                          ("awards", {"award": "NOPE", "year": 2025}), ("discipline", {"year": 2025, "level": "x"}),
                          ("initiatives", {"title": "", "level": "agency", "year": 2025}), ("bogus", {})):
            with pytest.raises(InvalidData):
                records.save_history(user("sec"), "person", "A001", kind, raw)
        with pytest.raises(InvalidData):
            records.save_history(user("sec"), "collective", "VPTW-TH", "discipline", {"year": 2025, "level": "warning"})
        first = records.person(user("sec"), "A001").assessments[0]
        with pytest.raises(Conflict):  # 2025 already has its own row
            records.correct_history(user("sec"), "assessments", first.id, {"year": 2025, "grade": "HTNV"})
        assert snapshot() == before


@pytest.mark.parametrize("name, error", [("clerk_b", NotFound), ("head_a", NotAllowed), ("aud", NotAllowed)])
def test_others_cannot_correct_history(registry, name, error):
    with registry.app_context():
        row_id = db.session.execute(select(Assessment.id).limit(1)).scalar_one()
        before = snapshot()
        with pytest.raises(error):
            records.save_history(user(name), "person", "A001", "assessments", {"year": 2020, "grade": "HTNV"})
        with pytest.raises(error):
            records.correct_history(user(name), "assessments", row_id, {"year": 2020, "grade": "HTNV"})
        assert snapshot() == before


def test_a_hold_is_placed_and_lifted_on_the_trail(registry):
    with registry.app_context():
        hold = records.place_hold(user("sec"), "person", "A001", kind="complaint", reason="Đơn khiếu nại số 12")
        assert records.person(user("head_a"), "A001").open_holds == [hold]
        placed = events("hold_placed")[0]
        assert placed.actor == "sec" and placed.details == {
            "person": "A001", "hold_id": hold.id, "kind": "complaint", "reason": "Đơn khiếu nại số 12"}
        lifted = records.lift_hold(user("admin"), hold.id, reason="Đã giải quyết")
        assert lifted.lifted_by_id == user("admin").id and lifted.lift_reason == "Đã giải quyết"
        assert events("hold_lifted")[0].details["reason"] == "Đã giải quyết"
        assert records.person(user("sec"), "A001").open_holds == []
        with pytest.raises(Conflict):
            records.lift_hold(user("sec"), hold.id, reason="again")
        collective_hold = records.place_hold(user("admin"), "collective", "VPTW-TH", kind="inspection",
                                             reason="Thanh tra")
        assert records.hold_subject(collective_hold) == ("collective", "VPTW-TH")


@pytest.mark.parametrize("name", ["clerk_a", "head_a", "aud", "rev", "chair"])
def test_only_the_secretariat_and_admins_hold(registry, name):
    with registry.app_context():
        hold = records.place_hold(user("sec"), "person", "A001", kind="complaint", reason="x")
        before = snapshot()
        with pytest.raises(NotAllowed):
            records.place_hold(user(name), "person", "A001", kind="complaint", reason="y")
        with pytest.raises(NotAllowed):
            records.lift_hold(user(name), hold.id, reason="y")
        assert snapshot() == before


def test_a_hold_needs_a_known_kind_and_a_reason(registry):
    with registry.app_context():
        for kind, reason in (("gossip", "x"), ("complaint", "  "), ("complaint", "x" * 2001)):
            with pytest.raises(InvalidData):
                records.place_hold(user("sec"), "person", "A001", kind=kind, reason=reason)
        with pytest.raises(NotFound):
            records.place_hold(user("sec"), "person", "NOBODY", kind="complaint", reason="x")
        assert db.session.execute(select(ReviewHold)).first() is None


def test_export_is_narrowed_to_the_callers_unit(registry):
    with registry.app_context():
        own = exporting.export(user("head_b"), kind="persons", file_format="csv").data.decode("utf-8-sig")
        assert "B001" in own and "A001" not in own
        with pytest.raises(NotFound):
            exporting.export(user("clerk_b"), kind="persons", file_format="csv", unit="VPTW")
        narrowed = exporting.export(user("sec"), kind="assessments", file_format="csv", unit="VPTW")
        assert "B001" not in narrowed.data.decode("utf-8-sig") and narrowed.rows == 3
        with pytest.raises(NotAllowed):
            exporting.export(user("rev"), kind="persons", file_format="csv")
        with pytest.raises(InvalidData):
            exporting.export(user("sec"), kind="all", file_format="csv")
        assert events("registry_exported")[0].details["rows"] == 1
