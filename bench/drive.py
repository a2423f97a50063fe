"""Walking a nomination through the real process with the domain's own use cases.

Templates for cloning and the instances whose stored size is measured are made this way,
so every byte of their state was written by the engine, not by the benchmark.
"""

import io
from dataclasses import dataclass

from sqlalchemy import select

from workflows.db import db
from workflows.models import IndexedTask, Nomination
from workflows.usecases import nominations, tasks
from workflows.usecases.nominations import UploadLimits

from .world import COUNCIL, PASSWORD, World, clerk, head

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
ORDER = ["preparing", "endorsing", "checking", "appraising", "voting", "signing", "done"]


@dataclass(frozen=True)
class Journey:
    """Where to stop and how to get there.

    ``stop`` is the status to leave the nomination in (``done`` runs to the end);
    ``votes`` the ballots already cast when stopping at ``voting``; ``returns`` how many
    times the secretariat sends the dossier back before accepting it.
    """

    stop: str
    award: str = "LDTT"
    kind: str = "individual"
    reviewer: str | None = "rev"
    votes: int = 0
    returns: int = 0
    vote: str = "yes"
    sign: str = "approve"


def ready_task(nomination_id: int, key: str, assignee_id: int | None = None) -> str:
    query = select(IndexedTask.id).where(IndexedTask.nomination_id == nomination_id, IndexedTask.key == key,
                                         IndexedTask.state == "ready")
    if assignee_id is not None:
        query = query.where(IndexedTask.assignee_id == assignee_id)
    return db.session.execute(query.order_by(IndexedTask.id).limit(1)).scalar_one()


def start(world: World, unit_code: str, award: str, kind: str, name: str) -> int:
    """A new nomination started by the unit's clerk; its id."""
    nomination = nominations.start(world.user(clerk(unit_code)), award_type=award, year=2025,
                                   nominee={"kind": kind, "name": name, "position": "Chuyên viên"},
                                   summary="Hoàn thành xuất sắc nhiệm vụ năm 2025.")
    return nomination.id


def walk(world: World, unit_code: str, journey: Journey, name: str = "Nguyễn Văn Tâm") -> int:
    """Start a nomination and drive it along ``path``; call inside an app context. Its id."""
    nomination_id = start(world, unit_code, journey.award, journey.kind, name)
    do = _Steps(world, nomination_id, unit_code)
    for _ in range(journey.returns):
        do.prepare()
        do.complete(head(unit_code), "endorse", {"decision": "endorse", "comment": "Đồng ý."})
        do.complete("sec", "check_dossier", {"decision": "return", "comment": "Bổ sung biên bản họp."})
    for status in ORDER[:ORDER.index(journey.stop)]:
        if status == "preparing":
            do.prepare()
        elif status == "endorsing":
            do.complete(head(unit_code), "endorse", {"decision": "endorse", "comment": "Đồng ý."})
        elif status == "checking":
            form = {"decision": "accept", "comment": "Hồ sơ đầy đủ."}
            if journey.reviewer:
                form["reviewer"] = journey.reviewer
            do.complete("sec", "check_dossier", form)
        elif status == "appraising":
            do.appraise(journey.reviewer or "rev2")
        elif status == "voting":
            do.votes(COUNCIL, journey.vote)
        elif status == "signing":
            do.complete("chair", "sign_decision", {"decision": journey.sign, "comment": "Ký.", "password": PASSWORD})
    if journey.stop == "voting":
        do.votes(COUNCIL[:journey.votes], journey.vote)
    return nomination_id


class _Steps:
    def __init__(self, world: World, nomination_id: int, unit_code: str):
        self.world, self.id, self.unit_code = world, nomination_id, unit_code
        self.uploaded = False

    def complete(self, username: str, key: str, form: dict) -> None:
        user = self.world.user(username)
        assignee = user.id if key == "vote" else None
        tasks.complete(user, ready_task(self.id, key, assignee), form)

    def prepare(self) -> None:
        if not self.uploaded:
            nomination = db.session.get(Nomination, self.id)
            limits = UploadLimits(folder=self.world.app.config["UPLOAD_FOLDER"], max_bytes=1024 * 1024)
            for kind in nomination.award_type.required_documents:
                nominations.upload_document(self.world.user(clerk(self.unit_code)), self.id, kind=kind,
                                            stream=io.BytesIO(PDF), filename=f"{kind}.pdf", limits=limits)
            self.uploaded = True
        self.complete(clerk(self.unit_code), "prepare_dossier", {})

    def appraise(self, reviewer: str) -> None:
        task_id = ready_task(self.id, "appraise")
        user = self.world.user(reviewer)
        if db.session.get(IndexedTask, task_id).assignee_id is None:
            tasks.claim(user, task_id)
        tasks.complete(user, task_id, {"recommendation": "approve", "comment": "Đủ tiêu chuẩn."})

    def votes(self, voters, choice: str) -> None:
        for username in voters:
            self.complete(username, "vote", {"vote": choice})
