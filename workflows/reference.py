"""The bloc's reference data: member units and the award catalogue (see docs/domain)."""

from sqlalchemy import select

from .db import db
from .models import AuditHead, AwardType, Unit
from .models.audit import GENESIS

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
    if db.session.get(AuditHead, 1) is None:
        db.session.add(AuditHead(id=1, seq=0, hash=GENESIS))
    db.session.commit()
    return added


def award_types() -> list[AwardType]:
    return list(db.session.execute(
        select(AwardType).where(AwardType.active.is_(True)).order_by(AwardType.id)).scalars())


def award_type(code: str) -> AwardType | None:
    return db.session.execute(select(AwardType).where(AwardType.code == code)).scalar_one_or_none()


def unit(code: str) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
