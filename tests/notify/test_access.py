"""Who sees an item's reminders: the same subtree rule as tracking (shared.access)."""
import types

from services.notify.access import view_of
from shared.access import Principal


def row(path, departments, org_id="HQ"):
    return types.SimpleNamespace(id="i1", org_id=org_id, org_path=path, departments=departments,
                                 department=departments[0] if departments else None)


GROUP_OFFICE = Principal(kind="person", id="person:1", name="集团督办", roles=("office",),
                         org_id="HQ", organisation="HQ")
SUB_OFFICE = Principal(kind="person", id="person:2", name="子公司督办", roles=("office",),
                       org_id="HQ", organisation="SUB")
FIN_CONTACT = Principal(kind="person", id="person:3", name="财务联系人", roles=("contact",),
                        org_id="HQ", organisation="HQ", units=("FIN",))


def test_a_subsidiary_office_sees_its_subtree_only():
    in_sub = view_of(row(["HQ", "SUB", "SUBFIN"], ["SUBFIN"]))
    at_group = view_of(row(["HQ", "FIN"], ["FIN", "HR"]))
    assert SUB_OFFICE.sees_item(in_sub) and not SUB_OFFICE.sees_item(at_group)
    assert GROUP_OFFICE.sees_item(in_sub) and GROUP_OFFICE.sees_item(at_group)
    # a contact sees items its department leads or co-operates on
    assert FIN_CONTACT.sees_item(view_of(row(["HQ", "HR"], ["HR", "FIN"])))
    assert not FIN_CONTACT.sees_item(view_of(row(["HQ", "HR"], ["HR"])))


def test_a_row_projected_before_paths_were_kept_is_judged_by_its_group():
    old = view_of(row(None, ["SUBFIN"]))
    assert GROUP_OFFICE.sees_item(old) and not SUB_OFFICE.sees_item(old)
    assert not GROUP_OFFICE.sees_item(view_of(row(None, ["X"], org_id="G2")))
