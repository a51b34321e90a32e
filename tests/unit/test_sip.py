"""The test caller's SIP helpers: parsing responses, SDP, and building replies."""

from __future__ import annotations

import pytest

from devkit.caller.sip import (
    SipError,
    build_request,
    build_response,
    parse_sip,
    sdp_media_address,
    sdp_offer,
)

SDP_ANSWER = (
    "v=0\r\n"
    "o=- 1700000000 1700000002 IN IP4 127.0.0.1\r\n"
    "s=Asterisk\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 30012 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=maxptime:140\r\n"
    "a=sendrecv\r\n"
)

OK_200 = (
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:40123;rport=40123;received=127.0.0.1;branch=z9hG4bK-1\r\n"
    "Call-ID: 3f2a9c@127.0.0.1\r\n"
    "From: <sip:caller@127.0.0.1>;tag=abc123\r\n"
    "To: <sip:decroche@127.0.0.1>;tag=9d1e-xyz\r\n"
    "CSeq: 1 INVITE\r\n"
    "Server: Asterisk PBX 20.5.0\r\n"
    "Allow: OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL\r\n"
    "Contact: <sip:127.0.0.1:15060>\r\n"
    "Supported: 100rel, timer, replaces, norefersub\r\n"
    "Content-Type: application/sdp\r\n"
    f"Content-Length: {len(SDP_ANSWER)}\r\n"
    "\r\n" + SDP_ANSWER
)

COMPACT_200 = (
    "SIP/2.0 200 OK\r\n"
    "v: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-a\r\n"
    "v: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-b\r\n"
    "i: compact-call@10.0.0.5\r\n"
    "f: <sip:a@10.0.0.5>;tag=1\r\n"
    "t: <sip:b@10.0.0.9>;tag=2\r\n"
    "m: <sip:b@10.0.0.9:5060>\r\n"
    "c: application/sdp\r\n"
    "CSeq: 2 INVITE\r\n"
    f"l: {len(SDP_ANSWER)}\r\n"
    "\r\n" + SDP_ANSWER
)


def test_parse_200_ok_with_sdp() -> None:
    message = parse_sip(OK_200.encode())
    assert message.is_response
    assert message.status == 200
    assert message.method == "INVITE"
    assert message.cseq_method == "INVITE"
    assert message.header("call-id") == "3f2a9c@127.0.0.1"
    assert message.header("Call-ID") == "3f2a9c@127.0.0.1"
    assert message.header("to").endswith(";tag=9d1e-xyz")
    assert message.header("content-length") == str(len(SDP_ANSWER))
    assert message.header("x-missing") == ""
    assert message.body == SDP_ANSWER
    assert sdp_media_address(message.body) == ("127.0.0.1", 30012)


def test_parse_compact_headers() -> None:
    message = parse_sip(COMPACT_200.encode())
    assert message.headers["via"] == [
        "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-a",
        "SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK-b",
    ]
    assert message.header("call-id") == "compact-call@10.0.0.5"
    assert message.header("from") == "<sip:a@10.0.0.5>;tag=1"
    assert message.header("to") == "<sip:b@10.0.0.9>;tag=2"
    assert message.header("contact") == "<sip:b@10.0.0.9:5060>"
    assert message.header("content-type") == "application/sdp"
    assert message.header("content-length") == str(len(SDP_ANSWER))
    assert sdp_media_address(message.body) == ("127.0.0.1", 30012)


def test_parse_request() -> None:
    data = b"BYE sip:caller@127.0.0.1:40123 SIP/2.0\r\nCSeq: 102 BYE\r\nContent-Length: 0\r\n\r\n"
    message = parse_sip(data)
    assert not message.is_response
    assert message.status == 0
    assert message.method == "BYE"
    assert message.body == ""


def test_provisional_response_status() -> None:
    assert parse_sip(b"SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n\r\n").status == 180


def test_build_response_copies_dialog_headers() -> None:
    request = parse_sip(
        b"BYE sip:caller@127.0.0.1:40123 SIP/2.0\r\n"
        b"Via: SIP/2.0/UDP 127.0.0.1:15060;rport;branch=z9hG4bKPj-1\r\n"
        b"Via: SIP/2.0/UDP 127.0.0.1:15061;branch=z9hG4bKPj-2\r\n"
        b"From: <sip:decroche@127.0.0.1>;tag=as-1\r\n"
        b"To: <sip:caller@127.0.0.1>;tag=abc123\r\n"
        b"Call-ID: 3f2a9c@127.0.0.1\r\n"
        b"CSeq: 7 BYE\r\n"
        b"Max-Forwards: 70\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    response = parse_sip(build_response(request, 200, "OK"))
    assert response.first_line == "SIP/2.0 200 OK"
    assert response.status == 200
    for name in ("via", "from", "to", "call-id", "cseq"):
        assert response.headers[name] == request.headers[name], name
    assert len(response.headers["via"]) == 2
    assert "max-forwards" not in response.headers
    assert response.header("content-length") == "0"
    assert response.body == ""
    assert response.method == "BYE"


def test_build_request_sets_content_length_in_bytes() -> None:
    body = "é\r\n"
    data = build_request("MESSAGE", "sip:a@b", [("Call-ID", "x"), ("CSeq", "1 MESSAGE")], body)
    message = parse_sip(data)
    assert message.first_line == "MESSAGE sip:a@b SIP/2.0"
    assert message.header("content-length") == "4"
    assert message.body == body
    assert message.method == "MESSAGE"


def test_sdp_offer_round_trips_through_media_address() -> None:
    offer = sdp_offer("10.1.2.3", 40000, 99)
    assert sdp_media_address(offer) == ("10.1.2.3", 40000)
    assert "a=rtpmap:0 PCMU/8000" in offer.splitlines()


def test_media_level_connection_line_wins() -> None:
    sdp = "v=0\r\nc=IN IP4 1.1.1.1\r\nm=audio 5004 RTP/AVP 0\r\nc=IN IP4 2.2.2.2\r\n"
    assert sdp_media_address(sdp) == ("2.2.2.2", 5004)


@pytest.mark.parametrize(
    "sdp",
    ["", "v=0\r\nc=IN IP4 1.1.1.1\r\n", "v=0\r\nm=audio 5004 RTP/AVP 0\r\n", "m=video 1 RTP/AVP 0"],
)
def test_sdp_without_audio_address_raises(sdp: str) -> None:
    with pytest.raises(SipError, match="no audio address"):
        sdp_media_address(sdp)
