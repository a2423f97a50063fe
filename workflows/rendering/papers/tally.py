"""The tally minutes (biên bản kiểm phiếu) of one council vote.

They name the members who took part, never how anyone voted: participation is public,
choices secret.
"""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from workflows.rendering.papers.content import TallyPaper
from workflows.rendering.papers.formatting import clock_and_date, percent
from workflows.rendering.papers.layout import CENTER, CENTER_BOLD, PLAIN, WIDTH, header, para, render, rich, text, title

BASES = {"members": "tổng số thành viên có quyền biểu quyết", "voters": "tổng số phiếu bầu"}
ROUNDING = {"up": "làm tròn lên", "nearest": "làm tròn đến số nguyên gần nhất"}


def tally_minutes_pdf(paper: TallyPaper) -> bytes:
    rule = paper.rule
    opened = f" (mở lúc {clock_and_date(paper.opened_at)})" if paper.opened_at else ""
    story = [header(None, paper.counted_at), *title("BIÊN BẢN KIỂM PHIẾU",
                                                     "Bỏ phiếu kín xét khen thưởng"),
             rich(f"Đề nghị: tặng <b>“{text(paper.award)}”</b> năm {paper.year} cho <b>{text(paper.awardee)}</b>, "
                  f"{text(paper.unit)}."),
             para(f"Kiểm phiếu lúc {clock_and_date(paper.counted_at)}{opened}."),
             rich(f"<b>1. Thành viên Hội đồng</b> ({len(paper.members)}): {text(_names(paper.members))}."),
             rich(f"<b>2. Thành viên có quyền biểu quyết</b> ({len(paper.entitled)}, không kể người được đề nghị): "
                  f"{text(_names(paper.entitled))}."),
             rich(f"<b>3. Thành viên đã bỏ phiếu</b> ({len(paper.voters)}): {text(_names(paper.voters))}. "
                  "Phiếu kín: không ghi nhận ai chọn phương án nào."),
             rich("<b>4. Kết quả kiểm phiếu</b>"),
             _counts(paper), Spacer(1, 3 * mm),
             rich("<b>5. Quy tắc áp dụng</b>"),
             para(f"Quy chế {rule.regulation_code}: cần ít nhất {_share(rule.quorum)} thành viên có quyền biểu quyết "
                  f"tham gia bỏ phiếu ({paper.needed_voters} người) và ít nhất {_share(rule.threshold)} "
                  f"{BASES.get(rule.base, rule.base)} đồng ý ({paper.needed_yes} phiếu), "
                  f"{ROUNDING.get(rule.rounding, rule.rounding)}."),
             para(f"Căn cứ: {rule.legal_basis}." if rule.legal_basis else "Căn cứ: quy chế của Hội đồng."),
             rich(f"<b>6. Kết quả:</b> {text(_result(paper))}")]
    story += [para(note) for note in paper.notes]
    story += [Spacer(1, 8 * mm), _signatures(paper)]
    return render(story, title_text=f"Biên bản kiểm phiếu – {paper.awardee}")


def _share(value: float) -> str:
    # Regulations say "two thirds" (hai phần ba), not 66.67 %.
    return "hai phần ba" if abs(value - 2 / 3) < 1e-6 else percent(value)


def _names(names: list[str]) -> str:
    return ", ".join(names) if names else "không có"


def _counts(paper: TallyPaper) -> Table:
    rows = [["Số phiếu phát ra", str(len(paper.entitled))], ["Số phiếu thu vào", str(len(paper.voters))],
            ["Đồng ý", str(paper.yes)], ["Không đồng ý", str(paper.no)]]
    table = Table([[para(label, PLAIN), para(value, CENTER)] for label, value in rows],
                  colWidths=[WIDTH * 0.6, WIDTH * 0.2])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _result(paper: TallyPaper) -> str:
    if not paper.quorum_met:
        return "Không đủ số thành viên tham gia bỏ phiếu theo quy chế; đề nghị không được thông qua."
    if paper.passed:
        return f"Đề nghị được thông qua với {paper.yes}/{paper.needed_yes} phiếu đồng ý cần thiết."
    return f"Đề nghị không được thông qua ({paper.yes} phiếu đồng ý, cần {paper.needed_yes})."


def _signatures(paper: TallyPaper) -> Table:
    left = [para("THƯ KÝ HỘI ĐỒNG", CENTER_BOLD), Spacer(1, 12 * mm), para(paper.secretary or " ", CENTER_BOLD)]
    right = [para("CHỦ TỊCH HỘI ĐỒNG", CENTER_BOLD), Spacer(1, 12 * mm), para(paper.chair or " ", CENTER_BOLD)]
    table = Table([[left, right]], colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
