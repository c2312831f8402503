"""notify's sender on PostgreSQL: the daily cap shared by two senders of one number."""
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notify import sending
from services.notify.channels import discover_channels
from services.notify.models import DailyCount, InboxEntry, Rung
from shared.clock import Clock
from shared.db import engine_for
from shared.migrate import upgrade
from shared.uow import UnitOfWork
from services.notify.context import Context
from tests.integration.test_notify_crash import TableOutboxForTests, seed_same_number

pytestmark = pytest.mark.integration


def test_the_daily_cap_holds_across_batches_on_postgres(pg_url, capsys):
    upgrade("notify", pg_url)
    seed_same_number(pg_url, 5)
    engine = engine_for(pg_url)
    channels = discover_channels({}, entry_points=[])
    ctx = Context(channels=channels, default_channel="console", daily_cap=3, batch=2)
    with Session(engine, expire_on_commit=False) as session:
        uow = UnitOfWork(session, TableOutboxForTests(), Clock(), producer="notify",
                         inbox=InboxEntry)
        outcome = sending.run_due(uow, ctx, Clock().now())
        assert outcome == {"sent": 3}
        counter = session.scalar(select(DailyCount.count))
        waiting = session.scalar(select(func.count()).select_from(Rung).where(
            Rung.status == "pending", Rung.next_at > Clock().now() + dt.timedelta(hours=1),
            Rung.kind == "before"))
    assert counter == 3 and waiting == 2
    assert capsys.readouterr().out.count("[notify/console] to 139****1111") == 3
