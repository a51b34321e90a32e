"""The Basic Authorization header shared by the ARI and Twilio clients."""

from agent.basic_auth import basic_authorization


def test_the_rfc_7617_example() -> None:
    assert basic_authorization("Aladdin", "open sesame") == {
        "Authorization": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    }


def test_utf8_credentials() -> None:
    assert basic_authorization("test", "123£") == {"Authorization": "Basic dGVzdDoxMjPCow=="}
