"""The bloc's reference data: member units and the award catalogue (see docs/domain)."""

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from workflows.db import db
from workflows.models import (
    AuditHead,
    Authority,
    AwardType,
    CouncilRegulation,
    EligibilityRule,
    RuleSet,
    Setting,
    Unit,
    VoteRule,
)
from workflows.models.audit import GENESIS
from workflows.services import authorities, council, eligibility

# Rules ship as data files beside the diagrams; init-db loads the versions that are missing.
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"

UNITS = [
    ("VPTW", "Party Central Office", "Văn phòng Trung ương Đảng"),
    ("BTCTW", "Central Organization Commission", "Ban Tổ chức Trung ương"),
    ("BTGTW", "Central Propaganda and Education Commission", "Ban Tuyên giáo Trung ương"),
    ("BDVTW", "Central Mass Mobilization Commission", "Ban Dân vận Trung ương"),
    ("BDNTW", "Central External Relations Commission", "Ban Đối ngoại Trung ương"),
    ("BKTTW", "Central Economic Commission", "Ban Kinh tế Trung ương"),
    ("BNCTW", "Central Internal Affairs Commission", "Ban Nội chính Trung ương"),
    ("UBKTTW", "Central Inspection Commission", "Ủy ban Kiểm tra Trung ương"),
    ("HVCTQG", "Ho Chi Minh National Academy of Politics", "Học viện Chính trị quốc gia Hồ Chí Minh"),
    ("BND", "Nhân Dân Newspaper", "Báo Nhân Dân"),
    ("TCCS", "Communist Review", "Tạp chí Cộng sản"),
    ("NXBCTQG", "National Political Publishing House Sự thật", "Nhà xuất bản Chính trị quốc gia Sự thật"),
    ("DUKCCQTW", "Party Committee of the Central Agencies Bloc", "Đảng ủy Khối các cơ quan Trung ương"),
    ("DUKDNTW", "Party Committee of the Central Enterprises Bloc", "Đảng ủy Khối Doanh nghiệp Trung ương"),
]

_BASE_DOSSIER = ["proposal_letter", "achievement_report", "review_minutes"]
_FIGHTER_DOSSIER = _BASE_DOSSIER + ["initiative_proof"]

AWARD_TYPES = [
    ("LDTT", "Advanced Worker", "Lao động tiên tiến", "individual", "grassroots", _BASE_DOSSIER),
    ("CSTDCS", "Grassroots Emulation Fighter", "Chiến sĩ thi đua cơ sở", "individual", "grassroots",
     _FIGHTER_DOSSIER),
    ("CSTDBO", "Agency-level Emulation Fighter", "Chiến sĩ thi đua cấp ban", "individual", "agency",
     _FIGHTER_DOSSIER),
    ("CSTDTQ", "National Emulation Fighter", "Chiến sĩ thi đua toàn quốc", "individual", "state",
     _FIGHTER_DOSSIER),
    ("GIAYKHEN", "Certificate of Commendation", "Giấy khen", "individual", "grassroots",
     ["proposal_letter", "achievement_report"]),
    ("BKBAN", "Agency Certificate of Merit", "Bằng khen cấp ban", "individual", "agency", _BASE_DOSSIER),
    ("BKTTG", "Prime Minister's Certificate of Merit", "Bằng khen của Thủ tướng", "individual", "state",
     _BASE_DOSSIER),
    ("HCLD3", "Third-class Labour Order", "Huân chương Lao động hạng Ba", "individual", "state", _BASE_DOSSIER),
    ("TTLDTT", "Advanced Labour Collective", "Tập thể lao động tiên tiến", "collective", "grassroots",
     _BASE_DOSSIER),
    ("TTLDXS", "Excellent Labour Collective", "Tập thể lao động xuất sắc", "collective", "agency", _BASE_DOSSIER),
    ("COTDBAN", "Agency Emulation Flag", "Cờ thi đua cấp ban", "collective", "agency", _BASE_DOSSIER),
    ("COTDCP", "Government Emulation Flag", "Cờ thi đua của Chính phủ", "collective", "state", _BASE_DOSSIER),
]


# Rewards as multiples of the base salary (Decree 152/2025/NĐ-CP). The first eight are the
# decree's figures for these titles; for the rest the figure of the nearest comparable form is
# used (Giấy khen 0.3 like LĐTT; a ministry-level Bằng khen 1.0; the Prime Minister's 1.5;
# the Third-class Labour Order 4.5) until the administrators set the exact value.
REWARD_COEFFICIENTS = {
    "CSTDTQ": 4.5, "CSTDBO": 3.0, "CSTDCS": 1.0, "LDTT": 0.3, "TTLDXS": 1.5, "TTLDTT": 0.8,
    "COTDCP": 12.0, "COTDBAN": 8.0,
    "GIAYKHEN": 0.3, "BKBAN": 1.0, "BKTTG": 1.5, "HCLD3": 4.5,
}

