"""the rules cite the law in Vietnamese too

Rule sets and council regulations get a Vietnamese title and legal basis, and each eligibility
rule and each article of a regulation a Vietnamese legal basis, as Vietnamese documents cite
the law. Rows loaded from the reference files get their Vietnamese from those files (a rule
only when it is still the rule the file ships, and the text to be judged by people with it);
versions an administrator published keep "" and are shown with their English citations
translated where the form is a usual one.

Revision ID: 0005_rules_words
Revises: 0004_web
"""
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0005_rules_words'
down_revision = '0004_web'
branch_labels = None
depends_on = None

REFERENCE = Path(__file__).resolve().parents[2] / 'reference'

versions = {name: sa.table(name, sa.column('id', sa.Integer()), sa.column('code', sa.String()),
                           sa.column('title_vi', sa.String()), sa.column('legal_basis_vi', sa.Text()))
            for name in ('rule_set', 'council_regulation')}
eligibility_rule = sa.table(
    'eligibility_rule', sa.column('id', sa.Integer()), sa.column('rule_set_id', sa.Integer()),
    sa.column('position', sa.Integer()), sa.column('award_code', sa.String()), sa.column('kind', sa.String()),
    sa.column('params', sa.JSON()), sa.column('legal_basis', sa.Text()), sa.column('legal_basis_vi', sa.Text()))
vote_rule = sa.table(
    'vote_rule', sa.column('id', sa.Integer()), sa.column('regulation_id', sa.Integer()),
    sa.column('article', sa.String()), sa.column('legal_basis', sa.Text()), sa.column('legal_basis_vi', sa.Text()))


def upgrade():
    for table in ('rule_set', 'council_regulation'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('title_vi', sa.String(length=300), server_default='', nullable=False))
            batch_op.add_column(sa.Column('legal_basis_vi', sa.Text(), server_default='', nullable=False))
    for table in ('eligibility_rule', 'vote_rule'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('legal_basis_vi', sa.Text(), server_default='', nullable=False))
    connection = op.get_bind()
    _rule_sets(connection)
    _regulations(connection)


def _reference(name: str) -> dict:
    path = REFERENCE / name
    return json.loads(path.read_text(encoding='utf-8')) if path.exists() else {}


def _version_id(connection, table, spec: dict):
    """The row of a shipped version, given its Vietnamese header; None when it is not there."""
    row = connection.execute(sa.select(table.c.id).where(table.c.code == spec['code'])).first()
    if row is not None:
        connection.execute(table.update().where(table.c.id == row.id).values(
            title_vi=spec.get('title_vi', ''), legal_basis_vi=spec.get('legal_basis_vi', '')))
    return row.id if row is not None else None


def _rule_sets(connection) -> None:
    data = _reference('rule_sets.json')
    for spec in data.get('rule_sets', []):
        set_id = _version_id(connection, versions['rule_set'], spec)
        if set_id is None:
            continue
        shipped = {position: rule for position, rule in enumerate(data.get('common_rules', []))}
        rows = connection.execute(sa.select(eligibility_rule).where(eligibility_rule.c.rule_set_id == set_id)).all()
        for row in rows:
            rule = shipped.get(row.position)
            if rule is None or (rule['award'], rule['kind']) != (row.award_code, row.kind) \
                    or rule['basis'].format(**spec) != row.legal_basis:
                continue
            params = dict(row.params or {})
            if 'what_vi' in rule['params'] and params.get('what') == rule['params']['what']:
                params['what_vi'] = rule['params']['what_vi']
            connection.execute(eligibility_rule.update().where(eligibility_rule.c.id == row.id).values(
                legal_basis_vi=rule.get('basis_vi', '').format(**spec), params=params))


def _regulations(connection) -> None:
    for spec in _reference('council_regulations.json').get('regulations', []):
        regulation_id = _version_id(connection, versions['council_regulation'], spec)
        if regulation_id is None:
            continue
        for article in spec['rules']:
            connection.execute(vote_rule.update().where(
                vote_rule.c.regulation_id == regulation_id, vote_rule.c.article == article['article'],
                vote_rule.c.legal_basis == article.get('legal_basis', '')
            ).values(legal_basis_vi=article.get('legal_basis_vi', '')))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): copying the tables, as batch mode
    # does on SQLite, would break the foreign keys of the rules that point at their version.
    for table in ('vote_rule', 'eligibility_rule', 'council_regulation', 'rule_set'):
        op.drop_column(table, 'legal_basis_vi')
    for table in ('council_regulation', 'rule_set'):
        op.drop_column(table, 'title_vi')
