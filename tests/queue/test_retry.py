"""The one HTTP verdict shared by the SMS providers and the lead webhook, and the schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import aiohttp
import pytest

from agent.queue.http import classify_error
from agent.queue.retry import RetryLater, RetryPolicy, Verdict, classify_status, retry_after_s

DELIVERED, RETRY, GIVE_UP = Verdict.DELIVERED, Verdict.RETRY, Verdict.GIVE_UP


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, DELIVERED), (201, DELIVERED), (202, DELIVERED), (204, DELIVERED),
        # Redirects are never followed (a 302 to a 200 page is no delivery): retried, so
        # that the error shows while the operator fixes the URL.
        (301, RETRY), (302, RETRY), (307, RETRY), (308, RETRY),
        (400, GIVE_UP), (401, GIVE_UP), (403, GIVE_UP), (404, GIVE_UP), (405, GIVE_UP),
        (409, GIVE_UP), (410, GIVE_UP), (413, GIVE_UP), (422, GIVE_UP),
        (408, RETRY), (425, RETRY), (429, RETRY),
        (500, RETRY), (502, RETRY), (503, RETRY), (504, RETRY), (507, RETRY),
    ],
)  # fmt: skip
def test_status_table(status: int, verdict: Verdict) -> None:
    assert classify_status(status) is verdict


@pytest.mark.parametrize(
    ("error", "verdict"),
    [
        (aiohttp.ClientConnectionError("refused"), RETRY),
        (aiohttp.ServerDisconnectedError(), RETRY),
        (aiohttp.ClientPayloadError("cut"), RETRY),
        (TimeoutError(), RETRY),
        (aiohttp.InvalidURL("http://"), GIVE_UP),
    ],
)
def test_errors_without_an_answer(error: Exception, verdict: Verdict) -> None:
    assert classify_error(error) is verdict


NOW = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        (format_datetime(datetime(2026, 3, 2, 10, 5, 0, tzinfo=UTC), usegmt=True), 300.0),
        ("Mon, 02 Mar 2026 09:00:00 GMT", 0.0),  # already past: no wait beyond the backoff
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_header(header: str | None, seconds: float | None) -> None:
    assert retry_after_s(header, NOW) == seconds


def test_jitter_draws_each_wait_within_its_share_of_the_backoff() -> None:
    policy = RetryPolicy(backoff_initial_s=10, backoff_max_s=60, jitter=0.25)
    plain = RetryLater("503")
    assert policy.delay(1, plain, rand=lambda: 0.0) == 10
    assert policy.delay(2, plain, rand=lambda: 0.999) == pytest.approx(15.005)
    waits = {policy.delay(3, plain) for _ in range(200)}
    assert len(waits) > 100 and min(waits) >= 30 and max(waits) <= 40
    # Retry-After stays a floor the jitter cannot undercut.
    assert policy.delay(1, RetryLater("429", retry_after_s=90), rand=lambda: 0.999) == 90
    with pytest.raises(ValueError, match="jitter"):
        RetryPolicy(jitter=1.5)


def test_backoff_doubles_is_capped_and_honours_retry_after_up_to_its_cap() -> None:
    policy = RetryPolicy(backoff_initial_s=10, backoff_max_s=60, retry_after_max_s=600)
    plain = RetryLater("503")
    assert [policy.delay(n, plain) for n in range(1, 6)] == [10, 20, 40, 60, 60]
    assert policy.delay(1, RetryLater("429", retry_after_s=90)) == 90  # longer than backoff
    assert policy.delay(3, RetryLater("429", retry_after_s=5)) == 40  # never sooner
    assert policy.delay(1, RetryLater("429", retry_after_s=1e9)) == 600


def test_exhausted_by_attempts_or_by_age() -> None:
    by_count = RetryPolicy(max_attempts=3)
    assert not by_count.exhausted(2, 1e9) and by_count.exhausted(3, 0)
    by_age = RetryPolicy(max_attempts=100, give_up_after_s=3600)
    assert not by_age.exhausted(50, 3599) and by_age.exhausted(2, 3600)
