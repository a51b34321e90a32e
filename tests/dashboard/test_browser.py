"""The dashboard in a real Chromium (Debian's chromium + chromium-driver, driven by selenium),
at phone size (390×844, touch, device pixel ratio 3) and desktop size (1280×900).

One browser and one server for the module. The server runs in a thread with its own event
loop and its own SQLite connection, as `decroche dashboard` does; the test writes rows and
counts them through another connection. Nothing is downloaded: the driver and the browser are
the system's, and the browser starts with a fresh profile and its background traffic off.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from agent.config import Config, load_config
from agent.dashboard import DashboardSettings
from agent.dashboard.app import build_app
from agent.leads.model import Lead
from agent.leads.store import SqliteLeadStore
from agent.store.calls import CallStore
from agent.store.db import connect
from tests.dashboard.day_rows import FIGURES, expected, insert_rows
from tests.dashboard.sample import Sample, fill, write_wav

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PHONE, DESKTOP = (390, 844), (1280, 900)
T = TypeVar("T")


@dataclass
class Served:
    url: str
    config: Config
    sample: Sample
    ranges: list[tuple[str, str, int]] = field(default_factory=list)  # path, Range, status


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("browser")
    config = load_config(None, {"store": {"data_dir": str(root / "var")}})
    assert config.call.recordings_dir is not None
    writer = connect(config.database)
    sample = asyncio.run(fill(writer, config.call.recordings_dir))
    insert_rows(writer, datetime.now(UTC))
    long_word = "Wolfeschlegelsteinhausenbergerdorff" * 4  # no place to break a line
    SqliteLeadStore(writer).save(Lead(
        outcome="callback_needed", caller_number="+33612345679", name=long_word,
        street=f"{long_word} chemin", city=long_word, problem="fuite " + "x" * 400,
    ))  # fmt: skip
    writer.execute(
        "INSERT INTO sms_outbox (idem_key, recipient, body, kind, status, next_attempt_at,"
        " created_at, last_error) VALUES ('long', '+33612345679', ?, 'artisan_recap', 'failed',"
        " 0, ?, ?)",
        ("https://exemple.fr/" + "y" * 300, datetime.now(UTC).isoformat(), "z" * 200),
    )
    writer.close()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def run(coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=30)

    async def start() -> tuple[web.AppRunner, Served]:
        # loopback without a password: no login prompt for the browser to answer
        app = build_app(config, connect(config.database), DashboardSettings())
        served = Served("", config, sample)

        async def note(request: web.Request, response: web.StreamResponse) -> None:
            if "Range" in request.headers:
                served.ranges.append((request.path, request.headers["Range"], response.status))

        app.on_response_prepare.append(note)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        served.url = f"http://{host}:{port}"
        return runner, served

    runner, result = run(start())
    yield result
    run(runner.cleanup())
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    for path in (CHROMIUM, CHROMEDRIVER):
        assert os.access(path, os.X_OK), f"{path} missing: make deps installs chromium(-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                f"--user-data-dir={profile}", "--window-size=1280,900"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def _console(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """The browser console's entries since the last read (reading empties it)."""
    # selenium leaves ChromiumDriver.get_log unannotated
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return entries


def _size(driver: WebDriver, size: tuple[int, int]) -> None:
    """The phone as Chromium's device mode emulates it (the viewport meta tag then matters)."""
    width, height = size
    phone = size == PHONE
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 3 if phone else 1,
         "mobile": phone},
    )  # fmt: skip
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": phone})


