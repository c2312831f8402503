"""Items: registration (立项), correction, and reading them back."""
import functools
import types
import uuid

from sqlalchemy import bindparam, func, literal, select
from sqlalchemy.orm import defaultload, joinedload, selectinload
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shared import errors
from shared.outbox import note_order_lock, order_lock_held
from shared.rows import insert_rows

from ..domain import lifecycle, numbering, rules
from ..models import (ExtensionRequest, Feedback, Item, ItemCoDepartment, ItemHistory,
                      NumberSequence, OrgUnit, OutboxEvent, Person)
from . import common, directory_cache, permissions, schedule, scope
from .errors import domain_errors
from .views import (access_view, extension_view, feedback_view, history_view, item_view, person_ref,
                    root_of, unit_ref)

# Fields a correction (PATCH) may change; the deadline has its own path (extensions).
CORRECTABLE = ("title", "content", "lead_department", "co_departments", "supervising_department",
               "responsible_person", "responsible_person_reason", "assigning_leader",
               "category", "completion_form", "completion_standard", "feedback_cadence",
               "milestones")


def _not_the_group(unit, field):
    """An item is done by a department or a subsidiary; the group issues it."""
    if unit.kind == "group":
        raise errors.ValidationFailed(
            "The group itself cannot lead or co-operate on an item",
            {field: ["'{}' is the group: choose one of its departments or subsidiaries".format(
                unit.code)]})


def _units(unit_by_code, lead_code, co_codes, supervising_code):
    """The units a registration or correction names, found by `unit_by_code(code, field,
    group=None)`, and checked to be of one group."""
    lead = unit_by_code(lead_code, "lead_department")
    group = root_of(lead)
    co_units = []
    for code in dict.fromkeys(co_codes):
        unit = unit_by_code(code, "co_departments", group.code)
        if unit.id == lead.id:
            raise errors.ValidationFailed("The lead department cannot also co-operate",
                                          {"co_departments": ["'{}' is the lead".format(code)]})
        if unit not in co_units:
            co_units.append(unit)
    supervising = (unit_by_code(supervising_code, "supervising_department", group.code)
                   if supervising_code else None)
    for unit, field in [(u, "co_departments") for u in co_units] + [
            (supervising, "supervising_department")]:
        if unit is not None and root_of(unit).id != group.id:
            raise errors.ValidationFailed(
                "{} is in another group than the lead department".format(unit.code),
                {field: ["'{}' is not in group {}".format(unit.code, group.code)]})
    return lead, co_units, supervising


def _responsible(session, person_id, lead, reason):
    if person_id is None:
        return None
    found = common.person(session, person_id, "responsible_person")
    rules.check_responsible_person(found.org_unit.code, lead.code, reason)
    return found


def _check_milestones(milestones, deadline):
    for m in milestones:
        if m["date"] > deadline:
            raise errors.ValidationFailed(
                "A milestone falls after the deadline",
                {"milestones": ["{} is after the deadline {}".format(m["date"], deadline)]})


def _resolve(uow, data, check_today=True):
    """Check a registration against the rules and the directory; the rows it refers to."""
    session = uow.session
    if check_today:
        rules.check_deadline(data["deadline"], uow.clock.today())
    # plain values from the process's cache of the directory (directory_cache)
    lead, co_units, supervising = _units(functools.partial(directory_cache.unit, session),
                                         data["lead_department"], data["co_departments"],
                                         data["supervising_department"])
    _not_the_group(lead, "lead_department")
    for unit in co_units:
        _not_the_group(unit, "co_departments")
    scope.may_assign(uow.principal, lead)
    person = _responsible(session, data["responsible_person"], lead,
                          data.get("responsible_person_reason"))
    parent = None
    if data.get("parent"):
        parent = session.get(Item, data["parent"])
        if parent is not None and not uow.principal.sees_item(access_view(parent)):
            parent = None
        if parent is None:
            raise errors.ValidationFailed("Unknown parent item", {"parent": ["unknown item"]})
        rules.check_sub_item(parent.status, parent.deadline, data["deadline"])
    _check_milestones(data["milestones"], data["deadline"])
    return lead, co_units, supervising, person, parent


@domain_errors
def resolve(uow, data, check_today=True):
    """The rows a registration refers to, checked; raises what register_item would."""
    return _resolve(uow, data, check_today)


def validate_item(uow, data, check_today=True):
    """Would this registration be accepted now? Raises the same errors, writes nothing."""
    resolve(uow, data, check_today)
    return {"valid": True}


