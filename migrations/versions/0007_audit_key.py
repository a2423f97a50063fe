"""the audit chain keyed outside the database, anchored on signed papers; documents' integrity

Events already written keep their plain sha256 hashes and get no key id (version 0): they are
verified the old way, as the chain's first events. Re-keying them here was not chosen: it
would need the key inside a schema migration, and it would seal whatever the old chain holds,
so an edit made before this revision would be laundered into a valid keyed chain.

Revision ID: 0007_audit_key
Revises: 0006_sessions
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_audit_key'
down_revision = '0006_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.add_column(sa.Column('audit_hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('integrity_problem', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('integrity_noted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('integrity_noted_at')
        batch_op.drop_column('integrity_problem')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('audit_hash')
        batch_op.drop_column('audit_seq')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('key_id')
