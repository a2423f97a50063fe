"""The decision on a list (quyết định kèm phụ lục) and the proposal of a list upward (tờ trình kèm
danh sách): one document, one signature, one annex naming every awardee.

The annex is one table that repeats its heading on every page; its cells are plain paragraphs,
so a list of several hundred names lays out in well under a second.
"""

from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

from workflows.rendering.papers.content import Revocation, Signer
from workflows.rendering.papers.decision import HIGHER_LEVEL
from workflows.rendering.papers.formatting import coefficient, money, short_date
from workflows.rendering.papers.layout import (
    CENTER_BOLD,
    CENTER_ITALIC,
    SERIF,
    SERIF_BOLD,
    WIDTH,
    audit_anchor,
    header,
    para,
    register_fonts,
    render,
    revocation_mark,
    rich,
    signature_block,
    style,
    text,
    title,
)

CELL = style("annex-cell", size=10, align=TA_LEFT, after=0)
CELL_CENTER = style("annex-center", size=10, align=TA_CENTER, after=0)
CELL_RIGHT = style("annex-right", size=10, align=TA_RIGHT, after=0)
HEAD = style("annex-head", size=10, font=SERIF_BOLD, align=TA_CENTER, after=0)
COLUMNS = ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Mức thưởng (đồng)")
COLLECTIVE_COLUMNS = ("STT", "Tên tập thể", "", "Đơn vị", "Mức thưởng (đồng)")
SHARES = (0.09, 0.29, 0.21, 0.25, 0.16)


@dataclass(frozen=True)
class AnnexRow:
    """One awardee as the annex names them."""

    name: str
    position: str
    unit: str
    reward: int


@dataclass(frozen=True)
class ListDecisionPaper:
    """A decision on a list, or a list's proposal upward, with its annex."""

    kind: str  # decision | proposal
    number: str
    signed_on: datetime  # local time
    issuer: str  # the authority's name ("" for the bloc's council)
    legal_basis: list[str]
    award: str  # Vietnamese name
    year: int
    awardee_kind: str  # individual | collective
    proposed_by: list[str]  # the units whose lists it decides
    reward_coefficient: float
    base_salary: int
    reward_amount: int  # each awardee's
    annex: list[AnnexRow]
    signer: Signer
    sha256: str
    revocation: Revocation | None = None
    audit_seq: int | None = None
    audit_hash: str = ""
    recipients: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.reward for row in self.annex)


def list_decision_pdf(paper: ListDecisionPaper) -> bytes:
    """The decision (Điều 1–3), the signature, then the annex on its own pages."""
    issuer = paper.issuer or "Hội đồng Thi đua – Khen thưởng Khối thi đua các cơ quan Đảng Trung ương"
    deciding = f"THỦ TRƯỞNG {paper.issuer.upper()}" if paper.issuer else "CHỦ TỊCH HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
    subject = _subject(paper)
    story = [header(paper.number, paper.signed_on, paper.issuer), *revocation_mark(paper.revocation),
             *title("QUYẾT ĐỊNH", f"Về việc tặng “{paper.award}” năm {paper.year}"),
             para(deciding, CENTER_BOLD), para(" ", CENTER_BOLD)]
    story += [para(f"Căn cứ {basis.removeprefix('Căn cứ ').rstrip(';.')};") for basis in paper.legal_basis]
    story += [para(f"Xét đề nghị của {_units(paper)} và kết quả xét duyệt của Hội đồng Thi đua – Khen thưởng,"),
              para("QUYẾT ĐỊNH:", CENTER_BOLD),
              rich(f"<b>Điều 1.</b> Tặng danh hiệu <b>“{text(paper.award)}”</b> năm {paper.year} cho "
                   f"{len(paper.annex)} {text(subject)} có tên trong Phụ lục kèm theo Quyết định này."),
              rich(f"<b>Điều 2.</b> Mỗi {text(subject)} được thưởng {text(coefficient(paper.reward_coefficient))} "
                   f"× mức lương cơ sở {text(money(paper.base_salary))} = {text(money(paper.reward_amount))}; "
                   f"tổng số tiền thưởng: {text(money(paper.total))}, chi từ quỹ thi đua, khen thưởng "
                   f"theo quy định hiện hành."),
              rich(f"<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Văn phòng, {text(_units(paper))} "
                   f"và các {text(subject)} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.")]
    story += signature_block(paper.signer, paper.sha256, paper.recipients or ["Như Điều 3", "Lưu: VT, TĐKT"],
                             on_behalf="" if paper.issuer else "TM. HỘI ĐỒNG")
    story += audit_anchor(paper.audit_seq, paper.audit_hash)
    story += _annex("PHỤ LỤC", f"Danh sách {subject} được tặng “{paper.award}” năm {paper.year}",
                    f"(Kèm theo Quyết định số {paper.number} ngày {short_date(paper.signed_on)} của {issuer})",
                    paper)
    return render(story, title_text=f"Quyết định {paper.number}", revoked=paper.revocation is not None)


