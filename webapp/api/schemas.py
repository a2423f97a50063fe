"""Request and response shapes of the API; the OpenAPI document is generated from them."""

from datetime import timezone

from marshmallow import INCLUDE, Schema, fields, validate


class UtcDateTime(fields.DateTime):
    """A stored moment, naive UTC, written in ISO 8601 with its offset: ``2026-12-07T08:15:00+00:00``."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


# Whole numbers a request gives are bounded to what the database's columns hold (int32), so that a
# year or an id past them is a 422 naming the field, not a query the database refuses.
INT32_MAX = 2**31 - 1
YEARS = validate.Range(1, 9999)
IDS = validate.Range(0, INT32_MAX)


# -- the error body of every refusal -----------------------------------------------------------

class ImportRowError(Schema):
    sheet = fields.String(required=True)
    row = fields.Integer(required=True)
    column = fields.String(required=True, allow_none=True)
    code = fields.String(required=True, metadata={"description": "stable: what is wrong with the cell or row"})
    params = fields.Dict(keys=fields.String(), metadata={"description": "the values the message is made of"})
    message = fields.String(required=True, metadata={"description": "for people, in the request's language"})


class Error(Schema):
    code = fields.String(required=True, metadata={
        "description": "stable, for programs: which refusal it is, e.g. nomination.not_found, task.already, "
                       "request.invalid"})
    message = fields.String(required=True, metadata={"description": "for people, in the request's language"})
    params = fields.Dict(keys=fields.String(), metadata={"description": "the values the message is made of"})
    fields_ = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields", metadata={
        "description": "what is wrong with each named field, in the request's language"})
    field_codes = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "a stable code for what is wrong with each named field"})
    rows = fields.List(fields.Nested(ImportRowError), metadata={
        "description": "registry import only: each bad row of the file"})


class ErrorResponse(Schema):
    """Every error the API answers with, whatever its status."""

    error = fields.Nested(Error, required=True)


class TokenRequest(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokenResponse(Schema):
    token = fields.String(required=True)
    expires_in = fields.Integer(metadata={"description": "seconds"})


class AuthorityOut(Schema):
    code = fields.String()
    name = fields.String()
    name_vi = fields.String()
    kind = fields.String(metadata={"description": "bloc | agency | unit_with_legal_status"})
    symbol = fields.String(metadata={"description": "ends its numbers: 15/QĐ-<symbol>"})
    parent = fields.String(allow_none=True, metadata={"description": "the authority above (code)"})
    active = fields.Boolean()


class AuthorityRolesOut(AuthorityOut):
    roles = fields.List(fields.String(), metadata={
        "description": "held within it: office, reviewer, council_member, council_chair, head"})


class Me(Schema):
    username = fields.String()
    full_name = fields.String()
    unit = fields.String(allow_none=True, metadata={"description": "unit code"})
    roles = fields.List(fields.String(), metadata={
        "description": "global and unit roles, and the process roles held within some authority"})
    authorities = fields.List(fields.Nested(AuthorityRolesOut), metadata={
        "description": "the authorities the user holds roles in, with those roles"})


class UnitOut(Schema):
    code = fields.String()
    name = fields.String()
    name_vi = fields.String()


class AwardTypeOut(Schema):
    code = fields.String()
    name = fields.String()
    name_vi = fields.String()
    kind = fields.String(metadata={"description": "individual | collective"})
    level = fields.String(metadata={"description": "grassroots | agency | state"})
    required_documents = fields.List(fields.String())


class NomineeIn(Schema):
    kind = fields.String(required=True, metadata={"description": "individual | collective"})
    code = fields.String(allow_none=True, metadata={
        "description": "the nominee's code in the unit's registry, whose record eligibility is judged on"})
    name = fields.String(required=True)
    position = fields.String(allow_none=True)
    username = fields.String(allow_none=True, metadata={"description": "when the nominee is also a user"})


class NominationIn(Schema):
    award_type = fields.String(required=True)
    nominee = fields.Nested(NomineeIn, required=True)
    year = fields.Integer(required=True, strict=True, validate=YEARS)
    summary = fields.String(load_default="")


class NominationQuery(Schema):
    status = fields.String()
    unit = fields.String()
    year = fields.Integer(validate=YEARS)
    award_type = fields.String()
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=IDS)


class NomineeOut(Schema):
    kind = fields.String()
    code = fields.String(allow_none=True)
    name = fields.String()
    position = fields.String(allow_none=True)
    username = fields.String(allow_none=True)


class TaskBrief(Schema):
    id = fields.String()
    key = fields.String()
    name = fields.String()
    lane = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    due_at = UtcDateTime(allow_none=True)


class DecisionOut(Schema):
    id = fields.Integer(metadata={"description": "for the register and revocation"})
    kind = fields.String(metadata={"description": "decision | proposal"})
    number = fields.String()
    authority = fields.String(metadata={"description": "the authority whose register holds it (code)"})
    signed_at = UtcDateTime()
    signed_by = fields.String()
    revoked_at = UtcDateTime(allow_none=True)
    revoked = fields.Nested(lambda: RevocationOut(), allow_none=True, metadata={
        "description": "when, by whom and why it was revoked; null while it stands"})


class NominationOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={
        "description": "preparing | endorsing | checking | appraising | voting | signing | awarded | forwarded | "
                       "not_approved | rejected | withdrawn | revoked (its signed decision was revoked: see "
                       "decision.revoked)"})
    award_type = fields.String()
    year = fields.Integer()
    unit = fields.String()
    authority = fields.String(metadata={"description": "the deciding authority (code), fixed at the start"})
    nominee = fields.Nested(NomineeOut)
    summary = fields.String()
    findings = fields.List(fields.Dict())
    on_hold = fields.Boolean(metadata={"description": "a hold on the nominee keeps it from the vote"})
    rule_set = fields.String(allow_none=True, metadata={"description": "the eligibility rules it is judged by"})
    open_tasks = fields.List(fields.Nested(TaskBrief))
    decision = fields.Nested(DecisionOut, allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    upward_result = fields.String(allow_none=True, metadata={
        "description": "for a nominee proposed up: awarded | not_awarded once the answer from above is recorded"})
    created_at = UtcDateTime()


class DocumentIn(Schema):
    kind = fields.String(required=True)


class DocumentUpload(DocumentIn):
    """The whole multipart body of an upload, for the document: ``DocumentIn`` reads its form part."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class DocumentOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    version = fields.Integer()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_at = UtcDateTime()


