"""Nameko dependency providers of the notify service."""
from nameko.extensions import DependencyProvider

from .channels import discover_channels
from .context import Context


class NotifyContext(DependencyProvider):
    """Channels discovered and configured once per container; a Context per worker."""

    def setup(self):
        self.config = self.container.config
        self.channels = discover_channels(self.config)

    def get_dependency(self, worker_ctx):
        return Context.from_config(self.config, self.channels)
