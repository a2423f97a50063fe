"""Request and response shapes of council sessions (phiên họp Hội đồng)."""

from marshmallow import Schema, fields, validate

from .schemas import UtcDateTime

ATTENDANCE = ("present", "written", "absent")
CHOICES = ("yes", "no")


class SessionScheduleIn(Schema):
    scheduled_for = fields.AwareDateTime(required=True, default_timezone=None, metadata={
        "description": "when the council sits, ISO 8601 with its offset, e.g. 2026-12-20T08:00:00+07:00"})
    place = fields.String(load_default="", validate=validate.Length(max=200))


class SessionAttendanceIn(Schema):
    attendance = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(ATTENDANCE)),
                             required=True, metadata={
                                 "description": "{user id: present | written | absent} for the seated members; "
                                                "a member left out is absent; written only where the regulation "
                                                "allows written ballots"})


class SessionSheetIn(Schema):
    choices = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(CHOICES)),
                          required=True, metadata={
                              "description": "{nomination id: yes | no} for every nominee of the agenda the "
                                             "member votes on (not their own nomination); sealed, never stored "
                                             "with the member"})


class SessionCloseIn(Schema):
    recommendations = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict, metadata={
        "description": "{nomination id: award code}: the council recommends proposing this higher form instead"})


class SessionQuorumOut(Schema):
    seated = fields.Integer(metadata={"description": "members who vote (the secretary does not)"})
    share = fields.Float(metadata={"description": "the strictest quorum of the agenda's articles"})
    needed = fields.Integer()
    taking_part = fields.Integer(metadata={"description": "present, and absent with a written ballot"})
    met = fields.Boolean()
    regulation = fields.String()
    present = fields.List(fields.String())
    written = fields.List(fields.String())
    absent = fields.List(fields.String())


class SessionResultOut(Schema):
    yes = fields.Integer()
    no = fields.Integer()
    voters = fields.Integer()
    entitled = fields.Integer()
    needed_voters = fields.Integer()
    needed_yes = fields.Integer()
    quorum_met = fields.Boolean()
    passed = fields.Boolean()


class SessionAgendaItemOut(Schema):
    nomination_id = fields.Integer()
    nominee = fields.String()
    unit = fields.String()
    proposal_id = fields.Integer(allow_none=True)
    article = fields.String()
    status = fields.String()
    recommended_award_code = fields.String(allow_none=True)
    result = fields.Nested(SessionResultOut, allow_none=True, metadata={"description": "once the session is closed"})


class SessionAgendaGroupOut(Schema):
    award_type = fields.String()
    award_name = fields.String()
    items = fields.List(fields.Nested(SessionAgendaItemOut))


class SessionMemberOut(Schema):
    user_id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    attendance = fields.String()
    cast = fields.Boolean(metadata={"description": "whether their ballot sheet was received (never its choices)"})


class SessionSeatOut(Schema):
    user_id = fields.Integer()
    username = fields.String()
    full_name = fields.String()


class SessionMayOut(Schema):
    take_attendance = fields.Boolean()
    open = fields.Boolean()
    close = fields.Boolean()
    cast = fields.Boolean()


class SessionBrief(Schema):
    id = fields.Integer()
    authority = fields.String()
    round_id = fields.Integer()
    status = fields.String(metadata={"description": "scheduled, attendance, open or closed"})
    scheduled_for = UtcDateTime()
    place = fields.String()
    nominees = fields.Integer()


class SessionOut(SessionBrief):
    quorum = fields.Nested(SessionQuorumOut, allow_none=True)
    opened_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    minutes_sha256 = fields.String(allow_none=True)
    sheets_cast = fields.Integer()
    written_ballots = fields.Boolean(metadata={"description": "whether the regulation allows written ballots"})
    agenda = fields.List(fields.Nested(SessionAgendaGroupOut))
    members = fields.List(fields.Nested(SessionMemberOut))
    seated = fields.List(fields.Nested(SessionSeatOut), metadata={"description": "before attendance: who is marked"})
    may = fields.Nested(SessionMayOut)
