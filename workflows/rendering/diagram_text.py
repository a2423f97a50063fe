"""Words of a diagram measured with the metrics of the font they are drawn in, and wrapped between words only."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

GENERIC = "sans-serif"


@dataclass(frozen=True, eq=False)
class Typeface:
    """A font's advance widths and vertical extent, in ems, for its regular and its bold weight.

    ``family`` is the CSS font-family list the drawing names: its first family must be the font
    measured here, served to the browser. ``faces_css`` holds the @font-face rules that a standalone
    drawing embeds to load it. Equality is identity, so that a typeface can key a cache.
    """

    family: str
    regular: Mapping[int, float] = field(repr=False)
    bold: Mapping[int, float] = field(repr=False)
    ascent: float = 1.07
    descent: float = 0.3
    missing: float = 1.0  # a letter the font lacks is drawn by another one: count it wide
    faces_css: str = ""

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """The advance of ``text`` written at ``size`` pixels."""
        widths, missing = (self.bold if bold else self.regular), self.missing
        return sum(widths.get(ord(c), missing) for c in text) * size

    @property
    def height(self) -> float:
        """From the top of the highest accent to the bottom of the lowest descender, in ems."""
        return self.ascent + self.descent


@functools.cache
def _font_widths(path: str) -> tuple[dict[int, float], float, float]:
    from reportlab.pdfbase.ttfonts import TTFontFace  # read only by the first drawing that asks

    face = TTFontFace(path)
    em = 1000.0  # ReportLab gives every width and extent in thousandths of an em
    widths = {code: width / em for code, width in face.charWidths.items()}
    return widths, face.ascent / em, -face.descent / em


def load_typeface(family: str, regular: str | Path, bold: str | Path, faces_css: str = "") -> Typeface:
    """The typeface of two TrueType files, regular and bold, drawn under the CSS ``family`` list."""
    widths, ascent, descent = _font_widths(str(regular))
    bold_widths, bold_ascent, bold_descent = _font_widths(str(bold))
    return Typeface(family, widths, bold_widths, max(ascent, bold_ascent), max(descent, bold_descent),
                    faces_css=faces_css)


# Without a font's own metrics, every letter counts as wide as the widest of a sans font's usual
# letters, so that the words fit whatever sans font the reader's browser picks.
ESTIMATED = Typeface(GENERIC, {}, {}, ascent=1.07, descent=0.3, missing=0.62)


def words(text: str) -> list[str]:
    """The words of ``text``, composed (one code point per Vietnamese letter) as the font's widths are.

    Lines break at spaces only: a no-break space keeps two words together (say, a translator's "hồ sơ").
    """
    return [word for word in re.split(r"[ \t\r\n]+", unicodedata.normalize("NFC", text)) if word]


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str] | None:
    """Whole words over as few lines as fit ``width``; None when a single word is wider than that.

    Lines are filled in turn, except that a last line of one word takes the word before it along
    when that fits ("Chuẩn bị hồ / sơ" becomes "Chuẩn bị / hồ sơ").
    """
    parts = words(text)
    if any(measure(word) > width for word in parts):
        return None
    lines: list[list[str]] = []
    for word in parts:
        if lines and measure(" ".join([*lines[-1], word])) <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 1 \
            and measure(" ".join([lines[-2][-1], *lines[-1]])) <= width:
        lines[-1].insert(0, lines[-2].pop())
    return [" ".join(line) for line in lines]


def balanced(text: str, count: int, measure: Callable[[str], float]) -> list[str]:
    """The words of ``text`` in at most ``count`` lines, wrapped at the narrowest width that allows it."""
    parts = words(text)
    count = min(count, len(parts))
    if count <= 1:
        return [" ".join(parts)] if parts else []

    @functools.cache
    def width(a: int, b: int) -> float:
        return measure(" ".join(parts[a:b]))

    @functools.cache
    def widest(start: int, lines: int) -> float:
        """The narrowest the widest line can be, for the words from ``start`` on in ``lines`` lines."""
        if lines == 1:
            return width(start, len(parts))
        return min(max(width(start, end), widest(end, lines - 1)) for end in range(start + 1, len(parts) - lines + 2))

    return wrap(text, widest(0, count) + 1e-6, measure) or []


def shorten(lines: list[str], count: int, width: float, measure: Callable[[str], float]) -> list[str]:
    """The first ``count`` lines, the last ending in an ellipsis after its last whole word that leaves room."""
    if len(lines) <= count:
        return lines
    kept, last = lines[:count - 1], lines[count - 1].split(" ")
    while last and measure(" ".join(last) + "…") > width:
        last.pop()
    return kept + [" ".join(last) + "…"]
