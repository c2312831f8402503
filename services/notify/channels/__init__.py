"""Notification channels as plugins (group `duban.notify.channels`): console, a generic
HTTP SMS gateway, Aliyun SMS, Tencent Cloud SMS and the WeCom / DingTalk group robots built
in; more install as packages."""
from shared.plugins import discover

from .aliyun import AliyunSms
from .base import Channel, Message
from .console import ConsoleChannel
from .http_gateway import HttpSmsGateway
from .robots import DingTalkRobot, WeComRobot
from .tencent import TencentSms

GROUP = "duban.notify.channels"
BUILTINS = (ConsoleChannel, HttpSmsGateway, AliyunSms, TencentSms, WeComRobot, DingTalkRobot)


def discover_channels(settings, entry_points=None):
    """{name: configured channel} for every built-in and installed channel plugin."""
    found = discover(GROUP, lambda c: [c.name], builtins=BUILTINS, base=Channel,
                     entry_points=entry_points)
    return {name: channel.configure(settings) for name, channel in found.items()}


__all__ = ["Channel", "Message", "discover_channels", "GROUP", "BUILTINS"]
