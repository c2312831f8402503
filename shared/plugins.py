"""Plugin discovery through entry points, for intake parsers, notify channels and
appraisal scoring rules alike.

A plugin is declared in its package's pyproject.toml, e.g.
    [project.entry-points."duban.notify.channels"]
    aliyun = "duban_aliyun:AliyunSms"
and found at start-up. Built-ins are registered the same way (in Duban's own
pyproject.toml) and are also passed in explicitly, so a service works before the
package is installed and tests can hand in the exact list they want.
"""
import logging
from importlib import metadata

from nameko.extensions import DependencyProvider

log = logging.getLogger(__name__)


def _instance(obj):
    return obj() if isinstance(obj, type) else obj


def load_entry_points(group, base=None):
    """Every loadable plugin of `group`, instantiated: [(entry point name, plugin)].

    A plugin that fails to load, or is not a `base`, is logged and skipped: one broken
    package must not stop a service.
    """
    found = []
    for entry_point in metadata.entry_points(group=group):
        try:
            plugin = _instance(entry_point.load())
            if base is not None and not isinstance(plugin, base):
                raise TypeError("{!r} is not a {}".format(plugin, base.__name__))
        except Exception as exc:
            log.warning("plugin %s of %s failed to load: %s", entry_point.name, group, exc)
            continue
        found.append((entry_point.name, plugin))
    return found


def discover(group, keys_of, builtins=(), base=None, entry_points=None):
    """{key: plugin} for a plugin group.

    `keys_of(plugin)` says which keys a plugin serves (a parser: its (kind, format)
    pairs; a channel or a rule: its name). Built-ins fill every key; a third-party
    plugin that serves a built-in key replaces the built-in, whatever the order in which
    entry points are listed. `entry_points` (a list of (name, plugin)) replaces the
    scan, for tests.
    """
    builtin_types = tuple(b if isinstance(b, type) else type(b) for b in builtins)
    if entry_points is None:
        entry_points = load_entry_points(group, base)
    third_party = [p for _, p in entry_points if type(p) not in builtin_types]
    found = {}
    for plugin in [_instance(b) for b in builtins] + third_party:
        for key in keys_of(plugin):
            found[key] = plugin
    return found


class Discovered(DependencyProvider):
    """A service's plugins, found once at start-up by `find()` (e.g. discover_parsers) and
    handed to every worker."""

    def __init__(self, find):
        self.find = find

    def setup(self):
        self.plugins = self.find()

    def get_dependency(self, worker_ctx):
        return self.plugins
