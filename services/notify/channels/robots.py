"""Group robots: WeCom (企业微信) and DingTalk (钉钉) custom robots post the reminder into a
group chat and @-mention the recipient's mobile.

WeCom: POST NOTIFY_WECOM_WEBHOOK_URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...)
JSON {"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}; answer {"errcode": 0}.
DingTalk: POST NOTIFY_DINGTALK_WEBHOOK_URL (https://oapi.dingtalk.com/robot/send?access_token=...)
with `timestamp` (ms) and `sign` = Base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>"))
when NOTIFY_DINGTALK_SECRET is set; JSON {"msgtype": "text", "text": {"content"},
"at": {"atMobiles"}}; answer {"errcode": 0}.
Neither has a status query: an ambiguous post is never repeated (it ends `uncertain`).
"""
import base64
import hashlib
import hmac
import json
import time
from urllib.parse import quote_plus

import requests

from .base import PERMANENT, RETRY, SENT, Channel, Result, classify_http, exception_outcome

WECOM_RETRY = {-1, 45009, 45033}          # busy, frequency limits
DINGTALK_RETRY = {-1, 130101, 660026}     # busy, too fast


def dingtalk_sign(secret, timestamp_ms):
    to_sign = "{}\n{}".format(timestamp_ms, secret).encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


class _Robot(Channel):
    url_key = None
    retry_codes = set()

    def configure(self, settings):
        super().configure(settings)
        self.url = settings.get(self.url_key) or ""
        self.session = requests.Session()
        return self

    def post(self, url, body):
        if not self.url:
            return Result(PERMANENT, error="{} is not configured".format(self.url_key))
        try:
            response = self.session.post(url, data=json.dumps(body, ensure_ascii=False)
                                         .encode("utf-8"),
                                         headers={"Content-Type": "application/json"},
                                         timeout=self.timeout)
        except requests.RequestException as exc:
            return exception_outcome(exc)
        outcome = classify_http(response.status_code)
        if outcome != SENT:
            return Result(outcome, error="HTTP {}".format(response.status_code))
        try:
            answer = response.json()
        except ValueError:
            return Result(PERMANENT, error="unreadable answer")
        code = answer.get("errcode")
        if code == 0:
            return Result(SENT)
        error = "{}: {}".format(code, str(answer.get("errmsg", ""))[:200])
        return Result(RETRY if code in self.retry_codes else PERMANENT, error=error)


class WeComRobot(_Robot):
    name = "wecom"
    url_key = "NOTIFY_WECOM_WEBHOOK_URL"
    retry_codes = WECOM_RETRY

    def send(self, message):
        return self.post(self.url, {"msgtype": "text", "text": {
            "content": message.text, "mentioned_mobile_list": [message.to]}})


class DingTalkRobot(_Robot):
    name = "dingtalk"
    url_key = "NOTIFY_DINGTALK_WEBHOOK_URL"
    retry_codes = DINGTALK_RETRY

    def configure(self, settings):
        super().configure(settings)
        self.secret = settings.get("NOTIFY_DINGTALK_SECRET") or ""
        return self

    def signed_url(self):
        if not self.secret:
            return self.url
        ts = int(time.time() * 1000)
        joiner = "&" if "?" in self.url else "?"
        return "{}{}timestamp={}&sign={}".format(self.url, joiner, ts,
                                                 dingtalk_sign(self.secret, ts))

    def send(self, message):
        return self.post(self.signed_url(), {"msgtype": "text",
                                             "text": {"content": message.text},
                                             "at": {"atMobiles": [message.to]}})