def validate_items(uow, requests, check_today=True):
    """Dry run of many registrations in one call: `{index: [problem, ...]}` for those
    tracking would refuse (a bulk confirm asks once, not once per draft). A request that
    did not load is passed as its ValidationFailed. Writes nothing."""
    problems = {}
    for index, data in enumerate(requests):
        try:
            if isinstance(data, errors.ValidationFailed):
                raise data
            validate_item(uow, data, check_today)
        except errors.ValidationFailed as refusal:
            problems[index] = ["{}: {}".format(k, "; ".join(map(str, v)))
                               for k, v in (refusal.fields or {}).items()] or [refusal.message]
    return problems


def _number_statement(dialect, ordering_lock=False):
    """The counter's `INSERT … ON CONFLICT DO UPDATE … RETURNING`, built once per dialect
    (a registration runs it every time; building it was a tenth of a registration's CPU).

    With `ordering_lock` (PostgreSQL) the row to insert is selected from the outbox's
    ordering lock: the lock is taken in the same statement, before the counter's row is
    locked (the order `hold_order_lock` asks for), without a round trip of its own."""
    table = NumberSequence.__table__
    if ordering_lock:
        lock = select(func.pg_advisory_xact_lock(func.hashtext(OutboxEvent.__tablename__)))
        stmt = pg_insert(table).from_select(
            ["org_id", "year", "last"],
            select(bindparam("org_id"), bindparam("year"), literal(1)).select_from(
                lock.subquery("ordering")))
    else:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(table).values(org_id=bindparam("org_id"), year=bindparam("year"), last=1)
    return stmt.on_conflict_do_update(index_elements=["org_id", "year"],
                                      set_={"last": table.c.last + 1}).returning(table.c.last)


_NUMBER_STATEMENTS = {("postgresql", True): _number_statement("postgresql", True),
                      ("postgresql", False): _number_statement("postgresql"),
                      ("sqlite", False): _number_statement("sqlite")}


def _next_number(uow, group, year, prefix):
    """Gap-free per group and year, in one statement: the counter row is created or
    incremented (`INSERT … ON CONFLICT DO UPDATE … RETURNING`) and stays locked until
    commit, so numbers are handed out in commit order and a rollback gives its back."""
    session = uow.session
    connection = session.connection()
    dialect = connection.dialect.name
    take_lock = dialect == "postgresql" and not order_lock_held(session, OutboxEvent)
    last = connection.execute(_NUMBER_STATEMENTS[dialect, take_lock],
                              {"org_id": group.code, "year": year}).scalar_one()
    if take_lock:
        note_order_lock(session, OutboxEvent)
    return numbering.format_number(group.number_format, prefix, group.code, year, last)


def note_known_items(uow, item_ids):
    """Remember, for this transaction, which of `item_ids` are registered already."""
    ids = [str(i) for i in item_ids]
    found = set(uow.session.scalars(select(Item.id).where(Item.id.in_(ids)))) if ids else set()
    common.transaction_cache(uow.session, "known_items").update({i: i in found for i in ids})


def _registered(session, item_id):
    known = common.transaction_cache(session, "known_items")
    if item_id in known:
        return known[item_id]
    return session.scalar(select(Item.id).where(Item.id == item_id)) is not None


class NewItem(types.SimpleNamespace):
    """An item being registered, as its answer, its event and its rows read it: every
    column of the item, and the directory rows it refers to. Not an ORM object: the row
    is only written (one Core INSERT), never changed in the same transaction."""

    COLUMNS = tuple(c.key for c in Item.__table__.columns)

    def row(self):
        return {key: getattr(self, key) for key in self.COLUMNS}


def _new_item(data, item_id, number, group, resolved, now):
    lead, co_units, supervising, person, parent = resolved
    source = data["source"]
    columns = dict(
        id=str(item_id or uuid.uuid4()), number=number, org_id=group.code,
        title=data["title"], content=data["content"] or "",
        source_kind=source["kind"], source_ref=source.get("ref"),
        source_clause=source.get("clause"), source_draft_id=source.get("draft_id"),
        source_goal=source.get("goal"), source_year=source.get("year"),
        lead_unit_id=lead.id, supervising_unit_id=supervising.id if supervising else None,
        responsible_person_id=person.id if person else None,
        responsible_person_reason=data.get("responsible_person_reason"),
        assigning_leader=data["assigning_leader"], deadline=data["deadline"],
        original_deadline=data["deadline"], category=data["category"],
        completion_form=data["completion_form"], completion_standard=data["completion_standard"],
        feedback_cadence=data["feedback_cadence"],
        milestones=[{"title": m["title"], "date": m["date"].isoformat()}
                    for m in data["milestones"]],
        parent_id=parent.id if parent else None, status=lifecycle.Status.REGISTERED.value,
        progress=0, created_at=now, updated_at=now, version=1)
    return NewItem(**{**dict.fromkeys(NewItem.COLUMNS), **columns},
                   lead_unit=lead, supervising_unit=supervising, responsible_person=person,
                   co_links=[types.SimpleNamespace(org_unit=u) for u in co_units])


