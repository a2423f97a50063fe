"""The signed content of a decision, kept as it was signed

Revision ID: 0003_decisions
Revises: 0002
Create Date: 2026-11-25 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_decisions'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_content', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('signed_content')
