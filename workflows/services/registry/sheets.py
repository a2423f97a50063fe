"""Reading an uploaded spreadsheet into tables of cells, and writing tables out again.

CSV is read as UTF-8 (with or without the byte-order mark Excel writes) separated by commas or
by semicolons, as Excel writes "CSV" where the decimal separator is a comma. XLSX is read with
openpyxl in read-only mode. Either way each row keeps the number the user sees in the
spreadsheet, so errors can point at it.
"""

import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from workflows.errors import InvalidData, Reason, TooLarge
from workflows.services.registry.columns import KINDS

MAX_ROWS = 200_000  # a sheet longer than this is not a registry, whatever it is
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """One sheet: its kind (None until known), its label for messages, the header and the rows."""

    kind: str | None
    label: str
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)


def read_upload(stream, max_bytes: int) -> bytes:
    """The whole upload, refused with TooLarge as soon as it passes the limit."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge("upload.too_large", limit=max_bytes)
    return data


def read_tables(data: bytes, filename: str) -> list[Table]:
    """The tables of a CSV or XLSX file; InvalidData when the content is neither."""
    if not data.strip():
        raise InvalidData("upload.empty", fields={"file": Reason("upload.empty")})
    if data.startswith(XLSX_MAGIC):
        return _xlsx_tables(data)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise InvalidData("sheet.not_xlsx", fields={"file": Reason("sheet.not_xlsx")})
    return [_csv_table(data, filename)]


def _csv_table(data: bytes, filename: str) -> Table:
    if b"\x00" in data[:4096]:
        raise InvalidData("sheet.neither_csv_nor_xlsx", fields={"file": Reason("sheet.neither_csv_nor_xlsx")})
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidData("sheet.csv_not_utf8", fields={"file": Reason("sheet.csv_not_utf8")}) from None
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    headers = next(reader, [])
    stem = os.path.splitext(os.path.basename(filename or ""))[0].lower()
    return Table(stem if stem in KINDS else None, os.path.basename(filename or "") or "CSV", headers,
                 _numbered(reader, start=2, line_numbers=lambda: reader.line_num))


def _numbered(reader, start: int, line_numbers=None) -> Iterator[tuple[int, list]]:
    number = start - 1
    for cells in reader:
        # A quoted cell may span lines; the reader knows the line where the record ended.
        number = line_numbers() if line_numbers else number + 1
        if number > MAX_ROWS + 1:
            raise InvalidData("sheet.too_many_rows", max_rows=MAX_ROWS)
        yield number, list(cells)


def _xlsx_tables(data: bytes) -> list[Table]:
    from openpyxl import load_workbook  # only the spreadsheet paths pay for importing it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise zipfile.BadZipFile("xl/workbook.xml")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidData("sheet.xlsx_unreadable", fields={"file": Reason("sheet.xlsx_unreadable")}) from None
    tables = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            continue
        name = sheet.title.strip().lower()
        tables.append(Table(name if name in KINDS else None, sheet.title,
                            ["" if h is None else str(h) for h in headers],
                            _numbered(rows, start=2)))
    if not tables:
        raise InvalidData("sheet.no_header_row", fields={"file": Reason("sheet.no_header_row")})
    return tables


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese letters right when it opens the file."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    """A workbook with one sheet per kind, named after it, so it imports back as it is."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
