"""Reading an uploaded spreadsheet into tables of cells, and writing tables out again.

CSV is read as UTF-8 (with or without the byte-order mark Excel writes) separated by commas or
by semicolons, as Excel writes "CSV" where the decimal separator is a comma. XLSX is read with
openpyxl in read-only mode, once its archive has been checked against the bounds (``bounds``),
and every row is read whatever range the sheet declares: read-only mode otherwise stops where the
sheet's ``<dimension>`` says, and a file that understates it would be imported in part. Either
way each row keeps the number the user sees in the spreadsheet, so errors can point at it.
"""

import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from workflows.errors import InvalidData, Reason, TooLarge
from workflows.services.registry.bounds import SheetLimits, check_archive
from workflows.services.registry.columns import KINDS

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


def read_tables(data: bytes, filename: str, limits: SheetLimits | None = None) -> list[Table]:
    """The tables of a CSV or XLSX file; InvalidData when the content is neither, TooLarge past the bounds."""
    limits = limits or SheetLimits()
    if not data.strip():
        raise InvalidData("upload.empty", fields={"file": Reason("upload.empty")})
    if data.startswith(XLSX_MAGIC):
        return _xlsx_tables(data, limits)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise InvalidData("sheet.not_xlsx", fields={"file": Reason("sheet.not_xlsx")})
    return [_csv_table(data, filename, limits)]


# Errors a damaged file raises while it is read, after its first rows were fine.
_XLSX_DAMAGE = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, SyntaxError)


def _csv_damaged() -> InvalidData:
    return InvalidData("sheet.csv_unreadable", fields={"file": Reason("sheet.csv_unreadable")})


def _xlsx_damaged() -> InvalidData:
    return InvalidData("sheet.xlsx_unreadable", fields={"file": Reason("sheet.xlsx_unreadable")})


def _csv_table(data: bytes, filename: str, limits: SheetLimits) -> Table:
    if b"\x00" in data:  # never text; and a database refuses it in a value
        raise InvalidData("sheet.neither_csv_nor_xlsx", fields={"file": Reason("sheet.neither_csv_nor_xlsx")})
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidData("sheet.csv_not_utf8", fields={"file": Reason("sheet.csv_not_utf8")}) from None
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    counter = _Counter(limits)
    headers = next(_numbered(reader, 1, counter, (csv.Error,), _csv_damaged), (1, []))[1]
    stem = os.path.splitext(os.path.basename(filename or ""))[0].lower()
    # A quoted cell may span lines; the reader knows the line where the record ended.
    return Table(stem if stem in KINDS else None, os.path.basename(filename or "") or "CSV", headers,
                 _numbered(reader, 2, counter, (csv.Error,), _csv_damaged, line_numbers=lambda: reader.line_num))


class _Counter:
    """Rows of the sheet being read and cells of the whole file, against the bounds."""

    def __init__(self, limits: SheetLimits):
        self.limits, self.cells = limits, 0

    def count(self, number: int, cells) -> None:
        if number > self.limits.max_rows + 1:  # the header is row 1
            raise InvalidData("sheet.too_many_rows", max_rows=self.limits.max_rows)
        self.cells += len(cells)
        if self.cells > self.limits.max_cells:
            raise InvalidData("sheet.too_many_cells", max_cells=self.limits.max_cells)


def _numbered(reader, start: int, counter: _Counter, damage: tuple, damaged,
              line_numbers=None) -> Iterator[tuple[int, list]]:
    number = start - 1
    rows = iter(reader)
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except damage:
            raise damaged() from None
        number = line_numbers() if line_numbers else number + 1
        counter.count(number, cells)
        yield number, list(cells)


def _xlsx_tables(data: bytes, limits: SheetLimits) -> list[Table]:
    from openpyxl import load_workbook  # only the spreadsheet paths pay for importing it

    check_archive(data, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise zipfile.BadZipFile("xl/workbook.xml")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = list(workbook.worksheets)
    except _XLSX_DAMAGE:
        raise _xlsx_damaged() from None
    tables, counter = [], _Counter(limits)
    for sheet in sheets:
        if not hasattr(sheet, "reset_dimensions"):  # a chart sheet has no rows
            continue
        sheet.reset_dimensions()
        rows = _numbered(sheet.iter_rows(values_only=True), 1, counter, _XLSX_DAMAGE, _xlsx_damaged)
        first = next(rows, None)
        if first is None:
            continue
        name = sheet.title.strip().lower()
        tables.append(Table(name if name in KINDS else None, sheet.title,
                            ["" if h is None else str(h) for h in first[1]], rows))
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
