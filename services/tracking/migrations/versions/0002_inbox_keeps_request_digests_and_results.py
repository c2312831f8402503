"""inbox keeps request digests and results

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 14:28:26.303227

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

    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('result', sa.JSON(), nullable=True))




def downgrade() -> None:
    """Downgrade schema."""

    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_column('result')
        batch_op.drop_column('digest')


