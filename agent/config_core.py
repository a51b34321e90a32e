"""The agent's own tables ([business], [ari], [pbx], [media], [trunk], [call], [store]).

The bottom of the house: the dialogue, the call and ARI layers import these, and this module
imports no layer (agent.config builds every layer's table on top of it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.config_reader import ConfigError, TableReader
from nlp.types import TRADES

__all__ = [
    "DEMO_BUSINESS",
    "PROJECT_ROOT",
    "AriConfig",
    "BusinessConfig",
    "CallConfig",
    "ConfigError",
    "MediaConfig",
    "PbxConfig",
    "SpoolConfig",
    "StoreConfig",
    "TrunkConfig",
    "read_ari",
    "read_business",
    "read_call",
    "read_media",
    "read_pbx",
    "read_store",
    "read_trunk",
]

E164_FR = re.compile(r"^\+33[1-9]\d{8}$")
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BusinessConfig:
    name: str
    trade: str
    mobile: str
    phones: tuple[str, ...] = ()
    ring_seconds: int = 15
    greeting: str | None = None
    timezone: str = "Europe/Paris"
    hours: Mapping[str, str] = field(default_factory=dict)
    holidays: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()


@dataclass(frozen=True)
class AriConfig:
    url: str = "http://127.0.0.1:18088"
    username: str = "decroche"
    password: str = "decroche-sandbox"
    app: str = "decroche"
    connect_timeout_s: float = 5.0
    request_timeout_s: float = 5.0


@dataclass(frozen=True)
class PbxConfig:
    """The sandbox Asterisk that `decroche pbx up` manages (tests, demo, bench)."""

    sandbox_dir: Path
    mirror: str | None = None
    bind_address: str = "127.0.0.1"
    # Where SIP listens; None: bind_address. A production box faces the operator on SIP
    # ("0.0.0.0") while ARI and AMI stay on loopback.
    sip_bind_address: str | None = None
    http_port: int = 18088
    sip_port: int = 15060
    rtp_start: int = 30000
    rtp_end: int = 30999
    voicemail_box: str = "100"
    ami_port: int = 15038
    desk_password: str = "decroche-desk"


@dataclass(frozen=True)
class TrunkConfig:
    """The operator SIP trunk: calls come in through it, the artisan's mobile is reached by it.

    The sandbox default points at 127.0.0.1:15070, where tests run a sipp UAS as the "mobile".
    """

    host: str = "127.0.0.1"
    port: int = 15070
    match: str = "127.0.0.1"
    username: str = "decroche"
    password: str | None = None
    mobile_ring_seconds: int = 25


@dataclass(frozen=True)
class MediaConfig:
    format: str = "ulaw"
    rtp_bind_host: str = "127.0.0.1"
    rtp_advertise_host: str = "127.0.0.1"
    max_calls: int = 8


@dataclass(frozen=True)
class CallConfig:
    """How the agent runs a call: silences, transfers to the mobile, recording."""

    silence_timeout_s: float = 7.0  # no speech this long after a question: re-prompt
    max_call_s: int = 600  # a call this long is closed politely (robots, open lines)
    transfer_mode: str = "attended"  # attended (artisan presses 1) | blind | off
    transfer_ring_s: int = 20  # ring the mobile this long before taking a callback lead
    transfer_accept_s: int = 12  # time the artisan has to press 1 after the summary
    recording: bool = True
    recordings_dir: Path | None = None  # default: <data_dir>/recordings
    retention_days: int = 90


@dataclass(frozen=True)
class SpoolConfig:
    """Where what the database refuses (disk full) is kept until it takes writes again."""

    dir: Path  # default: <data_dir>/spool
    reserve_kb: int = 256  # ballast kept beside the spool, freed for it when the disk is full
    min_free_kb: int = 1024  # less free space than this in the data dir: storage is down


DEMO_BUSINESS = {
    "name": "Plomberie Martin",
    "trade": "plombier",
    "mobile": "+33612345678",
    "towns": ["Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire"],
}


def read_business(r: TableReader) -> BusinessConfig:
    mobile = r.text("mobile")
    if not E164_FR.match(mobile):
        raise ConfigError(f"{r.key('mobile')}: {mobile!r} is not a French number as +33XXXXXXXXX")
    hours = dict(r.table("hours"))
    for day, span in hours.items():
        if day not in WEEKDAYS:
            raise ConfigError(f"{r.key('hours')}: {day!r} is not one of {', '.join(WEEKDAYS)}")
        if not isinstance(span, str) or (span != "closed" and not HOURS.match(span)):
            raise ConfigError(f"{r.key('hours')}.{day}: expected 'HH:MM-HH:MM' or 'closed'")
    holidays = r.texts("holidays")
    for day in holidays:
        try:
            valid = bool(DATE.match(day)) and date.fromisoformat(day) is not None
        except ValueError:
            valid = False
        if not valid:
            raise ConfigError(f"{r.key('holidays')}: {day!r} is not a date YYYY-MM-DD")
    timezone = r.text("timezone", BusinessConfig.timezone)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{r.key('timezone')}: unknown time zone {timezone!r}") from None
    config = BusinessConfig(
        name=r.text("name"),
        trade=r.text("trade", choices=TRADES),
        mobile=mobile,
        phones=r.texts("phones"),
        ring_seconds=r.integer("ring_seconds", BusinessConfig.ring_seconds, low=0, high=120),
        greeting=r.optional_text("greeting"),
        timezone=timezone,
        hours=hours,
        holidays=holidays,
        towns=r.texts("towns"),
        vocabulary=r.texts("vocabulary"),
    )
    r.finish()
    return config


def read_ari(r: TableReader) -> AriConfig:
    d = AriConfig
    url = r.text("url", d.url)
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{r.key('url')}: {url!r} must start with http:// or https://")
    config = AriConfig(
        url=url.rstrip("/"),
        username=r.text("username", d.username),
        password=r.text("password", d.password),
        app=r.text("app", d.app),
        connect_timeout_s=r.number("connect_timeout_s", d.connect_timeout_s, low=0.1, high=120),
        request_timeout_s=r.number("request_timeout_s", d.request_timeout_s, low=0.1, high=120),
    )
    r.finish()
    return config


def _port(r: TableReader, name: str, default: int) -> int:
    return r.integer(name, default, low=1, high=65535)


def read_pbx(r: TableReader, base: Path) -> PbxConfig:
    d = PbxConfig
    config = PbxConfig(
        # One sandbox per checkout: a config elsewhere must not debootstrap a second one
        # beside itself (it would fight the first for the same ports) unless it names one.
        sandbox_dir=r.path("sandbox_dir", PROJECT_ROOT / ".sandbox", base),
        mirror=r.optional_text("mirror"),
        bind_address=r.text("bind_address", d.bind_address),
        sip_bind_address=r.optional_text("sip_bind_address"),
        http_port=_port(r, "http_port", d.http_port),
        sip_port=_port(r, "sip_port", d.sip_port),
        rtp_start=_port(r, "rtp_start", d.rtp_start),
        rtp_end=_port(r, "rtp_end", d.rtp_end),
        voicemail_box=r.text("voicemail_box", d.voicemail_box),
        ami_port=_port(r, "ami_port", d.ami_port),
        desk_password=r.text("desk_password", d.desk_password),
    )
    if config.rtp_end <= config.rtp_start:
        raise ConfigError(f"{r.key('rtp_end')}: must be above pbx.rtp_start")
    r.finish()
    return config


def read_media(r: TableReader) -> MediaConfig:
    d = MediaConfig
    if r.text("format", d.format, choices=("ulaw", "slin16")) == "slin16":
        # Measured on Asterisk 22.10: slin16 externalMedia brings the caller's audio to the
        # agent, but the agent's slin16 RTP is never forwarded to the caller (dead air).
        raise ConfigError(
            f"{r.key('format')}: slin16 is not supported yet (Asterisk does not "
            "forward the agent's slin16 audio to the caller); use ulaw"
        )
    config = MediaConfig(
        format=d.format,  # read above: ulaw is the only format that works
        rtp_bind_host=r.text("rtp_bind_host", d.rtp_bind_host),
        rtp_advertise_host=r.text("rtp_advertise_host", d.rtp_advertise_host),
        max_calls=r.integer("max_calls", d.max_calls, low=1, high=500),
    )
    r.finish()
    return config


def read_trunk(r: TableReader) -> TrunkConfig:
    d = TrunkConfig
    config = TrunkConfig(
        host=r.text("host", d.host),
        port=_port(r, "port", d.port),
        match=r.text("match", d.match),
        username=r.text("username", d.username),
        password=r.optional_text("password"),
        mobile_ring_seconds=r.integer(
            "mobile_ring_seconds", d.mobile_ring_seconds, low=5, high=120
        ),
    )
    r.finish()
    return config


def read_call(r: TableReader, base: Path, data_dir: Path) -> CallConfig:
    d = CallConfig
    config = CallConfig(
        silence_timeout_s=r.number("silence_timeout_s", d.silence_timeout_s, low=2, high=60),
        max_call_s=r.integer("max_call_s", d.max_call_s, low=30, high=7200),
        transfer_mode=r.text(
            "transfer_mode", d.transfer_mode, choices=("attended", "blind", "off")
        ),
        transfer_ring_s=r.integer("transfer_ring_s", d.transfer_ring_s, low=5, high=120),
        transfer_accept_s=r.integer("transfer_accept_s", d.transfer_accept_s, low=3, high=60),
        recording=r.flag("recording", d.recording),
        recordings_dir=r.path("recordings_dir", data_dir / "recordings", base),
        retention_days=r.integer("retention_days", d.retention_days, low=1, high=3650),
    )
    r.finish()
    return config


@dataclass(frozen=True)
class StoreConfig:
    """`[store]`: where the database, the spool and (by default) recordings live."""

    data_dir: Path
    database: Path  # default: <data_dir>/decroche.sqlite3
    spool: SpoolConfig


def read_store(r: TableReader, base: Path) -> StoreConfig:
    d = SpoolConfig
    data_dir = r.path("data_dir", Path(".var"), base)
    config = StoreConfig(
        data_dir=data_dir,
        database=r.path("database", data_dir / "decroche.sqlite3", base),
        spool=SpoolConfig(
            dir=r.path("spool_dir", data_dir / "spool", base),
            reserve_kb=r.integer("spool_reserve_kb", d.reserve_kb, low=0, high=1024 * 1024),
            min_free_kb=r.integer("min_free_kb", d.min_free_kb, low=0, high=1024 * 1024),
        ),
    )
    r.finish()
    return config
