"""The rows of the form that publishes a version of the council's regulation: one per article.

An article is typed as the council words it: how many must take part and how many must vote yes,
in per cent, and of whom; with its legal basis in English and in Vietnamese. Posted as
``article-<n>-<field>``; the domain judges the articles and its refusals go back to their row.
"""

import re
from dataclasses import dataclass, field

from .rule_rows import percent, share_of

MAX_ROWS = 60
_FIELD = re.compile(r"article-(?P<position>\d{1,3})-article")
_PLACE = re.compile(r"articles\[(?P<position>\d+)\](?:\.(?P<field>\w+))?")
FIELDS = ("article", "quorum", "threshold", "base", "legal_basis", "legal_basis_vi")


@dataclass
class ArticleRow:
    position: int
    article: str = ""
    quorum: str = ""  # per cent, as typed
    threshold: str = ""
    base: str = ""
    legal_basis: str = ""
    legal_basis_vi: str = ""
    errors: dict = field(default_factory=dict)

    def name(self, part: str) -> str:
        return f"article-{self.position}-{part}"


def from_regulation(regulation) -> list[ArticleRow]:
    return [ArticleRow(position, rule.article, percent(rule.quorum), percent(rule.threshold), rule.base,
                       rule.legal_basis or "", rule.legal_basis_vi or "")
            for position, rule in enumerate(regulation.rules)]


def from_form(form) -> list[ArticleRow]:
    """The articles as posted, renumbered in their order."""
    positions = sorted({int(found["position"]) for found in map(_FIELD.fullmatch, form.keys()) if found})
    rows = [ArticleRow(0, **{name: form.get(f"article-{position}-{name}", "").strip() for name in FIELDS})
            for position in positions[:MAX_ROWS]]
    renumber(rows)
    return rows


def renumber(rows: list[ArticleRow]) -> None:
    for position, row in enumerate(rows):
        row.position = position


def to_articles(rows: list[ArticleRow]) -> list[dict]:
    return [{"article": row.article, "quorum": _share(row.quorum), "threshold": _share(row.threshold),
             "base": row.base, "legal_basis": row.legal_basis, "legal_basis_vi": row.legal_basis_vi}
            for row in rows]


def _share(text: str):
    return share_of(text) if text else None


def place(rows: list[ArticleRow], where: str, message: str) -> int | None:
    """Put a refusal on the article and field it names; the article's position, or None."""
    found = _PLACE.fullmatch(where)
    if not found or int(found["position"]) >= len(rows):
        return None
    position = int(found["position"])
    rows[position].errors.setdefault(found["field"] or "article", []).append(message)
    return position
