"""one signature for a whole list's decision

A list decision is signed once for every awardee of its annex: a signature may now name the list
(``proposal_id``) and the decision it gave (``decision_id``) instead of one nomination. Existing
signatures keep their nomination.

Revision ID: 0012_listdecisions
Revises: 0011_rounds
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_listdecisions'
down_revision = '0011_rounds'
branch_labels = None
depends_on = None


def _foreign_keys(enforced: bool) -> None:
    """SQLite checks foreign keys on the DROP TABLE of a batch rebuild (see 0010_authorities)."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    if bind.connection.driver_connection.in_transaction:
        op.execute('COMMIT')
    op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_id', sa.Integer(), nullable=True))
        batch_op.alter_column('nomination_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f('ix_signature_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_decision_id'), ['decision_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_signature_proposal_id_proposal'), 'proposal',
                                    ['proposal_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_signature_decision_id_decision'), 'decision',
                                    ['decision_id'], ['id'])
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    op.execute("DELETE FROM signature WHERE nomination_id IS NULL")
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signature_decision_id_decision'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_signature_proposal_id_proposal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_signature_decision_id'))
        batch_op.drop_index(batch_op.f('ix_signature_proposal_id'))
        batch_op.alter_column('nomination_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('decision_id')
        batch_op.drop_column('proposal_id')
    _foreign_keys(True)
