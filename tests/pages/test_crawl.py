"""Every page an official reaches from the navigation speaks their language and shows nothing internal.

The demo data is loaded once; each role signs in and follows the links of every page it reaches, in
English and in Vietnamese. A page fails on keys of the code (snake_case), raw JSON, escape codes,
and — on Vietnamese pages — English words outside names and codes.
"""

import re
import unicodedata
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import BPMN_FOLDER, FAST_HASH, TEST_DATABASE_URL, database_url, drop_everything
from tests.pages.conftest import Browser
from webapp import create_app
from workflows import demo
from workflows.db import db
from workflows.usecases import installation

# The bloc's people, and a member agency's office and head (who also sits on the bloc's council).
ROLES = ["clerk_a", "head_a", "sec", "rev", "m1", "chair", "aud", "admin", "vptw_office", "vptw_head"]
MAX_PAGES = 70
# Not pages: files, the diagram drawn alone, signing out, a second page of a list looks like the first.
SKIPPED = re.compile(r"/sign-out|/static/|\.(pdf|csv|xlsx|svg)\b|/documents/\d+$|/export|[?&]page=[3-9]|"
                     r"/api/|[?&](format|kind)=")
SNAKE = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@./-])")
RAW_JSON = re.compile(r"\{\s*\"|\"\s*:\s*[\[{\"\d]|\\u[0-9a-fA-F]{4}|\\[nt\"]")
# A file's name is its owner's, in any language; an e-mail address too.
FILE_NAME = re.compile(r"\S*\.(pdf|docx|xlsx|odt|jpe?g|png|csv|json|bpmn|dmn)\b|\S+@\S+", re.I)
# A Vietnamese syllable, diacritics set aside: an initial consonant, a vowel group, a final consonant.
SYLLABLE = re.compile(r"(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?")
# English words that happen to be spelt like a Vietnamese syllable.
ENGLISH_LOOKALIKES = {"the", "not", "no", "by", "or", "at", "be", "he", "we", "it", "on", "up", "go", "so", "our",
                      "out", "top", "new", "due", "view", "yes", "tick", "back", "cant"}
# Product names and the app's own name, the same in both languages.
NAMES = {"laurel", "excel", "word", "opendocument", "bootstrap", "chromium", "noto", "sans", "dejavu",
         "thg", "byte", "web"}  # "thg": the Vietnamese calendar's own abbreviation of "tháng" (month)


class PageText(HTMLParser):
    """The words a reader sees: text outside scripts and styles, and the attributes read aloud or shown.

    Machine text (``<code>``) and text marked as in another language (``lang="en"`` on a Vietnamese
    page: an English name kept beside the Vietnamese one) go to ``foreign``, checked for keys and JSON
    but not for English words.
    """

    SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
    HIDDEN = ("script", "style", "svg", "template")
    VOID = ("br", "img", "input", "meta", "link", "hr", "wbr", "col", "source", "area", "base")

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts, self.foreign, self.links = [], [], []
        self._hidden, self._stack = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag not in self.VOID:
            own = tag == "code" or (attrs.get("lang") not in (None, self.language) and tag != "html")
            self._stack.append((tag, own))
        if not self._hidden:
            self._sink().extend(attrs[name] for name in self.SHOWN_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self._sink().append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self._sink().append(data.strip())

    def _sink(self) -> list:
        return self.foreign if any(own for _, own in self._stack) else self.parts


def plain(word: str) -> str:
    """The word without diacritics, lower case: đ stays d."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def english_words(text: str) -> list[str]:
    """Words that cannot be Vietnamese: codes (capitals, digits), addresses and product names set aside."""
    found = []
    text = FILE_NAME.sub(" ", text)
    for word in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text):
        if word.isupper() or len(word) == 1 or plain(word) in NAMES:
            continue  # a code, a letter of a citation's point ("điểm d"), a name
        bare = plain(word)
        if bare != word.lower() or not bare.isascii():
            continue  # a word with Vietnamese marks is Vietnamese
        if bare in ENGLISH_LOOKALIKES or not SYLLABLE.fullmatch(bare):
            found.append(word)
    return found


def problems_of(path: str, text: str, language: str) -> list[str]:
    found = []
    snake = [word for word in SNAKE.findall(text)
             if not (path.startswith("/admin/users") and word in USERNAMES)]
    if snake:
        found.append(f"keys: {sorted(set(snake))[:8]}")
    if RAW_JSON.search(text):
        found.append(f"raw JSON or escapes near: {RAW_JSON.search(text).group(0)!r}")
    if language == "vi":
        english = english_words(text)
        if english:
            found.append(f"English: {sorted(set(english))[:12]}")
    return found


USERNAMES = set(demo.usernames())


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": database_url(folder),
        "UPLOAD_FOLDER": str(folder / "uploads"), "BPMN_FOLDER": BPMN_FOLDER, "PASSWORD_HASH_METHOD": FAST_HASH,
    })
    with app.app_context():
        if TEST_DATABASE_URL:
            drop_everything()
        db.create_all()
        installation.prepare(BPMN_FOLDER)
        demo.seed(str(folder / "uploads"), hash_method=FAST_HASH)
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            drop_everything()
        db.engine.dispose()


def crawl(app, username: str, language: str) -> dict[str, list[str]]:
    """Each page the user reaches by following links from the home page, with what is wrong on it."""
    browser = Browser(app)
    browser.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    browser.sign_in(username, demo.PASSWORD)
    queue, seen, report = deque(["/"]), {"/"}, {}
    while queue and len(report) < MAX_PAGES:
        path = queue.popleft()
        response = browser.get(path, follow_redirects=True)
        if response.status_code >= 500:
            report[path] = [f"status {response.status_code}"]
            continue
        if not response.mimetype == "text/html":
            continue
        page = PageText(language)
        page.feed(response.get_data(as_text=True))
        report[path] = problems_of(path, " \n ".join(page.parts), language) + \
            problems_of(path, " \n ".join(page.foreign), "machine")
        for href in page.links:
            target = urljoin(path, href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or SKIPPED.search(target):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return report


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("username", ROLES)
def test_every_reachable_page_speaks_the_readers_language(demo_app, username, language):
    report = crawl(demo_app, username, language)
    assert len(report) >= 5, f"the crawl reached too little: {list(report)}"
    failing = {path: found for path, found in report.items() if found}
    assert failing == {}


@pytest.mark.parametrize("text, expected", [
    ("Đề nghị khen thưởng đã được duyệt", []),
    ("Nguyễn Thị Ánh Tuyết, VPTW, 15/QĐ-VPTW", []),
    ("Task completed by the secretariat", ["Task", "completed", "secretariat", "the", "by"]),
    ("Quyết định số 3 — Not passed", ["Not", "passed"]),
    ("Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 74 khoản 1 điểm d", []),
])
def test_the_crawl_tells_english_from_vietnamese(text, expected):
    assert sorted(english_words(text)) == sorted(expected)


def test_the_crawl_sees_keys_and_raw_json():
    assert problems_of("/x", "Chi tiết: award_kind, content_sha256", "en")
    assert problems_of("/x", 'Tiêu chí: [{"award": "LDTT"}]', "en")
    assert problems_of("/x", "Điều kiện: \\u0027HTTNV\\u0027", "en")
    assert problems_of("/x", "Nguyễn Văn A · clerk@example.org · 2026-12-07", "en") == []
