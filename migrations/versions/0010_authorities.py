"""deciding authorities: the bloc, member agencies, units with legal status, and roles within them

Everything decided so far was decided by the bloc, so the bloc's authority is made and given to
every existing nomination, decision, number counter, council seat and regulation, and to the
open tasks of the secretariat, reviewers, council and chair. The secretariat, reviewer, council
member and chair roles were held bloc-wide: they become roles within the bloc's authority (the
secretariat its office; the chair both the council's chair and the head who signs) and leave
the global roles, which keep only administrators, auditors and the units' clerks and heads.

Revision ID: 0010_authorities
Revises: 0009_tenure
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_authorities'
down_revision = '0009_tenure'
branch_labels = None
depends_on = None

BLOC = {'code': 'KHOI', 'name': 'Emulation Bloc of Central Party Agencies',
        'name_vi': 'Khối thi đua các cơ quan Đảng Trung ương', 'kind': 'bloc', 'symbol': 'KTĐ', 'active': True}
# The old global roles and the roles within the bloc they become.
MOVED = {'secretariat': ('office',), 'reviewer': ('reviewer',), 'council_member': ('council_member',),
         'council_chair': ('council_chair', 'head')}
AUTHORITY_TASK_ROLES = ('secretariat', 'reviewer', 'council_member', 'council_chair')

authority = sa.table('authority', sa.column('id', sa.Integer()), sa.column('code', sa.String()),
                     sa.column('name', sa.String()), sa.column('name_vi', sa.String()), sa.column('kind', sa.String()),
                     sa.column('symbol', sa.String()), sa.column('active', sa.Boolean()))
authority_role = sa.table('authority_role', sa.column('user_id', sa.Integer()), sa.column('authority_id', sa.Integer()),
                          sa.column('role', sa.String()))
user_role = sa.table('user_role', sa.column('user_id', sa.Integer()), sa.column('role', sa.String()))
task_index = sa.table('task_index', sa.column('role', sa.String()), sa.column('unit_id', sa.Integer()),
                      sa.column('authority_id', sa.Integer()))
# Tables whose every row becomes the bloc's.
OWNED = ('council_regulation', 'council_seat', 'nomination', 'decision', 'number_counter')


def _foreign_keys(enforced: bool) -> None:
    """SQLite checks foreign keys on the DROP TABLE of a batch rebuild, which rows referring to the
    rebuilt table (a decision to its nomination) would fail, deferred or not: the check is off while
    tables are rebuilt. SQLite changes the setting only between transactions, so what ran before is
    committed first (on SQLite this revision is applied in steps; PostgreSQL needs none of this)."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    if bind.connection.driver_connection.in_transaction:
        op.execute('COMMIT')
    op.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def upgrade():
    _foreign_keys(False)
    op.create_table('authority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_vi', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('collective_id', sa.Integer(), nullable=True),
    sa.Column('symbol', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_authority_collective_id_collective')),
    sa.ForeignKeyConstraint(['parent_id'], ['authority.id'], name=op.f('fk_authority_parent_id_authority')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_authority_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority')),
    sa.UniqueConstraint('code', name=op.f('uq_authority_code')),
    sa.UniqueConstraint('symbol', name=op.f('uq_authority_symbol'))
    )
    with op.batch_alter_table('authority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_collective_id'), ['collective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_authority_unit_id'), ['unit_id'], unique=False)

    op.create_table('authority_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_authority_role_authority_id_authority')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_authority_role_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', 'authority_id', 'role', name=op.f('pk_authority_role'))
    )
    with op.batch_alter_table('authority_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_role_authority_id'), ['authority_id'], unique=False)

    connection = op.get_bind()
    connection.execute(authority.insert().values(**BLOC))
    bloc_id = connection.execute(sa.select(authority.c.id).where(authority.c.code == BLOC['code'])).scalar_one()

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('authority_id', sa.Integer(), nullable=True))
        connection.execute(sa.text(f'UPDATE {table} SET authority_id = :bloc'), {'bloc': bloc_id})
    with op.batch_alter_table('council_regulation', schema=None) as batch_op:
        batch_op.alter_column('authority_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_council_regulation_authority_id'), ['authority_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_council_regulation_authority_id_authority'), 'authority',
                                    ['authority_id'], ['id'])
    for table in ('nomination', 'decision'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('authority_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_authority_id'), ['authority_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_authority_id_authority'), 'authority',
                                        ['authority_id'], ['id'])
    # Seats and counters are kept per authority: the authority joins their keys.
    for table, key in (('council_seat', ['authority_id', 'user_id']),
                       ('number_counter', ['authority_id', 'kind', 'year'])):
        with op.batch_alter_table(table, schema=None, recreate='always') as batch_op:
            batch_op.alter_column('authority_id', existing_type=sa.Integer(), nullable=False)
            batch_op.drop_constraint(f'pk_{table}', type_='primary')
            batch_op.create_primary_key(f'pk_{table}', key)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_authority_id_authority'), 'authority',
                                        ['authority_id'], ['id'])

    with op.batch_alter_table('task_index', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_task_index_authority_id_authority'), 'authority',
                                    ['authority_id'], ['id'])
        batch_op.drop_index('ix_task_index_inbox')
        batch_op.create_index('ix_task_index_inbox', ['state', 'role', 'unit_id', 'authority_id', 'assignee_id',
                                                      'due_at', 'created_at', 'id'], unique=False)
    connection.execute(task_index.update().where(task_index.c.role.in_(AUTHORITY_TASK_ROLES),
                                                 task_index.c.unit_id.is_(None)).values(authority_id=bloc_id))

    held = connection.execute(sa.select(user_role.c.user_id, user_role.c.role)
                              .where(user_role.c.role.in_(tuple(MOVED)))).all()
    rows = sorted({(user_id, role) for user_id, old in held for role in MOVED[old]})
    if rows:
        connection.execute(authority_role.insert(),
                           [{'user_id': user_id, 'authority_id': bloc_id, 'role': role} for user_id, role in rows])
    connection.execute(user_role.delete().where(user_role.c.role.in_(tuple(MOVED))))
    _foreign_keys(True)


