"""Uploads are judged by their bytes; these tests build real minimal files to prove it."""

import hashlib
import io
import os
import struct
import unicodedata
import zipfile
import zlib

import pytest

from workflows.errors import InvalidData, TooLarge
from workflows.services.documents import (
    DOCUMENT_KINDS,
    StoredFile,
    open_stored,
    remove_stored,
    safe_filename,
    store_upload,
)

LIMIT = 1024 * 1024


# --- real minimal files -------------------------------------------------------------

def make_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def make_png() -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    idat = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def make_jpeg() -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xd9"


def make_zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def make_docx() -> bytes:
    return make_zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>",
                     "word/document.xml": "<w:document/>"})


def make_xlsx() -> bytes:
    return make_zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>",
                     "xl/workbook.xml": "<workbook/>"})


def make_odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", "<manifest/>", compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def files_in(folder) -> list[str]:
    return [os.path.join(d, f) for d, _, names in os.walk(folder) for f in names]


def store(data: bytes, name: str, folder, limit: int = LIMIT) -> StoredFile:
    return store_upload(io.BytesIO(data), name, str(folder), limit)


# --- accepted types ------------------------------------------------------------------

ACCEPTED = [
    (make_pdf, "Báo cáo.pdf", "application/pdf", "Báo_cáo.pdf"),
    (make_png, "anh.png", "image/png", "anh.png"),
    (make_jpeg, "anh.JPEG", "image/jpeg", "anh.JPEG"),
    (make_docx, "to_trinh.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "to_trinh.docx"),
    (make_xlsx, "bang.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "bang.xlsx"),
    (make_odt, "bien_ban.odt", "application/vnd.oasis.opendocument.text", "bien_ban.odt"),
]


@pytest.mark.parametrize("make, name, media_type, safe", ACCEPTED)
def test_accepted_types_are_stored_by_hash(tmp_path, make, name, media_type, safe):
    data = make()
    stored = store(data, name, tmp_path)
    sha = hashlib.sha256(data).hexdigest()
    assert stored == StoredFile(filename=safe, media_type=media_type, size=len(data), sha256=sha,
                                storage_key=f"{sha[:2]}/{sha}")
    with open(tmp_path / sha[:2] / sha, "rb") as f:
        assert f.read() == data
    with open_stored(str(tmp_path), stored.storage_key) as f:
        assert f.read() == data
    assert files_in(tmp_path) == [str(tmp_path / sha[:2] / sha)]


@pytest.mark.parametrize("make, name, expected", [
    (make_pdf, "ban scan", "ban_scan.pdf"),
    (make_png, "", "document.png"),
    (make_docx, "to trinh v1.2", "to_trinh_v1.2.docx"),
    (make_jpeg, "ảnh.bmp", "ảnh.bmp.jpg"),
])
def test_missing_or_unknown_extension_gets_the_right_one(tmp_path, make, name, expected):
    assert store(make(), name, tmp_path).filename == expected


def test_same_bytes_twice_are_one_file(tmp_path):
    a = store(make_pdf(), "a.pdf", tmp_path)
    b = store(make_pdf(), "b.pdf", tmp_path)
    assert a.storage_key == b.storage_key and len(files_in(tmp_path)) == 1


def test_stream_that_returns_short_reads(tmp_path):
    data = make_png() + b"\x00" * 200_000

    class Trickle(io.BytesIO):
        def read(self, n=-1):
            return super().read(min(n, 777) if n and n > 0 else 777)

    stored = store_upload(Trickle(data), "x.png", str(tmp_path), LIMIT)
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()


# --- refusals ------------------------------------------------------------------------

@pytest.mark.parametrize("data, name, code, found", [
    (make_png(), "report.pdf", "upload.not_what_its_name_says", {"claimed": "pdf", "content": "png"}),
    (b"just some words\n", "report.pdf", "upload.not_what_its_name_says", {"content": "text"}),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page.html", "upload.kind_not_accepted",
     {"content": "html"}),
    (b"<html><body>hi</body></html>", "trick.docx", "upload.not_what_its_name_says", {"claimed": "docx"}),
    (make_zip({"a.txt": "hello"}), "x.docx", "upload.not_what_its_name_says", {"claimed": "docx", "content": "zip"}),
    (make_zip({"a.txt": "hello"}), "archive.zip", "upload.kind_not_accepted", {"content": "zip"}),
    (make_zip({"a.txt": "hello"}), "noext", "upload.kind_not_accepted", {"content": "zip"}),
    (make_xlsx(), "x.docx", "upload.not_what_its_name_says", {"content": "xlsx"}),
    (make_docx(), "x.odt", "upload.not_what_its_name_says", {"claimed": "odt", "content": "docx"}),
    (make_zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "x.odt",
     "upload.not_what_its_name_says", {"content": "opendocument"}),
    (b"PK\x03\x04 not really a zip at all", "x.xlsx", "upload.not_what_its_name_says", {"content": "damaged_zip"}),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "setup.pdf", "upload.not_what_its_name_says",
     {"content": "windows_program"}),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "run", "upload.kind_not_accepted", {"content": "program"}),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a.png", "upload.not_what_its_name_says", {"content": "gif"}),
    (b"", "empty.pdf", "upload.empty", {}),
])
def test_refused_content_leaves_nothing_behind(tmp_path, data, name, code, found):
    with pytest.raises(InvalidData) as err:
        store(data, name, tmp_path)
    assert err.value.code == code and found.items() <= err.value.params.items()
    assert err.value.fields == {"file": err.value.reason}
    assert files_in(tmp_path) == []


