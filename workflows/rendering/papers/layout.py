"""The page, fonts and building blocks every document shares: the two-column header,
the title, the signature block and the revocation mark."""

import io
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from workflows.rendering.papers.content import Revocation, Signer
from workflows.rendering.papers.formatting import clock_and_date, short_date, vietnamese_date

FONTS = Path(__file__).parent / "fonts"
SERIF, SERIF_BOLD, SERIF_ITALIC = "LaurelSerif", "LaurelSerif-Bold", "LaurelSerif-Italic"
BLOC = "KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TRUNG ƯƠNG"
COUNCIL = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
WIDTH = A4[0] - 45 * mm  # left margin 30 mm, right 15 mm (Decree 30/2020/NĐ-CP)

_registered = False


def register_fonts() -> None:
    """DejaVu Serif covers every Vietnamese letter with its diacritics; the PDF embeds it."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(TTFont(SERIF, str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont(SERIF_BOLD, str(FONTS / "DejaVuSerif-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(SERIF_ITALIC, str(FONTS / "DejaVuSerif-Italic.ttf")))
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC,
                                  boldItalic=SERIF_BOLD)
    _registered = True


def style(name: str, *, size: float = 12, font: str = SERIF, align=TA_JUSTIFY, before: float = 0,
          after: float = 3, indent: float = 0, color=colors.black) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, alignment=align,
                          spaceBefore=before, spaceAfter=after, firstLineIndent=indent, textColor=color)


BODY = style("body", indent=10 * mm)
PLAIN = style("plain", align=TA_LEFT)
CENTER = style("center", align=TA_CENTER, after=0)
CENTER_BOLD = style("center-bold", font=SERIF_BOLD, align=TA_CENTER, after=0)
CENTER_ITALIC = style("center-italic", font=SERIF_ITALIC, align=TA_CENTER, after=0)
TITLE = style("title", size=14, font=SERIF_BOLD, align=TA_CENTER, before=12, after=0)
SMALL = style("small", size=9.5, align=TA_LEFT, after=1)
STAMP = style("stamp", size=13, font=SERIF_BOLD, align=TA_CENTER, color=colors.red, after=2)
STAMP_NOTE = style("stamp-note", size=10, font=SERIF_ITALIC, align=TA_CENTER, color=colors.red, after=6)


def text(value) -> str:
    """Escape for ReportLab's mark-up, in composed Unicode (one code point per accented letter),
    so that the text extracted from the PDF is the text that was given."""
    return escape(unicodedata.normalize("NFC", str(value)))


def para(value, st=BODY) -> Paragraph:
    register_fonts()
    return Paragraph(text(value), st)


def rich(markup: str, st=BODY) -> Paragraph:
    """A paragraph whose caller already escaped the variable parts (for bold runs)."""
    register_fonts()
    return Paragraph(unicodedata.normalize("NFC", markup), st)


def header(number: str | None, dated, issuer: str = "") -> Table:
    """Left: the issuing body (the bloc's council unless another authority issues it) and the number;
    right: the Party's name and the place and date."""
    left = [para(issuer.upper(), CENTER_BOLD), para("*", CENTER)] if issuer else \
        [para(BLOC, CENTER), para(COUNCIL, CENTER_BOLD), para("*", CENTER)]
    if number:
        left.append(para(f"Số: {number}", CENTER))
    right = [para(PARTY, style("party", size=13, font=SERIF_BOLD, align=TA_CENTER, after=0)),
             para("―――――――", CENTER), para(vietnamese_date(dated), CENTER_ITALIC)]
    table = Table([[left, right]], colWidths=[WIDTH * 0.47, WIDTH * 0.53])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def title(*lines: str) -> list:
    first, *rest = lines
    return [para(first, TITLE)] + [para(line, CENTER_BOLD) for line in rest] + [para("―――――", CENTER),
                                                                                Spacer(1, 4 * mm)]


def signature_block(signer: Signer, sha256: str, recipients: list[str], on_behalf: str = "TM. HỘI ĐỒNG") -> list:
    """Recipients on the left; on the right the capacity, the electronic signature and the name.

    Below, the document's check code: anyone can recompute the SHA-256 of the signed content
    and compare it with the one printed here and the one stored.
    """
    left = [para("Nơi nhận:", style("recipients", size=11, font=SERIF_BOLD, align=TA_LEFT, after=0))]
    left += [para(f"- {r};", style("recipient", size=10, align=TA_LEFT, after=0)) for r in recipients]
    right = [para(on_behalf, CENTER_BOLD), para(signer.position, CENTER_BOLD), Spacer(1, 3 * mm),
             para("(Đã ký điện tử)", CENTER_ITALIC), Spacer(1, 3 * mm), para(signer.name, CENTER_BOLD)]
    table = Table([[left, right]], colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    checks = [para(f"Đã ký điện tử lúc {clock_and_date(signer.signed_at)} bởi {signer.name}.", SMALL)]
    if sha256:
        checks.append(para(f"Mã kiểm tra (SHA-256): {sha256}", style("sha", size=8, align=TA_LEFT)))
    return [Spacer(1, 6 * mm), table, Spacer(1, 6 * mm)] + checks


def audit_anchor(seq: int | None, digest: str) -> list:
    """The audit chain's head at the signing: with this paper in hand, an inspector can check
    that the trail still holds that very event, whatever was done to the database since."""
    if not seq or not digest:
        return []
    return [para(f"Nhật ký kiểm toán khi ký: sự kiện số {seq}, mã băm {digest}",
                 style("anchor", size=8, align=TA_LEFT))]


def revocation_mark(revocation: Revocation | None) -> list:
    if revocation is None:
        return []
    return [para("ĐÃ THU HỒI", STAMP),
            para(f"Thu hồi ngày {short_date(revocation.at)}. Lý do: {revocation.reason}", STAMP_NOTE)]


def render(story: list, *, title_text: str, revoked: bool = False, invariant: bool = False) -> bytes:
    """Lay the story out on A4 with the administrative margins; a revoked document is struck
    through with a red stamp on every page. ``invariant``: no creation time or random id in the
    file, so the same story always gives the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm,
                                 topMargin=20 * mm, bottomMargin=20 * mm, title=title_text,
                                 author=COUNCIL, subject=title_text, creator="Laurel",
                                 invariant=1 if invariant else None)

    def on_page(canvas, _doc):
        canvas.saveState()
        canvas.setFont(SERIF, 8)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"Trang {canvas.getPageNumber()}")
        if revoked:
            canvas.setFillColor(colors.Color(0.85, 0, 0, alpha=0.25))
            canvas.setFont(SERIF_BOLD, 64)
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, "ĐÃ THU HỒI")
        canvas.restoreState()

    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
