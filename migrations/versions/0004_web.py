"""sessions end with a new password, processes keep their steps, mail is worded when sent

A session generation per user; the diagram elements each process ran; queued mail stored as
what it says and the recipient's language.

Revision ID: 0004_web
Revises: 0003_decisions
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_web'
down_revision = '0003_decisions'
branch_labels = None
depends_on = None

# Mail queued before this revision was already worded: it is kept as it is, under this template.
PLAIN = 'plain'


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('steps_done', sa.JSON(), nullable=True))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
    outbox = sa.table('outbox', sa.column('id', sa.Integer()), sa.column('subject', sa.String()),
                      sa.column('body', sa.Text()), sa.column('template', sa.String()),
                      sa.column('params', sa.JSON()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(outbox.c.id, outbox.c.subject, outbox.c.body)).all():
        connection.execute(outbox.update().where(outbox.c.id == row.id).values(
            template=PLAIN, params={'subject': row.subject, 'body': row.body}))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('template', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('params', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('subject')
        batch_op.drop_column('body')


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
    outbox = sa.table('outbox', sa.column('id', sa.Integer()), sa.column('subject', sa.String()),
                      sa.column('body', sa.Text()), sa.column('template', sa.String()),
                      sa.column('params', sa.JSON()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(outbox.c.id, outbox.c.template, outbox.c.params)).all():
        params = row.params or {}
        connection.execute(outbox.update().where(outbox.c.id == row.id).values(
            subject=str(params.get('subject', row.template))[:300], body=str(params.get('body', params))))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=False)
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('locale')
        batch_op.drop_column('params')
        batch_op.drop_column('template')
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.drop_column('steps_done')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
