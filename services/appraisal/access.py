"""Who may read and make reports and appraisals (shared.access, over appraisal's own
projection of the directory): the supervising side makes them; leaders and viewers read
them; a department contact has neither. An organisation outside the caller's is unknown
to them (404), so its existence does not leak."""
from shared import access, errors

from .models import Appraisal, OrgUnit

READERS = access.READERS


def _path(session, code):
    unit = session.get(OrgUnit, code)
    if unit is None:
        return [code]  # an organisation known only from its items is a group
    return [c for c in unit.path.split("/") if c]


def org(uow, code, *roles):
    """`code` (or, left out, the caller's group) if the caller may use it with `roles`."""
    principal = uow.principal
    access.require(principal, *roles)
    if principal.everywhere:
        return code
    code = code or principal.organisation or principal.org_id
    if not principal.sees_path(_path(uow.session, code)):
        raise errors.NotFound("No organisation '{}'".format(code))
    return code


def appraisal(uow, appraisal_id, *roles):
    """Check the caller may use the appraisal `appraisal_id` with `roles`."""
    row = uow.session.get(Appraisal, str(appraisal_id))
    if row is not None:
        org(uow, row.org_id, *roles)
    else:
        access.require(uow.principal, *roles)
    return appraisal_id
