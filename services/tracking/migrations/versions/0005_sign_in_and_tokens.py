"""sign-in and tokens: people's usernames and password hashes, tokens, sign-in failures

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from shared.db import BigId

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_people_username', ['username'])
    op.create_table(
        'tokens',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('person_id', BigId, sa.ForeignKey('people.id', name='fk_tokens_person'),
                  nullable=True),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('org_id', sa.String(length=64), nullable=True),
        sa.Column('organisation', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('digest', name='uq_tokens_digest'),
    )
    op.create_table(
        'sign_in_failures',
        sa.Column('id', BigId, primary_key=True, autoincrement=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
    )
    op.create_index('ix_sign_in_failures_at', 'sign_in_failures', ['at'])


def downgrade() -> None:
    op.drop_index('ix_sign_in_failures_at', table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
    op.drop_table('tokens')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('uq_people_username', type_='unique')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('username')
