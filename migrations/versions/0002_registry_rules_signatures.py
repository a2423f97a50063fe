"""The registry of people and collectives, rules as data, signatures, tally minutes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 22:58:51.876850

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('council_regulation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rounding', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_regulation')),
    sa.UniqueConstraint('code', name=op.f('uq_council_regulation_code'))
    )
    op.create_table('rule_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_set')),
    sa.UniqueConstraint('code', name=op.f('uq_rule_set_code'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('collective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_collective_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collective')),
    sa.UniqueConstraint('code', name=op.f('uq_collective_code'))
    )
    with op.batch_alter_table('collective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collective_unit_id'), ['unit_id'], unique=False)

    op.create_table('eligibility_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=False),
    sa.Column('award_code', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['rule_set_id'], ['rule_set.id'], name=op.f('fk_eligibility_rule_rule_set_id_rule_set')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_rule'))
    )
    with op.batch_alter_table('eligibility_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_rule_rule_set_id'), ['rule_set_id'], unique=False)

    op.create_table('vote_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regulation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('article', sa.String(length=32), nullable=False),
    sa.Column('quorum', sa.Double(), nullable=False),
    sa.Column('threshold', sa.Double(), nullable=False),
    sa.Column('base', sa.String(length=16), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['regulation_id'], ['council_regulation.id'], name=op.f('fk_vote_rule_regulation_id_council_regulation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_rule'))
    )
    with op.batch_alter_table('vote_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_rule_regulation_id'), ['regulation_id'], unique=False)

    op.create_table('council_seat',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_council_seat_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_council_seat'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('recruited_on', sa.Date(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_person_collective_id_collective')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_person_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_person_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('code', name=op.f('uq_person_code')),
    sa.UniqueConstraint('user_id', name=op.f('uq_person_user_id'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_unit_id'), ['unit_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('grade', sa.String(length=8), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(person_id IS NULL) <> (collective_id IS NULL)', name=op.f('ck_assessment_one_subject')),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_assessment_collective_id_collective')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_assessment_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('person_id', 'collective_id', 'year', name='uq_assessment_subject_year')
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_person_id'), ['person_id'], unique=False)

    op.create_table('discipline_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_discipline_record_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discipline_record'))
    )
    with op.batch_alter_table('discipline_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discipline_record_person_id'), ['person_id'], unique=False)

    op.create_table('review_hold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('placed_at', sa.DateTime(), nullable=False),
    sa.Column('placed_by_id', sa.Integer(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(person_id IS NULL) <> (collective_id IS NULL)', name=op.f('ck_review_hold_one_subject')),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_review_hold_collective_id_collective')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['user_account.id'], name=op.f('fk_review_hold_lifted_by_id_user_account')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_review_hold_person_id_person')),
    sa.ForeignKeyConstraint(['placed_by_id'], ['user_account.id'], name=op.f('fk_review_hold_placed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_hold'))
    )
    with op.batch_alter_table('review_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_hold_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_hold_person_id'), ['person_id'], unique=False)

    op.create_table('initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('used_by_nomination_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(person_id IS NULL) <> (collective_id IS NULL)', name=op.f('ck_initiative_one_subject')),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_initiative_collective_id_collective')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_initiative_person_id_person')),
    sa.ForeignKeyConstraint(['used_by_nomination_id'], ['nomination.id'], name=op.f('fk_initiative_used_by_nomination_id_nomination')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative')),
    sa.UniqueConstraint('used_by_nomination_id', name=op.f('uq_initiative_used_by_nomination_id'))
    )
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_person_id'), ['person_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('meaning', sa.String(length=16), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_signature_nomination_id_nomination')),
    sa.ForeignKeyConstraint(['signer_id'], ['user_account.id'], name=op.f('fk_signature_signer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature'))
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('tally_record',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('regulation_id', sa.Integer(), nullable=True),
    sa.Column('regulation_code', sa.String(length=64), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('voters', sa.JSON(), nullable=False),
    sa.Column('yes', sa.Integer(), nullable=False),
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('needed_voters', sa.Integer(), nullable=False),
    sa.Column('needed_yes', sa.Integer(), nullable=False),
    sa.Column('quorum_met', sa.Boolean(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('counted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_tally_record_nomination_id_nomination')),
    sa.ForeignKeyConstraint(['regulation_id'], ['council_regulation.id'], name=op.f('fk_tally_record_regulation_id_council_regulation')),
    sa.PrimaryKeyConstraint('nomination_id', name=op.f('pk_tally_record'))
    )
    op.create_table('award_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_code', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('decision_ref', sa.String(length=100), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(person_id IS NULL) <> (collective_id IS NULL)', name=op.f('ck_award_record_one_subject')),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_award_record_collective_id_collective')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_award_record_decision_id_decision')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_award_record_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_record'))
    )
    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.create_index('ix_award_record_code_year', ['award_code', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_record_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('award_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reward_coefficient', sa.Double(), nullable=False, server_default='0'))

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_basis', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reward_coefficient', sa.Double(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('base_salary', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('reward_amount', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revoke_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_decision_revoked_by_id_user_account'), 'user_account', ['revoked_by_id'], ['id'])

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('collective_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rule_set_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_nomination_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_nomination_rule_set_id_rule_set'), 'rule_set', ['rule_set_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_nomination_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_nomination_collective_id_collective'), 'collective', ['collective_id'], ['id'])




def downgrade():

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nomination_collective_id_collective'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_nomination_person_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_nomination_rule_set_id_rule_set'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_nomination_person_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_collective_id'))
        batch_op.drop_column('rule_set_id')
        batch_op.drop_column('collective_id')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decision_revoked_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('revoke_reason')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('content_sha256')
        batch_op.drop_column('reward_amount')
        batch_op.drop_column('base_salary')
        batch_op.drop_column('reward_coefficient')
        batch_op.drop_column('legal_basis')

    with op.batch_alter_table('award_type', schema=None) as batch_op:
        batch_op.drop_column('reward_coefficient')

    with op.batch_alter_table('award_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_record_person_id'))
        batch_op.drop_index(batch_op.f('ix_award_record_decision_id'))
        batch_op.drop_index(batch_op.f('ix_award_record_collective_id'))
        batch_op.drop_index('ix_award_record_code_year')

    op.drop_table('award_record')
    op.drop_table('tally_record')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_nomination_id'))

    op.drop_table('signature')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_person_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_collective_id'))

    op.drop_table('initiative')
    with op.batch_alter_table('review_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_hold_person_id'))
        batch_op.drop_index(batch_op.f('ix_review_hold_collective_id'))

    op.drop_table('review_hold')
    with op.batch_alter_table('discipline_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discipline_record_person_id'))

    op.drop_table('discipline_record')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_person_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_collective_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_unit_id'))
        batch_op.drop_index(batch_op.f('ix_person_collective_id'))

    op.drop_table('person')
    op.drop_table('council_seat')
    with op.batch_alter_table('vote_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_rule_regulation_id'))

    op.drop_table('vote_rule')
    with op.batch_alter_table('eligibility_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_rule_rule_set_id'))

    op.drop_table('eligibility_rule')
    with op.batch_alter_table('collective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collective_unit_id'))

    op.drop_table('collective')
    op.drop_table('setting')
    op.drop_table('rule_set')
    op.drop_table('council_regulation')

