"""The minutes of a council session (biên bản phiên họp Hội đồng): who sat, the quorum, and for
every nominee the count of the secret ballot, the rule applied and the result.

Members who took part are named; how anyone voted is never known. The same paper always
renders to the same bytes, so the SHA-256 stored at the close can be checked against a download.
"""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from workflows.rendering.papers.content import SessionMinutesPaper, SessionMinutesRow
from workflows.rendering.papers.formatting import clock_and_date
from workflows.rendering.papers.layout import (
    CENTER,
    CENTER_BOLD,
    PLAIN,
    SMALL,
    WIDTH,
    header,
    para,
    render,
    rich,
    text,
    title,
)
from workflows.rendering.papers.tally import BASES, ROUNDING, _share

ARTICLES = {"emulation_fighter": "danh hiệu chiến sĩ thi đua", "state": "khen thưởng cấp Nhà nước",
            "agency": "khen thưởng cấp cơ quan", "grassroots": "danh hiệu cấp cơ sở"}


def session_minutes_pdf(paper: SessionMinutesPaper) -> bytes:
    opened = clock_and_date(paper.opened_at) if paper.opened_at else "—"
    story = [header(None, paper.closed_at, paper.issuer),
             *title("BIÊN BẢN PHIÊN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
                    f"Xét khen thưởng {paper.round_name} năm {paper.year}"),
             para(f"Thời gian: {clock_and_date(paper.scheduled_for)}. Địa điểm: {paper.place or '—'}."),
             para(f"Mở phiếu lúc {opened}; đóng phiếu và kiểm phiếu lúc {clock_and_date(paper.closed_at)}."),
             rich(f"<b>1. Điểm danh</b> ({paper.seated} thành viên có quyền biểu quyết)"),
             para(f"Có mặt ({len(paper.present)}): {_names(paper.present)}."),
             para(f"Vắng mặt, gửi phiếu bầu bằng văn bản ({len(paper.written)}): {_names(paper.written)}."),
             para(f"Vắng mặt ({len(paper.absent)}): {_names(paper.absent)}."),
             rich("<b>2. Số lượng thành viên tham dự (túc số)</b>"),
             para(f"Theo Quy chế {paper.regulation_code}, phiên họp cần ít nhất {_share(paper.quorum_share)} "
                  f"tổng số thành viên có quyền biểu quyết ({paper.quorum_needed}/{paper.seated}), "
                  f"{ROUNDING.get(paper.rounding, paper.rounding)}; tham dự "
                  f"{len(paper.present) + len(paper.written)}: "
                  f"{'đủ' if paper.quorum_met else 'không đủ'} số lượng theo quy chế."),
             rich("<b>3. Kết quả bỏ phiếu kín từng trường hợp</b> (phiếu kín: không ghi nhận ai chọn phương án nào)"),
             _table(paper.rows), Spacer(1, 3 * mm),
             rich("<b>4. Quy tắc áp dụng</b>")]
    for article in sorted({row.article for row in paper.rows}):
        row = next(r for r in paper.rows if r.article == article)
        story.append(para(f"– {ARTICLES.get(article, article)}: cần ít nhất {_share(row.threshold)} "
                          f"{BASES.get(row.base, row.base)} đồng ý.", PLAIN))
    recommended = [r for r in paper.rows if r.recommended]
    if recommended:
        story.append(rich("<b>5. Kiến nghị của Hội đồng</b>"))
        story += [para(f"– {r.nominee}: đề nghị xét hình thức khen thưởng cao hơn ({r.recommended}).", PLAIN)
                  for r in recommended]
    passed = sum(1 for r in paper.rows if r.passed)
    story += [para(f"Tổng số trường hợp: {len(paper.rows)}; được thông qua: {passed}; "
                   f"không được thông qua: {len(paper.rows) - passed}."),
              Spacer(1, 8 * mm), _signatures(paper)]
    return render(story, title_text=f"Biên bản phiên họp Hội đồng – {paper.round_name}", invariant=True)


def _names(names: list[str]) -> str:
    return ", ".join(names) if names else "không có"


def _table(rows: list[SessionMinutesRow]) -> Table:
    head = ["TT", "Họ và tên, đơn vị", "Hình thức", "Phiếu bầu", "Đồng ý", "Không đồng ý", "Kết quả"]
    body = [[para(h, CENTER_BOLD) for h in head]]
    for number, row in enumerate(rows, start=1):
        body.append([para(str(number), CENTER), rich(f"<b>{text(row.nominee)}</b>, {text(row.unit)}", SMALL),
                     para(row.award, SMALL), para(f"{row.voters}/{row.entitled}", CENTER),
                     para(f"{row.yes} (cần {row.needed_yes})", CENTER), para(str(row.no), CENTER),
                     para(_result(row), SMALL)])
    widths = [0.06, 0.27, 0.17, 0.11, 0.12, 0.1, 0.17]
    table = Table(body, colWidths=[WIDTH * w for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _result(row: SessionMinutesRow) -> str:
    if not row.quorum_met:
        return f"Không đủ số phiếu (cần {row.needed_voters}); không thông qua"
    return "Thông qua" if row.passed else "Không thông qua"


def _signatures(paper: SessionMinutesPaper) -> Table:
    left = [para("THƯ KÝ HỘI ĐỒNG", CENTER_BOLD), Spacer(1, 12 * mm), para(paper.secretary or " ", CENTER_BOLD)]
    right = [para("CHỦ TỊCH HỘI ĐỒNG", CENTER_BOLD), Spacer(1, 12 * mm), para(paper.chair or " ", CENTER_BOLD)]
    table = Table([[left, right]], colWidths=[WIDTH / 2, WIDTH / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
