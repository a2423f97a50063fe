"""The upload limit of the dossier form, exactly: the limit passes, one byte over is refused with a word.

The test app's limit is 1 MB. A limit raised by mistake (say fifty times) would let the
"one byte over" file in; a request-size guard raised likewise would read a large body to
its end before refusing it. Both are measured here, not only the status.
"""

import io
import os

from sqlalchemy import func, select

from tests.conftest import PDF
from tests.pages.test_nominations import error_of, text, upload
from workflows.db import db
from workflows.models import Document

LIMIT = 1024 * 1024


def padded(size: int) -> bytes:
    return PDF + b"0" * (size - len(PDF))


def stored_files(app) -> list[str]:
    root = app.config["UPLOAD_FOLDER"]
    return [name for _, _, names in os.walk(root) for name in names] if os.path.isdir(root) else []


def documents(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(Document.id))).scalar_one()


def test_a_file_of_exactly_the_limit_is_accepted_on_the_page(app, browser, nominate):
    nid = nominate()
    response = upload(browser("clerk_a"), nid, kind="other", content=padded(LIMIT), filename="full.pdf")
    assert response.status_code == 302
    assert documents(app) == 1


def test_one_byte_over_the_limit_is_refused_413_next_to_the_file_field(app, browser, nominate):
    nid = nominate()
    response = upload(browser("clerk_a"), nid, kind="other", content=padded(LIMIT + 1), filename="over.pdf")
    assert response.status_code == 413
    assert error_of(text(response), "upload-file") == "The file is larger than the limit of 1 MB."
    assert (documents(app), stored_files(app)) == (0, [])


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it the server read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.taken += len(line)
        return line


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(app, browser, nominate):
    nid = nominate()
    clerk = browser("clerk_a")
    boundary = "limit-test-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n").encode() + padded(3 * LIMIT) + f"\r\n--{boundary}--\r\n".encode()
    stream = CountingStream(body)
    response = clerk.client.post(f"/nominations/{nid}/documents", input_stream=stream, content_length=len(body),
                                 content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    page = text(response)
    assert "The file is too large" in page and "Upload a smaller file." in page
    assert stream.taken < 64 * 1024, f"{stream.taken} bytes read before refusing"
    assert (documents(app), stored_files(app)) == (0, [])
