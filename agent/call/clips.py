"""The caller's own words per lead field: each answer's audio kept as a small WAV clip.

A clip sits in the recordings folder beside the call's recording, so it shares its retention
(agent.media.recorder.purge_recordings) and the dashboard serves it with the same checks.
"""

from __future__ import annotations

import logging
import wave
from pathlib import Path

from agent.media.codecs import Pcm
from agent.speech.hint import Question

__all__ = ["CLIP_FIELDS", "ClipKeeper", "clip_field"]

log = logging.getLogger(__name__)

CLIP_RATE = 16000  # SpeechEnded.pcm16k
# Which lead field the answer to each question is about; other questions keep no clip.
CLIP_FIELDS: dict[Question, str] = {
    "name": "name",
    "spell": "name",
    "address": "address",
    "street": "address",
    "town": "address",
    "phone": "phone",
    "phone_confirm": "phone",
}


def clip_field(question: Question) -> str | None:
    return CLIP_FIELDS.get(question)


class ClipKeeper:
    """Writes one call's clips as `call-<id>-<field>-<n>.wav`; `folder` None keeps nothing."""

    def __init__(self, folder: Path | None, call_id: int) -> None:
        self.folder = folder
        self.call_id = call_id
        self.clips: list[tuple[str, str]] = []

    def keep(self, question: Question, pcm16k: Pcm) -> str | None:
        """Save the answer to `question`; returns the file's path, or None when none is kept."""
        field = clip_field(question)
        if field is None or self.folder is None or not pcm16k.size:
            return None
        count = sum(1 for f, _ in self.clips if f == field) + 1
        path = self.folder / f"call-{self.call_id:06d}-{field}-{count}.wav"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with wave.open(str(path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(CLIP_RATE)
                out.writeframes(pcm16k.astype("<i2").tobytes())
        except OSError as exc:  # a full disk loses the clip, never the call
            log.warning("call %d: clip %s not saved: %s", self.call_id, path.name, exc)
            return None
        self.clips.append((field, str(path)))
        return str(path)
