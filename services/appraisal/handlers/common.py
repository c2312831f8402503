"""What the appraisal use cases share: the rules' errors as 422, organisations, weights."""
from sqlalchemy import exists, select

from shared import errors

from ..domain import scoring
from ..domain.errors import RuleViolation
from ..models import ItemOutcome, OrgUnit, OrgWeights


def rule_errors(fn):
    """The rules' refusals become the common 422."""
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RuleViolation as exc:
            raise errors.ValidationFailed(exc.message, exc.fields)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def resolve_org(session, code, field="org"):
    """(code, is_group, name) of a known organisation, or a 422 naming the field. Without a
    code, the one group the projection knows (a deployment with several must say which)."""
    if not code:
        groups = organisations(session)
        if len(groups) != 1:
            raise errors.ValidationFailed("Which organisation?",
                                          {field: ["required: one of {}".format(
                                              ", ".join(groups) or "(none known yet)")]})
        code = groups[0]
    unit = session.get(OrgUnit, code)
    if unit is not None and unit.kind in ("group", "subsidiary"):
        return code, unit.kind == "group", unit.name
    if unit is None and session.scalar(select(exists().where(ItemOutcome.org_id == code))):
        return code, True, code
    raise errors.ValidationFailed("Unknown organisation '{}'".format(code),
                                  {field: ["unknown organisation '{}'".format(code)]})


def organisations(session):
    """The groups the projection knows: from the directory, else from the items."""
    groups = set(session.scalars(select(OrgUnit.code).where(OrgUnit.kind == "group")))
    if not groups:
        groups = set(session.scalars(select(ItemOutcome.org_id).distinct()))
    return sorted(groups)


def weights_of(session, org, rules):
    row = session.get(OrgWeights, org)
    weights = scoring.default_weights(rules)
    if row is not None:
        weights = {key: row.weights.get(key, 0) for key in rules}
    return weights
