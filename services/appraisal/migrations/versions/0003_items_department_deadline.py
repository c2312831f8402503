"""items: the department index becomes (department, deadline, number), for the evidence walks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 20:15:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_department')
        batch_op.create_index('ix_items_department_deadline',
                              ['department', 'deadline', 'number'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_department_deadline')
        batch_op.create_index('ix_items_department', ['department'], unique=False)