# Settings the decisions read (see workflows/usecases/decisions.py).
SETTINGS = {
    "base_salary": 2_340_000,  # đồng per month (mức lương cơ sở)
    "decision_legal_basis": [
        "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022",
        "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của "
        "Luật Thi đua, khen thưởng",
        "Quy chế làm việc của Hội đồng Thi đua – Khen thưởng Khối thi đua các cơ quan Đảng Trung ương",
    ],
    # Revoked for these reasons, an award gives back the initiatives it relied on.
    "revocation_frees_initiative": ["criteria_unmet"],
}


def _bloc_authority() -> int:
    """The bloc's authority, which decides whatever no agency set up decides; 1 when added."""
    known = db.session.execute(select(Authority.id).where(Authority.kind == "bloc")).first()
    authorities.bloc()
    return 0 if known else 1


def load_reference_data() -> dict[str, int]:
    """Insert the units and award types that are missing; never overwrite an administrator's edits."""
    added = {"units": 0, "award_types": 0}
    known_units = set(db.session.execute(select(Unit.code)).scalars())
    for code, name, name_vi in UNITS:
        if code not in known_units:
            db.session.add(Unit(code=code, name=name, name_vi=name_vi))
            added["units"] += 1
    known_awards = set(db.session.execute(select(AwardType.code)).scalars())
    for code, name, name_vi, kind, level, documents in AWARD_TYPES:
        if code not in known_awards:
            db.session.add(AwardType(code=code, name=name, name_vi=name_vi, kind=kind, level=level,
                                     required_documents=list(documents)))
            added["award_types"] += 1
    db.session.flush()
    added["authorities"] = _bloc_authority()
    added["settings"] = _seed_decision_data()
    if db.session.get(AuditHead, 1) is None:
        db.session.add(AuditHead(id=1, seq=0, hash=GENESIS))
    added["rule_sets"] = load_rule_sets(REFERENCE_DIR / "rule_sets.json")
    added["regulations"] = load_regulations(REFERENCE_DIR / "council_regulations.json")
    db.session.flush()
    return added


def load_rule_sets(path: Path) -> int:
    """Add the eligibility rule sets of the file that are not in the database yet (by code)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = set(db.session.execute(select(RuleSet.code)).scalars())
    added = 0
    for spec in data["rule_sets"]:
        if spec["code"] in known:
            continue
        rules = []
        for position, rule in enumerate(data["common_rules"]):
            eligibility.validate({"kind": rule["kind"], "params": rule["params"]})
            rules.append(EligibilityRule(award_code=rule["award"], position=position, kind=rule["kind"],
                                         params=rule["params"], legal_basis=rule["basis"].format(**spec),
                                         legal_basis_vi=rule.get("basis_vi", "").format(**spec)))
        db.session.add(RuleSet(code=spec["code"], title=spec["title"], legal_basis=spec["legal_basis"],
                               title_vi=spec.get("title_vi", ""), legal_basis_vi=spec.get("legal_basis_vi", ""),
                               effective_from=date.fromisoformat(spec["effective_from"]),
                               effective_to=_day(spec.get("effective_to")), rules=rules))
        added += 1
    return added


def load_regulations(path: Path) -> int:
    """Add the council regulations of the file that are not in the database yet (by code)."""
    known = set(db.session.execute(select(CouncilRegulation.code)).scalars())
    added = 0
    for spec in json.loads(path.read_text(encoding="utf-8"))["regulations"]:
        if spec["code"] in known:
            continue
        council.check_rounding(spec["rounding"])
        rules = []
        for position, rule in enumerate(spec["rules"]):
            council.check_rule(rule["article"], rule["quorum"], rule["threshold"], rule["base"])
            rules.append(VoteRule(position=position, **rule))
        db.session.add(CouncilRegulation(
            code=spec["code"], title=spec["title"], legal_basis=spec["legal_basis"], rounding=spec["rounding"],
            title_vi=spec.get("title_vi", ""), legal_basis_vi=spec.get("legal_basis_vi", ""),
            without_vote=spec.get("without_vote", []), written_ballots=spec.get("written_ballots", True),
            effective_from=date.fromisoformat(spec["effective_from"]), effective_to=_day(spec.get("effective_to")),
            rules=rules))
        added += 1
    return added


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
def _seed_decision_data() -> int:
    """Coefficients on award types that have none yet, and the settings that are missing."""
    for award in db.session.execute(select(AwardType).where(AwardType.code.in_(REWARD_COEFFICIENTS))).scalars():
        if not award.reward_coefficient:
            award.reward_coefficient = REWARD_COEFFICIENTS[award.code]
    known = set(db.session.execute(select(Setting.key)).scalars())
    missing = [key for key in SETTINGS if key not in known]
    for key in missing:
        db.session.add(Setting(key=key, value=SETTINGS[key]))
    return len(missing)


def award_types() -> list[AwardType]:
    return list(db.session.execute(
        select(AwardType).where(AwardType.active.is_(True)).order_by(AwardType.id)).scalars())


def award_type(code: str) -> AwardType | None:
    return db.session.execute(select(AwardType).where(AwardType.code == code)).scalar_one_or_none()


def unit(code: str) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
