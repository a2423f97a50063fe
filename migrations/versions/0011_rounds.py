"""rounds, list proposals, council sessions, list decisions and answers from above

New tables for an authority's rounds (award_round, late_entry), the units' lists (proposal,
proposal_document), council sessions (council_session, session_member, session_item) and the
answers to proposals sent up (upward_outcome). A nomination may now belong to a round and a list
and be named in a list decision's annex; a decision may decide a list instead of one nomination;
a task may be a list's or a session's. A nominee returned out of a list no longer claims their
award for the year, so the claim indexes are rebuilt with "returned" among the released statuses.
Existing rows keep their meaning: nothing is in a round, every decision decides one nomination.

Revision ID: 0011_rounds
Revises: 0010_authorities
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_rounds'
down_revision = '0010_authorities'
branch_labels = None
depends_on = None

OLD_CLAIMING = "status NOT IN ('withdrawn', 'rejected', 'not_approved', 'revoked')"
CLAIMING = "status NOT IN ('withdrawn', 'rejected', 'not_approved', 'revoked', 'returned')"


def _foreign_keys(enforced: bool) -> None:
    """SQLite checks foreign keys on the DROP TABLE of a batch rebuild (see 0010_authorities): the
    check is off while tables are rebuilt, which SQLite allows only between transactions."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    if bind.connection.driver_connection.in_transaction:
        op.execute('COMMIT')
    op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def _claim_indexes(claiming: str) -> None:
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index('uq_nomination_claim_collective')
        batch_op.drop_index('uq_nomination_claim_person')
        batch_op.create_index('uq_nomination_claim_person', ['person_id', 'award_type_id', 'year'], unique=True,
                              sqlite_where=sa.text(claiming), postgresql_where=sa.text(claiming))
        batch_op.create_index('uq_nomination_claim_collective', ['collective_id', 'award_type_id', 'year'],
                              unique=True, sqlite_where=sa.text(claiming), postgresql_where=sa.text(claiming))


