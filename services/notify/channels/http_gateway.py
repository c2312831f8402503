"""A generic HTTP SMS gateway: POST JSON {to, text, kind, out_id, params} to a URL,
signed with HMAC-SHA256 over "timestamp.body" when a secret is configured.

Environment: NOTIFY_HTTP_SMS_URL, NOTIFY_HTTP_SMS_STATUS_URL (with {out_id}; 200 means
it arrived, 404 that it did not), NOTIFY_HTTP_SMS_SECRET.
"""
import hashlib
import hmac
import json
import time

import requests

from .base import (DELIVERED, NOT_FOUND, PERMANENT, SENT, Channel, Result, classify_http,
                   exception_outcome)


def gateway_signature(secret, timestamp, body):
    return hmac.new(secret.encode(), "{}.".format(timestamp).encode() + body,
                    hashlib.sha256).hexdigest()


class HttpSmsGateway(Channel):
    name = "http"

    def configure(self, settings):
        super().configure(settings)
        self.url = settings.get("NOTIFY_HTTP_SMS_URL") or ""
        self.status_url = settings.get("NOTIFY_HTTP_SMS_STATUS_URL") or ""
        self.secret = settings.get("NOTIFY_HTTP_SMS_SECRET") or ""
        self.session = requests.Session()
        return self

    def headers(self, body):
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.secret:
            ts = str(int(time.time()))
            headers.update({"X-Duban-Timestamp": ts,
                            "X-Duban-Signature": gateway_signature(self.secret, ts, body)})
        return headers

    def send(self, message):
        if not self.url:
            return Result(PERMANENT, error="NOTIFY_HTTP_SMS_URL is not configured")
        body = json.dumps({"to": message.to, "text": message.text, "kind": message.kind,
                           "out_id": message.out_id, "params": message.params},
                          ensure_ascii=False).encode("utf-8")
        try:
            response = self.session.post(self.url, data=body, headers=self.headers(body),
                                         timeout=self.timeout)
        except requests.RequestException as exc:
            return exception_outcome(exc)
        outcome = classify_http(response.status_code)
        if outcome == SENT:
            try:
                provider_id = str(response.json().get("id") or "")
            except ValueError:
                provider_id = ""
            return Result(SENT, provider_id=provider_id or None)
        return Result(outcome, error="HTTP {}: {}".format(response.status_code,
                                                           response.text[:200]))

    def lookup(self, message):
        if not self.status_url:
            return None
        try:
            response = self.session.get(self.status_url.format(out_id=message.out_id),
                                        headers=self.headers(b""), timeout=self.timeout)
        except requests.RequestException:
            return None
        if response.status_code == 200:
            return DELIVERED
        if response.status_code == 404:
            return NOT_FOUND
        return None
