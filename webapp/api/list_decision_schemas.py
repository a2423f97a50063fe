"""Request and response shapes of a list's decision, the answer from above and a higher form."""

from marshmallow import Schema, fields, validate

from .schemas import RevocationOut, RewardOut, UtcDateTime


class SignListIn(Schema):
    password = fields.String(required=True, load_only=True, metadata={
        "description": "the head's password: one electronic signature for the whole annex"})
    approve = fields.Boolean(load_default=True, metadata={"description": "false refuses the list (no number)"})
    comment = fields.String(load_default="", validate=validate.Length(max=2000), metadata={
        "description": "required when refusing"})


class SignRoundAwardIn(Schema):
    password = fields.String(required=True, load_only=True)
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class AnnexRowOut(Schema):
    no = fields.Integer(metadata={"description": "STT: the row's number in the annex"})
    nomination_id = fields.Integer()
    name = fields.String()
    kind = fields.String(metadata={"description": "individual | collective"})
    position = fields.String()
    unit = fields.String(metadata={"description": "the unit's name as signed"})
    code = fields.String(metadata={"description": "the registry code, or empty"})
    reward = fields.Integer(metadata={"description": "đồng"})
    status = fields.String(metadata={"description": "awarded | forwarded | revoked (now)"})
    upward_result = fields.String(allow_none=True, metadata={
        "description": "awarded | not_awarded once the answer from above is recorded; null before"})


class AwardBriefOut(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    level = fields.String()
    year = fields.Integer()


class ListBriefOut(Schema):
    id = fields.Integer()
    unit = fields.String()
    title = fields.String()


class OutcomeOut(Schema):
    id = fields.Integer()
    decision_id = fields.Integer(metadata={"description": "the proposal sent up"})
    higher_authority = fields.String()
    number = fields.String(metadata={"description": "the number of the decision from above"})
    decided_on = fields.Date()
    filename = fields.String(metadata={"description": "the scan of the decision from above"})
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    recorded_by = fields.String()
    recorded_at = UtcDateTime()
    awarded = fields.List(fields.Integer(), metadata={"description": "nomination ids awarded from above"})
    not_awarded = fields.List(fields.Integer())


class ListDecisionOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "decision | proposal (tờ trình, sent up)"})
    number = fields.String()
    year = fields.Integer()
    authority = fields.String(metadata={"description": "the authority whose register holds it (code)"})
    list_id = fields.Integer(allow_none=True, metadata={"description": "the list it decides; null for a "
                                                                       "decision on every list of an award"})
    round_id = fields.Integer(allow_none=True)
    lists = fields.List(fields.Nested(ListBriefOut))
    award = fields.Nested(AwardBriefOut)
    signed_at = UtcDateTime()
    signed_by = fields.String()
    legal_basis = fields.List(fields.String())
    reward = fields.Nested(RewardOut)
    total_reward = fields.Integer(metadata={"description": "đồng, for the whole annex"})
    count = fields.Integer(metadata={"description": "how many the annex names"})
    annex = fields.List(fields.Nested(AnnexRowOut))
    content_sha256 = fields.String(metadata={"description": "SHA-256 of the signed content, printed on the PDF"})
    revoked = fields.Nested(RevocationOut, allow_none=True)
    outcome = fields.Nested(OutcomeOut, allow_none=True, metadata={
        "description": "the answer from above to a proposal; null until recorded"})


class SignedOut(Schema):
    approved = fields.Boolean()
    lists = fields.List(fields.Integer(), metadata={"description": "the lists moved past the signing"})
    decision = fields.Nested(ListDecisionOut, allow_none=True, metadata={"description": "null when refused"})


class OutcomeIn(Schema):
    higher_authority = fields.String(required=True, validate=validate.Length(max=300), metadata={
        "description": "who decided, e.g. Thủ tướng Chính phủ"})
    number = fields.String(required=True, validate=validate.Length(max=64))
    decided_on = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})
    results = fields.String(required=True, metadata={
        "description": 'JSON object: {"<nomination id>": "awarded" | "not_awarded"} for every nominee'})


class OutcomeUpload(OutcomeIn):
    """The whole multipart body: ``OutcomeIn`` reads its form part; ``file`` is the scan."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class HigherFormIn(Schema):
    award_type = fields.String(required=True, metadata={"description": "the higher form's code"})
    reason = fields.String(required=True, validate=validate.Length(max=2000))


class HigherFormOut(Schema):
    list_id = fields.Integer(metadata={"description": "the new proposal, linked to the nominee"})
    recommended_from = fields.Integer(metadata={"description": "the nomination the council recommended"})
    award_type = fields.String()
    authority = fields.String(metadata={"description": "the authority it goes to (code)"})
    status = fields.String()
