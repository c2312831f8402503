"""notify.events out: an event into the outbox and, in the same transaction, to the
webhooks that want it."""
from shared.events import make_envelope

from . import webhooks


def announce(uow, type_, data, subject_id=None, org_id=None):
    envelope = make_envelope(type_, uow.producer or "notify", data, uow.clock.now(),
                             subject_id=subject_id, org_id=org_id)
    uow.outbox.add(uow.session, envelope)
    webhooks.enqueue(uow.session, envelope, uow.clock.now())
    return envelope