def _insert_item(session, item):
    """The item's row and its co-departments' (the item first: they refer to it)."""
    insert_rows(session, Item.__table__, [item.row()])
    if item.co_links:
        insert_rows(session, ItemCoDepartment.__table__, [
            {"item_id": item.id, "org_unit_id": link.org_unit.id, "position": i}
            for i, link in enumerate(item.co_links)])


@domain_errors
def register_item(uow, data, item_id=None, check_today=True, prefix="DB", resolved=None,
                  answer=True):
    """立项: register a supervised item. With `item_id` given, registering twice is a no-op.

    `check_today` is off for a draft an office already confirmed: rules that depend on
    "today" were checked when it confirmed, not again when the event is consumed.
    `resolved` is what `resolve` answered for `data` in this transaction, if already asked.
    `answer=False` (an event handler: nobody reads the answer) returns the item's id.
    """
    with uow:
        session = uow.session
        if item_id is not None and _registered(session, str(item_id)):
            return item_view(session.get(Item, str(item_id)), uow.clock.today()) if answer \
                else str(item_id)
        today = uow.clock.today()
        resolved = resolved or _resolve(uow, data, check_today)
        group = root_of(resolved[0])
        # Everything read before the number: its counter row (and the outbox's ordering
        # lock) stays locked until commit, and other registrations of the group wait for it.
        calendar = directory_cache.calendar(session, group.code)
        item = _new_item(data, item_id, _next_number(uow, group, today.year, prefix), group,
                         resolved, uow.clock.now())
        schedule.refresh(session, item, today, calendar)
        _insert_item(session, item)
        common.publish(uow, item, "item.registered", flush=False)
        common.record(uow, item, "register", None, item.status,
                      {"number": item.number, "deadline": item.deadline.isoformat()})
        return item_view(item, today) if answer else item.id


def _snapshot(item):
    """The correctable fields of an item, as a history record shows them."""
    return {
        "title": item.title, "content": item.content,
        "lead_department": unit_ref(item.lead_unit),
        "co_departments": [unit_ref(link.org_unit) for link in item.co_links],
        "supervising_department": unit_ref(item.supervising_unit),
        "responsible_person": person_ref(item.responsible_person),
        "responsible_person_reason": item.responsible_person_reason,
        "assigning_leader": item.assigning_leader, "category": item.category,
        "completion_form": item.completion_form, "completion_standard": item.completion_standard,
        "feedback_cadence": item.feedback_cadence, "milestones": list(item.milestones or []),
    }


def _apply_units(session, item, data):
    lead_code = data.get("lead_department", item.lead_unit.code)
    co_codes = data.get("co_departments", [link.org_unit.code for link in item.co_links])
    supervising_code = data.get("supervising_department",
                                item.supervising_unit.code if item.supervising_unit else None)
    lead, co_units, supervising = _units(functools.partial(common.unit_by_code, session),
                                         lead_code, co_codes, supervising_code)
    # the group may not be named now; an item registered with it before that rule stays
    # correctable in its other fields
    if lead.id != item.lead_unit_id:
        _not_the_group(lead, "lead_department")
    before = {link.org_unit_id for link in item.co_links}
    for unit in co_units:
        if unit.id not in before:
            _not_the_group(unit, "co_departments")
    if root_of(lead).code != item.org_id:
        raise errors.ValidationFailed("An item stays in its group",
                                      {"lead_department": ["'{}' is not in group {}".format(
                                          lead.code, item.org_id)]})
    item.lead_unit, item.supervising_unit = lead, supervising
    if "co_departments" in data or "lead_department" in data:
        item.co_links = [ItemCoDepartment(org_unit=u, position=i) for i, u in enumerate(co_units)]
    return lead


