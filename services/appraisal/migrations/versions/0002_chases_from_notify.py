"""chases from notify.events: one row per chase (items lose the never-written chases_unanswered)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 17:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('chases',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('chased_on', sa.Date(), nullable=False),
    sa.Column('answer_days', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('org_path', sa.String(length=1000), nullable=False),
    sa.Column('department', sa.String(length=64), nullable=False),
    sa.Column('milestone', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('chases', schema=None) as batch_op:
        batch_op.create_index('ix_chases_org_chased', ['org_id', 'chased_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_chases_item_id'), ['item_id'], unique=False)

    # never written (always 0): chases are counted from the chases table
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('chases_unanswered')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chases_unanswered', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('chases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chases_item_id'))
        batch_op.drop_index('ix_chases_org_chased')
    op.drop_table('chases')
