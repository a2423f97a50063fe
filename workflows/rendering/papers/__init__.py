"""Generated documents: the signed decision, the proposal upward and the tally minutes, as PDF.

Pure functions from plain data to bytes: nothing here reads the database, so the same
content always gives the same layout, and tests can print any case they like.
"""

from workflows.rendering.papers.content import (
    DecisionPaper,
    Revocation,
    SessionMinutesPaper,
    SessionMinutesRow,
    Signer,
    TallyPaper,
    VoteRuleText,
)
from workflows.rendering.papers.decision import decision_pdf, proposal_pdf
from workflows.rendering.papers.formatting import money, vietnamese_date
from workflows.rendering.papers.list_decision import AnnexRow, ListDecisionPaper, list_decision_pdf, list_proposal_pdf
from workflows.rendering.papers.session import session_minutes_pdf
from workflows.rendering.papers.tally import tally_minutes_pdf

__all__ = ["AnnexRow", "DecisionPaper", "ListDecisionPaper", "Revocation", "SessionMinutesPaper", "SessionMinutesRow",
           "Signer", "TallyPaper", "VoteRuleText", "decision_pdf", "list_decision_pdf", "list_proposal_pdf", "money",
           "proposal_pdf", "session_minutes_pdf", "tally_minutes_pdf", "vietnamese_date"]