def test_size_limit_is_exact(tmp_path):
    data = make_pdf()
    limit = len(data)
    with pytest.raises(TooLarge) as err:
        store(data + b"\n", "big.pdf", tmp_path, limit)
    assert (err.value.code, err.value.params) == ("upload.too_large", {"limit": limit}) and files_in(tmp_path) == []
    assert store(data, "ok.pdf", tmp_path, limit).size == limit


def test_too_large_message_gives_megabytes_and_stops_reading(tmp_path):
    class Endless(io.RawIOBase):
        requested = 0

        def read(self, n=-1):
            assert n is not None and 0 < n
            self.requested += n
            return b"%PDF" + b"x" * (n - 4) if self.requested == n else b"x" * n

    stream = Endless()
    limit = 5 * 1024 * 1024
    with pytest.raises(TooLarge) as err:
        store_upload(stream, "big.pdf", str(tmp_path), limit)
    assert err.value.params == {"limit": limit}
    assert stream.requested == limit + 1
    assert files_in(tmp_path) == []


# --- names ---------------------------------------------------------------------------

def test_safe_filename_cases():
    assert safe_filename("../../Báo cáo thành tích 2026.pdf") == "Báo_cáo_thành_tích_2026.pdf"
    assert safe_filename("..\\..\\windows\\system32\\evil.exe") == "evil.exe"
    assert safe_filename("/etc/passwd") == "passwd"
    decomposed = unicodedata.normalize("NFD", "Tờ trình khen thưởng.docx")
    result = safe_filename(decomposed)
    assert result == "Tờ_trình_khen_thưởng.docx" and unicodedata.is_normalized("NFC", result)
    assert safe_filename("bad\x00na\x1fme\r\n.pdf") == "badname.pdf"
    assert safe_filename(".htaccess") == "htaccess"
    assert safe_filename("...hidden.pdf") == "hidden.pdf"
    assert safe_filename("a;b|c$(rm -rf).pdf") == "abcrm_-rf.pdf"
    assert safe_filename("") == safe_filename("...") == safe_filename("///") == "document"
    assert safe_filename("!!!.pdf") == "pdf"  # stem gone: never a bare dot-name


def test_safe_filename_long_names_keep_extension():
    long = safe_filename("Quyết định " * 40 + ".xlsx")
    assert len(long) <= 120 and long.endswith(".xlsx") and long.startswith("Quyết_định_")
    assert len(safe_filename("x" * 500)) == 120


def test_document_kinds():
    assert DOCUMENT_KINDS == ("proposal_letter", "achievement_report", "review_minutes",
                              "initiative_proof", "other")


# --- reading back and removing -------------------------------------------------------

@pytest.mark.parametrize("key", ["../etc/passwd", "../../etc/passwd", "/etc/passwd", "ab/../../x",
                                 "..\\x", "", ".", "a\x00b"])
def test_storage_keys_cannot_escape(tmp_path, key):
    with pytest.raises(InvalidData):
        open_stored(str(tmp_path), key)
    with pytest.raises(InvalidData):
        remove_stored(str(tmp_path), key)


def test_remove_stored(tmp_path):
    stored = store(make_png(), "a.png", tmp_path)
    remove_stored(str(tmp_path), stored.storage_key)
    assert files_in(tmp_path) == []
    remove_stored(str(tmp_path), stored.storage_key)  # already gone: fine
    with pytest.raises(FileNotFoundError):
        open_stored(str(tmp_path), stored.storage_key)
