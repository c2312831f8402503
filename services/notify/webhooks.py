"""Webhooks for other systems: a URL, the event types it wants and a secret.

Every matching event (tracking's item events that notify receives, and notify's own
reminder.sent / reminder.failed / chase.sent) becomes one delivery row per webhook,
written in the same transaction as the event. The timer POSTs the envelope as JSON,
signed: `X-Duban-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with
`X-Duban-Timestamp`; `X-Duban-Event-Id` lets the receiver drop a repeat. A non-2xx answer
or no answer is retried with backoff; the last response is kept; a delivery can be sent
again from the API.
"""
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

import requests
from sqlalchemy import select

from shared.clock import utc_iso
from shared.db import is_postgres
from shared.errors import NotFound, ValidationFailed

from .models import FAILED, PENDING, SENT, Webhook, WebhookDelivery

NOTIFY_EVENTS = ("reminder.sent", "reminder.failed", "chase.sent")
PATTERNS = NOTIFY_EVENTS + ("item.*", "*")
BODY_LIMIT = 2000


def sign(secret, timestamp, body):
    """The signature header value a receiver recomputes (docs/events.md)."""
    mac = hmac.new(secret.encode("utf-8"), "{}.".format(timestamp).encode() + body,
                   hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def matches(patterns, event_type):
    return any(p == "*" or p == event_type or (p.endswith(".*") and
                                               event_type.startswith(p[:-1]))
               for p in patterns)


def private_address(host):
    """True when `host` is, or resolves to, a loopback, private, link-local or reserved
    address (an internal service an outsider must not reach through us)."""
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0])
                         for info in socket.getaddrinfo(host, None)}
        except (socket.gaierror, UnicodeError):
            return False  # unresolvable now: delivery will fail and be retried
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or
               a.is_multicast or a.is_unspecified for a in addresses)


def url_problems(url, forbid_private):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ["must be an http(s) URL with a host"]
    if forbid_private and private_address(parts.hostname):
        return ["points at a private or local address, which this deployment forbids"]
    return []


def webhook_view(row):
    return {"id": row.id, "url": row.url, "events": row.events, "active": row.active,
            "secret": row.secret[:4] + "…", "created_at": utc_iso(row.created_at)}


def register(uow, data, forbid_private):
    problems = {}
    url_issues = url_problems(data["url"], forbid_private)
    if url_issues:
        problems["url"] = url_issues
    unknown = [e for e in data["events"] if e not in PATTERNS]
    if unknown:
        problems["events"] = ["unknown event type(s): {}; one of {}".format(
            ", ".join(unknown), ", ".join(PATTERNS))]
    if problems:
        raise ValidationFailed("The webhook cannot be registered", problems)
    row = Webhook(url=data["url"], events=sorted(set(data["events"])), secret=data["secret"],
                  active=True, created_at=uow.clock.now())
    uow.session.add(row)
    uow.session.flush()
    return webhook_view(row)


def list_webhooks(uow):
    rows = uow.session.scalars(select(Webhook).where(Webhook.active.is_(True)).order_by(Webhook.id))
    return {"webhooks": [webhook_view(r) for r in rows]}


def get_webhook(session, webhook_id):
    row = session.get(Webhook, webhook_id)
    if row is None or not row.active:
        raise NotFound("No webhook {}".format(webhook_id))
    return row


def remove(uow, webhook_id):
    row = get_webhook(uow.session, webhook_id)
    row.active = False
    return {"id": webhook_id, "active": False}


def enqueue(session, envelope, now):
    """One delivery per active webhook that wants this event (in the caller's transaction)."""
    cache = session.info.get("notify.webhooks")
    if cache is None or cache[0] is not session.get_transaction():
        hooks = list(session.scalars(select(Webhook).where(Webhook.active.is_(True))))
        session.info["notify.webhooks"] = (session.get_transaction(), hooks)
    else:
        hooks = cache[1]
    count = 0
    for hook in hooks:
        if matches(hook.events, envelope["type"]):
            session.add(WebhookDelivery(webhook_id=hook.id, event_id=envelope["id"],
                                        event_type=envelope["type"], payload=envelope,
                                        status=PENDING, attempts=0, next_at=now))
            count += 1
    return count


def delivery_view(row):
    return {"id": row.id, "webhook_id": row.webhook_id, "event_id": row.event_id,
            "event_type": row.event_type, "status": row.status, "attempts": row.attempts,
            "response_status": row.response_status, "response_body": row.response_body,
            "next_at": utc_iso(row.next_at), "delivered_at": utc_iso(row.delivered_at)}


def deliveries(uow, webhook_id):
    get_webhook(uow.session, webhook_id)
    rows = uow.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.webhook_id == webhook_id).order_by(WebhookDelivery.id.desc()).limit(200))
    return {"deliveries": [delivery_view(r) for r in rows]}


def redeliver(uow, webhook_id, delivery_id):
    """Queue a delivery again (whatever its state); the caller sends it at once."""
    get_webhook(uow.session, webhook_id)
    row = uow.session.get(WebhookDelivery, delivery_id)
    if row is None or row.webhook_id != webhook_id:
        raise NotFound("No delivery {} for webhook {}".format(delivery_id, webhook_id))
    row.status, row.next_at = PENDING, uow.clock.now()
    return delivery_view(row)


def post(hook, payload, timeout):
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "duban-notify",
               "X-Duban-Event-Id": payload["id"], "X-Duban-Event-Type": payload["type"],
               "X-Duban-Timestamp": ts, "X-Duban-Signature": sign(hook.secret, ts, body)}
    try:
        response = requests.post(hook.url, data=body, headers=headers, timeout=timeout,
                                 allow_redirects=False)
        return response.status_code, response.text[:BODY_LIMIT]
    except requests.RequestException as exc:
        return None, "{}: {}".format(type(exc).__name__, str(exc)[:300])


def deliver_due(uow, ctx, now, forbid_private, timeout=5.0, delivery_id=None):
    """POST due deliveries; returns {status: count}."""
    session = uow.session
    with uow:
        q = select(WebhookDelivery).where(WebhookDelivery.status == PENDING)
        if delivery_id is not None:
            q = q.where(WebhookDelivery.id == delivery_id)
        else:
            q = q.where(WebhookDelivery.next_at <= now).order_by(WebhookDelivery.next_at) \
                .limit(ctx.batch)
        if is_postgres(session.get_bind()):
            q = q.with_for_update(skip_locked=True)
        todo = []
        for row in session.scalars(q):
            row.next_at = now + dt.timedelta(seconds=ctx.lease_seconds)  # ours for a while
            hook = session.get(Webhook, row.webhook_id)
            todo.append((row.id, hook, row.payload))
    outcome = {}
    for row_id, hook, payload in todo:
        if hook is None or not hook.active:
            status, body = None, "webhook removed"
        elif forbid_private and private_address(urlsplit(hook.url).hostname):
            status, body = None, "the URL now resolves to a private address; not sent"
        else:
            status, body = post(hook, payload, timeout)
        with uow:
            row = session.get(WebhookDelivery, row_id)
            row.attempts += 1
            row.response_status, row.response_body = status, body
            if status is not None and 200 <= status < 300:
                row.status, row.delivered_at = SENT, now
            elif ctx.policy.gives_up(row.attempts) or hook is None or not hook.active:
                row.status = FAILED
            else:
                row.next_at = now + dt.timedelta(seconds=ctx.policy.delay(row.attempts))
            outcome[row.status] = outcome.get(row.status, 0) + 1
    return outcome
