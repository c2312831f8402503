"""Small dependency providers every service uses: clock, caller identity, config timer."""
from nameko.extensions import DependencyProvider
from nameko.timer import Timer

from shared.access import Principal
from shared.clock import Clock

CALLER_KEY = "duban.caller"


class ClockProvider(DependencyProvider):
    """The one clock (shared.clock); tests swap it with `worker_factory(clock=...)`."""

    def setup(self):
        self.clock = Clock()

    def get_dependency(self, worker_ctx):
        return self.clock


class Caller(DependencyProvider):
    """Who is acting (a shared.access.Principal), as the gateway put it into the nameko
    context data.

    The value travels with every RPC call as a header, so a service records and checks
    who asked. Events from the outbox carry no headers: a producer that needs the actor
    downstream puts it in the event data. No value: the deployment itself (SYSTEM).
    """

    def get_dependency(self, worker_ctx):
        return Principal.decode(worker_ctx.data.get(CALLER_KEY))


class ConfigTimer(Timer):
    """`@timer` whose interval comes from the service config (seconds)."""

    def __init__(self, config_key, default, **kwargs):
        self.config_key = config_key
        super().__init__(interval=default, **kwargs)

    def setup(self):
        self.interval = float(self.container.config.get(self.config_key, self.interval))


config_timer = ConfigTimer.decorator
