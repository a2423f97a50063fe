"""one open nomination per nominee, award and year; a revoked decision's nomination reads revoked

A nomination claims its registry nominee's award for its year from its start until it is
withdrawn, refused, not approved or its decision revoked: a partial unique index per kind of
nominee holds that, so two starts at once yield exactly one. Duplicates made before this
revision cannot be resolved by a migration (which of two dossiers is the real one is the
office's call), so the upgrade stops and names them; withdraw all but one, then upgrade.

Nominations whose decision was revoked before this revision take the status ``revoked``.

Revision ID: 0009_tenure
Revises: 0008_sealed_ballots
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_tenure'
down_revision = '0008_sealed_ballots'
branch_labels = None
depends_on = None

CLAIMING = "status NOT IN ('withdrawn', 'rejected', 'not_approved', 'revoked')"
OUTCOME_OF_KIND = {'decision': 'awarded', 'proposal': 'forwarded'}

nomination = sa.table('nomination', sa.column('id', sa.Integer()), sa.column('status', sa.String()),
                      sa.column('person_id', sa.Integer()), sa.column('collective_id', sa.Integer()),
                      sa.column('award_type_id', sa.Integer()), sa.column('year', sa.Integer()))
decision = sa.table('decision', sa.column('nomination_id', sa.Integer()), sa.column('kind', sa.String()),
                    sa.column('revoked_at', sa.DateTime()))


class DuplicateNominations(RuntimeError):
    """Open nominations that claim the same nominee's award for the same year."""


def upgrade():
    connection = op.get_bind()
    revoked = sa.select(decision.c.nomination_id).where(decision.c.revoked_at.is_not(None))
    connection.execute(nomination.update().where(nomination.c.id.in_(revoked)).values(status='revoked'))
    duplicates = []
    for subject in (nomination.c.person_id, nomination.c.collective_id):
        groups = connection.execute(
            sa.select(subject, nomination.c.award_type_id, nomination.c.year,
                      sa.func.count().label('n'))
            .where(subject.is_not(None), sa.text(CLAIMING))
            .group_by(subject, nomination.c.award_type_id, nomination.c.year)
            .having(sa.func.count() > 1)).all()
        for who, award, year, _ in groups:
            ids = connection.execute(sa.select(nomination.c.id).where(
                subject == who, nomination.c.award_type_id == award, nomination.c.year == year,
                sa.text(CLAIMING)).order_by(nomination.c.id)).scalars().all()
            duplicates.append(ids)
    if duplicates:
        raise DuplicateNominations(
            "these nominations claim the same nominee's award for the same year; withdraw all but one of "
            "each group, then upgrade again: " + "; ".join(", ".join(map(str, ids)) for ids in duplicates))
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index('uq_nomination_claim_person', ['person_id', 'award_type_id', 'year'], unique=True,
                              sqlite_where=sa.text(CLAIMING), postgresql_where=sa.text(CLAIMING))
        batch_op.create_index('uq_nomination_claim_collective', ['collective_id', 'award_type_id', 'year'],
                              unique=True, sqlite_where=sa.text(CLAIMING), postgresql_where=sa.text(CLAIMING))


def downgrade():
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index('uq_nomination_claim_collective')
        batch_op.drop_index('uq_nomination_claim_person')
    connection = op.get_bind()
    for kind, outcome in OUTCOME_OF_KIND.items():
        ids = sa.select(decision.c.nomination_id).where(decision.c.kind == kind)
        connection.execute(nomination.update().where(nomination.c.status == 'revoked', nomination.c.id.in_(ids))
                           .values(status=outcome))