class WithdrawIn(Schema):
    reason = fields.String(required=True)


class TaskOut(Schema):
    id = fields.String()
    key = fields.String()
    name = fields.String()
    lane = fields.String(allow_none=True)
    nomination_id = fields.Integer(allow_none=True, metadata={
        "description": "the nomination the task is about; null for a step of a list (see proposal_id)"})
    assignee = fields.String(allow_none=True)
    pooled = fields.Boolean()
    created_at = UtcDateTime()
    due_at = UtcDateTime(allow_none=True)
    nominee = fields.String(metadata={"description": "the nominee; for a step of a list, the list's title"})
    award_type = fields.String()
    unit = fields.String()
    authority = fields.String(metadata={"description": "the nomination's deciding authority (code)"})
    proposal_id = fields.Integer(allow_none=True, metadata={
        "description": "the list proposal a step of a list is about (taken at /proposals/{id}); else null"})


class TaskQuery(Schema):
    key = fields.String()
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=IDS)


class Candidate(Schema):
    username = fields.String(required=True)
    full_name = fields.String(required=True)


class FormField(Schema):
    name = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(["choice", "text", "user", "boolean", "password"]),
                         metadata={"description": "password: the signer re-enters theirs; checked, never stored"})
    required = fields.Boolean(required=True)
    label = fields.String(required=True, metadata={"description": "in the request's language"})
    choices = fields.List(fields.String(), metadata={"description": "choice fields: the values allowed"})
    required_when = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "required too when another field has one of these values: {field: [values]}"})
    role = fields.String(metadata={"description": "user fields: the role the named user must hold"})
    candidates = fields.List(fields.Nested(Candidate), metadata={
        "description": "user fields: the active users who may be named"})


class Form(Schema):
    fields_ = fields.List(fields.Nested(FormField), required=True, data_key="fields", attribute="fields")


class TaskDetail(TaskOut):
    form = fields.Nested(Form)


class TaskSubmission(Schema):
    """The task's form fields; which ones apply depends on the task (see its form)."""

    class Meta:
        unknown = INCLUDE

    decision = fields.String()
    comment = fields.String()
    reviewer = fields.String()
    recommendation = fields.String()
    vote = fields.String()
    password = fields.String(load_only=True, metadata={
        "description": "sign_decision: the chair's password, the electronic signature; checked, never stored"})


class CompletionOut(Schema):
    nomination_id = fields.Integer()
    status = fields.String()


class AuditEventOut(Schema):
    seq = fields.Integer()
    at = UtcDateTime()
    actor = fields.String()
    action = fields.String()
    nomination_id = fields.Integer(allow_none=True)
    task = fields.String(allow_none=True)
    details = fields.Dict()


class AuditQuery(Schema):
    actor = fields.String()
    nomination = fields.Integer(validate=IDS)
    action = fields.String()
    since = fields.DateTime(metadata={"description": "ISO 8601; without an offset, UTC"})
    until = fields.DateTime(metadata={"description": "ISO 8601; without an offset, UTC"})
    limit = fields.Integer(load_default=500, validate=validate.Range(1, 5000))
    offset = fields.Integer(load_default=0, validate=IDS)


# -- the registry of people and collectives ----------------------------------------------------

class RegistryQuery(Schema):
    unit = fields.String(metadata={"description": "unit code"})
    q = fields.String(metadata={"description": "part of the name or code"})
    page = fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))


class CollectiveBrief(Schema):
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    active = fields.Boolean()


