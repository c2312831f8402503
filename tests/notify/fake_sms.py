"""A local fake SMS gateway speaking the three protocols notify sends with (generic HTTP,
Aliyun RPC, Tencent Cloud API 3.0), checking their signatures, on 127.0.0.1.

`fake.script` is a list of behaviours consumed one per send ("ok", "5xx", "throttle",
"permanent", "timeout_delivered": records the message then answers too late,
"timeout_lost": answers too late without recording it); when empty every send is "ok".
`fake.messages` holds what was delivered: [(protocol, to, out_id, body)].
"""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # several senders at once must not be refused
from urllib.parse import parse_qsl, urlsplit

from services.notify.channels.aliyun import rpc_signature
from services.notify.channels.http_gateway import gateway_signature
from services.notify.channels.tencent import tc3_authorization

ALIYUN_ID, ALIYUN_SECRET = "testId", "testSecret"
TENCENT_ID, TENCENT_KEY = "AKIDfake", "fakeKey"
HTTP_SECRET = "gateway-secret"
DINGTALK_SECRET = "SECdingtalk-test-secret"


class FakeSmsGateway:
    def __init__(self, slow_seconds=1.5):
        self.script = []
        self.messages = []
        self.attempts = 0
        self.bad_signatures = 0
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.handle(self, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake.handle(self, self.rfile.read(length))

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = "http://127.0.0.1:{}".format(self.port)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def settings(self, **extra):
        values = {
            "NOTIFY_SEND_TIMEOUT_SECONDS": self.slow_seconds / 3,
            "NOTIFY_HTTP_SMS_URL": self.base + "/http/send",
            "NOTIFY_HTTP_SMS_STATUS_URL": self.base + "/http/messages/{out_id}",
            "NOTIFY_HTTP_SMS_SECRET": HTTP_SECRET,
            "ALIYUN_SMS_ENDPOINT": self.base + "/aliyun/",
            "ALIYUN_SMS_ACCESS_KEY_ID": ALIYUN_ID, "ALIYUN_SMS_ACCESS_KEY_SECRET": ALIYUN_SECRET,
            "ALIYUN_SMS_SIGN_NAME": "督办", "ALIYUN_SMS_TEMPLATES": {"default": "SMS_1"},
            "TENCENT_SMS_ENDPOINT": self.base + "/tencent/",
            "TENCENT_SMS_SECRET_ID": TENCENT_ID, "TENCENT_SMS_SECRET_KEY": TENCENT_KEY,
            "TENCENT_SMS_SDK_APP_ID": "1400000000", "TENCENT_SMS_SIGN_NAME": "督办",
            "TENCENT_SMS_TEMPLATES": {"default": "100"},
            "NOTIFY_WECOM_WEBHOOK_URL": self.base + "/wecom/send?key=test-key",
            "NOTIFY_DINGTALK_WEBHOOK_URL": self.base + "/dingtalk/send?access_token=test-token",
            "NOTIFY_DINGTALK_SECRET": DINGTALK_SECRET,
        }
        values.update(extra)
        return values

    def delivered(self, out_id):
        with self.lock:
            return any(m[2] == out_id for m in self.messages)

    def next_behaviour(self):
        with self.lock:
            self.attempts += 1
            return self.script.pop(0) if self.script else "ok"

    def record(self, protocol, to, out_id, body):
        with self.lock:
            self.messages.append((protocol, to, out_id, body))

    # ---- the three protocols
    def handle(self, req, body):
        path = urlsplit(req.path).path
        if path.startswith("/aliyun/"):
            return self.aliyun(req, body)
        if path.startswith("/tencent/"):
            return self.tencent(req, body)
        if path.startswith("/http/messages/"):
            out_id = path.rsplit("/", 1)[-1]
            return reply(req, 200 if self.delivered(out_id) else 404, {})
        if path == "/http/send":
            return self.generic(req, body)
        if path == "/wecom/send":
            return self.wecom(req, body)
        if path == "/dingtalk/send":
            return self.dingtalk(req, body)
        return reply(req, 404, {"error": "no such path"})

    def behave(self, req, protocol, to, out_id, body, answers):
        behaviour = self.next_behaviour()
        if behaviour == "timeout_lost":
            time.sleep(self.slow_seconds)
            return reply(req, 504, {})
        self.record(protocol, to, out_id, body) if behaviour in ("ok", "timeout_delivered") else None
        if behaviour == "timeout_delivered":
            time.sleep(self.slow_seconds)
            return reply(req, *answers["ok"])
        return reply(req, *answers[behaviour])

    def generic(self, req, body):
        ts = req.headers.get("X-Duban-Timestamp", "")
        if req.headers.get("X-Duban-Signature") != gateway_signature(HTTP_SECRET, ts, body):
            self.bad_signatures += 1
            return reply(req, 401, {"error": "bad signature"})
        data = json.loads(body)
        answers = {"ok": (200, {"id": "gw-" + data["out_id"]}), "5xx": (503, {}),
                   "throttle": (429, {}), "permanent": (400, {"error": "blacklisted"})}
        return self.behave(req, "http", data["to"], data["out_id"], data, answers)

    def wecom(self, req, body):
        data = json.loads(body)
        to = data["text"]["mentioned_mobile_list"][0]
        answers = {"ok": (200, {"errcode": 0, "errmsg": "ok"}), "5xx": (502, {}),
                   "throttle": (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
                   "permanent": (200, {"errcode": 93000, "errmsg": "invalid webhook url"})}
        return self.behave(req, "wecom", to, data["text"]["content"], data, answers)

    def dingtalk(self, req, body):
        query = dict(parse_qsl(urlsplit(req.path).query))
        ts = query.get("timestamp", "")
        # DingTalk's documented steps: HMAC-SHA256 over "<timestamp>\n<secret>", Base64
        digest = hmac.new(DINGTALK_SECRET.encode(), "{}\n{}".format(ts, DINGTALK_SECRET).encode(),
                          hashlib.sha256).digest()
        if query.get("sign") != base64.b64encode(digest).decode():
            self.bad_signatures += 1
            return reply(req, 200, {"errcode": 310000, "errmsg": "sign not match"})
        data = json.loads(body)
        to = data["at"]["atMobiles"][0]
        answers = {"ok": (200, {"errcode": 0, "errmsg": "ok"}), "5xx": (503, {}),
                   "throttle": (200, {"errcode": 130101, "errmsg": "send too fast"}),
                   "permanent": (200, {"errcode": 300001, "errmsg": "token is not exist"})}
        return self.behave(req, "dingtalk", to, data["text"]["content"], data, answers)

    def aliyun(self, req, body):
        params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        signature = params.pop("Signature", None)
        if params.get("AccessKeyId") != ALIYUN_ID or \
                signature != rpc_signature(params, ALIYUN_SECRET, "POST"):
            self.bad_signatures += 1
            return reply(req, 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"})
        if params.get("Action") == "QuerySendDetails":
            with self.lock:
                rows = [{"OutId": m[2], "PhoneNum": m[1]} for m in self.messages
                        if m[0] == "aliyun" and m[1] == params["PhoneNumber"]]
            return reply(req, 200, {"Code": "OK", "SmsSendDetailDTOs": {"SmsSendDetailDTO": rows}})
        answers = {"ok": (200, {"Code": "OK", "BizId": "biz-" + params["OutId"]}),
                   "5xx": (500, {"Code": "isp.SYSTEM_ERROR"}),
                   "throttle": (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "限流"}),
                   "permanent": (200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法"})}
        return self.behave(req, "aliyun", params["PhoneNumbers"], params["OutId"], params, answers)

    def tencent(self, req, body):
        ts = int(req.headers.get("X-TC-Timestamp", "0"))
        expected = tc3_authorization(TENCENT_ID, TENCENT_KEY, "sms", req.headers.get("Host"), ts,
                                     body, req.headers.get("Content-Type"))
        if req.headers.get("Authorization") != expected:
            self.bad_signatures += 1
            return reply(req, 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                           "Message": "bad signature"}}})
        data = json.loads(body)
        if req.headers.get("X-TC-Action") == "PullSmsSendStatusByPhoneNumber":
            with self.lock:
                rows = [{"SessionContext": m[2]} for m in self.messages
                        if m[0] == "tencent" and m[1] == data["PhoneNumber"]]
            return reply(req, 200, {"Response": {"PullSmsSendStatusSet": rows}})
        to = data["PhoneNumberSet"][0]
        ok = {"Response": {"SendStatusSet": [{"SerialNo": "sn-" + data["SessionContext"],
                                              "PhoneNumber": to, "Code": "Ok"}]}}
        answers = {"ok": (200, ok), "5xx": (502, {}),
                   "throttle": (200, {"Response": {"Error": {"Code": "RequestLimitExceeded"}}}),
                   "permanent": (200, {"Response": {"SendStatusSet": [{
                       "Code": "FailedOperation.TemplateIncorrectOrUnapproved"}]}})}
        return self.behave(req, "tencent", to, data["SessionContext"], data, answers)


def reply(req, status, body):
    data = json.dumps(body).encode("utf-8")
    try:
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up waiting (a timeout test)


def serve():
    """Run the fake on its own (`python -m tests.notify.fake_sms`): prints its base URL,
    serves until killed; GET /stats answers {"messages": n, "bad_signatures": n}."""
    import sys

    fake = FakeSmsGateway()
    original = fake.handle

    def handle(req, body):
        if urlsplit(req.path).path == "/stats":
            return reply(req, 200, {"messages": len(fake.messages),
                                    "bad_signatures": fake.bad_signatures})
        return original(req, body)
    fake.handle = handle
    print(fake.base, flush=True)
    sys.stdin.read()  # until the parent closes our stdin (or kills us)
    fake.close()


if __name__ == "__main__":
    serve()