@domain_errors
def correct_item(uow, item_id, data):
    """Correct what was registered (the supervising side); every change is recorded with
    its before and after, and published as `item.updated`."""
    with uow:
        session = uow.session
        item = common.item_for(uow, item_id)
        lifecycle.check_allowed(item.status, "update")
        before = _snapshot(item)
        lead = _apply_units(session, item, data)
        person_id = data.get("responsible_person",
                             item.responsible_person.id if item.responsible_person else None)
        reason = data.get("responsible_person_reason", item.responsible_person_reason)
        item.responsible_person = _responsible(session, person_id, lead, reason)
        item.responsible_person_reason = reason
        if "milestones" in data:
            _check_milestones(data["milestones"], item.deadline)
            item.milestones = [{"title": m["title"], "date": m["date"].isoformat()}
                               for m in data["milestones"]]
        for key in ("title", "content", "assigning_leader", "category", "completion_form",
                    "completion_standard", "feedback_cadence"):
            if key in data:
                setattr(item, key, data[key])
        item.content = item.content or ""
        session.flush()
        after = _snapshot(item)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not changes:
            return item_view(item, uow.clock.today())
        if "feedback_cadence" in changes:
            schedule.refresh(session, item, uow.clock.today())
        item.updated_at = uow.clock.now()
        common.record(uow, item, "update", item.status, item.status, changes,
                      data.get("reason"))
        common.publish(uow, item, "item.updated", {"fields": changes})
        return item_view(item, uow.clock.today())


def get_item(uow, item_id):
    return _details(uow, [common.visible_item(uow, item_id)])[0]


MAX_DETAILS = 100
# What item_view reads of several items (get_items), in two statements: the lead
# department with its parents (org_path) and its contact, head and leader joined
# (lead_view); the other units and the people by code, name or id only (their own parents
# and units, joined by default, would double the rows the ORM builds); the co-departments
# in one more statement.
LIST_LOAD = (defaultload(Item.supervising_unit).lazyload(OrgUnit.parent),
             defaultload(Item.responsible_person).lazyload(Person.org_unit),
             selectinload(Item.co_links).joinedload(ItemCoDepartment.org_unit)
             .lazyload(OrgUnit.parent),
             *[joinedload(Item.lead_unit).joinedload(getattr(OrgUnit, role))
               .lazyload(Person.org_unit) for role in ("contact", "head", "leader")])


def get_items(uow, item_ids):
    """get_item of several items in one call (a page of them: 我的事项), in the order asked;
    an id the caller may not see, or that names no item, is left out (as get_item's 404)."""
    wanted = list(dict.fromkeys(str(i) for i in item_ids))
    if not wanted:
        return []
    found = {i.id: i for i in uow.session.scalars(
        scope.visible_items(uow.session, uow.principal, select(Item).where(Item.id.in_(wanted)))
        .options(*LIST_LOAD))}
    seen = [found[i] for i in wanted
            if i in found and uow.principal.sees_item(access_view(found[i]))]
    return _details(uow, seen)


def _details(uow, items):
    """Each item's view with its feedback, extension requests, children and the actions
    the caller may take: four statements for any number of items."""
    session, ids = uow.session, [i.id for i in items]
    feedback = _by_item(session.scalars(
        select(Feedback).where(Feedback.item_id.in_(ids)).order_by(Feedback.id)), feedback_view)
    extensions = _by_item(session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.item_id.in_(ids))
        .order_by(ExtensionRequest.id)), extension_view)
    children = _by_item(session.execute(
        select(Item.parent_id.label("item_id"), Item.id, Item.number, Item.title, Item.status)
        .where(Item.parent_id.in_(ids)).order_by(Item.created_at)),
        lambda c: {"id": c.id, "number": c.number, "title": c.title, "status": c.status})
    views = []
    for item in items:
        view = item_view(item, uow.clock.today())
        view["feedback"] = feedback.get(item.id, [])
        view["extension_requests"] = extensions.get(item.id, [])
        view["children"] = children.get(item.id, [])
        view["allowed_actions"] = permissions.allowed_actions(
            uow.principal, dict(access_view(item), status=item.status),
            item.status_before_suspend,
            any(r["status"] == "pending" for r in view["extension_requests"]),
            bool(view["feedback"]))
        views.append(view)
    return views


def _by_item(rows, view):
    """{item_id: [view(row), ...]} in the rows' order."""
    grouped = {}
    for row in rows:
        grouped.setdefault(row.item_id, []).append(view(row))
    return grouped


def item_history(uow, item_id):
    item = common.visible_item(uow, item_id)
    return [history_view(r) for r in uow.session.scalars(
        select(ItemHistory).where(ItemHistory.item_id == item.id).order_by(ItemHistory.id))]
