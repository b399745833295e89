"""The senders: the eSMS.vn adapter against a fake transport (no network), the file and console ones."""

from __future__ import annotations

import io
import json
import urllib.error

import pytest

from nhandao.messaging.senders import ConsoleSender, EsmsSender, FileSender, Outgoing, SendError

CONFIG = {
    "url": "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/",
    "api_key": "KEY",
    "secret_key": "SECRET",
    "brandname": "HoiCTD",
    "sms_type": "2",
    "sandbox": True,
}
SMS = Outgoing(id=42, channel="sms", address="0912345678", subject="", body="Hội CTĐ: họp lúc 8h.")


class FakeTransport:
    def __init__(self, answer=None, error=None):
        self.answer, self.error, self.requests = answer, error, []

    def __call__(self, request, timeout):
        self.requests.append(request)
        if self.error:
            raise self.error
        return io.BytesIO(json.dumps(self.answer).encode())


def test_esms_posts_the_documented_json_and_returns_the_sms_id():
    transport = FakeTransport({"CodeResult": "100", "CountRegenerate": 0, "SMSID": "d533459e"})
    assert EsmsSender(CONFIG, transport).send(SMS) == "d533459e"
    request = transport.requests[0]
    assert request.full_url == CONFIG["url"] and request.get_method() == "POST"
    assert request.get_header("Content-type") == "application/json"
    assert json.loads(request.data) == {
        "ApiKey": "KEY",
        "SecretKey": "SECRET",
        "Phone": "0912345678",
        "Content": "Hội CTĐ: họp lúc 8h.",
        "Brandname": "HoiCTD",
        "SmsType": "2",
        "IsUnicode": "1",
        "Sandbox": "1",
        "RequestId": "nhandao-42",
    }


def test_esms_counts_a_repeated_request_id_as_sent():
    answer = {"CodeResult": "124", "ErrorMessage": "Request exist 1"}
    assert EsmsSender(CONFIG, FakeTransport(answer)).send(SMS) == "nhandao-42"


@pytest.mark.parametrize(
    ("answer", "permanent"),
    [
        ({"CodeResult": "108", "ErrorMessage": "Phone number is not in correct format"}, True),
        ({"CodeResult": "99", "ErrorMessage": "The phone number is blocked"}, True),
        ({"CodeResult": "103", "ErrorMessage": "Not enough balance"}, False),
        ({"CodeResult": "101", "ErrorMessage": "Authorize Failed"}, False),
        ({"error": "Invalid request"}, False),
    ],
)
def test_esms_refusals_say_whether_trying_again_can_help(answer, permanent):
    with pytest.raises(SendError) as exc:
        EsmsSender(CONFIG, FakeTransport(answer)).send(SMS)
    assert exc.value.permanent is permanent
    assert (answer.get("ErrorMessage") or answer.get("error")) in exc.value.reason


def test_esms_network_and_http_errors_are_retried():
    for error in (
        urllib.error.URLError("timed out"),
        urllib.error.HTTPError(CONFIG["url"], 502, "Bad", {}, None),
    ):
        with pytest.raises(SendError) as exc:
            EsmsSender(CONFIG, FakeTransport(error=error)).send(SMS)
        assert exc.value.permanent is False


def test_esms_without_its_keys_refuses_to_send():
    with pytest.raises(SendError, match="ESMS_API_KEY"):
        EsmsSender({**CONFIG, "api_key": ""}, FakeTransport({"CodeResult": "100"})).send(SMS)


def test_an_ascii_text_goes_as_plain_sms():
    sender = EsmsSender(CONFIG, FakeTransport({"CodeResult": "100", "SMSID": "1"}))
    assert sender.payload(Outgoing(1, "sms", "0912345678", "", "Hop luc 8h"))["IsUnicode"] == "0"


def test_the_file_sender_writes_an_eml_and_a_json(tmp_path):
    sender = FileSender(tmp_path)
    assert sender.send(SMS) == "42.json"
    assert json.loads((tmp_path / "42.json").read_text(encoding="utf-8"))["to"] == "0912345678"
    email = Outgoing(
        7, "email", "lan@example.org", "Lịch họp", "Nội dung", {"List-Unsubscribe": "<https://x/>"}
    )
    assert sender.send(email) == "7.eml"
    text = (tmp_path / "7.eml").read_text(encoding="utf-8")
    assert "To: lan@example.org" in text and "List-Unsubscribe: <https://x/>" in text


def test_the_console_sender_prints_the_message():
    stream = io.StringIO()
    ConsoleSender(stream).send(SMS)
    assert stream.getvalue() == "--- sms #42 → 0912345678\nHội CTĐ: họp lúc 8h.\n"
