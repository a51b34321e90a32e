"""The one configuration object: every table of the TOML file, read and typed once at load.

`load_config` reads the agent's own tables (agent.config_core) and every layer's table (speech,
SMS, dialogue, webhook, missed calls, dashboard, service area) with that layer's reader, so a
typo anywhere fails here, naming the key, before anything connects or loads a model. Each
layer then takes its typed settings from `Config`; nothing re-reads a raw table.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from agent.area.settings import AreaSettings
from agent.calendar.settings import CalendarSettings
from agent.config_core import (
    DEMO_BUSINESS,
    PROJECT_ROOT,
    AriConfig,
    BusinessConfig,
    CallConfig,
    MediaConfig,
    PbxConfig,
    SpoolConfig,
    TrunkConfig,
    read_ari,
    read_business,
    read_call,
    read_media,
    read_pbx,
    read_store,
    read_trunk,
)
from agent.config_reader import ConfigError, TableReader
from agent.dashboard.settings import DashboardSettings
from agent.dialogue.settings import DialogueSettings
from agent.leads.settings import WebhookSettings
from agent.metrics.settings import MetricsSettings
from agent.missed.settings import MissedSettings, default_cdr_path
from agent.sms.settings import SmsSettings
from agent.speech import stt_engines, tts_engines
from agent.speech.settings import SttSettings, TtsSettings, TurnSettings

S = TypeVar("S", SttSettings, TtsSettings)

__all__ = [
    "PROJECT_ROOT",
    "AriConfig",
    "BusinessConfig",
    "CallConfig",
    "Config",
    "ConfigError",
    "MediaConfig",
    "PbxConfig",
    "SpoolConfig",
    "TrunkConfig",
    "load_config",
    "parse_config",
]


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
    base_dir: Path  # relative paths of the config file resolve against this
    # The layers' tables, typed by their own readers.
    stt: SttSettings
    tts: TtsSettings
    turn: TurnSettings
    sms: SmsSettings
    dialogue: DialogueSettings
    webhook: WebhookSettings
    missed: MissedSettings
    dashboard: DashboardSettings
    area: AreaSettings
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)


CORE = ("business", "ari", "pbx", "media", "trunk", "call", "store")
LAYERS = (
    "stt", "tts", "turn", "sms", "dialogue", "webhook", "missed", "dashboard", "area", "calendar",
    "metrics",
)  # fmt: skip


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
    unknown = sorted(set(data) - set(CORE) - set(LAYERS))
    if unknown:
        raise ConfigError(f"unknown section(s): {', '.join(unknown)}")
    store = read_store(TableReader("store", data.get("store")), base)
    pbx = read_pbx(TableReader("pbx", data.get("pbx")), base)
    cdr = default_cdr_path(source, pbx.sandbox_dir)
    return Config(
        business=read_business(TableReader("business", data.get("business", DEMO_BUSINESS))),
        ari=read_ari(TableReader("ari", data.get("ari"))),
        pbx=pbx,
        media=read_media(TableReader("media", data.get("media"))),
        trunk=read_trunk(TableReader("trunk", data.get("trunk"))),
        call=read_call(TableReader("call", data.get("call")), base, store.data_dir),
        database=store.database,
        data_dir=store.data_dir,
        spool=store.spool,
        source=source,
        base_dir=base,
        stt=_engine("stt", SttSettings.from_table(data.get("stt"), base), stt_engines.ENGINES),
        tts=_engine("tts", TtsSettings.from_table(data.get("tts"), base), tts_engines.ENGINES),
        turn=TurnSettings.from_table(data.get("turn"), base),
        sms=SmsSettings.from_table(data.get("sms"), base),
        dialogue=DialogueSettings.from_table(data.get("dialogue")),
        webhook=WebhookSettings.from_table(data.get("webhook")),
        missed=MissedSettings.from_table(data.get("missed"), base, cdr),
        dashboard=DashboardSettings.from_table(data.get("dashboard"), base),
        area=AreaSettings.from_table(data.get("area"), base),
        calendar=CalendarSettings.from_table(data.get("calendar")),
        metrics=MetricsSettings.from_table(data.get("metrics")),
    )


def _engine(table: str, settings: S, engines: Collection[str]) -> S:
    """The engine registries are the lists of names: a new engine is one entry there."""
    if settings.engine not in engines:
        raise ConfigError(f"{table}.engine: {settings.engine!r} is not one of {', '.join(engines)}")
    return settings
