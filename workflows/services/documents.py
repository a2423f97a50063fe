"""Uploaded dossier documents: naming, content checks and content-addressed storage.

The type of a file is decided by its bytes, never by its name: a name is chosen by
the uploader and proves nothing. Files are stored under their SHA-256 so that the
path on disk never contains user input and identical uploads share one file.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from workflows.errors import InvalidData, Reason, TooLarge

DOCUMENT_KINDS = ("proposal_letter", "achievement_report", "review_minutes", "initiative_proof", "other")

_CHUNK = 64 * 1024
_HEAD = 8192  # filetype never looks further than this
_MAX_NAME = 120
_ODT = "application/vnd.oasis.opendocument.text"

# Kinds of content are codes (the web layer words them): an accepted kind, or one of _FRIENDLY's,
# "opendocument", "zip", "damaged_zip", "html", "text", "binary", or else the media type itself.
# accepted kind -> media type, canonical extension, extensions that may claim it
_ACCEPTED = {
    "pdf": ("application/pdf", "pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", {"xlsx"}),
    "odt": (_ODT, "odt", {"odt"}),
    "jpeg": ("image/jpeg", "jpg", {"jpg", "jpeg", "jpe", "jfif"}),
    "png": ("image/png", "png", {"png"}),
}
_BY_EXTENSION = {ext: kind for kind, spec in _ACCEPTED.items() for ext in spec[2]}
_FROM_FILETYPE = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png", "image/apng": "png"}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_FRIENDLY = {
    "application/x-msdownload": "windows_program", "application/x-executable": "program",
    "application/msword": "doc", "application/vnd.ms-excel": "xls",
    "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp", "image/tiff": "tiff",
}


@dataclass(frozen=True)
class StoredFile:
    filename: str      # safe display name, extension matching the content
    media_type: str
    size: int
    sha256: str
    storage_key: str   # relative to the upload folder, always "<2 hex>/<64 hex>"


def safe_filename(name: str) -> str:
    """A name fit for a Content-Disposition header and any file system.

    Vietnamese (and other) letters are kept so users recognise their files; NFC makes
    names typed on different systems compare equal. Everything that could steer a path
    or confuse a shell or browser (separators, control characters, leading dots) goes.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    kept = []
    for ch in name:
        category = unicodedata.category(ch)
        if category == "Zs":
            kept.append("_")
        elif ch.isalnum() or ch in "-_." or category.startswith("M"):
            kept.append(ch)
    name = re.sub(r"_+", "_", "".join(kept)).lstrip("._").rstrip("._")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext = name, ""
    if ext:
        name = stem[: _MAX_NAME - len(ext) - 1].rstrip("._") + "." + ext
    else:
        name = name[:_MAX_NAME].rstrip("._")
    return name if name and not name.startswith(".") else "document"


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _zip_kind(path: str) -> tuple[str | None, str]:
    """Open an OOXML/ODF container and check the members that define it.

    The first bytes of a ZIP say nothing reliable about what it holds, so the
    directory is read; only the tiny ``mimetype`` member is ever decompressed.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx", "docx"
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return "xlsx", "xlsx"
            if "mimetype" in names:
                with zf.open("mimetype") as member:
                    mime = member.read(100).decode("ascii", "replace").strip()
                if mime == _ODT:
                    return "odt", "odt"
                return None, "opendocument"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        return None, "damaged_zip"
    return None, "zip"


def _sniff(path: str, head: bytes) -> tuple[str | None, str]:
    """Return (accepted kind or None, the kind of content found, as a code)."""
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(path)
    guess = filetype.guess(head)
    if guess is not None:
        kind = _FROM_FILETYPE.get(guess.mime)
        if kind:
            return kind, kind
        return None, _FRIENDLY.get(guess.mime, guess.mime)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<script" in text or b"<body" in text:
        return None, "html"
    try:
        head.decode("utf-8")
        return (None, "text") if b"\x00" not in head else (None, "binary")
    except UnicodeDecodeError:
        return None, "binary"


def _refuse(code: str, **params) -> InvalidData:
    return InvalidData(code, fields={"file": Reason(code, **params)}, **params)


def store_upload(stream: BinaryIO, filename: str, upload_folder: str, max_bytes: int) -> StoredFile:
    """Copy an upload to disk, check it, and file it under its SHA-256.

    The stream is copied in chunks and never beyond ``max_bytes + 1`` bytes, so a huge
    or endless upload costs neither memory nor disk. The temporary file lives in the
    upload folder so the final ``os.replace`` is an atomic rename on one file system;
    on any refusal it is removed and nothing is left behind.
    """
    os.makedirs(upload_folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=upload_folder, prefix=".upload-", suffix=".part")
    try:
        digest, size, head = hashlib.sha256(), 0, b""
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge("upload.too_large", limit=max_bytes)
                if len(head) < _HEAD:
                    head += chunk[: _HEAD - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise _refuse("upload.empty")

        safe = safe_filename(filename)
        kind, described = _sniff(tmp, head)
        claimed = _BY_EXTENSION.get(_extension(safe))
        if claimed and claimed != kind:
            raise _refuse("upload.not_what_its_name_says", filename=safe, claimed=claimed, content=described)
        if kind is None:
            raise _refuse("upload.kind_not_accepted", content=described, accepted=list(_ACCEPTED))
        if not claimed:
            safe = safe_filename(f"{safe}.{_ACCEPTED[kind][1]}")

        sha = digest.hexdigest()
        key = f"{sha[:2]}/{sha}"
        os.makedirs(os.path.join(upload_folder, sha[:2]), exist_ok=True)
        os.replace(tmp, os.path.join(upload_folder, key))
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return StoredFile(filename=safe, media_type=_ACCEPTED[kind][0], size=size, sha256=sha, storage_key=key)


def _resolve(upload_folder: str, storage_key: str) -> str:
    """Map a key to a path, refusing anything that would leave the upload folder."""
    root = os.path.realpath(upload_folder)
    if not storage_key or "\x00" in storage_key or os.path.isabs(storage_key) or "\\" in storage_key:
        raise InvalidData("document.bad_storage_key")
    path = os.path.realpath(os.path.join(root, storage_key))
    if os.path.commonpath([root, path]) != root or path == root:
        raise InvalidData("document.bad_storage_key")
    return path


# What can be wrong with a stored file: its bytes are not those uploaded, or it is gone.
ALTERED, MISSING = "altered", "missing"
# A checked copy stays in memory up to this size, beyond it in a temporary file.
_SPOOL_IN_MEMORY = 1024 * 1024


def read_checked(upload_folder: str, storage_key: str, sha256: str, size: int) -> tuple[BinaryIO | None, str | None]:
    """A copy of the stored file whose SHA-256 was checked while it was made, or why there is none.

    Returns (stream, None) when the bytes are those uploaded, else (None, ALTERED or MISSING).
    The bytes served are the very bytes checked: a copy, not the file, so a file swapped
    between the check and the sending cannot slip through. A file of the wrong size is
    refused without reading it.
    """
    try:
        source = open_stored(upload_folder, storage_key)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None, MISSING
    copy = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)
    try:
        with source:
            if os.fstat(source.fileno()).st_size != size:
                copy.close()
                return None, ALTERED
            digest = hashlib.sha256()
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                copy.write(chunk)
    except BaseException:
        copy.close()
        raise
    if digest.hexdigest() != sha256:
        copy.close()
        return None, ALTERED
    copy.seek(0)
    return copy, None


def check_stored(upload_folder: str, storage_key: str, sha256: str, size: int) -> str | None:
    """None when the stored file still has the uploaded bytes, else ALTERED or MISSING."""
    try:
        source = open_stored(upload_folder, storage_key)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return MISSING
    with source:
        if os.fstat(source.fileno()).st_size != size:
            return ALTERED
        digest = hashlib.sha256()
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return None if digest.hexdigest() == sha256 else ALTERED


def glance(upload_folder: str, storage_key: str, size: int) -> str | None:
    """What a look at the file's entry alone shows (gone, or of another size), without reading it."""
    try:
        found = os.stat(_resolve(upload_folder, storage_key))
    except (OSError, InvalidData):
        return MISSING
    if not stat.S_ISREG(found.st_mode):
        return MISSING
    return None if found.st_size == size else ALTERED


def open_stored(upload_folder: str, storage_key: str) -> BinaryIO:
    """Open a stored file for binary reading; FileNotFoundError if it is gone."""
    return open(_resolve(upload_folder, storage_key), "rb")


def remove_stored(upload_folder: str, storage_key: str) -> None:
    """Delete a stored file; a missing file is not an error.

    Storage is content-addressed, so the caller must first make sure no other
    document still refers to the same key.
    """
    try:
        os.unlink(_resolve(upload_folder, storage_key))
    except FileNotFoundError:
        pass
