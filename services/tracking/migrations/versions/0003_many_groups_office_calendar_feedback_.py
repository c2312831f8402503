"""many groups, office calendar, feedback due dates, item corrections

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:32:53.502847

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
    op.create_table('calendar_days',
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('org_id', 'day')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responsible_person_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('due_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('resumed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('last_feedback_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('feedback_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('feedback_next_check', sa.Date(), nullable=True))
        batch_op.alter_column('number',
               existing_type=sa.VARCHAR(length=32),
               type_=sa.String(length=64),
               existing_nullable=False)
        batch_op.create_index('ix_items_feedback_next_check', ['feedback_next_check'], unique=False)
        batch_op.create_index('ix_items_status_due_by', ['status', 'due_by'], unique=False)
        batch_op.create_unique_constraint('uq_items_org_number', ['org_id', 'number'])

    # Items registered before the office calendar: due by their deadline until recomputed.
    op.execute("UPDATE items SET due_by = deadline")
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.alter_column('due_by', existing_type=sa.Date(), nullable=False)

    # Numbers are unique within a group now, not over the whole table.
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
                'items', naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch_op:
            batch_op.drop_constraint('uq_items_number', type_='unique')
    else:
        op.drop_constraint('items_number_key', 'items', type_='unique')

    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('leader_person_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('number_format', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key('fk_org_units_head', 'people', ['head_person_id'], ['id'], use_alter=True)
        batch_op.create_foreign_key('fk_org_units_leader', 'people', ['leader_person_id'], ['id'], use_alter=True)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_people_mobile', ['mobile'])



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('uq_people_mobile', type_='unique')

    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_constraint('fk_org_units_leader', type_='foreignkey')
        batch_op.drop_constraint('fk_org_units_head', type_='foreignkey')
        batch_op.drop_column('number_format')
        batch_op.drop_column('leader_person_id')
        batch_op.drop_column('head_person_id')

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_constraint('uq_items_org_number', type_='unique')
        batch_op.create_unique_constraint('uq_items_number', ['number'])
        batch_op.drop_index('ix_items_status_due_by')
        batch_op.drop_index('ix_items_feedback_next_check')
        batch_op.alter_column('number',
               existing_type=sa.String(length=64),
               type_=sa.VARCHAR(length=32),
               existing_nullable=False)
        batch_op.drop_column('feedback_next_check')
        batch_op.drop_column('feedback_due_on')
        batch_op.drop_column('last_feedback_on')
        batch_op.drop_column('resumed_on')
        batch_op.drop_column('issued_on')
        batch_op.drop_column('due_by')
        batch_op.drop_column('responsible_person_reason')

    op.drop_table('calendar_days')
