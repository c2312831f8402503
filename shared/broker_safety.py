"""A lost broker connection never kills a service.

nameko 2.14 acks (or requeues) a message after its worker ends, on the connection it
came in on. If the broker dropped that connection meanwhile (a broker restart, a
network cut), the ack raises a socket error (ConnectionResetError, BrokenPipeError)
that nameko does not catch: the worker's managed thread dies and takes the service
container, and with it the `nameko run` process, down. The message was not acked, so
the broker redelivers it on the consumer's new connection, where the inbox (events)
or the caller-chosen id (RPC writes) keeps it from being applied twice. Losing the
ack is harmless; losing the process is not. `install()` makes the ack and the requeue
log that case and go on. Every service calls it at import.
"""
import functools
import logging

from amqp.exceptions import AMQPError
from nameko.messaging import QueueConsumer

log = logging.getLogger(__name__)


def _tolerant(action, method):
    @functools.wraps(method)
    def wrapper(self, message):
        try:
            return method(self, message)
        except (OSError, AMQPError) as exc:
            log.warning("could not %s a message (delivery tag %s): %r; the broker redelivers "
                        "it on the new connection", action,
                        getattr(message, "delivery_tag", "?"), exc)
            return None
    wrapper.duban_tolerant = True
    return wrapper


def install():
    if getattr(QueueConsumer.ack_message, "duban_tolerant", False):
        return
    QueueConsumer.ack_message = _tolerant("ack", QueueConsumer.ack_message)
    QueueConsumer.requeue_message = _tolerant("requeue", QueueConsumer.requeue_message)
