"""Plugin discovery: built-ins fill every key, third-party plugins replace them."""
from shared.plugins import discover


class Builtin:
    name = "console"


class OtherBuiltin:
    name = "http"


class ThirdParty:
    name = "console"


def by_name(plugin):
    return [plugin.name]


def test_builtins_fill_every_key_without_entry_points():
    found = discover("duban.test", by_name, builtins=(Builtin, OtherBuiltin), entry_points=[])
    assert type(found["console"]) is Builtin and type(found["http"]) is OtherBuiltin


def test_a_plugin_replaces_a_builtin_in_any_order():
    for order in ([("b", Builtin()), ("t", ThirdParty())], [("t", ThirdParty()), ("b", Builtin())]):
        found = discover("duban.test", by_name, builtins=(Builtin, OtherBuiltin),
                         entry_points=order)
        assert type(found["console"]) is ThirdParty
        assert type(found["http"]) is OtherBuiltin


def test_a_broken_entry_point_is_skipped(monkeypatch):
    class Broken:
        name = "broken"

        def load(self):
            raise ImportError("no such module")

    class Good:
        name = "good"

        def load(self):
            return ThirdParty

    import shared.plugins as plugins
    monkeypatch.setattr(plugins.metadata, "entry_points", lambda group: [Broken(), Good()])
    found = discover("duban.test", by_name, builtins=(OtherBuiltin,))
    assert set(found) == {"console", "http"}
