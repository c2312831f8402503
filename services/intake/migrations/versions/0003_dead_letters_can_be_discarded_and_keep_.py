"""dead letters can be discarded and keep an audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:54:55.472510

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""

    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discarded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('audit', sa.JSON(), nullable=True))




def downgrade() -> None:
    """Downgrade schema."""

    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.drop_column('audit')
        batch_op.drop_column('discarded_at')


