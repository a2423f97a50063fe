"""The history kinds: which table, which columns make a row's natural key, which are its values."""

from dataclasses import dataclass

from workflows.models import Assessment, AwardRecord, DisciplineRecord, Initiative


@dataclass(frozen=True)
class HistoryKind:
    model: type
    key: tuple[str, ...]  # with the subject, identifies the row
    values: tuple[str, ...]  # what an import may correct
    has_collectives: bool = True
    live: object = None  # rows an import matches against; others stay as they are

    @property
    def fields(self) -> tuple[str, ...]:
        return self.key + self.values


HISTORY = {
    "assessments": HistoryKind(Assessment, ("year",), ("grade",)),
    # A revoked award stays in the record as it was; an import never revives or edits it.
    "awards": HistoryKind(AwardRecord, ("award_code", "year"), ("decision_ref",),
                          live=AwardRecord.revoked_at.is_(None)),
    "initiatives": HistoryKind(Initiative, ("title", "year"), ("level", "reference")),
    "discipline": HistoryKind(DisciplineRecord, ("year", "level"), ("reference",), has_collectives=False),
}


def natural_key(kind: str, subject: tuple[str, str], values: dict) -> tuple | None:
    """The key two rows of one file must not share; None if a key value is missing."""
    parts = [values.get(name) for name in HISTORY[kind].key]
    if any(p is None for p in parts):
        return None
    return (subject, *parts)