def downgrade():
    _foreign_keys(False)
    connection = op.get_bind()
    bloc_id = connection.execute(sa.select(authority.c.id).where(authority.c.kind == 'bloc')
                                 .order_by(authority.c.id).limit(1)).scalar()
    # Roles held within the bloc become global again; roles within other authorities cannot be kept.
    back = {'office': 'secretariat', 'reviewer': 'reviewer', 'council_member': 'council_member',
            'head': 'council_chair', 'council_chair': 'council_chair'}
    held = connection.execute(sa.select(authority_role.c.user_id, authority_role.c.role)
                              .where(authority_role.c.authority_id == bloc_id)).all()
    rows = sorted({(user_id, back[role]) for user_id, role in held if role in back})
    if rows:
        connection.execute(user_role.insert(), [{'user_id': user_id, 'role': role} for user_id, role in rows])

    with op.batch_alter_table('task_index', schema=None) as batch_op:
        batch_op.drop_index('ix_task_index_inbox')
        batch_op.create_index('ix_task_index_inbox', ['state', 'role', 'unit_id', 'assignee_id', 'due_at',
                                                      'created_at', 'id'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_task_index_authority_id_authority'), type_='foreignkey')
        batch_op.drop_column('authority_id')
    # Only the bloc's seats and counters fit the old keys.
    for table, key in (('council_seat', ['user_id']), ('number_counter', ['kind', 'year'])):
        connection.execute(sa.text(f'DELETE FROM {table} WHERE authority_id <> :bloc'), {'bloc': bloc_id})
        with op.batch_alter_table(table, schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_authority_id_authority'), type_='foreignkey')
            batch_op.drop_constraint(f'pk_{table}', type_='primary')
            batch_op.create_primary_key(f'pk_{table}', key)
            batch_op.drop_column('authority_id')
    for table in ('council_regulation', 'nomination', 'decision'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_authority_id_authority'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_authority_id'))
            batch_op.drop_column('authority_id')

    with op.batch_alter_table('authority_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_role_authority_id'))
    op.drop_table('authority_role')
    with op.batch_alter_table('authority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_unit_id'))
        batch_op.drop_index(batch_op.f('ix_authority_collective_id'))
    op.drop_table('authority')
    _foreign_keys(True)
