"""Spreadsheets for the registry tests, built in memory as an HR department would export them."""

import csv
import io

from openpyxl import Workbook

PERSONS_HEADER = ["code", "full_name", "unit", "collective", "position", "recruited_on"]


def csv_file(header, rows, *, delimiter=",", bom=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def xlsx_file(sheets: dict[str, tuple[list, list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


COLLECTIVES = (["code", "name", "unit"], [
    ["VPTW-TH", "Vụ Tổng hợp", "VPTW"],
    ["BTCTW-CS", "Vụ Cơ sở đảng", "BTCTW"],
])
PERSONS = (PERSONS_HEADER, [
    ["A001", "Nguyễn Thị Ánh Tuyết", "VPTW", "VPTW-TH", "Chuyên viên chính", "2012-03-01"],
    ["A002", "Trần Đức Lương", "VPTW", "", "Phó Vụ trưởng", "15/08/2009"],
    ["B001", "Lê Hoàng Yến", "BTCTW", "BTCTW-CS", "Chuyên viên", "2018-01-02"],
])
ASSESSMENTS = (["person", "collective", "year", "grade"], [
    ["A001", "", 2024, "HTXSNV"], ["A001", "", 2025, "HTTNV"], ["", "VPTW-TH", 2025, "HTXSNV"],
    ["B001", "", 2025, "HTNV"],
])
AWARDS = (["person", "collective", "award", "year", "decision_ref"], [
    ["A001", "", "CSTDCS", 2024, "123/QĐ-VPTW"], ["", "VPTW-TH", "TTLDXS", 2025, "45/QĐ-VPTW"],
])
INITIATIVES = (["person", "collective", "title", "level", "year", "reference"], [
    ["A001", "", "Số hoá hồ sơ thi đua", "agency", 2024, "7/QĐ-HĐKH"],
])
DISCIPLINE = (["person", "year", "level", "reference"], [["A002", 2023, "reprimand", "9/QĐ-KL"]])


def workbook() -> bytes:
    """Every kind in one workbook, a sheet each."""
    return xlsx_file({"collectives": COLLECTIVES, "persons": PERSONS, "assessments": ASSESSMENTS,
                      "awards": AWARDS, "initiatives": INITIATIVES, "discipline": DISCIPLINE})
