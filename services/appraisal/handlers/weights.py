"""Weights per organisation (scoring-rule weights summing to 100)."""
from shared.clock import utc_iso

from ..domain import scoring
from ..models import OrgWeights
from .common import resolve_org, rule_errors, weights_of


def weights_view(session, org, rules):
    row = session.get(OrgWeights, org)
    return {"org": org, "weights": weights_of(session, org, rules),
            "default": row is None,
            "rules": [{"key": k, "label": r.label, "default_weight": r.default_weight}
                      for k, r in rules.items()],
            "updated_at": utc_iso(row.updated_at) if row else None,
            "updated_by": row.updated_by if row else None}


@rule_errors
def set_weights(uow, org, weights, rules):
    with uow:
        org = resolve_org(uow.session, org)[0]
        weights = scoring.check_weights(weights, rules)
        row = uow.session.get(OrgWeights, org)
        if row is None:
            row = OrgWeights(org_id=org)
            uow.session.add(row)
        row.weights, row.updated_at, row.updated_by = weights, uow.clock.now(), str(uow.actor)
        uow.session.flush()
        return weights_view(uow.session, org, rules)


def get_weights(uow, org, rules):
    org = resolve_org(uow.session, org)[0]
    return weights_view(uow.session, org, rules)
