"""The catalogue every form and filter reads: the titles and forms of commendation in use."""

from workflows.models import AwardType
from workflows.services import reference


def award_types() -> list[AwardType]:
    """The active award types, in the catalogue's order."""
    return reference.award_types()
