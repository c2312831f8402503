"""Tencent Cloud SMS (腾讯云短信) SendSms, API version 2021-01-11, signed TC3-HMAC-SHA256.

Body: PhoneNumberSet, SmsSdkAppId, SignName, TemplateId, TemplateParamSet, SessionContext
(ours: echoed in the status reports). An ambiguous send is resolved with
PullSmsSendStatusByPhoneNumber by SessionContext.

Environment: TENCENT_SMS_ENDPOINT (default https://sms.tencentcloudapi.com/),
TENCENT_SMS_SECRET_ID, TENCENT_SMS_SECRET_KEY, TENCENT_SMS_SDK_APP_ID,
TENCENT_SMS_SIGN_NAME, TENCENT_SMS_TEMPLATES (JSON {kind: TemplateId}),
TENCENT_SMS_PARAM_ORDER (default number,title,when), TENCENT_SMS_REGION (ap-guangzhou).
"""
import datetime as dt
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

import requests

from .base import (AMBIGUOUS, DELIVERED, NOT_FOUND, PERMANENT, RETRY, SENT, Channel, Result,
                   exception_outcome)

VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
RETRY_PREFIXES = ("RequestLimitExceeded", "InternalError", "LimitExceeded.PhoneNumberThirtySecond",
                  "LimitExceeded.PhoneNumberOneHour", "LimitExceeded.PhoneNumberDailyLimit",
                  "ResourceUnavailable", "FailedOperation.InsufficientBalanceInSmsPackage")


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_authorization(secret_id, secret_key, service, host, timestamp, payload,
                      content_type=CONTENT_TYPE):
    """The Authorization header of a POST with a JSON body (signed headers content-type;host).

    `payload` is the exact body bytes; the credential date is the UTC date of `timestamp`.
    """
    date = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%d")
    canonical = "\n".join(["POST", "/", "",
                           "content-type:{}\nhost:{}\n".format(content_type, host),
                           "content-type;host", sha256_hex(payload)])
    scope = "{}/{}/tc3_request".format(date, service)
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                         sha256_hex(canonical.encode("utf-8"))])
    key = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    key = _hmac(key, service)
    key = _hmac(key, "tc3_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return "TC3-HMAC-SHA256 Credential={}/{}, SignedHeaders=content-type;host, Signature={}" \
        .format(secret_id, scope, signature)


def e164(mobile):
    digits = "".join(ch for ch in str(mobile) if ch.isdigit())
    return "+86" + digits[-11:]


class TencentSms(Channel):
    name = "tencent"

    def configure(self, settings):
        super().configure(settings)
        self.endpoint = settings.get("TENCENT_SMS_ENDPOINT") or "https://sms.tencentcloudapi.com/"
        self.host = urlsplit(self.endpoint).netloc
        self.secret_id = settings.get("TENCENT_SMS_SECRET_ID") or ""
        self.secret_key = settings.get("TENCENT_SMS_SECRET_KEY") or ""
        self.app_id = settings.get("TENCENT_SMS_SDK_APP_ID") or ""
        self.sign_name = settings.get("TENCENT_SMS_SIGN_NAME") or ""
        self.region = settings.get("TENCENT_SMS_REGION") or "ap-guangzhou"
        templates = settings.get("TENCENT_SMS_TEMPLATES") or {}
        self.templates = json.loads(templates) if isinstance(templates, str) else dict(templates)
        order = settings.get("TENCENT_SMS_PARAM_ORDER") or "number,title,when"
        self.param_order = [p.strip() for p in order.split(",") if p.strip()]
        self.session = requests.Session()
        return self

    def call(self, action, body):
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        ts = int(time.time())
        headers = {"Content-Type": CONTENT_TYPE, "Host": self.host, "X-TC-Action": action,
                   "X-TC-Version": VERSION, "X-TC-Timestamp": str(ts), "X-TC-Region": self.region,
                   "Authorization": tc3_authorization(self.secret_id, self.secret_key, "sms",
                                                      self.host, ts, payload)}
        return self.session.post(self.endpoint, data=payload, headers=headers,
                                 timeout=self.timeout)

    def send(self, message):
        template = self.templates.get(message.kind) or self.templates.get("default")
        if not template:
            return Result(PERMANENT, error="no Tencent TemplateId for '{}'".format(message.kind))
        body = {"PhoneNumberSet": [e164(message.to)], "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name, "TemplateId": str(template),
                "TemplateParamSet": [str(message.params.get(p, "")) for p in self.param_order],
                "SessionContext": message.out_id}
        try:
            response = self.call("SendSms", body)
        except requests.RequestException as exc:
            return exception_outcome(exc)
        return self.outcome(response)

    def outcome(self, response):
        if response.status_code >= 500 or response.status_code == 429:
            return Result(RETRY, error="HTTP {}".format(response.status_code))
        try:
            answer = response.json()["Response"]
        except (ValueError, KeyError, TypeError):
            return Result(AMBIGUOUS, error="unreadable answer (HTTP {})".format(response.status_code))
        error = answer.get("Error")
        if error:
            code = error.get("Code", "")
            text = "{}: {}".format(code, error.get("Message", "")[:200])
            return Result(RETRY if code.startswith(RETRY_PREFIXES) else PERMANENT, error=text)
        status = (answer.get("SendStatusSet") or [{}])[0]
        code = status.get("Code", "")
        if code == "Ok":
            return Result(SENT, provider_id=status.get("SerialNo"))
        text = "{}: {}".format(code, status.get("Message", "")[:200])
        return Result(RETRY if code.startswith(RETRY_PREFIXES) else PERMANENT, error=text)

    def lookup(self, message):
        """PullSmsSendStatusByPhoneNumber since the day of the send; ours by SessionContext."""
        day = dt.date.fromisoformat(message.sent_on) if message.sent_on else dt.date.today()
        begin = int(dt.datetime.combine(day, dt.time(0), tzinfo=dt.timezone.utc).timestamp()) \
            - 86400
        body = {"BeginTime": begin, "Offset": 0, "Limit": 100, "PhoneNumber": e164(message.to),
                "SmsSdkAppId": self.app_id}
        try:
            answer = self.call("PullSmsSendStatusByPhoneNumber", body).json()["Response"]
        except (requests.RequestException, ValueError, KeyError, TypeError):
            return None
        if answer.get("Error"):
            return None
        found = any(s.get("SessionContext") == message.out_id
                    for s in answer.get("PullSmsSendStatusSet") or [])
        return DELIVERED if found else NOT_FOUND
