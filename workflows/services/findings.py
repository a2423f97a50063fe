"""The eligibility findings a page shows, and whether they are the process's record or a look at the registry now.

While the dossier is with its unit (prepared, then awaiting the head's endorsement), the findings are
worked out afresh from the registry and the dossier on every look, so that the clerk and the unit head
see what the secretariat will see, and see it change as they complete the record. Nothing is stored by
looking: the process records its own check (the diagram's "Check eligibility" step) after the
endorsement, and from then on pages show that record.
"""

from dataclasses import dataclass, field

from workflows.models import Nomination
from workflows.services import eligibility, instances

# Statuses in which the unit holds the dossier: any check the process recorded is from before it came back.
WITH_THE_UNIT = frozenset({"preparing", "endorsing"})


@dataclass(frozen=True)
class Findings:
    items: list[dict] = field(default_factory=list)
    live: bool = False  # worked out now from the registry, not the process's recorded check


def shown(nomination: Nomination) -> Findings:
    """The findings for a nomination's pages: as of now while its unit holds it, else as recorded."""
    if nomination.status in WITH_THE_UNIT:
        return Findings(now(nomination), live=True)
    return Findings(list(nomination.findings or []), live=False)


def now(nomination: Nomination) -> list[dict]:
    """Every finding as the registry and the dossier stand at this moment; nothing is stored."""
    return eligibility.findings_for(nomination, instances.current_document_kinds(nomination.id))
