"""The console channel (the default of `make run`): prints each reminder, number masked,
and keeps what it sent in memory."""
import itertools
import logging

from shared.masking import mask_mobile

from .base import DELIVERED, NOT_FOUND, SENT, Channel, Result

log = logging.getLogger(__name__)
_ids = itertools.count(1)


class ConsoleChannel(Channel):
    name = "console"

    def configure(self, settings):
        super().configure(settings)
        self.sent = {}
        return self

    def send(self, message):
        provider_id = "console-{}".format(next(_ids))
        self.sent[message.out_id] = (message, provider_id)
        print("[notify/console] to {} ({}): {}".format(mask_mobile(message.to), message.kind,
                                                      mask_mobile(message.text)), flush=True)
        return Result(SENT, provider_id=provider_id)

    def lookup(self, message):
        return DELIVERED if message.out_id in self.sent else NOT_FOUND