def _widths(driver: WebDriver) -> tuple[int, int]:
    return driver.execute_script(  # type: ignore[no-any-return]
        "return [document.scrollingElement.scrollWidth, window.innerWidth]"
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_horizontal_scroll(served: Served, browser: WebDriver, size: tuple[int, int]) -> None:
    _size(browser, size)
    lead = served.sample.lead_ids[0]
    for path in ("/", "/?q=bron", f"/leads/{lead}", "/calls", f"/calls/{served.sample.call_ids[0]}",
                 "/sms", "/nope", "/deliveries", "/calls?q=0612"):  # fmt: skip
        browser.get(served.url + path)
        scroll, inner = _widths(browser)
        assert inner == size[0], path
        assert scroll <= inner, (path, scroll, inner)
    browser.get(served.url + "/")
    call = browser.find_element(By.CSS_SELECTOR, f"#lead-{lead} a.btn.call")
    assert call.get_attribute("href") == "tel:+33612345678"
    if size == PHONE:  # a thumb-sized target
        assert call.size["height"] >= 40 and call.size["width"] >= 60


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_figures_shown_match_the_database(
    served: Served, browser: WebDriver, size: tuple[int, int]
) -> None:
    _size(browser, size)
    browser.get(served.url + "/")
    conn = connect(served.config.database)
    try:
        want = expected(conn, ZoneInfo(served.config.business.timezone), datetime.now(UTC))
    finally:
        conn.close()
    for name in FIGURES:
        if name == "webhook_failed" and want[name] == (0, 0):
            continue  # shown only when something failed this week
        today = browser.find_element(By.ID, f"today-{name}").text
        week = browser.find_element(By.ID, f"week-{name}").text
        assert (int(today), int(week)) == want[name], name
        assert browser.find_element(By.ID, f"today-{name}").is_displayed()
    # the rows are there (today's may be yesterday's when this runs just after midnight)
    assert want["calls"][1] >= 4 and want["leads"][1] >= 3 and want["sms_failed"][1] >= 2


def test_one_tap_marks_a_lead_called_back(served: Served, browser: WebDriver) -> None:
    _size(browser, PHONE)
    lead = served.sample.lead_ids[1]
    browser.get(served.url + "/?q=moreau")
    button = browser.find_element(
        By.CSS_SELECTOR, f'#lead-{lead} button[name="status"][value="called_back"]'
    )
    button.click()  # one tap: no page in between, no confirmation
    WebDriverWait(browser, 10).until(lambda d: "ok=1" in d.current_url)
    assert re.search(rf"/\?q=moreau&ok=1#lead-{lead}$", browser.current_url)
    conn = connect(served.config.database)
    try:
        assert SqliteLeadStore(conn).get(lead).status == "called_back"
    finally:
        conn.close()
    again = browser.find_element(
        By.CSS_SELECTOR, f'#lead-{lead} button[name="status"][value="called_back"]'
    )
    assert again.get_attribute("disabled") is not None
    assert "Statut mis à jour." in browser.find_element(By.CLASS_NAME, "flash").text


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_recording_plays_through_http_range(
    served: Served, browser: WebDriver, size: tuple[int, int]
) -> None:
    _size(browser, size)
    served.ranges.clear()
    call_id = served.sample.call_ids[0]
    browser.get(f"{served.url}/leads/{served.sample.lead_ids[0]}")
    player = browser.find_element(By.CSS_SELECTOR, f'audio[src="/recordings/{call_id}.wav"]')
    assert player.get_attribute("preload") == "none"  # nothing fetched until asked
    browser.execute_script("arguments[0].play()", player)
    WebDriverWait(browser, 15).until(
        lambda d: d.execute_script("return arguments[0].readyState", player) >= 2
    )
    assert browser.execute_script("return arguments[0].error", player) is None
    duration = browser.execute_script("return arguments[0].duration", player)
    assert duration == pytest.approx(1.0, abs=0.05)  # 8000 frames at 8 kHz
    answered = [r for r in served.ranges if r[0] == f"/recordings/{call_id}.wav"]
    assert answered and all(status == 206 for _, _, status in answered), served.ranges
    assert answered[0][1].startswith("bytes=")

    # the caller's own words for the address, from the card on the day view
    lead = served.sample.lead_ids[0]
    browser.get(served.url + "/")
    browser.find_element(By.CSS_SELECTOR, f"#lead-{lead} details.clips summary").click()
    clip = browser.find_element(By.CSS_SELECTOR, f'#lead-{lead} audio[src$="/clips/1.wav"]')
    assert clip.is_displayed()
    browser.execute_script("arguments[0].play()", clip)
    WebDriverWait(browser, 15).until(
        lambda d: d.execute_script("return arguments[0].readyState", clip) >= 2
    )
    clipped = [r for r in served.ranges if r[0] == f"/leads/{lead}/clips/1.wav"]
    assert clipped and all(status == 206 for _, _, status in clipped), served.ranges


def test_live_refresh_brings_a_new_lead_in(served: Served, browser: webdriver.Chrome) -> None:
    """The page's own script (static/live.js) refreshes the list when the tab comes back into
    view, as it does every 30 s: a lead saved meanwhile appears without a reload."""
    _size(browser, PHONE)
    browser.get(served.url + "/?q=nouvelle")
    assert browser.find_elements(By.CSS_SELECTOR, "article.card") == []
    browser.execute_script("window.marker = 1")  # gone if the page were reloaded
    _console(browser)  # drained: what the earlier pages logged (their 404s) is theirs
    conn = connect(served.config.database)
    try:
        lead = SqliteLeadStore(conn).save(Lead(outcome="transferred", name="Nouvelle Cliente"))
    finally:
        conn.close()
    browser.execute_script("document.dispatchEvent(new Event('visibilitychange'))")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, f"lead-{lead}"))
    assert browser.execute_script("return window.marker") == 1
    assert "Nouvelle Cliente" in browser.find_element(By.ID, f"lead-{lead}").text
    errors = [e["message"] for e in _console(browser) if e["level"] == "SEVERE"]
    assert errors == []  # no CSP violation, no script error, no failed fetch


