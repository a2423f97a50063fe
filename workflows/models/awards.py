"""The catalogue of emulation titles and forms of commendation."""

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db

KINDS = ("individual", "collective")
LEVELS = ("grassroots", "agency", "state")


class AwardType(db.Model):
    __tablename__ = "award_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_vi: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    # The reward that comes with it, as a multiple of the base salary (Decree 152/2025/NĐ-CP).
    reward_coefficient: Mapped[float] = mapped_column(default=0.0)
    active: Mapped[bool] = mapped_column(default=True)
