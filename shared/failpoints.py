"""Named crash points for fault-injection tests (DUBAN_FAILPOINTS=name,name).

A failpoint ends the process on the spot, as a kill -9 would, so a test can show
what survives a crash at that exact step. Unset in production: a no-op.
"""
import os


def hit(name):
    armed = os.environ.get("DUBAN_FAILPOINTS")
    if armed and name in armed.split(","):
        os._exit(137)
