"""The nominations the measurements run against, spread evenly over every step of the process.

A few templates per step are driven through the real process; the database is then filled
with copies of them up to the wanted number of nominations.
"""

from dataclasses import replace

from sqlalchemy import func, select, text

from workflows.db import db
from workflows.models import Nomination

from .clone import Cloner, Template, load_template
from .drive import Journey, walk
from .world import World

# What a nomination at each step looks like; each journey is made for every award below.
STEPS = {
    "preparing": [Journey("preparing")],
    "endorsing": [Journey("endorsing")],
    "checking": [Journey("checking")],
    "appraising": [Journey("appraising", reviewer="rev"), Journey("appraising", reviewer=None)],
    "voting": [Journey("voting", votes=0), Journey("voting", votes=2)],
    "signing": [Journey("signing")],
    "finished": [Journey("done"), Journey("done", sign="reject")],
}
AWARDS = [("LDTT", "individual", "Nguyễn Văn Tâm"), ("TTLDTT", "collective", "Phòng Tổng hợp")]
TEMPLATE_UNIT = "VPTW"


class Population:
    """Templates by step, and the copies made of them so far."""

    def __init__(self, world: World):
        self.world = world
        self.cloner = Cloner(world)
        self.templates: dict[str, list[Template]] = {}
        self.copies: dict[str, list[int]] = {step: [] for step in STEPS}

    def make_templates(self) -> None:
        with self.world.app.app_context():
            for step, journeys in STEPS.items():
                ids = [walk(self.world, TEMPLATE_UNIT, replace(journey, award=award, kind=kind), name)
                       for journey in journeys for award, kind, name in AWARDS]
                self.templates[step] = [load_template(i) for i in ids]

    def count(self) -> int:
        with self.world.app.app_context():
            return db.session.execute(select(func.count(Nomination.id))).scalar_one()

    def grow_to(self, total: int) -> int:
        """Add copies until the database holds ``total`` nominations; how many were added."""
        missing = total - self.count()
        if missing <= 0:
            return 0
        per_step = _shares(missing, len(STEPS))
        with self.world.app.app_context():
            for (step, templates), step_count in zip(self.templates.items(), per_step, strict=True):
                for template, count in zip(templates, _shares(step_count, len(templates)), strict=True):
                    self.copies[step] += self.cloner.clone(template, count)
            # A live database checkpoints its log as it goes; do it once rather than mid-measurement.
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return missing

    def take(self, step: str, count: int) -> list[int]:
        """Copies at ``step`` nobody has used yet, removed from the pool so no later scenario reuses them."""
        taken, self.copies[step] = self.copies[step][:count], self.copies[step][count:]
        if len(taken) < count:
            raise RuntimeError(f"only {len(taken)} copies left at {step}")
        return taken


def _shares(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole shares that add up exactly."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
