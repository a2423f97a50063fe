"""Refusals of a single value, a form as a whole, or an uploaded file."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

WORDS = {
    "change.concurrent": _l("Someone else changed this at the same moment; reload and try again."),
    "field.required": _l("This field is required."),
    "field.required_for_choice": _l("This field is required for the choice made."),
    "field.choose_one": _l("Choose one of the options."),
    "field.not_text": _l("Must be text."),
    "field.not_boolean": _l("Must be yes or no."),
    "field.too_long": _l("Use at most %(max)s characters."),
    "field.unknown": _l("Unknown field."),
    "field.object_needed": _l("Give this as an object with its own fields."),
    "field.given_twice": _l("Given twice."),
    "field.list_needed": _l("Give a list of codes."),
    "field.name_needed": _l("Give a name of at most %(max)s characters."),
    "field.code_needed": _l("A code is required."),
    "field.reason_needed": _l("Give the reason."),
    "field.date_needed": _l("Give a date (YYYY-MM-DD)."),
    "field.not_a_date": _l("“%(value)s” is not a date; write it as 2024-03-01 or 01/03/2024."),
    "field.not_a_year": _l("“%(value)s” is not a year; write it as four digits, e.g. 2025."),
    "field.year_between": _l("Give a year between %(first)s and %(last)s."),
    "field.implausible_year": _l("%(value)s is not a plausible year (%(first)s–%(last)s)."),
    "form.not_an_object": _l("The form must be sent as a JSON object."),
    "form.invalid": _l("Some fields are not valid."),
    "form.not_an_active_user": _l("%(username)s is not an active user who may be named here."),
    "upload.empty": _l("The file is empty."),
    "upload.too_large": lambda params: _too_large(params),
    "upload.not_what_its_name_says": lambda params: _not_what_it_says(params),
    "upload.kind_not_accepted": lambda params: _not_accepted(params),
    "sheet.not_xlsx": _l("The file is not a real XLSX workbook; save it from the spreadsheet as .xlsx."),
    "sheet.xlsx_unreadable": _l("The file is not a readable XLSX workbook; save it from the spreadsheet as .xlsx."),
    "sheet.neither_csv_nor_xlsx": _l("The file is neither CSV text nor an XLSX workbook."),
    "sheet.csv_not_utf8": _l("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and upload it again."),
    "sheet.too_many_rows": _l("The sheet has more than %(max_rows)s rows; split it into several files."),
    "sheet.too_many_cells": _l("The file has more than %(max_cells)s cells; split it into several files."),
    "sheet.unpacked_too_large": _l("The workbook unpacks to more than %(megabytes)s MB; split it into several "
                                   "files."),
    "sheet.too_many_entries": _l("The workbook is an archive of more than %(max)s parts, which no registry "
                                 "needs; save it again from the spreadsheet as .xlsx."),
    "sheet.compression_suspicious": _l("A part of the workbook unpacks to more than %(ratio)s times its packed "
                                       "size, as no spreadsheet does; save it again from the spreadsheet as "
                                       ".xlsx."),
    "sheet.csv_unreadable": _l("The CSV file cannot be read: a cell is too long or a quote is never closed."),
    "field.unstorable_character": _l("The text holds a character that cannot be stored (NUL or a broken "
                                     "Unicode character)."),
    "sheet.no_header_row": _l("The workbook has no sheet with a header row."),
    "sheet.formula_start": _l("A value may not start with =, + or @, which spreadsheets read as a formula."),
}

# Kinds of file content, as the document check names what it found.
CONTENTS = {
    "pdf": _l("a PDF document"), "docx": _l("a Word document (DOCX)"), "xlsx": _l("an Excel workbook (XLSX)"),
    "odt": _l("an OpenDocument text (ODT)"), "jpeg": _l("a JPEG image"), "png": _l("a PNG image"),
    "doc": _l("an old Word document (DOC)"), "xls": _l("an old Excel workbook (XLS)"), "gif": _l("a GIF image"),
    "webp": _l("a WebP image"), "bmp": _l("a BMP image"), "tiff": _l("a TIFF image"),
    "windows_program": _l("a Windows program"), "program": _l("a program"),
    "opendocument": _l("an OpenDocument file of another kind"), "zip": _l("a ZIP archive"),
    "damaged_zip": _l("a damaged ZIP archive"), "html": _l("a web page (HTML)"), "text": _l("plain text"),
    "binary": _l("unrecognised data"),
}


def _content(code: str) -> str:
    label = CONTENTS.get(code)
    return str(label) if label is not None else code


def _too_large(params) -> str:
    limit = int(params.get("limit") or 0)
    if limit >= 1024 * 1024:
        return _("The file is larger than the limit of %(size)s MB.",
                       size=format_decimal(round(limit / (1024 * 1024), 2)))
    return _("The file is larger than the limit of %(size)s bytes.", size=format_decimal(limit))


def _not_what_it_says(params) -> str:
    return _("The file named %(filename)s is not %(claimed)s: its content looks like %(content)s.",
                   filename=params.get("filename", ""), claimed=_content(params.get("claimed", "")),
                   content=_content(params.get("content", "")))


def _not_accepted(params) -> str:
    return _("Files of this kind are not accepted (the content looks like %(content)s); accepted are PDF, "
                   "DOCX, XLSX, ODT, JPEG and PNG.", content=_content(params.get("content", "")))
