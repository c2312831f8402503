"""A bare notify sender for the crash test: one process that recovers and sends what is due
on a PostgreSQL database, until it is killed (or nothing is left).

    python -m tests.integration.notify_worker <database url> <settings json>
"""
import json
import sys
import time

from sqlalchemy import func, select

from services.notify import sending
from services.notify.channels import discover_channels
from services.notify.context import Context
from services.notify.models import CHECKING, PENDING, SENDING, InboxEntry, OutboxEvent, Rung
from shared.clock import Clock
from shared.db import engine_for, session_factory
from shared.outbox import add_event
from shared.uow import UnitOfWork


class TableOutbox:
    def add(self, session, envelope):
        add_event(session, OutboxEvent, envelope)


def main(url, settings):
    session = session_factory(engine_for(url))()
    ctx = Context.from_config(settings, discover_channels(settings, entry_points=[]))
    uow = UnitOfWork(session, TableOutbox(), Clock(), producer="notify", inbox=InboxEntry)
    idle = 0
    while idle < 40:
        now = Clock().now()
        sending.recover(uow, ctx, now)
        sending.run_due(uow, ctx, now)
        left = session.scalar(select(func.count()).select_from(Rung).where(
            Rung.status.in_((PENDING, SENDING, CHECKING))))
        session.rollback()
        idle = idle + 1 if left == 0 else 0
        time.sleep(0.05)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