class PersonBrief(Schema):
    code = fields.String()
    full_name = fields.String()
    unit = fields.String()
    collective = fields.String(allow_none=True)
    position = fields.String()
    recruited_on = fields.Date(allow_none=True)
    active = fields.Boolean()


class AssessmentOut(Schema):
    id = fields.Integer()
    year = fields.Integer()
    grade = fields.String(metadata={"description": "HTXSNV | HTTNV | HTNV | KHTNV"})


class AwardRecordOut(Schema):
    id = fields.Integer()
    award = fields.String()
    year = fields.Integer()
    decision_ref = fields.String()
    revoked_at = UtcDateTime(allow_none=True)


class InitiativeOut(Schema):
    id = fields.Integer()
    title = fields.String()
    level = fields.String(metadata={"description": "grassroots | agency | national"})
    year = fields.Integer()
    reference = fields.String()
    used_by_nomination = fields.Integer(allow_none=True)


class DisciplineOut(Schema):
    id = fields.Integer()
    year = fields.Integer()
    level = fields.String(metadata={"description": "reprimand | warning | removal | dismissal"})
    reference = fields.String()


class HoldOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "discipline_review | inspection | complaint"})
    reason = fields.String()
    placed_at = UtcDateTime()
    placed_by = fields.String()
    lifted_at = UtcDateTime(allow_none=True)
    lifted_by = fields.String(allow_none=True)
    lift_reason = fields.String(allow_none=True)
    person = fields.String(allow_none=True)
    collective = fields.String(allow_none=True)


class _History(Schema):
    assessments = fields.List(fields.Nested(AssessmentOut))
    awards = fields.List(fields.Nested(AwardRecordOut))
    initiatives = fields.List(fields.Nested(InitiativeOut))
    holds = fields.List(fields.Nested(HoldOut))


class PersonOut(PersonBrief, _History):
    discipline = fields.List(fields.Nested(DisciplineOut))


class CollectiveOut(CollectiveBrief, _History):
    members = fields.List(fields.Nested(PersonBrief))


class ImportIn(Schema):
    kind = fields.String(metadata={"description": "collectives | persons | assessments | awards | initiatives | "
                                                 "discipline; optional for a workbook with one sheet per kind"})


class ImportUpload(ImportIn):
    """The whole multipart body of an import, for the document: ``ImportIn`` reads its form part."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                               "description": "CSV (UTF-8, comma or semicolon) or XLSX"})


class ImportCounts(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()


class ImportOut(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Nested(ImportCounts))
    rows = fields.Integer(metadata={"description": "rows read"})


class ExportQuery(Schema):
    kind = fields.String(required=True, metadata={"description": "a kind, or all (XLSX only)"})
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))
    unit = fields.String(metadata={"description": "unit code"})


class HoldIn(Schema):
    kind = fields.String(required=True, metadata={"description": "discipline_review | inspection | complaint"})
    reason = fields.String(required=True)


class LiftIn(Schema):
    reason = fields.String(required=True)
class RegisterQuery(Schema):
    year = fields.Integer(validate=YEARS)
    kind = fields.String(validate=validate.OneOf(["decision", "proposal"]))
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "number or awardee, any part"})
    unit = fields.String(metadata={"description": "unit code"})
    authority = fields.String(metadata={"description": "the register of this authority (code)"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=IDS)


class RewardOut(Schema):
    coefficient = fields.Float()
    base_salary = fields.Integer(metadata={"description": "đồng"})
    amount = fields.Integer(metadata={"description": "đồng"})


class RevocationOut(Schema):
    at = UtcDateTime()
    by = fields.String()
    reason_code = fields.String()
    reason = fields.String()


class RegisterEntryOut(Schema):
    id = fields.Integer()
    nomination_id = fields.Integer(allow_none=True, metadata={
        "description": "the nomination it decides; null for a list decision (see awardees and list_id)"})
    kind = fields.String(metadata={"description": "decision | proposal"})
    number = fields.String()
    year = fields.Integer()
    signed_at = UtcDateTime()
    signed_by = fields.String()
    awardee = fields.String(metadata={"description": "the awardee's name; empty for a list decision"})
    awardees = fields.Integer(metadata={"description": "how many it names (its annex's length for a list decision)"})
    list_id = fields.Integer(allow_none=True, metadata={"description": "the list it decides, if one"})
    units = fields.List(fields.String(), metadata={"description": "a list decision's proposing units, by name"})
    unit = fields.String(metadata={"description": "unit code (a list decision's list's unit, or empty)"})
    authority = fields.String(metadata={"description": "the authority whose register holds it (code)"})
    award_type = fields.String()
    legal_basis = fields.List(fields.String())
    reward = fields.Nested(RewardOut)
    content_sha256 = fields.String()
    revoked = fields.Nested(RevocationOut, allow_none=True)


class RevokeIn(Schema):
    reason_code = fields.String(required=True, metadata={
        "description": "false_declaration | forged_dossier | criteria_unmet"})
    reason = fields.String(required=True)
    password = fields.String(load_only=True, metadata={"description": "required when the chair revokes"})
