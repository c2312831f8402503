"""The shared library: masking, errors over RPC, envelope, config, migrations in sync."""
import datetime as dt
import logging

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from nameko.exceptions import deserialize, serialize

from services.appraisal.models import Base as AppraisalBase
from services.intake.models import Base as IntakeBase
from services.notify.models import Base as NotifyBase
from services.tracking.models import Base as TrackingBase
from shared.config import load_config
from shared.db import make_engine
from shared.errors import Conflict, ValidationFailed
from shared.events import ENVELOPE_KEYS, make_envelope
from shared.masking import MaskingFilter, mask_mobile
from shared.migrate import include_name, include_object, upgrade


def test_mask_mobile_keeps_head_and_tail_only():
    assert mask_mobile("call 13812345678 now") == "call 138****5678 now"
    assert mask_mobile("+8613812345678") == "+86138****5678"
    assert mask_mobile("order 2026112712345678") == "order 2026112712345678"  # not a mobile


def test_masking_filter_masks_log_records(caplog):
    logger = logging.getLogger("duban.test.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="duban.test.masking"):
        logger.info("sms to %s", "13912345678")
    assert "13912345678" not in caplog.text and "139****5678" in caplog.text


def test_errors_cross_rpc_as_themselves():
    err = ValidationFailed("bad", {"deadline": ["past"]})
    back = deserialize(serialize(err))
    assert isinstance(back, ValidationFailed)
    assert back.fields == {"deadline": ["past"]} and back.message == "bad"
    assert deserialize(serialize(Conflict("x", code="illegal_transition"))).code == \
        "illegal_transition"
    assert err.to_dict() == {"error": {"code": "validation_failed", "message": "bad",
                                       "fields": {"deadline": ["past"]}}}


def test_envelope_shape():
    env = make_envelope("item.issued", "tracking", {"a": 1},
                        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), subject_id=7,
                        org_id="HQ")
    assert set(env) == set(ENVELOPE_KEYS)
    assert env["occurred_at"] == "2026-01-02T03:04:05Z" and env["subject_id"] == "7"
    assert make_envelope("x", "p", {}, dt.datetime.now(dt.timezone.utc))["id"] != env["id"]


def test_config_reads_the_environment(monkeypatch, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("DATABASE_URL: ${TRACKING_DATABASE_URL:sqlite:///var/x.db}\nN: ${N_W:10}\n")
    assert load_config(str(path)) == {"DATABASE_URL": "sqlite:///var/x.db", "N": 10}
    monkeypatch.setenv("TRACKING_DATABASE_URL", "postgresql://h/db")
    assert load_config(str(path))["DATABASE_URL"] == "postgresql://h/db"


@pytest.mark.integration
@pytest.mark.parametrize("service,metadata", [("tracking", TrackingBase.metadata),
                                              ("intake", IntakeBase.metadata),
                                              ("notify", NotifyBase.metadata),
                                              ("appraisal", AppraisalBase.metadata)])
def test_migrations_match_the_models(db_url, service, metadata):
    upgrade(service, db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"include_name": include_name(metadata),
                        "include_object": include_object(conn.dialect.name)}), metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.parametrize("service", ["tracking", "intake", "gateway"])
def test_every_service_masks_mobiles_in_its_log_handlers(service, capsys):
    """The filter sits on the handlers the service's LOGGING config builds, so records
    from every logger (nameko's included) are masked, not only the root's own."""
    import logging.config
    config = load_config("services/{}/config.yaml".format(service))["LOGGING"]
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        logging.config.dictConfig(config)
        logging.getLogger("nameko.containers").warning("Mobile 13912345678 is on file")
        for handler in root.handlers:
            handler.flush()
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert "139****5678" in err and "13912345678" not in err
