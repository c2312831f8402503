"""Named crash and pause points for fault-injection tests.

DUBAN_FAILPOINTS=name,name ends the process on the spot at those points, as a kill -9
would, so a test can show what survives a crash at that exact step.
DUBAN_DELAYS=name=seconds,... pauses there (a slow database, a long request).
Unset in production: no-ops.
"""
import os
import time


def hit(name):
    armed = os.environ.get("DUBAN_FAILPOINTS")
    if armed and name in armed.split(","):
        os._exit(137)


def pause(name):
    armed = os.environ.get("DUBAN_DELAYS")
    if not armed:
        return
    for entry in armed.split(","):
        point, _, seconds = entry.partition("=")
        if point == name:
            time.sleep(float(seconds or 1))
