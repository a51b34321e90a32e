"""A spelled name heard a second time with only letters allowed.

Spelled through the phone line, Whisper base often writes words instead of letters ("P, E,
T, I, T" as "Celle-ci.", "D, U, P, U, Y" as "dix dix"): its language model prefers a word.
The same audio decoded with every token but the spelling alphabet suppressed must write
letters, and they are often the right ones where the free reading drifted ("V, A, deux L,
deux E" freely "V, 1, 2, L, 2", letters only "V-A-D-L-D-E"). Neither reading is better on
its own (`make eval-spelling`, 110 list surnames: free 62, letters only 63); the reader
takes both (62 -> 71), and when the two readings name different surnames the name is
unsure (given as sure and wrong 54 -> 28, sure and right 56 -> 49). Engine-agnostic wrapper; only
the local Whisper honours `Hint.letters_only`, so it is wired for that engine alone.
"""

from __future__ import annotations

import dataclasses

from agent.speech.audio import Pcm
from agent.speech.hint import Hint
from agent.speech.stt import Transcriber, Transcript

__all__ = ["LettersTranscriber"]


class LettersTranscriber:
    def __init__(self, inner: Transcriber) -> None:
        self.inner = inner

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        first = await self.inner.transcribe(pcm16k, hint)
        if hint is None or hint.expect != "spell" or not first.text:
            return first
        again = dataclasses.replace(hint, letters_only=True)
        second = await self.inner.transcribe(pcm16k, again)
        letters = tuple(t for t in (second.text, *second.alternatives) if t)
        return dataclasses.replace(
            first,
            letters=letters,
            elapsed_s=first.elapsed_s + second.elapsed_s,
            rtf=first.rtf + second.rtf,
        )
