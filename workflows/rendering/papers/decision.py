"""The decision on an award (quyết định khen thưởng) and the proposal upward (tờ trình)."""

from workflows.rendering.papers.content import DecisionPaper
from workflows.rendering.papers.formatting import coefficient, money
from workflows.rendering.papers.layout import (
    BLOC,
    BODY,
    CENTER_BOLD,
    COUNCIL,
    audit_anchor,
    header,
    para,
    render,
    revocation_mark,
    rich,
    signature_block,
    text,
    title,
)

HIGHER_LEVEL = "Hội đồng Thi đua – Khen thưởng Trung ương"
OUR_COUNCIL = "Hội đồng Thi đua – Khen thưởng Khối thi đua các cơ quan Đảng Trung ương"


def decision_pdf(paper: DecisionPaper) -> bytes:
    deciding = f"THỦ TRƯỞNG {paper.issuer.upper()}" if paper.issuer else f"CHỦ TỊCH {COUNCIL} {BLOC}"
    story = [header(paper.number, paper.signed_on, paper.issuer), *revocation_mark(paper.revocation),
             *title("QUYẾT ĐỊNH", "Về việc khen thưởng"),
             para(deciding, CENTER_BOLD), para(" ", CENTER_BOLD)]
    story += [para(f"Căn cứ {basis.removeprefix('Căn cứ ').rstrip(';.')};") for basis in paper.legal_basis]
    story += [para(f"Xét đề nghị của {paper.unit} và kết quả bỏ phiếu kín của Hội đồng Thi đua – Khen thưởng,"),
              para("QUYẾT ĐỊNH:", CENTER_BOLD),
              rich(f"<b>Điều 1.</b> Tặng {text(_award_phrase(paper))} năm {paper.year} cho "
                   f"{text(_awardee_phrase(paper))}."),
              para(_reward_sentence(paper)),
              rich("<b>Điều 2.</b> Tiền thưởng được chi từ quỹ thi đua, khen thưởng của Khối theo quy định hiện hành."),
              rich(f"<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Hội đồng, "
                   f"{text(paper.unit)} và {text(_subject(paper))} có tên tại Điều 1 chịu trách nhiệm thi hành "
                   f"Quyết định này.")]
    story += signature_block(paper.signer, paper.sha256,
                             ["Như Điều 3", "Ban Thường vụ Đảng ủy Khối", "Lưu: VT, HĐTĐKT"])
    story += audit_anchor(paper.audit_seq, paper.audit_hash)
    return render(story, title_text=f"Quyết định {paper.number}", revoked=paper.revocation is not None)


def proposal_pdf(paper: DecisionPaper) -> bytes:
    proposer = paper.issuer or OUR_COUNCIL
    story = [header(paper.number, paper.signed_on, paper.issuer), *revocation_mark(paper.revocation),
             *title("TỜ TRÌNH", "Về việc đề nghị khen thưởng"),
             para(f"Kính gửi: {HIGHER_LEVEL}", CENTER_BOLD), para(" ", CENTER_BOLD)]
    story += [para(f"Căn cứ {basis.removeprefix('Căn cứ ').rstrip(';.')};") for basis in paper.legal_basis]
    council = f"Hội đồng Thi đua – Khen thưởng {paper.issuer}" if paper.issuer else OUR_COUNCIL
    story += [para(f"Căn cứ đề nghị của {paper.unit} và kết quả bỏ phiếu kín của {council},"),
              rich(f"{text(proposer)} kính trình {text(HIGHER_LEVEL)} xem xét, "
                   f"đề nghị cấp có thẩm quyền tặng <b>{text(_award_phrase(paper))}</b> năm {paper.year} cho "
                   f"{text(_awardee_phrase(paper))}."),
              para(_reward_sentence(paper, proposed=True)),
              para("Hồ sơ đề nghị khen thưởng và biên bản kiểm phiếu kèm theo Tờ trình này."),
              para(f"Kính trình {HIGHER_LEVEL} xem xét, quyết định./.", BODY)]
    story += signature_block(paper.signer, paper.sha256,
                             ["Như trên", paper.unit, "Lưu: VT, HĐTĐKT"])
    story += audit_anchor(paper.audit_seq, paper.audit_hash)
    return render(story, title_text=f"Tờ trình {paper.number}", revoked=paper.revocation is not None)


def _award_phrase(paper: DecisionPaper) -> str:
    return f"“{paper.award}”"


def _subject(paper: DecisionPaper) -> str:
    return "cá nhân" if paper.awardee_kind == "individual" else "tập thể"


def _awardee_phrase(paper: DecisionPaper) -> str:
    if paper.awardee_kind == "individual":
        position = f", {paper.awardee_position}" if paper.awardee_position else ""
        return f"đồng chí {paper.awardee}{position}, {paper.unit}"
    return f"{paper.awardee}, {paper.unit}"


def _reward_sentence(paper: DecisionPaper, proposed: bool = False) -> str:
    lead = "Mức tiền thưởng theo quy định" if proposed else "Kèm theo mức tiền thưởng"
    return (f"{lead}: {coefficient(paper.reward_coefficient)} × mức lương cơ sở "
            f"{money(paper.base_salary)} = {money(paper.reward_amount)}.")