def test_erasing_a_number_takes_two_taps_and_leaves_nothing(
    served: Served, browser: WebDriver
) -> None:
    """GDPR erasure from a lead's page on the phone: the first tap only unfolds what will go,
    the second erases the rows and the recording, and the day view says so."""
    _size(browser, PHONE)
    number = "+33655443322"  # a caller of this test's own: the module's sample stays whole
    folder = served.config.call.recordings_dir
    assert folder is not None
    conn = connect(served.config.database)
    try:
        calls = CallStore(conn)
        call_id = calls.create("chan-erase", number)
        recording = folder / f"call-{call_id:06d}-chan-erase.wav"
        write_wav(recording)
        calls.set_recording("chan-erase", str(recording))
        lead = SqliteLeadStore(conn).save(Lead(
            outcome="callback_needed", caller_number=number, name="Effacer Moi", call_id=call_id,
            recording_path=str(recording),
        ))  # fmt: skip
    finally:
        conn.close()
    browser.get(f"{served.url}/leads/{lead}")
    erase = browser.find_element(By.CSS_SELECTOR, "details.privacy button.danger")
    assert not erase.is_displayed()  # folded: a stray tap on the page cannot erase
    browser.find_element(By.CSS_SELECTOR, "details.privacy summary").click()
    assert (
        erase.is_displayed()
        and "06 55 44 33 22" in browser.find_element(By.CSS_SELECTOR, "details.privacy").text
    )
    erase.click()
    WebDriverWait(browser, 10).until(lambda d: "privacy=" in d.current_url)
    assert browser.current_url == served.url + "/?privacy=deleted"
    assert "ont été supprimées" in browser.find_element(By.CSS_SELECTOR, "p.flash").text
    assert not recording.exists()
    conn = connect(served.config.database)
    try:
        for table, column in (("calls", "caller_number"), ("leads", "caller_number")):
            sql = f"SELECT COUNT(*) FROM {table} WHERE {column} = ?"
            assert conn.execute(sql, (number,)).fetchone()[0] == 0, table
    finally:
        conn.close()
    assert browser.find_elements(By.ID, f"lead-{lead}") == []


_COUNT_FETCHES = """
window.fetches = 0;
var real = window.fetch;
window.fetch = function () { window.fetches += 1; return real.apply(this, arguments); };
"""
_TICK = "document.dispatchEvent(new Event('visibilitychange')); return window.fetches;"


def _new_urgent_lead(served: Served, name: str) -> int:
    conn = connect(served.config.database)
    try:  # urgent and new: first on the day view whatever else the module saved
        return SqliteLeadStore(conn).save(Lead(outcome="transferred", name=name, urgent=True))
    finally:
        conn.close()


def test_live_refresh_waits_while_audio_plays_or_a_text_is_open(
    served: Served, browser: WebDriver
) -> None:
    """live.js does not even fetch while the artisan listens to a clip or reads an unfolded
    text (swapping the cards would cut the audio and fold the text); it does once done."""
    _size(browser, PHONE)
    browser.get(served.url + "/")
    browser.execute_script(_COUNT_FETCHES)
    # a folded text open (set from the script: no focus, which would pause it by itself)
    reading = _new_urgent_lead(served, "Pendant La Lecture")
    browser.execute_script("document.querySelector('#live details.long').open = true")
    assert browser.execute_script(_TICK) == 0
    assert browser.find_elements(By.ID, f"lead-{reading}") == []
    browser.execute_script("document.querySelector('#live details.long').open = false")
    assert browser.execute_script(_TICK) == 1
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, f"lead-{reading}"))

    # a clip playing (looped, so that it is still playing when the tick comes)
    listening = _new_urgent_lead(served, "Pendant L Ecoute")
    playing = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "var clip = document.querySelector('#live audio.clip'); clip.loop = true;"
        "clip.play().then(function () { done(!clip.paused); }, function (e) { done(String(e)); });"
    )
    assert playing is True
    assert browser.execute_script(_TICK) == 1  # no new fetch
    assert browser.find_elements(By.ID, f"lead-{listening}") == []
    browser.execute_script("document.querySelector('#live audio.clip').pause()")
    assert browser.execute_script(_TICK) == 2
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, f"lead-{listening}"))
