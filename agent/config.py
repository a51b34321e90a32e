"""The one configuration object, read once from a TOML file and validated at start."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.config_reader import ConfigError, TableReader
from nlp.types import TRADES

__all__ = [
    "AriConfig",
    "BusinessConfig",
    "Config",
    "ConfigError",
    "MediaConfig",
    "PbxConfig",
    "TrunkConfig",
    "load_config",
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


@dataclass(frozen=True)
class Config:
    business: BusinessConfig
    ari: AriConfig
    pbx: PbxConfig
    media: MediaConfig
    trunk: TrunkConfig
    call: CallConfig
    database: Path
    data_dir: Path
    spool: SpoolConfig
    source: Path | None
    base_dir: Path  # relative paths of other layers' tables resolve against this
    # Tables owned by other layers (speech, sms, dialogue), validated by their own readers.
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


OWNED_ELSEWHERE = (
    "stt",
    "tts",
    "turn",
    "sms",
    "dialogue",
    "webhook",
    "missed",
    "dashboard",
    "area",
)
CORE = ("business", "ari", "pbx", "media", "trunk", "call", "store")


def load_config(
    path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    require_business: bool = False,
) -> Config:
    """Read and validate `path` (the embedded sandbox defaults when None).

    `overrides` replace the file's keys; `defaults` fill only the keys the file leaves out.
    `require_business`: a config file must describe the business ([business] name, trade,
    mobile); the commands that serve real callers (run, dashboard) ask for it, so that a
    forgotten table never answers as the sandbox's demo plumber with its mobile number.
    """
    data: dict[str, Any] = {}
    base = PROJECT_ROOT
    if path is not None:
        data = _read_toml(path)
        base = path.resolve().parent
        if require_business and "business" not in data:
            raise ConfigError(f"{path}: [business] is missing (name, trade and mobile)")
    for section, values in (defaults or {}).items():
        table = data.setdefault(section, {})
        for key, value in values.items():
            table.setdefault(key, value)
    for section, values in (overrides or {}).items():
        data.setdefault(section, {}).update(values)
    return parse_config(data, base, path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file (not UTF-8)") from None
    except OSError as exc:  # permission denied, a FIFO, an I/O error
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def parse_config(data: Mapping[str, Any], base: Path, source: Path | None = None) -> Config:
    unknown = sorted(set(data) - set(CORE) - set(OWNED_ELSEWHERE))
    if unknown:
        raise ConfigError(f"unknown section(s): {', '.join(unknown)}")
    store = TableReader("store", data.get("store"))
    data_dir = store.path("data_dir", Path(".var"), base)
    database = store.path("database", data_dir / "decroche.sqlite3", base)
    spool = SpoolConfig(
        dir=store.path("spool_dir", data_dir / "spool", base),
        reserve_kb=store.integer("spool_reserve_kb", 256, low=0, high=1024 * 1024),
        min_free_kb=store.integer("min_free_kb", 1024, low=0, high=1024 * 1024),
    )
    store.finish()
    return Config(
        business=_business(TableReader("business", data.get("business", _DEMO_BUSINESS))),
        ari=_ari(TableReader("ari", data.get("ari"))),
        pbx=_pbx(TableReader("pbx", data.get("pbx")), base),
        media=_media(TableReader("media", data.get("media"))),
        trunk=_trunk(TableReader("trunk", data.get("trunk"))),
        call=_call(TableReader("call", data.get("call")), base, data_dir),
        database=database,
        data_dir=data_dir,
        spool=spool,
        source=source,
        base_dir=base,
        sections={name: data.get(name, {}) for name in OWNED_ELSEWHERE},
    )


_DEMO_BUSINESS = {
    "name": "Plomberie Martin",
    "trade": "plombier",
    "mobile": "+33612345678",
    "towns": ["Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire"],
}


def _business(r: TableReader) -> BusinessConfig:
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
    timezone = r.text("timezone", "Europe/Paris")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{r.key('timezone')}: unknown time zone {timezone!r}") from None
    config = BusinessConfig(
        name=r.text("name"),
        trade=r.text("trade", choices=TRADES),
        mobile=mobile,
        phones=r.texts("phones"),
        ring_seconds=r.integer("ring_seconds", 15, low=0, high=120),
        greeting=r.optional_text("greeting"),
        timezone=timezone,
        hours=hours,
        holidays=holidays,
        towns=r.texts("towns"),
        vocabulary=r.texts("vocabulary"),
    )
    r.finish()
    return config


def _ari(r: TableReader) -> AriConfig:
    url = r.text("url", AriConfig.url)
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{r.key('url')}: {url!r} must start with http:// or https://")
    config = AriConfig(
        url=url.rstrip("/"),
        username=r.text("username", AriConfig.username),
        password=r.text("password", AriConfig.password),
        app=r.text("app", AriConfig.app),
        connect_timeout_s=r.number("connect_timeout_s", 5.0, low=0.1, high=120),
        request_timeout_s=r.number("request_timeout_s", 5.0, low=0.1, high=120),
    )
    r.finish()
    return config


def _port(r: TableReader, name: str, default: int) -> int:
    return r.integer(name, default, low=1, high=65535)


def _pbx(r: TableReader, base: Path) -> PbxConfig:
    config = PbxConfig(
        # One sandbox per checkout: a config elsewhere must not debootstrap a second one
        # beside itself (it would fight the first for the same ports) unless it names one.
        sandbox_dir=r.path("sandbox_dir", PROJECT_ROOT / ".sandbox", base),
        mirror=r.optional_text("mirror"),
        bind_address=r.text("bind_address", "127.0.0.1"),
        http_port=_port(r, "http_port", 18088),
        sip_port=_port(r, "sip_port", 15060),
        rtp_start=_port(r, "rtp_start", 30000),
        rtp_end=_port(r, "rtp_end", 30999),
        voicemail_box=r.text("voicemail_box", "100"),
        ami_port=_port(r, "ami_port", 15038),
        desk_password=r.text("desk_password", "decroche-desk"),
    )
    if config.rtp_end <= config.rtp_start:
        raise ConfigError(f"{r.key('rtp_end')}: must be above pbx.rtp_start")
    r.finish()
    return config


def _media(r: TableReader) -> MediaConfig:
    if r.text("format", "ulaw", choices=("ulaw", "slin16")) == "slin16":
        # Measured on Asterisk 22.10: slin16 externalMedia brings the caller's audio to the
        # agent, but the agent's slin16 RTP is never forwarded to the caller (dead air).
        raise ConfigError(
            f"{r.key('format')}: slin16 is not supported yet (Asterisk does not "
            "forward the agent's slin16 audio to the caller); use ulaw"
        )
    config = MediaConfig(
        format=r.text("format", "ulaw", choices=("ulaw", "slin16")),
        rtp_bind_host=r.text("rtp_bind_host", "127.0.0.1"),
        rtp_advertise_host=r.text("rtp_advertise_host", "127.0.0.1"),
        max_calls=r.integer("max_calls", 8, low=1, high=500),
    )
    r.finish()
    return config


def _trunk(r: TableReader) -> TrunkConfig:
    config = TrunkConfig(
        host=r.text("host", "127.0.0.1"),
        port=_port(r, "port", 15070),
        match=r.text("match", "127.0.0.1"),
        username=r.text("username", "decroche"),
        password=r.optional_text("password"),
        mobile_ring_seconds=r.integer("mobile_ring_seconds", 25, low=5, high=120),
    )
    r.finish()
    return config


def _call(r: TableReader, base: Path, data_dir: Path) -> CallConfig:
    d = CallConfig()
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
