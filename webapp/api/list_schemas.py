"""Request and response shapes of rounds and list proposals (docs/rounds.md)."""

from marshmallow import Schema, fields, validate

from .schemas import IDS, YEARS, UtcDateTime

PROPOSAL_STATUSES = ("preparing | endorsing | checking | voting | signing | decided | forwarded | answered | "
                     "withdrawn")
NOMINEE_STATUSES = ("preparing | endorsing | checking | returned | on_hold | withdrawn | voting | signing | "
                    "not_approved | awarded | forwarded")


class RoundIn(Schema):
    authority = fields.String(required=True, metadata={"description": "the code of the authority whose round it is"})
    name = fields.String(required=True)
    year = fields.Integer(required=True, strict=True, validate=YEARS)
    award_codes = fields.List(fields.String(), required=True, metadata={"description": "the award types it takes"})
    intake_deadline = fields.Date(required=True, metadata={"description": "the last day lists are taken"})
    council_date = fields.Date(allow_none=True, load_default=None)


class RoundEdit(Schema):
    name = fields.String()
    year = fields.Integer(strict=True, validate=YEARS)
    award_codes = fields.List(fields.String())
    intake_deadline = fields.Date()
    council_date = fields.Date(allow_none=True)


class RoundQuery(Schema):
    status = fields.String(validate=validate.OneOf(("open", "closed")))


class CountsOut(Schema):
    proposed = fields.Integer()
    checking = fields.Integer()
    returned = fields.Integer()
    withdrawn = fields.Integer()
    eligible = fields.Integer(metadata={"description": "nominees with no unmet finding"})
    on_hold = fields.Integer()
    voting = fields.Integer()
    voted = fields.Integer(metadata={"description": "nominees the council has counted a vote on"})
    signing = fields.Integer()
    decided = fields.Integer()


class PanelRowOut(Schema):
    unit = fields.String()
    award_type = fields.String()
    counts = fields.Nested(CountsOut)


class ProposalBrief(Schema):
    id = fields.Integer()
    unit = fields.String()
    award_type = fields.String()
    title = fields.String()
    status = fields.String(metadata={"description": PROPOSAL_STATUSES})
    step = fields.String(allow_none=True, metadata={"description": "the task key the list waits at"})
    nominees = fields.Integer(metadata={"description": "nominees still on the list"})
    to_decide = fields.Integer(metadata={"description": "nominees waiting for the office's decision"})


class LateEntryOut(Schema):
    round_id = fields.Integer()
    unit = fields.String()
    reason = fields.String()
    until = fields.Date()
    accepted_by = fields.String()
    accepted_at = UtcDateTime()


class RoundOut(Schema):
    id = fields.Integer()
    authority = fields.String()
    name = fields.String()
    year = fields.Integer()
    award_codes = fields.List(fields.String())
    intake_deadline = fields.Date()
    council_date = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "open | closed"})
    intake_open = fields.Boolean(metadata={"description": "lists are taken today without a late entry"})


class RoundDetail(RoundOut):
    counts = fields.Nested(CountsOut, metadata={"description": "over every list the caller may see"})
    rows = fields.List(fields.Nested(PanelRowOut), metadata={"description": "per unit and award type"})
    lists = fields.List(fields.Nested(ProposalBrief))
    late_entries = fields.List(fields.Nested(LateEntryOut), metadata={"description": "shown to the office"})


class LateEntryIn(Schema):
    unit = fields.String(required=True, metadata={"description": "the unit's code"})
    reason = fields.String(required=True)
    until = fields.Date(required=True, metadata={"description": "the last day the unit may still propose"})


class ListNomineeIn(Schema):
    code = fields.String(metadata={"description": "a person's (or, for a collective award, a collective's) code "
                                                  "in the unit's registry"})
    person_id = fields.Integer(strict=True, validate=IDS)
    collective_id = fields.Integer(strict=True, validate=IDS)
    name = fields.String(metadata={"description": "someone not in the registry, by name"})
    position = fields.String(allow_none=True)


class ProposalIn(Schema):
    award_type = fields.String(required=True)
    round_id = fields.Integer(allow_none=True, load_default=None, strict=True, validate=IDS)
    year = fields.Integer(allow_none=True, load_default=None, strict=True, validate=YEARS, metadata={
        "description": "the year of the achievements; a round's own year when a round is named"})
    title = fields.String(load_default="")
    nominees = fields.List(fields.Nested(ListNomineeIn), required=True)


class ProposalQuery(Schema):
    round_id = fields.Integer(validate=IDS)
    status = fields.String()


class ListNomineeOut(Schema):
    nomination_id = fields.Integer()
    name = fields.String()
    position = fields.String(allow_none=True)
    kind = fields.String()
    code = fields.String(allow_none=True, metadata={"description": "the registry code, when registered"})
    status = fields.String(metadata={"description": NOMINEE_STATUSES})
    unmet = fields.Integer(metadata={"description": "how many eligibility findings are not met"})
    findings = fields.List(fields.Dict())
    withdrawn_reason = fields.String(allow_none=True)


class ProposalPaperOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "proposal_letter | review_minutes"})
    version = fields.Integer()
    filename = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class ProposalOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": PROPOSAL_STATUSES})
    step = fields.String(allow_none=True, metadata={
        "description": "the task key the list waits at: prepare_list | endorse_list | check_list | "
                       "await_session | sign_list; null once ended"})
    award_type = fields.String()
    year = fields.Integer()
    unit = fields.String()
    authority = fields.String()
    round_id = fields.Integer(allow_none=True)
    title = fields.String()
    late_reason = fields.String(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    nominees = fields.List(fields.Nested(ListNomineeOut))
    papers = fields.List(fields.Nested(ProposalPaperOut))


class SubmitIn(Schema):
    comment = fields.String(load_default="")


class EndorseIn(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("endorse", "return")))
    comment = fields.String(load_default="")


class NomineeDecisionIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("accept", "return", "hold")))
    reason = fields.String(load_default="", metadata={"description": "needed to return or hold"})


class CheckIn(Schema):
    decisions = fields.Dict(keys=fields.String(), values=fields.Nested(NomineeDecisionIn), required=True,
                            metadata={"description": "by nomination id: the office's decision on each nominee"})


class NomineeWithdrawIn(Schema):
    reason = fields.String(required=True)
