"""A second hearing for closed-set answers too large for one prompt (a town's streets, the
list of common surnames, the towns around the area).

Whisper base through the phone line writes a street it was not told about as near-homophones
("rue Macéna", "Rubigeaux"); told the right name in its prompt, it writes it. A town has
hundreds of streets and the prompt holds about ten, so the first hearing picks the few closest
candidates (the dialogue's `Hint.narrow`, from the service area) and the same audio is heard
again with only those in the prompt. Engine-agnostic: it wraps any Transcriber.

Measured by `make eval-hearing` (30 streets of the demo area the personas do not use, Pico
through μ-law): street right 20 -> 27 (town known) and 18 -> 26 (whole address); surname in the
name 14 -> 22 of 54 answers; the second hearing costs ~350 ms median on the shared 2-core box.
"""

from __future__ import annotations

import asyncio
import dataclasses

from agent.speech.audio import Pcm
from agent.speech.hint import Hint, Narrowed
from agent.speech.stt import Transcriber, Transcript
from nlp.text import fold, names_said_whole

__all__ = ["NarrowingTranscriber"]


class NarrowingTranscriber:
    def __init__(self, inner: Transcriber) -> None:
        self.inner = inner

    async def transcribe(self, pcm16k: Pcm, hint: Hint | None = None) -> Transcript:
        first = await self.inner.transcribe(pcm16k, hint)
        if hint is None or hint.narrow is None or not first.text:
            return first
        # Off the event loop: fuzzy matching over a whole département's streets takes ~80 ms.
        texts = (first.text, *first.alternatives)
        narrowed = await asyncio.to_thread(hint.narrow, texts)
        if not narrowed.choices:
            return first
        phrases = (*narrowed.choices, *narrowed.context)
        second = await self.inner.transcribe(pcm16k, Hint(hint.expect, hint.question, phrases))
        if copied_list(second.text, narrowed.choices) or _replaced(second.text, narrowed):
            return first
        return merged(first, second)


def _replaced(text: str, narrowed: Narrowed) -> bool:
    """The second hearing names another choice than the one the first already named."""
    if narrowed.heard is None or names_said_whole(fold(text), [fold(narrowed.heard)]):
        return False
    others = [fold(c) for c in narrowed.choices if c != narrowed.heard]
    return names_said_whole(fold(text), others) > 0


def copied_list(text: str, choices: tuple[str, ...]) -> bool:
    """Two choices or more in one answer: Whisper read its prompt back ("Pasquet, Carlier,
    Le Bihan." for a garbled name), where a caller says one street or one surname."""
    return names_said_whole(fold(text), [fold(c) for c in dict.fromkeys(choices)]) >= 2


def merged(first: Transcript, second: Transcript) -> Transcript:
    """The second hearing first; the first hearing's texts after it, as alternatives: a house
    number the narrowed prompt made Whisper skip is still there for the matcher. The
    confidence is the lower of the two: a prompt of candidates makes Whisper surer of
    whichever it writes, so a garbled first hearing still gets its one re-ask (spell the
    name, the street again) and the answer is not taken as sure and wrong."""
    if not second.text:
        return first
    texts = dict.fromkeys((*second.alternatives, first.text, *first.alternatives))
    texts.pop(second.text, None)
    return dataclasses.replace(
        second,
        alternatives=tuple(texts),
        confidence=min(first.confidence, second.confidence),
        elapsed_s=first.elapsed_s + second.elapsed_s,
        rtf=first.rtf + second.rtf,
    )
