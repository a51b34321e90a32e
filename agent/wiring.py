"""Composition root: builds every service of the agent from the one Config, once per process.

Slow things (Whisper, spaCy, TTS voices, fixed prompts) load here, before the first call.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from agent.area import load_area
from agent.ari.models import Channel
from agent.calendar.build import build_calendar
from agent.call.context import Conversation
from agent.call.receptionist import Receptionist
from agent.call.receptionist_deps import ReceptionistDeps
from agent.config import Config
from agent.dialogue import DialogueSettings, fixed_prompts
from agent.leads.store import SqliteLeadStore
from agent.leads.webhook import WebhookWorker
from agent.media.recorder import purge_recordings
from agent.missed import MissedCallScanner, build_scanner
from agent.sms.outbox import SmsOutbox
from agent.sms.providers import build_sender
from agent.speech.letters import LettersTranscriber
from agent.speech.narrowing import NarrowingTranscriber
from agent.speech.rescoring import RescoringTranscriber, Scorer
from agent.speech.stt import Transcriber, WhisperEngine
from agent.speech.stt_engines import make_transcriber
from agent.speech.tts_engines import make_synthesizer
from agent.store.calls import CallStore
from agent.store.db import connect
from agent.store.keeper import Keeper, Replayer, StorageHealth, StorageWatch
from agent.store.spool import Spool
from agent.voice import SpeechVoice

log = logging.getLogger(__name__)

ACCEPT_PROMPT = "Appuyez sur 1 pour prendre l'appel, sur 2 pour refuser."


@dataclass
class Services:
    """Long-lived services with a start/stop lifecycle, owned by the running agent."""

    outbox: SmsOutbox
    webhook: WebhookWorker | None
    leads: SqliteLeadStore
    missed: MissedCallScanner
    calls: CallStore
    keeper: Keeper  # call-time writes: the database, else the spool
    watch: StorageWatch  # probes the disk, replays the spool when it is back
    _watching: asyncio.Task[None] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.watch.tick()  # what an earlier run spooled goes in first
        self._watching = asyncio.get_running_loop().create_task(
            self.watch.run(), name="storage-watch"
        )
        self.outbox.start()
        if self.webhook is not None:
            self.webhook.start()
        self.missed.start()  # texts callers who met the fallback while the agent was down

    async def stop(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
        await self.missed.stop()
        await self.outbox.stop()
        if self.webhook is not None:
            await self.webhook.stop()


def build_voice(config: Config) -> SpeechVoice:
    return SpeechVoice(make_synthesizer(config.tts))


def build_transcriber(config: Config, engine: WhisperEngine | None = None) -> Transcriber:
    """The configured engine; its local Whisper (the engine itself, or a remote engine's
    fallback) on `engine`'s model and worker when given (tests building several agents in
    one process share one loaded Whisper)."""
    stt, business = config.stt, config.business
    # The business's own words and towns bias recognition (streets and towns suffer most).
    stt = dataclasses.replace(
        stt, vocabulary=stt.vocabulary + business.vocabulary, towns=stt.towns + business.towns
    )
    return make_transcriber(stt, engine)


def _heard_twice(config: Config, transcriber: Transcriber) -> Transcriber:
    """Street answers heard a second time against their closest candidates ([stt] narrow),
    then their house number weighed against the audio ([stt] rescore, local Whisper); a
    spelled name heard again with only letters allowed ([stt] letters, local Whisper: the
    Scorer is the local engine)."""
    ear = NarrowingTranscriber(transcriber) if config.stt.narrow else transcriber
    if config.stt.rescore and isinstance(transcriber, Scorer):
        ear = RescoringTranscriber(ear, transcriber)
    if config.stt.letters and isinstance(transcriber, Scorer):
        ear = LettersTranscriber(ear)
    return ear


def build_services(config: Config) -> Services:
    sms, webhook = config.sms, config.webhook
    # Each component gets its own connection: sqlite3 keeps transactions per connection.
    leads = SqliteLeadStore(
        connect(config.database), webhook_outcomes=webhook.outcomes if webhook.enabled else ()
    )
    outbox = SmsOutbox(connect(config.database), build_sender(sms), sms.outbox)
    worker = (
        WebhookWorker(connect(config.database), webhook, public_url=config.dashboard.public_url)
        if webhook.enabled
        else None
    )
    if config.call.recording and config.call.recordings_dir is not None:
        removed = purge_recordings(config.call.recordings_dir, config.call.retention_days)
        if removed:
            log.info(
                "removed %d recordings older than %d days", removed, config.call.retention_days
            )
    calls = CallStore(connect(config.database))
    keeper = build_keeper(config)
    watch = StorageWatch(keeper, Replayer(calls, leads, outbox))
    scanner = build_scanner(config, outbox)
    return Services(outbox, worker, leads, scanner, calls, keeper, watch)


def build_keeper(config: Config) -> Keeper:
    spool = Spool(config.spool.dir, config.spool.reserve_kb * 1024)
    health = StorageHealth(config.database.parent, config.spool.min_free_kb * 1024)
    return Keeper(spool, health)


def dialogue_settings(config: Config) -> DialogueSettings:
    """The dialogue's settings as the call layer can honour them: only an attended transfer
    keeps the caller with the agent while the mobile rings (blind: the dialplan has them);
    `ask_address_while_ringing` off means nothing is asked then (the spelling neither)."""
    attended = config.call.transfer_mode == "attended"
    asking = config.dialogue.ask_address_while_ringing and attended
    return dataclasses.replace(config.dialogue, ask_address_while_ringing=asking)


async def build_receptionist_factory(
    config: Config,
    services: Services,
    voice: SpeechVoice,
    sample_rate: int,
    transcriber: Transcriber | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Callable[[Channel], Conversation]:
    """Loads NLP and STT, pre-renders the fixed prompts, returns the per-call factory."""
    from nlp import load_understander  # spaCy: loaded once, here

    dialogue = dialogue_settings(config)
    area = load_area(config)  # the BAN file is indexed on first use (seconds for a département)
    deps = ReceptionistDeps(
        business=config.business,
        dialogue=dialogue,
        call=config.call,
        media=config.media,
        turn=config.turn,
        understander=load_understander(area.towns()),
        transcriber=_heard_twice(config, transcriber or build_transcriber(config)),
        leads=services.leads,
        sms=services.outbox,
        clock=clock,
        area=area,
        accept_prompt=ACCEPT_PROMPT,
        keeper=services.keeper,
        calendar=build_calendar(config.calendar, config.business),
        booking=config.calendar,
    )
    prompts = [*fixed_prompts(dialogue, config.business).values(), ACCEPT_PROMPT]
    await voice.prepare(prompts, sample_rate)

    def new_conversation(channel: Channel) -> Conversation:
        return Receptionist(deps, channel, sample_rate)

    return new_conversation
