"""Channel plugins: the providers' signatures against their documented worked examples,
and every channel against the local fake gateway (which checks the signatures)."""
import datetime as dt

import pytest

from services.notify.channels import BUILTINS, Channel, Message, discover_channels
from services.notify.channels.aliyun import rpc_signature, string_to_sign
from services.notify.channels.base import DELIVERED, NOT_FOUND
from services.notify.channels.tencent import sha256_hex, tc3_authorization
from tests.notify.fake_sms import FakeSmsGateway


# Aliyun's RPC signature worked example (ECS DescribeRegions, AccessKeySecret "testsecret"),
# from Alibaba Cloud's "Request signatures" page for RPC APIs (signature version 1.0), e.g.
# https://www.alibabacloud.com/help/doc-detail/25492.htm; the SendSms example is Aliyun SMS's
# own "签名机制" page, https://help.aliyun.com/document_detail/56189.html.
def test_aliyun_signature_matches_the_describe_regions_example():
    params = {"Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
              "SignatureVersion": "1.0", "Version": "2014-05-26",
              "Timestamp": "2016-02-23T12:46:24Z"}
    assert string_to_sign(params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z"
        "%26Version%3D2014-05-26")
    assert rpc_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_signature_matches_the_send_sms_example():
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou",
              "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
              "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert rpc_signature(params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


# Tencent Cloud API 3.0 "Signature v3" worked example (CVM DescribeInstances, timestamp
# 1551113065), e.g. https://www.tencentcloud.com/document/api/266/34114 (the same page
# appears under every product's API docs).
def test_tencent_tc3_signature_matches_the_documented_example():
    payload = (b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], '
               b'"Name": "instance-name"}]}')
    assert sha256_hex(payload) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    assert tc3_authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                             "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", "cvm.tencentcloudapi.com",
                             1551113065, payload) == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
        "tc3_request, SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")


@pytest.fixture()
def fake():
    gateway = FakeSmsGateway(slow_seconds=1.0)
    yield gateway
    gateway.close()


def message(out_id="r-1", to="13900001111"):
    return Message(to=to, text="【督办提醒】测试", kind="before", out_id=out_id,
                   params={"number": "DB-2026-0001", "title": "测试", "when": "还剩3天"},
                   sent_on=dt.date.today().isoformat())


SMS = ["http", "aliyun", "tencent"]


@pytest.mark.parametrize("name", SMS)
def test_a_send_reaches_the_fake_signed(fake, name):
    channel = discover_channels(fake.settings(), entry_points=[])[name]
    result = channel.send(message())
    assert result.outcome == "sent" and result.provider_id
    assert fake.bad_signatures == 0 and len(fake.messages) == 1
    assert fake.messages[0][2] == "r-1"


@pytest.mark.parametrize("name", SMS)
@pytest.mark.parametrize("behaviour,outcome", [("5xx", "retry"), ("throttle", "retry"),
                                               ("permanent", "permanent")])
def test_provider_failures_are_classified(fake, name, behaviour, outcome):
    fake.script = [behaviour]
    result = discover_channels(fake.settings(), entry_points=[])[name].send(message())
    assert result.outcome == outcome and result.error
    assert fake.messages == []


@pytest.mark.parametrize("name", SMS)
def test_a_timeout_after_sending_is_ambiguous_and_the_lookup_decides(fake, name):
    channel = discover_channels(fake.settings(), entry_points=[])[name]
    fake.script = ["timeout_delivered", "timeout_lost"]
    first, second = message("r-1"), message("r-2")
    assert channel.send(first).outcome == "ambiguous"
    assert channel.send(second).outcome == "ambiguous"
    assert channel.lookup(first) == DELIVERED
    assert channel.lookup(second) == NOT_FOUND


@pytest.mark.parametrize("name", ["aliyun", "tencent"])
def test_a_wrong_key_is_refused_by_the_fake_and_permanent(fake, name):
    settings = fake.settings(ALIYUN_SMS_ACCESS_KEY_SECRET="wrong", TENCENT_SMS_SECRET_KEY="wrong")
    result = discover_channels(settings, entry_points=[])[name].send(message())
    assert result.outcome == "permanent" and fake.bad_signatures == 1


def test_a_refused_connection_is_retried_not_ambiguous():
    settings = {"NOTIFY_HTTP_SMS_URL": "http://127.0.0.1:9/send", "NOTIFY_SEND_TIMEOUT_SECONDS": 1}
    result = discover_channels(settings, entry_points=[])["http"].send(message())
    assert result.outcome == "retry"


def test_console_prints_masked_and_records(capsys):
    console = discover_channels({}, entry_points=[])["console"]
    assert console.send(message()).outcome == "sent"
    out = capsys.readouterr().out
    assert "139****1111" in out and "13900001111" not in out
    assert console.lookup(message()) == DELIVERED and console.lookup(message("x")) == NOT_FOUND


def test_a_third_party_channel_is_discovered_and_can_replace_a_builtin():
    class Pigeon(Channel):
        name = "pigeon"

    class BetterConsole(Channel):
        name = "console"

    found = discover_channels({}, entry_points=[("pigeon", Pigeon()), ("c", BetterConsole())])
    assert isinstance(found["pigeon"], Pigeon) and isinstance(found["console"], BetterConsole)
    assert {"http", "aliyun", "tencent"} <= set(found)
    assert len(BUILTINS) == 6


# ---- group robots (no worked example is published for DingTalk's signature with values:
# the fake recomputes it by the documented steps, HMAC-SHA256 over "<timestamp>\n<secret>"
# then Base64, and the test below follows the same steps by hand)
def test_dingtalk_sign_follows_the_documented_steps():
    import base64
    import hashlib
    import hmac
    from urllib.parse import quote_plus

    from services.notify.channels.robots import dingtalk_sign

    secret, ts = "SEC000", 1700000000000
    by_hand = base64.b64encode(hmac.new(b"SEC000", b"1700000000000\nSEC000",
                                        hashlib.sha256).digest())
    assert dingtalk_sign(secret, ts) == quote_plus(by_hand)


@pytest.mark.parametrize("name", ["wecom", "dingtalk"])
def test_a_robot_posts_into_the_group_mentioning_the_number(fake, name):
    channel = discover_channels(fake.settings(), entry_points=[])[name]
    assert channel.send(message()).outcome == "sent"
    assert fake.bad_signatures == 0
    assert fake.messages[0][:3] == (name, "13900001111", "【督办提醒】测试")


@pytest.mark.parametrize("name", ["wecom", "dingtalk"])
@pytest.mark.parametrize("behaviour,outcome", [("5xx", "retry"), ("throttle", "retry"),
                                               ("permanent", "permanent")])
def test_robot_failures_are_classified(fake, name, behaviour, outcome):
    fake.script = [behaviour]
    result = discover_channels(fake.settings(), entry_points=[])[name].send(message())
    assert result.outcome == outcome and fake.messages == []


def test_a_wrong_dingtalk_secret_is_refused():
    gateway = FakeSmsGateway()
    try:
        settings = gateway.settings(NOTIFY_DINGTALK_SECRET="SECwrong")
        result = discover_channels(settings, entry_points=[])["dingtalk"].send(message())
        assert result.outcome == "permanent" and gateway.bad_signatures == 1
    finally:
        gateway.close()


def test_a_robot_cannot_tell_whether_an_ambiguous_post_arrived(fake):
    channel = discover_channels(fake.settings(), entry_points=[])["wecom"]
    fake.script = ["timeout_delivered"]
    assert channel.send(message()).outcome == "ambiguous"
    assert channel.lookup(message()) is None   # so it ends uncertain, never resent
