"""Hostile spreadsheets: bounded before they are parsed, every row read, refused in words, never half imported.

The files are built here as an attacker would: a zip bomb (a small XLSX whose sheet unpacks to far
more than any registry), an archive of thousands of entries, one whose central directory lies
about its sizes, and a sheet whose ``<dimension>`` declares fewer rows than it holds.
"""

import io
import re
import struct
import time
import zipfile

import pytest
from sqlalchemy import func, select

from tests import registry_files as files
from tests.pages.conftest import Browser
from workflows.db import db
from workflows.errors import InvalidData, TooLarge
from workflows.models import Person
from workflows.services.registry.bounds import SheetLimits
from workflows.usecases import accounts
from workflows.usecases.registry import importing

PEOPLE = [["P1", "Vũ Thị Mai", "VPTW", "", "", ""], ["P2", "Vũ Văn Nam", "VPTW", "", "", ""],
          ["P3", "Đỗ Thị Lan", "VPTW", "", "", ""]]


def people_workbook() -> bytes:
    return files.xlsx_file({"persons": (files.PERSONS_HEADER, PEOPLE)})


def rewritten(data: bytes, change) -> bytes:
    """The workbook with each entry's bytes passed through ``change(name, content)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out.getvalue()


def dimension_lying() -> bytes:
    """Three people, but the sheet declares its range as the header and one row."""
    def lie(name, content):
        if name.startswith("xl/worksheets/"):
            content, count = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:F2"', content)
            assert count == 1
        return content
    return rewritten(people_workbook(), lie)


def bomb(megabytes: int) -> bytes:
    """A valid workbook whose sheet is padded with blanks to ``megabytes`` once unpacked: kilobytes packed."""
    def pad(name, content):
        if name.startswith("xl/worksheets/"):
            content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes * 1024 * 1024), 1)
        return content
    return rewritten(people_workbook(), pad)


def many_entries(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(people_workbook())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        for i in range(count):
            target.writestr(f"xl/media/pad{i}.bin", b"")
    return out.getvalue()


def lying_sizes(megabytes: int) -> bytes:
    """A bomb whose central directory declares every entry to unpack to 1 KB."""
    data = bytearray(bomb(megabytes))
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        struct.pack_into("<I", data, at + 24, 1024)  # the uncompressed size
        at += 4
    return bytes(data)


def count_people(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Person)).scalar_one()


def import_as_sec(app, data, filename="registry.xlsx", limits=None):
    with app.app_context():
        return importing.import_file(accounts.find_user("sec"), data, filename, limits=limits)


# -- the domain ----------------------------------------------------------------------------------

def test_every_row_is_read_whatever_the_sheet_declares(app):
    result = import_as_sec(app, dimension_lying())
    assert result.counts["persons"].created == 3
    assert count_people(app) == 3


def test_a_zip_bomb_is_refused_fast_before_it_is_unpacked(app):
    data = bomb(80)  # over the default 64 MB
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(TooLarge) as refused:
        import_as_sec(app, data)
    assert time.monotonic() - started < 2
    assert refused.value.code == "sheet.unpacked_too_large" and refused.value.params == {"megabytes": 64}
    assert count_people(app) == 0


def test_sizes_the_archive_lies_about_are_caught_by_the_bytes_read(app):
    with pytest.raises((TooLarge, InvalidData)) as refused:
        import_as_sec(app, lying_sizes(80))
    assert refused.value.code in ("sheet.unpacked_too_large", "sheet.xlsx_unreadable")
    assert count_people(app) == 0


def test_a_suspicious_compression_ratio_is_refused(app):
    with pytest.raises(TooLarge) as refused:
        import_as_sec(app, bomb(10))  # under the size bound, but blanks packed a thousand to one
    assert refused.value.code == "sheet.compression_suspicious" and refused.value.params == {"ratio": 200}


def test_an_archive_of_many_entries_is_refused(app):
    with pytest.raises(TooLarge) as refused:
        import_as_sec(app, many_entries(1000))
    assert refused.value.code == "sheet.too_many_entries" and refused.value.params == {"max": 500}


def test_rows_and_cells_are_bounded_in_xlsx_and_csv(app):
    tight = SheetLimits(max_rows=2)
    for data, name in ((people_workbook(), "r.xlsx"), (files.csv_file(files.PERSONS_HEADER, PEOPLE), "persons.csv")):
        with pytest.raises(InvalidData) as refused:
            import_as_sec(app, data, name, limits=tight)
        assert refused.value.code == "sheet.too_many_rows" and refused.value.params == {"max_rows": 2}
        with pytest.raises(InvalidData) as refused:
            import_as_sec(app, data, name, limits=SheetLimits(max_cells=10))
        assert refused.value.code == "sheet.too_many_cells" and refused.value.params == {"max_cells": 10}
    assert count_people(app) == 0


def test_a_csv_field_longer_than_the_reader_takes_is_refused_not_a_crash(app):
    data = b"code,full_name,unit\nP1,\"" + b"x" * 200_000 + b"\",VPTW\n"
    with pytest.raises(InvalidData) as refused:
        import_as_sec(app, data, "persons.csv")
    assert refused.value.code == "sheet.csv_unreadable"


# -- through the API, the page and the command line ------------------------------------------------

def api_upload(api, data, filename="registry.xlsx", headers=None):
    return api.client.post("/api/v1/registry/import", data={"file": (io.BytesIO(data), filename)},
                           headers={"Authorization": f"Bearer {api.token('sec')}", **(headers or {})},
                           content_type="multipart/form-data")


def test_the_api_refuses_a_bomb_with_413_in_both_languages(api, app, unchanged):
    api.token("sec")
    with unchanged():
        english = api_upload(api, bomb(80))
        vietnamese = api_upload(api, bomb(80), headers={"Accept-Language": "vi"})
    assert english.status_code == vietnamese.status_code == 413
    assert english.get_json()["error"]["code"] == "sheet.unpacked_too_large"
    assert "64 MB" in english.get_json()["error"]["message"]
    assert "64 MB" in vietnamese.get_json()["error"]["message"]
    assert english.get_json()["error"]["message"] != vietnamese.get_json()["error"]["message"]


def test_the_api_imports_every_row_of_a_lying_sheet(api, app):
    response = api_upload(api, dimension_lying())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["counts"]["persons"]["created"] == 3


def test_the_api_bounds_come_from_the_settings(api, app, unchanged):
    app.config["SHEET_MAX_ROWS"] = 2
    api.token("sec")
    with unchanged():
        response = api_upload(api, people_workbook())
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "sheet.too_many_rows"
    assert "2" in response.get_json()["error"]["message"]


def test_the_page_refuses_a_bomb_with_413_and_imports_a_lying_sheet_whole(app):
    browser = Browser(app).sign_in("sec")
    refused = browser.post_form("/registry/import", "/registry/import",
                                {"file": (io.BytesIO(bomb(80)), "r.xlsx"), "kind": ""},
                                content_type="multipart/form-data")
    assert refused.status_code == 413
    assert "64 MB" in refused.get_data(as_text=True)
    imported = browser.post_form("/registry/import", "/registry/import",
                                 {"file": (io.BytesIO(dimension_lying()), "r.xlsx"), "kind": ""},
                                 content_type="multipart/form-data")
    assert imported.status_code == 200
    assert count_people(app) == 3


def test_the_command_line_refuses_a_bomb_and_imports_a_lying_sheet_whole(app, tmp_path):
    source = tmp_path / "bomb.xlsx"
    source.write_bytes(bomb(80))
    result = app.test_cli_runner().invoke(args=["registry", "import", str(source)])
    assert result.exit_code == 1 and "64 MB" in result.output
    source.write_bytes(dimension_lying())
    result = app.test_cli_runner().invoke(args=["registry", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert count_people(app) == 3


@pytest.mark.parametrize("change", [
    lambda content: content.replace(b"</sheetData>", b""),  # XML broken after the first rows
    lambda content: content.replace(b"<t>P2", b"<t>P\x002", 1),
    lambda content: content.replace(b"<t>P2", b"<t>P&#0;2", 1),
    lambda content: content.replace(b"<t>P2", b"<t>P&#xD800;2", 1),
])
def test_a_damaged_sheet_or_an_unstorable_character_is_refused_not_a_crash(app, change):
    data = rewritten(people_workbook(), lambda name, content: change(content) if "worksheets/" in name else content)
    with pytest.raises(InvalidData):
        import_as_sec(app, data)
    assert count_people(app) == 0


@pytest.mark.parametrize("value", ["P\x002", "P\ud8002"])
def test_a_cell_with_a_character_no_database_stores_is_refused(value):
    from workflows.services.registry import columns
    with pytest.raises(InvalidData) as refused:
        columns.text(value, 32)
    assert refused.value.code == "field.unstorable_character"
