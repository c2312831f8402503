"""A consumer stopped while changes are made, and stopped (SIGTERM) in the middle of work.

intake's relay publishes `draft.confirmed` (rows written as its confirm use case writes
them); tracking consumes them with `reliable_handler` and its inbox. Every change must
reach tracking exactly once: lost == 0, duplicated == 0.
"""
import pytest

from services.intake.models import OutboxEvent as IntakeOutbox
from tests.faults.conftest import report
from tests.faults.rig import confirm_drafts, inbox_count, tracking_effects, unpublished, wait_for

pytestmark = pytest.mark.integration
N = 200


def test_consumer_stopped_while_changes_are_made(system):
    s = system().start()
    warm = confirm_drafts(s.intake_url, 5, "warm")
    wait_for(lambda: tracking_effects(s.tracking_url, warm)[0] == 5, 30)
    assert s.tracking.terminate() == 0

    ids = confirm_drafts(s.intake_url, N, "down")  # tracking is not running
    wait_for(lambda: unpublished(s.intake_url, IntakeOutbox) == 0, 60,
             message="intake did not publish while tracking was down")
    assert tracking_effects(s.tracking_url, ids)[0] == 0

    s.start("tracking")
    wait_for(lambda: tracking_effects(s.tracking_url, ids)[0] == N, 120,
             message="not every change reached tracking")
    processed, lost, duplicated = tracking_effects(s.tracking_url, ids)
    report("a consumer down", published=N, processed=processed, lost=lost, duplicated=duplicated)
    assert lost == 0 and duplicated == 0 and processed == N


def test_sigterm_during_work_finishes_in_flight_and_applies_nothing_twice(system):
    # Small batches, each commit slowed: the stop lands while work is still queued
    # (draft.confirmed is applied in batches, shared/batching.py).
    s = system(TRACKING_MAX_WORKERS=4, EVENT_BATCH_PREFETCH=4,
               DUBAN_DELAYS="uow.before_commit=0.05").start()
    ids = confirm_drafts(s.intake_url, N, "busy")
    wait_for(lambda: tracking_effects(s.tracking_url, ids)[0] >= 20, 60)
    code = s.tracking.terminate()  # nameko: stop consuming, let in-flight workers finish
    at_stop, _, _ = tracking_effects(s.tracking_url, ids)
    assert code == 0, s.tracking.log()[-3000:]
    assert at_stop < N, "the stop came too late to be 'during work'"
    assert inbox_count(s.tracking_url) == at_stop  # each applied change with its inbox row
    assert "Traceback" not in s.tracking.log()

    s.start("tracking")
    wait_for(lambda: tracking_effects(s.tracking_url, ids)[0] == N, 120,
             message="changes were lost across the SIGTERM")
    processed, lost, duplicated = tracking_effects(s.tracking_url, ids)
    report("e SIGTERM during work", published=N, processed_before_stop=at_stop,
           processed=processed, lost=lost, duplicated=duplicated,
           inbox=inbox_count(s.tracking_url))
    assert lost == 0 and duplicated == 0 and inbox_count(s.tracking_url) == N
