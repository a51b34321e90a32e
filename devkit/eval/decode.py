"""`python -m devkit.eval.decode`: compare decoding variants (window rule, hint on/off).

Two sets, both through the simulated phone channel: speech-fr (real read speech, 7-11 s) and
short caller answers spoken by Pico (names, streets, towns, numbers, yes/no) written here with
varied phrasings and an area that is not the demo's. For each utterance every variant runs
back to back in a rotating order, so a busy shared machine slows them alike; figures are the
corpus WER, the median milliseconds per utterance, and for short answers whether the key
words (the town, the street, oui/non, the digits) were heard in the best and in any hypothesis.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from agent.speech.audio import Pcm, decode_file, phone_channel, resample, to_float
from agent.speech.decoding import PROFILES
from agent.speech.hint import Expectation, Hint
from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt import WhisperTranscriber
from agent.speech.whisper_direct import FULL, WindowRule
from devkit.eval.wer import SPEECH_FR, edit_distance, normalize

TOWNS = (
    "Toulouse", "Blagnac", "Colomiers", "Tournefeuille", "Balma", "L'Union", "Muret",
    "Castanet-Tolosan", "Ramonville-Saint-Agne", "Saint-Orens-de-Gameville", "Cugnaux",
)  # fmt: skip
STREETS = (
    "Rue d'Alsace-Lorraine", "Allées Jean Jaurès", "Rue de Metz", "Boulevard de Strasbourg",
    "Rue du Taur", "Avenue de Grande-Bretagne", "Rue Pargaminières", "Avenue de Muret",
    "Chemin de la Flambère", "Rue des Filatiers", "Avenue Jean Rieux", "Rue Matabiau",
)  # fmt: skip

# (spoken text, expectation, key words that must be heard)
ANSWERS: tuple[tuple[str, Expectation, str], ...] = (
    ("Oui.", "yes_no", "oui"),
    ("Non.", "yes_no", "non"),
    ("Oui, c'est bien ça.", "yes_no", "oui"),
    ("Euh non, pas du tout.", "yes_no", "non"),
    ("Non, ce n'est pas le bon numéro.", "yes_no", "non"),
    ("Oui oui, vous pouvez.", "yes_no", "oui"),
    ("À Blagnac.", "town", "blagnac"),
    ("J'habite à Colomiers.", "town", "colomiers"),
    ("Tournefeuille.", "town", "tournefeuille"),
    ("C'est à Castanet-Tolosan.", "town", "castanet tolosan"),
    ("Euh, Balma.", "town", "balma"),
    ("Muret, en Haute-Garonne.", "town", "muret"),
    ("Rue Matabiau.", "street", "matabiau"),
    ("C'est rue des Filatiers.", "street", "filatiers"),
    ("Avenue Jean Rieux.", "street", "jean rieux"),
    ("Le chemin de la Flambère.", "street", "flambère"),
    ("Douze rue Pargaminières à Toulouse.", "address", "pargaminières"),
    ("Quarante-trois avenue de Muret, Toulouse.", "address", "muret"),
    ("Euh, j'habite au 8 rue du Taur, à Toulouse.", "address", "taur"),
    ("Cent douze boulevard de Strasbourg.", "address", "strasbourg"),
    ("Zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.", "phone", ""),
    ("Zéro sept, quatre-vingt-dix-neuf, zéro un, vingt-deux, treize.", "phone", ""),
    ("Mon numéro c'est le zéro six, onze, quarante, quatre-vingts, deux.", "phone", ""),
    ("Je m'appelle Claire Dubois.", "name", "dubois"),
    ("Lefebvre, Antoine Lefebvre.", "name", "lefebvre"),
    ("Madame Nguyen.", "name", "nguyen"),
    ("Bonjour, j'ai une fuite sous l'évier et ça coule partout.", "problem", "fuite"),
    ("Mon radiateur ne chauffe plus depuis hier soir.", "problem", "radiateur"),
)


def hint_for(expect: Expectation) -> Hint:
    phrases: tuple[str, ...] = ()
    if expect == "town":
        phrases = TOWNS
    elif expect in ("street", "address"):
        phrases = STREETS + TOWNS[:3]
    return Hint(expect, "other", phrases)


@dataclass(frozen=True)
class Variant:
    name: str
    window: WindowRule | None  # None: the recognizer as it was before ("main")
    use_hint: bool = True
    nbest: int | None = None  # override every profile's number of hypotheses


def _variant(spec: str) -> Variant:
    """`main`, `full`, or MARGIN:FLOOR[:xSCALE][:nNBEST]; `-nohint` ignores the hint."""
    body, _, flag = spec.partition("-")
    use_hint = flag != "nohint"
    if body == "main":
        return Variant(spec, None, use_hint=False)
    if body == "full":
        return Variant(spec, FULL, use_hint)
    margin, floor, *extra = body.split(":")
    options = {item[0]: float(item[1:]) for item in extra}
    rule = WindowRule(float(margin), float(floor), options.get("x", 1.0))
    nbest = int(options["n"]) if "n" in options else None
    return Variant(spec, rule, use_hint, nbest)


@dataclass
class Tally:
    errors: int = 0
    words: int = 0
    ms: list[float] = field(default_factory=list)
    key_best: int = 0
    key_any: int = 0
    keyed: int = 0
    confidence: list[float] = field(default_factory=list)
    # expectation -> (key heard in the best hypothesis, answers)
    by_expect: dict[str, list[int]] = field(default_factory=dict)


def _run(
    transcriber: WhisperTranscriber, pcm: Pcm, hint: Hint, variant: Variant
) -> tuple[str, tuple[str, ...], float, float]:
    if variant.window is None:
        return _main_path(transcriber, pcm)
    transcriber.window_rule = variant.window
    saved = dict(PROFILES)
    if variant.nbest is not None:
        for expect, profile in saved.items():
            PROFILES[expect] = replace(profile, num_hypotheses=variant.nbest)
    started = time.perf_counter()
    try:
        result = transcriber.transcribe_sync(pcm, hint if variant.use_hint else None)
    finally:
        PROFILES.update(saved)
    ms = (time.perf_counter() - started) * 1000
    return result.text, (result.text, *result.alternatives), ms, result.confidence


def _main_path(
    transcriber: WhisperTranscriber, pcm: Pcm
) -> tuple[str, tuple[str, ...], float, float]:
    """The recognizer as it was before per-expectation decoding (faster-whisper's transcribe,
    30 s window, no hint, 10 tokens/s + 20 capped at 200), for the before/after figures."""
    seconds = pcm.size / 16000
    started = time.perf_counter()
    segments, _ = transcriber.model.transcribe(
        to_float(pcm),
        language="fr",
        beam_size=transcriber.settings.beam_size,
        condition_on_previous_text=False,
        without_timestamps=True,
        temperature=0.0,
        max_new_tokens=min(200, int(seconds * 10) + 20),
        vad_filter=False,
    )
    text = " ".join(segment.text.strip() for segment in segments).strip()
    return text, (text,), (time.perf_counter() - started) * 1000, 1.0


def _digits(text: str) -> str:
    from text_to_num import alpha2digit

    return "".join(c for c in alpha2digit(text, "fr") if c.isdigit())


def _keyed(key: str, reference: str, text: str) -> bool:
    if not key:  # a phone number: the digits
        return _digits(reference) == _digits(text)
    return " ".join(normalize(key)) in " ".join(normalize(text))


def evaluate(
    items: Sequence[tuple[Pcm, str, Hint, str | None]], variants: Sequence[Variant], verbose: bool
) -> dict[str, Tally]:
    transcriber = WhisperTranscriber(SttSettings())
    tallies = {v.name: Tally() for v in variants}
    for index, (pcm, reference, hint, key) in enumerate(items):
        shift = index % len(variants)
        for variant in (*variants[shift:], *variants[:shift]):
            best, texts, ms, confidence = _run(transcriber, pcm, hint, variant)
            tally = tallies[variant.name]
            ref = normalize(reference)
            tally.errors += edit_distance(ref, normalize(best))
            tally.words += len(ref)
            tally.ms.append(ms)
            tally.confidence.append(confidence)
            if key is not None:
                tally.keyed += 1
                tally.key_best += _keyed(key, reference, best)
                tally.key_any += any(_keyed(key, reference, t) for t in texts)
                counts = tally.by_expect.setdefault(hint.expect, [0, 0])
                counts[0] += _keyed(key, reference, best)
                counts[1] += 1
            if verbose:
                alternatives = " | ".join(texts[1:])
                print(f"  [{variant.name}] {ms:.0f} ms {confidence:.2f}  {best}  | {alternatives}")
    return tallies


def _speech_fr(folder: Path) -> list[tuple[Pcm, str, Hint, str | None]]:
    return [
        (
            phone_channel(decode_file(audio)),
            audio.with_suffix(".txt").read_text(encoding="utf-8").strip(),
            Hint(),
            None,
        )
        for audio in sorted(folder.glob("*.ogg"))
    ]


def _answers() -> list[tuple[Pcm, str, Hint, str | None]]:
    from agent.speech.tts_engines import create

    pico = create("pico", TtsSettings())
    items: list[tuple[Pcm, str, Hint, str | None]] = []
    for text, expect, key in ANSWERS:
        speech = resample(pico.synthesize_sync(text), pico.sample_rate, 16000)
        pause = np.zeros(4800, dtype=np.int16)  # endpointing keeps ~0.3 s around the words
        line = phone_channel(np.concatenate([pause, speech, pause]))
        items.append((line, text, hint_for(expect), key))
    return items


def _noises() -> list[tuple[Pcm, str, Hint, str | None]]:
    """Line noise of several colours and levels, under every expectation's hint: any word
    heard is an error (the reference is empty)."""
    rng = np.random.default_rng(7)
    noises: list[npt.NDArray[np.float64]] = []
    for seconds, level_db in ((1.0, -30.0), (2.0, -40.0), (3.0, -25.0)):
        white = rng.standard_normal(int(seconds * 16000))
        brown = np.cumsum(white)
        brown -= np.convolve(brown, np.ones(800) / 800, mode="same")  # no DC drift
        for colour in (white, brown):
            scaled = colour / np.sqrt(np.mean(colour**2)) * 10 ** (level_db / 20) * 32768
            noises.append(scaled)
    items: list[tuple[Pcm, str, Hint, str | None]] = []
    for noise in noises:
        pcm = phone_channel(np.clip(noise, -32768, 32767).astype(np.int16))
        expects: tuple[Expectation, ...] = (
            "town",
            "street",
            "address",
            "yes_no",
            "name",
            "problem",
        )
        for expect in expects:
            items.append((pcm, "", hint_for(expect), None))
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.decode")
    parser.add_argument("--set", choices=("speech-fr", "answers", "noise"), default="answers")
    parser.add_argument("--data", type=Path, default=SPEECH_FR)
    parser.add_argument(
        "--variants",
        default="main,full-nohint,full,5:10,3:6",
        help="comma-separated: main (the recognizer before this work), full (30 s window),"
        " MARGIN:FLOOR[:xSCALE][:nNBEST] in seconds; suffix -nohint to ignore the hint",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    sets = {"speech-fr": lambda: _speech_fr(args.data), "answers": _answers, "noise": _noises}
    items = sets[args.set]()
    for name, tally in evaluate(
        items, tuple(_variant(v) for v in args.variants.split(",")), args.verbose
    ).items():
        keys = ""
        if tally.keyed:
            keys = f"  key best {tally.key_best}/{tally.keyed} any {tally.key_any}"
        print(
            f"{name:14s} WER {tally.errors / max(tally.words, 1):.3f}"
            f"  median {statistics.median(tally.ms):.0f} ms{keys}"
            f"  confidence median {statistics.median(tally.confidence):.2f}"
            f" max {max(tally.confidence):.2f}"
        )
        if tally.by_expect:
            print("    " + "  ".join(f"{e} {n}/{t}" for e, (n, t) in tally.by_expect.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
