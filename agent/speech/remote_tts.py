"""A Wyoming TTS server (wyoming-piper...) behind the Synthesizer protocol, with its fallback.

Sentences go to the server one by one (EngineBase.stream: the first is played while the next
is synthesized); the audio chunks it streams back are joined and resampled to this engine's
fixed `sample_rate`, so a sentence spoken by the fallback engine (the box's own Pico, Piper or
espeak, `fallback = "local"`) plays in the same stream without a change of rate. With
`fallback = "none"` a failed sentence raises SpeechUnavailableError: the caller goes to the
dialplan fallback. One warning per outage; the server is tried again after a back-off.
"""

from __future__ import annotations

from agent.speech import wyoming_client
from agent.speech.audio import Pcm, resample
from agent.speech.remote import Outage, RemoteSpeechError, SpeechUnavailableError
from agent.speech.tts import EngineBase, Synthesizer

__all__ = ["WyomingSynthesizer"]

# Piper's medium voices speak at 22,050 Hz; the phone line carries 8 kHz, so 16 kHz loses
# nothing a caller hears and costs the fallback engines (Pico: 16 kHz) no resampling.
RATE = 16000


class WyomingSynthesizer(EngineBase):
    name = "wyoming"
    sample_rate = RATE

    def __init__(
        self,
        uri: str,
        voice: str | None,
        timeout_ms: int,
        local: Synthesizer | None,
    ) -> None:
        self.uri = uri
        self.voice = voice
        self.timeout_s = timeout_ms / 1000
        self.local = local
        self.outage = Outage(f"Wyoming TTS server {uri}")

    async def synthesize(self, text: str) -> Pcm:
        local = self.local
        if local is None:
            try:
                return await self._remote(text, "calls go to the dialplan fallback")
            except RemoteSpeechError as exc:
                raise SpeechUnavailableError(str(exc)) from exc
        if self.outage.worth_trying():
            try:
                return await self._remote(text, f"the local {local.name} voice speaks")
            except RemoteSpeechError:
                pass  # logged once per outage by Outage
        pcm = await local.synthesize(text)
        return resample(pcm, local.sample_rate, self.sample_rate)

    async def _remote(self, text: str, fallback: str) -> Pcm:
        try:
            pcm, rate = await wyoming_client.synthesize(self.uri, text, self.voice, self.timeout_s)
        except RemoteSpeechError as exc:
            self.outage.failed(exc, fallback)
            raise
        self.outage.succeeded()
        return resample(pcm, rate, self.sample_rate)

    def synthesize_sync(self, text: str) -> Pcm:
        raise NotImplementedError("a remote engine is asynchronous: await synthesize()")