def upgrade():
    _foreign_keys(False)
    op.create_table('award_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('award_codes', sa.JSON(), nullable=False),
    sa.Column('intake_deadline', sa.Date(), nullable=False),
    sa.Column('council_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_award_round_authority_id_authority')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_award_round_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_round'))
    )
    with op.batch_alter_table('award_round', schema=None) as batch_op:
        batch_op.create_index('ix_award_round_authority_year', ['authority_id', 'year'], unique=False)

    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('award_type_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('late_reason', sa.Text(), nullable=True),
    sa.Column('recommended_from_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_proposal_authority_id_authority')),
    sa.ForeignKeyConstraint(['award_type_id'], ['award_type.id'], name=op.f('fk_proposal_award_type_id_award_type')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_proposal_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_proposal_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['recommended_from_id'], ['nomination.id'], name=op.f('fk_proposal_recommended_from_id_nomination'), deferrable=True, initially='DEFERRED'),
    sa.ForeignKeyConstraint(['round_id'], ['award_round.id'], name=op.f('fk_proposal_round_id_award_round')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_proposal_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_round_id'), ['round_id'], unique=False)
        batch_op.create_index('ix_proposal_round_unit', ['round_id', 'unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_status'), ['status'], unique=False)

    op.create_table('proposal_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_document_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_proposal_document_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_document'))
    )
    with op.batch_alter_table('proposal_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_document_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('council_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('regulation_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_for', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('quorum', sa.JSON(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('minutes_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_council_session_authority_id_authority')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_council_session_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_council_session_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_council_session_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id'], name=op.f('fk_council_session_opened_by_id_user_account')),
    sa.ForeignKeyConstraint(['regulation_id'], ['council_regulation.id'], name=op.f('fk_council_session_regulation_id_council_regulation')),
    sa.ForeignKeyConstraint(['round_id'], ['award_round.id'], name=op.f('fk_council_session_round_id_award_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_session'))
    )
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_session_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_session_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_session_status'), ['status'], unique=False)

    op.create_table('late_entry',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user_account.id'], name=op.f('fk_late_entry_accepted_by_id_user_account')),
    sa.ForeignKeyConstraint(['round_id'], ['award_round.id'], name=op.f('fk_late_entry_round_id_award_round')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_late_entry_unit_id_unit')),
    sa.PrimaryKeyConstraint('round_id', 'unit_id', name=op.f('pk_late_entry'))
    )
    op.create_table('session_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('article', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('recommended_award_code', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_session_item_nomination_id_nomination')),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], name=op.f('fk_session_item_session_id_council_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_item')),
    sa.UniqueConstraint('nomination_id', 'session_id', name='uq_session_item')
    )
    with op.batch_alter_table('session_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_item_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_item_session_id'), ['session_id'], unique=False)

    op.create_table('session_member',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('attendance', sa.String(length=16), nullable=False),
    sa.Column('voted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['council_session.id'], name=op.f('fk_session_member_session_id_council_session')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_session_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_session_member'))
    )
    op.create_table('upward_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('higher_authority', sa.String(length=300), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_upward_outcome_decision_id_decision')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_upward_outcome_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upward_outcome'))
    )
    with op.batch_alter_table('upward_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upward_outcome_decision_id'), ['decision_id'], unique=False)

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.alter_column('nomination_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_decision_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_decision_round_id_award_round'), 'award_round', ['round_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_decision_proposal_id_proposal'), 'proposal', ['proposal_id'], ['id'])

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('list_decision_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('upward_result', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('upward_outcome_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_nomination_list_decision_id'), ['list_decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_nomination_upward_outcome_id_upward_outcome'), 'upward_outcome', ['upward_outcome_id'], ['id'], deferrable=True, initially='DEFERRED')
        batch_op.create_foreign_key(batch_op.f('fk_nomination_list_decision_id_decision'), 'decision', ['list_decision_id'], ['id'], deferrable=True, initially='DEFERRED')
        batch_op.create_foreign_key(batch_op.f('fk_nomination_round_id_award_round'), 'award_round', ['round_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_nomination_proposal_id_proposal'), 'proposal', ['proposal_id'], ['id'])

    with op.batch_alter_table('task_index', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.alter_column('nomination_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_task_index_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_index_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_task_index_session_id_council_session'), 'council_session', ['session_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_task_index_proposal_id_proposal'), 'proposal', ['proposal_id'], ['id'])

    with op.batch_alter_table('council_regulation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('without_vote', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('written_ballots', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('council_regulation', schema=None) as batch_op:
        batch_op.alter_column('without_vote', server_default=None)
        batch_op.alter_column('written_ballots', server_default=None)

    _claim_indexes(CLAIMING)
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    # Returned nominees claim again, as every status but the old released ones did.
    _claim_indexes(OLD_CLAIMING)
    with op.batch_alter_table('council_regulation', schema=None) as batch_op:
        batch_op.drop_column('written_ballots')
        batch_op.drop_column('without_vote')
    with op.batch_alter_table('task_index', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_index_proposal_id_proposal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_task_index_session_id_council_session'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_index_session_id'))
        batch_op.drop_index(batch_op.f('ix_task_index_proposal_id'))
        batch_op.alter_column('nomination_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('session_id')
        batch_op.drop_column('proposal_id')

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nomination_proposal_id_proposal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_nomination_round_id_award_round'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_nomination_list_decision_id_decision'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_nomination_upward_outcome_id_upward_outcome'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_nomination_round_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_list_decision_id'))
        batch_op.drop_column('upward_outcome_id')
        batch_op.drop_column('upward_result')
        batch_op.drop_column('list_decision_id')
        batch_op.drop_column('proposal_id')
        batch_op.drop_column('round_id')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decision_proposal_id_proposal'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_decision_round_id_award_round'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decision_round_id'))
        batch_op.drop_index(batch_op.f('ix_decision_proposal_id'))
        batch_op.alter_column('nomination_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('round_id')
        batch_op.drop_column('proposal_id')

    with op.batch_alter_table('upward_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upward_outcome_decision_id'))

    op.drop_table('upward_outcome')
    op.drop_table('session_member')
    with op.batch_alter_table('session_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_item_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_item_nomination_id'))

    op.drop_table('session_item')
    op.drop_table('late_entry')
    with op.batch_alter_table('council_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_session_status'))
        batch_op.drop_index(batch_op.f('ix_council_session_round_id'))
        batch_op.drop_index(batch_op.f('ix_council_session_authority_id'))

    op.drop_table('council_session')
    with op.batch_alter_table('proposal_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_document_proposal_id'))

    op.drop_table('proposal_document')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_status'))
        batch_op.drop_index('ix_proposal_round_unit')
        batch_op.drop_index(batch_op.f('ix_proposal_round_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_instance_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_authority_id'))

    op.drop_table('proposal')
    with op.batch_alter_table('award_round', schema=None) as batch_op:
        batch_op.drop_index('ix_award_round_authority_year')

    op.drop_table('award_round')
    _foreign_keys(True)
