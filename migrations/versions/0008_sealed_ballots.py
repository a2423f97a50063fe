"""secret ballots sealed in a ballot box instead of counted on a shared tally row

A vote no longer adds one to a (nomination, choice, count) row in the voter's transaction: it
inserts a sealed ballot that only the application's ballot key opens, and the counts are made
at the close. A vote open at the upgrade keeps the ballots already cast: each count of its old
tally becomes that many sealed ballots. The rows of closed votes are dropped: their counts are
in the tally minutes. Dropping the old table also drops the old versions of its rows, which
told every member's vote in the order cast.

Revision ID: 0008_sealed_ballots
Revises: 0007_audit_key
"""
from alembic import op
import sqlalchemy as sa

from workflows.services import ballot_box


revision = '0008_sealed_ballots'
down_revision = '0007_audit_key'
branch_labels = None
depends_on = None

VOTING = 'voting'  # the status of a nomination whose vote is open

nomination = sa.table('nomination', sa.column('id', sa.Integer()), sa.column('status', sa.String()))
tally_record = sa.table('tally_record', sa.column('nomination_id', sa.Integer()), sa.column('yes', sa.Integer()),
                        sa.column('no', sa.Integer()))
ballot = sa.table('ballot', sa.column('nomination_id', sa.Integer()), sa.column('choice', sa.String()),
                  sa.column('count', sa.Integer()))
sealed_ballot = sa.table('sealed_ballot', sa.column('id', sa.String()), sa.column('nomination_id', sa.Integer()),
                         sa.column('sealed', sa.LargeBinary()))


def upgrade():
    op.create_table('sealed_ballot',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_sealed_ballot_nomination_id_nomination')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_ballot'))
    )
    with op.batch_alter_table('sealed_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_ballot_nomination_id'), ['nomination_id'], unique=False)

    connection = op.get_bind()
    open_votes = connection.execute(
        sa.select(ballot.c.nomination_id, ballot.c.choice, ballot.c.count)
        .join(nomination, nomination.c.id == ballot.c.nomination_id)
        .where(nomination.c.status == VOTING, ballot.c.count > 0)).all()
    rows = [ballot_box.sealed_row(nomination_id, choice)
            for nomination_id, choice, count in open_votes for _ in range(count)]
    if rows:
        connection.execute(sealed_ballot.insert(), rows)
    op.drop_table('ballot')


def downgrade():
    op.create_table('ballot',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_ballot_nomination_id_nomination')),
    sa.PrimaryKeyConstraint('nomination_id', 'choice', name=op.f('pk_ballot'))
    )
    connection = op.get_bind()
    counts = {}
    # Closed votes: the old table kept their tallies, and the tally minutes still have them.
    for nomination_id, yes, no in connection.execute(
            sa.select(tally_record.c.nomination_id, tally_record.c.yes, tally_record.c.no)).all():
        counts.update({(nomination_id, 'yes'): yes, (nomination_id, 'no'): no})
    # Open votes: their sealed ballots, opened and counted.
    for ballot_id, nomination_id, sealed in connection.execute(
            sa.select(sealed_ballot.c.id, sealed_ballot.c.nomination_id, sealed_ballot.c.sealed)).all():
        choice = ballot_box.opened(nomination_id, ballot_id, sealed)
        counts[(nomination_id, choice)] = counts.get((nomination_id, choice), 0) + 1
    rows = [{'nomination_id': nomination_id, 'choice': choice, 'count': count}
            for (nomination_id, choice), count in sorted(counts.items()) if count]
    if rows:
        connection.execute(ballot.insert(), rows)
    with op.batch_alter_table('sealed_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_ballot_nomination_id'))
    op.drop_table('sealed_ballot')
