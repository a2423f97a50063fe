"""The registry through the JSON API: search, read, import with its row report, export, holds."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import registry_files as files
from workflows.db import db
from workflows.models import AuditEvent, Person


def upload(caller, data, filename, kind=None):
    form = {"file": (io.BytesIO(data), filename)}
    if kind:
        form["kind"] = kind
    return caller.api.client.post("/api/v1/registry/import", data=form, headers=caller._headers(),
                                  content_type="multipart/form-data")


@pytest.fixture
def loaded(api):
    response = upload(api.as_("sec"), files.workbook(), "registry.xlsx")
    assert response.status_code == 200, response.get_json()
    return api


def test_import_answers_with_counts(api):
    response = upload(api.as_("sec"), files.workbook(), "registry.xlsx")
    assert response.status_code == 200
    body = response.get_json()
    assert body["counts"]["persons"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert body["rows"] == 13


def test_bad_rows_come_back_as_422_with_the_rows_and_nothing_is_imported(api, unchanged):
    rows = [["P1", "Vũ Thị Mai", "VPTW", "", "", ""], ["P2", "Vũ Văn Nam", "XYZ", "", "", "2020-13-01"]]
    api.token("sec")  # signing in is on the trail; the import must add nothing to it
    with unchanged():
        response = upload(api.as_("sec"), files.csv_file(files.PERSONS_HEADER, rows, delimiter=";", bom=True),
                          "persons.csv")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "import.rejected" and "nothing was imported" in error["message"]
    assert sorted((r["row"], r["column"], r["code"]) for r in error["rows"]) == [
        (3, "recruited_on", "field.not_a_date"), (3, "unit", "unit.not_found")]
    assert {r["column"]: r["message"] for r in error["rows"]}["unit"] == "No unit with code XYZ."
    assert all(r["sheet"] == "persons.csv" for r in error["rows"])


def test_import_without_a_file_or_with_a_strange_one(api, unchanged):
    sec = api.as_("sec")
    api.token("sec")
    with unchanged():
        missing = sec.api.client.post("/api/v1/registry/import", data={}, headers=sec._headers(),
                                      content_type="multipart/form-data")
        assert missing.status_code == 422 and "file" in missing.get_json()["error"]["fields"]
        assert upload(sec, b"\x89PNG\r\n\x1a\n\x00\x00", "persons.csv").status_code == 422
        assert upload(sec, b"PK\x03\x04 nonsense", "persons.xlsx").status_code == 422
        assert upload(sec, files.workbook(), "r.xlsx", kind="nonsense").status_code == 422


def test_import_over_the_size_limit_is_refused(api, unchanged):
    big = b"code,full_name,unit\n" + b"X,Y,VPTW\n" * 150_000  # over the tests' 1 MB limit
    api.token("sec")
    with unchanged():
        response = upload(api.as_("sec"), big, "persons.csv")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "upload.too_large"


@pytest.mark.parametrize("name", ["head_a", "aud", "rev", "chair"])
def test_roles_that_may_not_import(api, unchanged, name):
    api.token(name)
    with unchanged():
        assert upload(api.as_(name), files.workbook(), "registry.xlsx").status_code == 403


def test_another_units_clerk_gets_a_row_error_and_nothing_is_imported(loaded, unchanged):
    rows = [["A001", "Kẻ Lạ", "VPTW", "", "", ""]]
    loaded.token("clerk_b")
    with unchanged():
        response = upload(loaded.as_("clerk_b"), files.csv_file(files.PERSONS_HEADER, rows), "persons.csv")
    assert response.status_code == 422
    assert "another unit" in response.get_json()["error"]["rows"][0]["message"]


def test_people_list_and_detail(loaded):
    response = loaded.as_("sec").get("/people?unit=VPTW&q=tuy%E1%BA%BFt")
    assert response.status_code == 200 and response.headers["X-Total-Count"] == "1"
    assert response.get_json()[0]["full_name"] == "Nguyễn Thị Ánh Tuyết"
    person = loaded.as_("clerk_a").get("/people/A001").get_json()
    assert person["collective"] == "VPTW-TH" and person["recruited_on"] == "2012-03-01"
    assert person["assessments"] == [{"id": person["assessments"][0]["id"], "year": 2024, "grade": "HTXSNV"},
                                     {"id": person["assessments"][1]["id"], "year": 2025, "grade": "HTTNV"}]
    assert person["awards"][0]["decision_ref"] == "123/QĐ-VPTW"
    assert person["initiatives"][0]["used_by_nomination"] is None
    assert person["holds"] == [] and person["discipline"] == []
    collective = loaded.as_("aud").get("/collectives/VPTW-TH").get_json()
    assert [m["code"] for m in collective["members"]] == ["A001"]
    assert loaded.as_("sec").get("/collectives?unit=BTCTW").get_json()[0]["code"] == "BTCTW-CS"


def test_another_units_staff_see_nothing_of_a_person(loaded):
    for name in ("clerk_b", "head_b"):
        response = loaded.as_(name).get("/people/A001")
        assert response.status_code == 404
        assert "Tuyết" not in response.get_data(as_text=True)
        assert [p["code"] for p in loaded.as_(name).get("/people").get_json()] == ["B001"]
    assert loaded.as_("rev").get("/people").status_code == 403
    assert loaded.as_("m1").get("/people/A001").status_code == 403
    assert loaded.as_(None).get("/people").status_code == 401


def test_export_csv_and_xlsx_round_trip(loaded):
    sec = loaded.as_("sec")
    response = sec.get("/registry/export?kind=persons&format=csv&unit=VPTW")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert "Nguyễn Thị Ánh Tuyết" in text and "B001" not in text
    again = upload(sec, response.data, "persons-VPTW.csv").get_json()
    assert again["counts"]["persons"] == {"created": 0, "updated": 0, "unchanged": 2}
    workbook = sec.get("/registry/export?kind=all&format=xlsx")
    assert workbook.status_code == 200
    sheets = load_workbook(io.BytesIO(workbook.data), read_only=True).sheetnames
    assert sheets == ["collectives", "persons", "assessments", "awards", "initiatives", "discipline"]
    counts = upload(sec, workbook.data, "all.xlsx").get_json()["counts"]
    assert all(c["created"] == c["updated"] == 0 for c in counts.values())


def test_export_refuses_what_the_caller_may_not_see(loaded):
    assert loaded.as_("clerk_b").get("/registry/export?kind=persons&unit=VPTW").status_code == 404
    assert loaded.as_("rev").get("/registry/export?kind=persons").status_code == 403
    assert loaded.as_("sec").get("/registry/export?kind=people").status_code == 422
    assert loaded.as_("sec").get("/registry/export?kind=persons&format=pdf").status_code == 422


def test_holds_through_the_api(loaded, app):
    sec = loaded.as_("sec")
    placed = sec.post("/people/A001/holds", json={"kind": "discipline_review", "reason": "Xem xét kỷ luật"})
    assert placed.status_code == 201
    hold = placed.get_json()
    assert hold["person"] == "A001" and hold["placed_by"] == "sec" and hold["lifted_at"] is None
    assert loaded.as_("head_a").get("/people/A001").get_json()["holds"][0]["id"] == hold["id"]
    assert loaded.as_("clerk_a").post(f"/holds/{hold['id']}/lift", json={"reason": "x"}).status_code == 403
    assert sec.post(f"/holds/{hold['id']}/lift", json={}).status_code == 422
    lifted = loaded.as_("admin").post(f"/holds/{hold['id']}/lift", json={"reason": "Không vi phạm"})
    assert lifted.status_code == 200 and lifted.get_json()["lifted_by"] == "admin"
    assert sec.post(f"/holds/{hold['id']}/lift", json={"reason": "again"}).status_code == 409
    assert sec.post("/holds/99999/lift", json={"reason": "x"}).status_code == 404
    assert sec.post("/people/A001/holds", json={"kind": "rumour", "reason": "x"}).status_code == 422
    assert loaded.as_("aud").post("/people/A001/holds", json={"kind": "complaint", "reason": "x"}).status_code == 403
    on_collective = sec.post("/collectives/VPTW-TH/holds", json={"kind": "inspection", "reason": "Thanh tra"})
    assert on_collective.status_code == 201 and on_collective.get_json()["collective"] == "VPTW-TH"
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action).where(AuditEvent.action.like("hold_%"))
                                     .order_by(AuditEvent.seq)).scalars().all()
        assert actions == ["hold_placed", "hold_lifted", "hold_placed"]
        assert db.session.execute(select(func.count()).select_from(Person)).scalar_one() == 3


def test_the_openapi_document_lists_the_registry(api):
    paths = api.as_(None).get("/openapi.json").get_json()["paths"]
    for method, path in [("get", "/api/v1/people"), ("get", "/api/v1/people/{code}"),
                         ("get", "/api/v1/collectives"), ("get", "/api/v1/collectives/{code}"),
                         ("post", "/api/v1/registry/import"), ("get", "/api/v1/registry/export"),
                         ("post", "/api/v1/people/{code}/holds"), ("post", "/api/v1/holds/{hold_id}/lift")]:
        assert method in paths[path], path
        assert paths[path][method]["security"] == [{"bearer": []}]
