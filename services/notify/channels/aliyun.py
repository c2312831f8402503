"""Aliyun SMS (阿里云短信服务) SendSms, RPC style, signature version 1.0 (HMAC-SHA1).

Request: AccessKeyId, Action=SendSms, Format=JSON, RegionId, SignatureMethod=HMAC-SHA1,
SignatureNonce, SignatureVersion=1.0, Timestamp, Version=2017-05-25, PhoneNumbers,
SignName, TemplateCode, TemplateParam (JSON), OutId (ours: echoed in send details).
An ambiguous send is resolved with QuerySendDetails (PhoneNumber, SendDate) by OutId.

Environment: ALIYUN_SMS_ENDPOINT (default https://dysmsapi.aliyuncs.com/),
ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME,
ALIYUN_SMS_TEMPLATES (JSON {kind: TemplateCode}), ALIYUN_SMS_REGION (cn-hangzhou).
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

import requests

from .base import (AMBIGUOUS, DELIVERED, NOT_FOUND, PERMANENT, RETRY, SENT, Channel, Result,
                   exception_outcome)

# Codes worth another try later; every other non-OK code is permanent.
RETRY_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling",
               "isp.SYSTEM_ERROR", "isp.RAM_PERMISSION_DENY", "ServiceUnavailable",
               "isv.OUT_OF_SERVICE", "isv.AMOUNT_NOT_ENOUGH", "InternalError"}
TEMPLATE_PARAM_KEYS = ("number", "title", "deadline", "when", "days", "due", "contact")


def percent_encode(value):
    """RFC 3986 as Aliyun's POP wants it: space %20, * %2A, ~ kept."""
    return quote(str(value), safe="-_.~")


def string_to_sign(params, method="GET"):
    canonical = "&".join("{}={}".format(percent_encode(k), percent_encode(params[k]))
                         for k in sorted(params) if k != "Signature")
    return "{}&{}&{}".format(method, percent_encode("/"), percent_encode(canonical))


def rpc_signature(params, secret, method="GET"):
    """Base64(HMAC-SHA1(secret + "&", StringToSign))."""
    digest = hmac.new((secret + "&").encode("utf-8"),
                      string_to_sign(params, method).encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunSms(Channel):
    name = "aliyun"

    def configure(self, settings):
        super().configure(settings)
        self.endpoint = settings.get("ALIYUN_SMS_ENDPOINT") or "https://dysmsapi.aliyuncs.com/"
        self.key_id = settings.get("ALIYUN_SMS_ACCESS_KEY_ID") or ""
        self.secret = settings.get("ALIYUN_SMS_ACCESS_KEY_SECRET") or ""
        self.sign_name = settings.get("ALIYUN_SMS_SIGN_NAME") or ""
        self.region = settings.get("ALIYUN_SMS_REGION") or "cn-hangzhou"
        templates = settings.get("ALIYUN_SMS_TEMPLATES") or {}
        self.templates = json.loads(templates) if isinstance(templates, str) else dict(templates)
        self.session = requests.Session()
        return self

    def common(self, action, now=None):
        now = now or dt.datetime.now(dt.timezone.utc)
        return {"AccessKeyId": self.key_id, "Action": action, "Format": "JSON",
                "RegionId": self.region, "SignatureMethod": "HMAC-SHA1",
                "SignatureNonce": str(uuid.uuid4()), "SignatureVersion": "1.0",
                "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25"}

    def signed(self, params):
        params = dict(params)
        params["Signature"] = rpc_signature(params, self.secret, "POST")
        return params

    def send(self, message):
        template = self.templates.get(message.kind) or self.templates.get("default")
        if not template:
            return Result(PERMANENT, error="no Aliyun TemplateCode for '{}'".format(message.kind))
        params = self.common("SendSms")
        params.update({"PhoneNumbers": message.to, "SignName": self.sign_name,
                       "TemplateCode": template, "OutId": message.out_id,
                       "TemplateParam": json.dumps(
                           {k: message.params.get(k, "") for k in TEMPLATE_PARAM_KEYS},
                           ensure_ascii=False, separators=(",", ":"))})
        try:
            response = self.session.post(self.endpoint, data=self.signed(params),
                                         timeout=self.timeout)
        except requests.RequestException as exc:
            return exception_outcome(exc)
        return self.outcome(response)

    def outcome(self, response):
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = body.get("Code")
        if response.status_code == 200 and code == "OK":
            return Result(SENT, provider_id=body.get("BizId"))
        error = "{} {}: {}".format(response.status_code, code, body.get("Message", "")[:200])
        if code in RETRY_CODES or response.status_code >= 500 or response.status_code == 429:
            return Result(RETRY, error=error)
        if code is None and response.status_code == 200:
            return Result(AMBIGUOUS, error="unreadable answer")
        return Result(PERMANENT, error=error)

    def lookup(self, message):
        """QuerySendDetails for the number and day; the OutId says whether ours arrived."""
        day = (message.sent_on or dt.date.today().isoformat()).replace("-", "")
        params = self.common("QuerySendDetails")
        params.update({"PhoneNumber": message.to, "SendDate": day, "PageSize": "50",
                       "CurrentPage": "1"})
        try:
            response = self.session.post(self.endpoint, data=self.signed(params),
                                         timeout=self.timeout)
            body = response.json()
        except (requests.RequestException, ValueError):
            return None
        if body.get("Code") != "OK":
            return None
        details = (body.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
        return DELIVERED if any(d.get("OutId") == message.out_id for d in details) else NOT_FOUND
