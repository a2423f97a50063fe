"""How much a spreadsheet may hold, checked before it is parsed.

An XLSX file is a ZIP archive of XML: a few hundred kilobytes can unpack to gigabytes, and
parsing them would hold a server worker for as long. The archive's directory is read first
(number of entries, the sizes it declares, how tightly each entry is packed), then every entry
is unpacked once as a stream, counting the bytes it really gives, up to the bound; only then is
the workbook parsed. Rows and cells are counted as the sheets are read.
"""

import io
import zipfile
from dataclasses import dataclass

from workflows.errors import InvalidData, Reason, TooLarge

MB = 1024 * 1024
# Entries this small cannot carry a bomb whatever their ratio; tiny XML parts often pack tightly.
RATIO_FLOOR = MB
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class SheetLimits:
    """The bounds of one imported file; the defaults fit the largest registry an agency keeps."""

    max_unpacked_mb: int = 64
    max_entries: int = 500
    max_ratio: int = 200
    max_rows: int = 200_000
    max_cells: int = 2_000_000


def check_archive(data: bytes, limits: SheetLimits) -> None:
    """Refuse an XLSX archive that is unreadable or would unpack beyond the bounds; read nothing else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_entries:
                raise TooLarge("sheet.too_many_entries", max=limits.max_entries)
            cap = limits.max_unpacked_mb * MB
            if sum(entry.file_size for entry in entries) > cap:
                raise TooLarge("sheet.unpacked_too_large", megabytes=limits.max_unpacked_mb)
            for entry in entries:
                if entry.file_size > RATIO_FLOOR and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
                    raise TooLarge("sheet.compression_suspicious", ratio=limits.max_ratio)
            _read_within(archive, entries, cap, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError):
        # Encrypted entries, unknown compression, a damaged stream or a lying checksum.
        raise InvalidData("sheet.xlsx_unreadable", fields={"file": Reason("sheet.xlsx_unreadable")}) from None


def _read_within(archive: zipfile.ZipFile, entries, cap: int, limits: SheetLimits) -> None:
    # The directory may lie about sizes: what counts is what decompression really gives.
    total = 0
    for entry in entries:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > cap:
                    raise TooLarge("sheet.unpacked_too_large", megabytes=limits.max_unpacked_mb)
