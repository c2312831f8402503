"""A short sustained load with a service restarted in the middle (DUBAN_SOAK_SECONDS,
default 60; set 1200 for the 20-minute run).

Drafts are confirmed in intake at a steady rate; tracking registers an item for each
and publishes `item.registered`, followed by a subscriber. Half-way through, tracking
is stopped (SIGTERM) and started again. Counts must balance, and the services'
resident memory, sampled every second, must not grow without bound: per process
lifetime, the mean of the last third is compared with the mean of the first third.
"""
import os
import statistics
import time

import eventlet
import pytest

from services.intake.models import OutboxEvent as IntakeOutbox
from services.tracking.models import OutboxEvent as TrackingOutbox
from tests.faults.conftest import report
from tests.faults.rig import confirm_drafts, tracking_effects, unpublished, wait_for
from tests.helpers import EventTap

pytestmark = pytest.mark.integration
SECONDS = float(os.environ.get("DUBAN_SOAK_SECONDS", 60))
RATE = float(os.environ.get("DUBAN_SOAK_RATE", 8))  # changes per second
GROWTH_FACTOR, GROWTH_SLACK = 1.5, 30 * 1024 * 1024
MB = 1024 * 1024


def thirds(samples):
    n = len(samples) // 3
    return statistics.mean(samples[:n]), statistics.mean(samples[-n:])


def test_sustained_load_with_a_restart_balances(system):
    s = system().start()
    tap = EventTap(s.amqp_uri, "tracking.events", "item.registered")
    ids, samples = [], {"intake": [[]], "tracking": [[]]}
    start = time.monotonic()
    stop_at = start + SECONDS
    restarted = []

    def produce():
        tick = 0
        while time.monotonic() < stop_at:
            ids.extend(confirm_drafts(s.intake_url, 1, "soak{}".format(tick)))
            tick += 1
            eventlet.sleep(max(0, start + tick / RATE - time.monotonic()))

    def sample():
        while time.monotonic() < stop_at:
            for name in samples:
                rss = getattr(s, name).rss()
                if rss:
                    samples[name][-1].append(rss)
            eventlet.sleep(1)

    workers = [eventlet.spawn(produce), eventlet.spawn(sample)]
    eventlet.sleep(SECONDS / 2)
    code = s.tracking.terminate()
    samples["tracking"].append([])  # a new process: a new series
    s.tracking.start()
    restarted.append(code)
    for w in workers:
        w.wait()

    wait_for(lambda: tracking_effects(s.tracking_url, ids)[0] == len(ids), 120,
             message="not every change was processed")
    wait_for(lambda: unpublished(s.intake_url, IntakeOutbox) == 0
             and unpublished(s.tracking_url, TrackingOutbox) == 0, 60)
    received = wait_for(lambda: (lambda got: got if got >= set(ids) else None)(
        {b["subject_id"] for _, b in tap.settle(quiet=0.5)}), 60,
        message="item.registered events missing downstream")
    tap.close()
    processed, lost, duplicated = tracking_effects(s.tracking_url, ids)
    memory = {}
    for name, series in samples.items():
        for n, values in enumerate(series):
            if len(values) >= 9:
                first, last = thirds(values)
                memory["{}#{}".format(name, n + 1)] = (first, last)
    report("f soak {:.0f}s".format(SECONDS), rate=RATE, published=len(ids), processed=processed,
           downstream=len(received & set(ids)), lost=lost, duplicated=duplicated,
           restart_exit=restarted[0],
           rss_mb=" ".join("{}:{:.0f}->{:.0f}".format(k, a / MB, b / MB)
                           for k, (a, b) in sorted(memory.items())))
    assert restarted == [0]
    assert lost == 0 and duplicated == 0 and len(ids) >= SECONDS * RATE * 0.8
    assert {"intake#1", "tracking#1", "tracking#2"} <= set(memory), memory
    for key, (first, last) in memory.items():
        assert last <= first * GROWTH_FACTOR + GROWTH_SLACK, (key, first / MB, last / MB)