def list_proposal_pdf(paper: ListDecisionPaper) -> bytes:
    """The proposal upward (tờ trình) of a list, with the list of nominees it proposes."""
    proposer = paper.issuer or "Hội đồng Thi đua – Khen thưởng Khối thi đua các cơ quan Đảng Trung ương"
    subject = _subject(paper)
    story = [header(paper.number, paper.signed_on, paper.issuer), *revocation_mark(paper.revocation),
             *title("TỜ TRÌNH", f"Về việc đề nghị tặng “{paper.award}” năm {paper.year}"),
             para(f"Kính gửi: {HIGHER_LEVEL}", CENTER_BOLD), para(" ", CENTER_BOLD)]
    story += [para(f"Căn cứ {basis.removeprefix('Căn cứ ').rstrip(';.')};") for basis in paper.legal_basis]
    story += [para(f"Căn cứ đề nghị của {_units(paper)} và kết quả xét duyệt của Hội đồng Thi đua – Khen thưởng,"),
              rich(f"{text(proposer)} kính trình {text(HIGHER_LEVEL)} xem xét, đề nghị cấp có thẩm quyền tặng "
                   f"<b>“{text(paper.award)}”</b> năm {paper.year} cho {len(paper.annex)} {text(subject)} "
                   f"có tên trong danh sách kèm theo."),
              para(f"Mức tiền thưởng theo quy định: {coefficient(paper.reward_coefficient)} × mức lương cơ sở "
                   f"{money(paper.base_salary)} = {money(paper.reward_amount)} mỗi {subject}."),
              para("Hồ sơ đề nghị khen thưởng và biên bản của Hội đồng kèm theo Tờ trình này."),
              para(f"Kính trình {HIGHER_LEVEL} xem xét, quyết định./.")]
    story += signature_block(paper.signer, paper.sha256, paper.recipients or ["Như trên", "Lưu: VT, TĐKT"],
                             on_behalf="" if paper.issuer else "TM. HỘI ĐỒNG")
    story += audit_anchor(paper.audit_seq, paper.audit_hash)
    story += _annex("DANH SÁCH", f"{subject.capitalize()} đề nghị tặng “{paper.award}” năm {paper.year}",
                    f"(Kèm theo Tờ trình số {paper.number} ngày {short_date(paper.signed_on)} của {proposer})",
                    paper)
    return render(story, title_text=f"Tờ trình {paper.number}", revoked=paper.revocation is not None)


def _annex(heading: str, subtitle: str, reference: str, paper: ListDecisionPaper) -> list:
    register_fonts()
    columns = COLUMNS if paper.awardee_kind == "individual" else COLLECTIVE_COLUMNS
    rows = [[Paragraph(text(c), HEAD) for c in columns]]
    for number, row in enumerate(paper.annex, start=1):
        rows.append([Paragraph(str(number), CELL_CENTER), Paragraph(text(row.name), CELL),
                     Paragraph(text(row.position), CELL), Paragraph(text(row.unit), CELL),
                     Paragraph(text(money(row.reward).removesuffix(" đồng")), CELL_RIGHT)])
    rows.append(["", Paragraph(text(f"Tổng cộng: {len(paper.annex)}"), HEAD), "", "",
                 Paragraph(text(money(paper.total).removesuffix(" đồng")), CELL_RIGHT)])
    table = Table(rows, colWidths=[WIDTH * share for share in SHARES], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), SERIF), ("SPAN", (1, -1), (3, -1)),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [PageBreak(), para(heading, style("annex-title", size=14, font=SERIF_BOLD, align=TA_CENTER, after=0)),
            para(subtitle, CENTER_BOLD), para(reference, CENTER_ITALIC), para(" ", CENTER_BOLD), table,
            para(" ", CENTER_BOLD), para(f"Mã kiểm tra (SHA-256): {paper.sha256}",
                                         style("annex-sha", size=8, align=TA_LEFT))]


def _subject(paper: ListDecisionPaper) -> str:
    return "cá nhân" if paper.awardee_kind == "individual" else "tập thể"


def _units(paper: ListDecisionPaper) -> str:
    return ", ".join(paper.proposed_by) or "các đơn vị"


__all__ = ["AnnexRow", "ListDecisionPaper", "list_decision_pdf", "list_proposal_pdf"]
