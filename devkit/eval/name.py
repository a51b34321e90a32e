"""`python -m devkit.eval.name`: name and spelling decoding variants, scored after
name resolution (nlp.names.name_with_confidence), on Pico answers through the phone channel.

Each answer is written here (varied phrasings, names of many origins, surnames in and out of
nlp/data/noms.txt). Every variant runs on each answer back to back in a rotating order, so a
busy shared machine slows them alike. Scores: surname right (accent-folded, exact), first
name right where one was said, median ms. Audio is cached in /tmp (Pico is deterministic).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from agent.dialogue.naming import best_spelling
from agent.speech.audio import Pcm, phone_channel, resample
from agent.speech.decoding import PROFILES, Profile
from agent.speech.hint import Expectation, Hint
from agent.speech.settings import SttSettings, TtsSettings
from agent.speech.stt import WhisperTranscriber
from nlp.names import name_with_confidence
from nlp.surnames import is_known_surname
from nlp.text import fold

# (spoken text, first name or "", surname)
NAMES: tuple[tuple[str, str, str], ...] = (
    ("Je m'appelle Isabelle Fournier.", "Isabelle", "Fournier"),
    ("Henri Marchand.", "Henri", "Marchand"),
    ("Ahmed Bensaïd.", "Ahmed", "Bensaïd"),
    ("Bernard. Monsieur Philippe Bernard.", "Philippe", "Bernard"),
    ("C'est madame Lefèvre.", "", "Lefèvre"),
    ("Monsieur Girard.", "", "Girard"),
    ("Je m'appelle Nathalie Roux.", "Nathalie", "Roux"),
    ("Oui, c'est Julien Moreau.", "Julien", "Moreau"),
    ("Dupuis, Catherine Dupuis.", "Catherine", "Dupuis"),
    ("Euh, Marc Lambert.", "Marc", "Lambert"),
    ("Madame Nguyen, Thi Nguyen.", "", "Nguyen"),
    ("Je suis Karim Benali.", "Karim", "Benali"),
    ("Sandrine Perrin.", "Sandrine", "Perrin"),
    ("C'est monsieur Da Silva.", "", "Da Silva"),
    ("Mon nom c'est Rousseau, Pascal Rousseau.", "Pascal", "Rousseau"),
    ("Je m'appelle Fatima El Amrani.", "Fatima", "El Amrani"),
    ("Thomas Garnier.", "Thomas", "Garnier"),
    ("Madame Chevalier.", "", "Chevalier"),
    ("Bonjour, Olivier Mercier.", "Olivier", "Mercier"),
    ("Je m'appelle Hélène Gauthier.", "Hélène", "Gauthier"),
    ("Fontaine, Sébastien Fontaine.", "Sébastien", "Fontaine"),
    ("C'est madame Diallo.", "", "Diallo"),
    ("Moussa Traoré.", "Moussa", "Traoré"),
    ("Je m'appelle Luc Kowalski.", "Luc", "Kowalski"),
    ("Monsieur Le Goff.", "", "Le Goff"),
    ("Émilie Barbier.", "Émilie", "Barbier"),
    ("Oui bonjour, c'est Nicolas Lemaire.", "Nicolas", "Lemaire"),
    ("Je m'appelle Sophie Brunet.", "Sophie", "Brunet"),
    ("Ferreira, Manuel Ferreira.", "Manuel", "Ferreira"),
    ("C'est madame Morel.", "", "Morel"),
    ("Je m'appelle Antoine Vasseur.", "Antoine", "Vasseur"),
    ("Valérie Castagné.", "Valérie", "Castagné"),
    ("Monsieur Hoarau.", "", "Hoarau"),
    ("Je m'appelle Yann Kerbrat.", "Yann", "Kerbrat"),
    ("Laurent Schmitt.", "Laurent", "Schmitt"),
    ("C'est Élodie Vidal.", "Élodie", "Vidal"),
    ("Je m'appelle Rachid Haddad.", "Rachid", "Haddad"),
    ("Madame Tessier, Anne Tessier.", "Anne", "Tessier"),
    ("Pierre Dumoulin.", "Pierre", "Dumoulin"),
    ("Je m'appelle Claire Bouvier.", "Claire", "Bouvier"),
    ("Monsieur Arnaud Delmas.", "Arnaud", "Delmas"),
    ("Guillaume Picard, voilà.", "Guillaume", "Picard"),
    ("C'est monsieur Jourdain.", "", "Jourdain"),
    ("Je m'appelle Marie Lacombe.", "Marie", "Lacombe"),
)

# Spelled answers: (spoken text, surname).
SPELLED: tuple[tuple[str, str], ...] = (
    ("F, O, U, R, N, I, E, R.", "Fournier"),
    ("D comme Denis, U, P, O, N, T.", "Dupont"),
    ("M, O, R, E, A, U.", "Moreau"),
    ("B, E, N, S, A, I, D.", "Bensaid"),
    ("Alors, G, I, R, A, R, D.", "Girard"),
    ("K, O, W, A, L, S, K, I.", "Kowalski"),
    ("R, O, U, X.", "Roux"),
    ("L, A, C, O, M, B, E.", "Lacombe"),
    ("T comme Thomas, E, S, S, I, E, R.", "Tessier"),
    ("H, O, A, R, A, U.", "Hoarau"),
    ("V, I, D, A, L.", "Vidal"),
    ("D, E, L, M, A, S.", "Delmas"),
    ("C'est P, E, R, R, I, N.", "Perrin"),
    ("B, A, R, B, I, E, R.", "Barbier"),
    ("N, G, U, Y, E, N.", "Nguyen"),
    ("Alors, S, C, H, M, I, T, T.", "Schmitt"),
    ("G comme Gérard, A, R, N, I, E, R.", "Garnier"),
    ("D, I, A, L, L, O.", "Diallo"),
    ("M, E, R, C, I, E, R.", "Mercier"),
    ("V, A, S, S, E, U, R.", "Vasseur"),
)

_CACHE = Path("/tmp/name_eval_audio")


def _speak(text: str) -> Pcm:
    path = _CACHE / (hashlib.sha1(text.encode()).hexdigest()[:16] + ".npy")
    if path.exists():
        return np.load(path)  # type: ignore[no-any-return]
    from agent.speech.tts_engines import create

    pico = create("pico", TtsSettings())
    speech = resample(pico.synthesize_sync(text), pico.sample_rate, 16000)
    pause = np.zeros(4800, dtype=np.int16)  # endpointing keeps ~0.3 s around the words
    line = phone_channel(np.concatenate([pause, speech, pause]))
    _CACHE.mkdir(exist_ok=True)
    np.save(path, line)
    return line


@dataclass(frozen=True)
class Variant:
    name: str
    profile: Profile


@dataclass
class Tally:
    surname: int = 0
    first: int = 0
    firsts: int = 0
    any_hyp: int = 0  # the surname in any hypothesis's resolution
    ms: list[float] = field(default_factory=list)


def _surname_of(name: str | None, first: str) -> str:
    if not name:
        return ""
    words = fold(name).split()
    if first and words and words[0] == fold(first):
        words = words[1:]
    return " ".join(words)


def _score(
    tally: Tally, texts: tuple[str, ...], first: str, surname: str, spelled: bool
) -> tuple[str | None, bool]:
    if spelled:  # as the dialogue reads a spelling (agent.dialogue.naming)
        name = (best_spelling(texts, None) or (None, 0.0))[0]
    else:
        name, _ = name_with_confidence(texts[0], texts[1:], expecting_name=True)
    got = _surname_of(name, first)
    right = got == fold(surname) or (spelled and got.endswith(fold(surname)))
    tally.surname += right
    tally.any_hyp += any(
        fold(surname) in fold(name_with_confidence(t, (), True)[0] or "") for t in texts
    )
    if first:
        tally.firsts += 1
        tally.first += bool(name) and fold(name or "").split()[0] == fold(first)
    return name, right


def evaluate(
    items: Sequence[tuple[Pcm, str, str, str]],
    expect: Expectation,
    variants: Sequence[Variant],
    verbose: bool,
) -> dict[str, Tally]:
    transcriber = WhisperTranscriber(SttSettings())
    tallies = {v.name: Tally() for v in variants}
    saved = PROFILES[expect]
    for index, (pcm, text, first, surname) in enumerate(items):
        shift = index % len(variants)
        if verbose:
            print(f"{text}")
        for variant in (*variants[shift:], *variants[:shift]):
            PROFILES[expect] = variant.profile
            started = time.perf_counter()
            try:
                result = transcriber.transcribe_sync(pcm, Hint(expect, "other"))
            finally:
                PROFILES[expect] = saved
            tally = tallies[variant.name]
            tally.ms.append((time.perf_counter() - started) * 1000)
            texts = (result.text, *result.alternatives)
            name, right = _score(tally, texts, first, surname, expect == "spell")
            if verbose:
                mark = "+" if right else "-"
                print(f"  {mark} [{variant.name}] {name}  <- {' | '.join(texts)}")
    return tallies


# The answers' own first names (and others): how much copying would add on top.
ANSWER_FIRST_NAMES = tuple(
    [
        "Jean",
        "Marie",
        "Pierre",
        "Nathalie",
        "Philippe",
        "Isabelle",
        "Michel",
        "Catherine",
        "Alain",
        "Sylvie",
        "Nicolas",
        "Sandrine",
        "Thomas",
        "Céline",
        "Mohamed",
        "Fatima",
        "Julien",
        "Sophie",
        "Olivier",
        "Valérie",
    ]
)
# 20 frequent surnames, none in NAMES.
OTHER_SURNAMES = tuple(
    [
        "Martin",
        "Dubois",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Simon",
        "Lefebvre",
        "Bertrand",
        "Roussel",
        "Faure",
        "André",
        "Mathieu",
        "Blanc",
        "Guerin",
        "Muller",
        "Roche",
        "Masson",
        "Lucas",
    ]
)


def variants_for(expect: Expectation, specs: Sequence[str]) -> list[Variant]:
    """QUESTION[:bBEAM][:nNBEST]: the expectation's profile with another prompt."""
    base = PROFILES[expect]
    prompts: dict[str, tuple[str | None, tuple[str, ...]]] = {
        "now": (base.question, base.own_phrases),
        "bare": (base.question, ()),  # the question alone (the set-up before name_eval)
        "half": (base.question, base.own_phrases[:10]),
        "qnom": ("Quel est votre nom ?", ()),
        "qappelle": ("Quel est votre nom ? Je m'appelle", ()),
        "qanswers": (base.question, ANSWER_FIRST_NAMES),
        "qsur": (base.question, OTHER_SURNAMES),
        "qspell": ("Épelez votre nom de famille, lettre par lettre.", ()),
    }
    out = []
    for spec in specs:
        key, *extra = spec.split(":")
        options = {item[0]: int(item[1:]) for item in extra}
        question, phrases = prompts[key]
        profile = replace(
            base,
            question=question,
            own_phrases=phrases,
            phrase_chars=max(base.phrase_chars, 200) if phrases else base.phrase_chars,
            beam_size=options.get("b", base.beam_size),
            num_hypotheses=options.get("n", base.num_hypotheses),
        )
        out.append(Variant(spec, profile))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.name")
    parser.add_argument("--expect", choices=("name", "spell"), default="name")
    parser.add_argument("--variants", default="bare,now,now:b8:n8")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    expect: Expectation = args.expect
    if expect == "name":
        items = [(_speak(t), t, f, s) for t, f, s in NAMES]
        listed = sum(is_known_surname(s) for _, _, s in NAMES)
        print(f"{len(items)} answers, {listed} surnames in noms.txt")
    else:
        items = [(_speak(t), t, "", s) for t, s in SPELLED]
    tallies = evaluate(items, expect, variants_for(expect, args.variants.split(",")), args.verbose)
    for name, t in tallies.items():
        print(
            f"{name:16s} surname {t.surname}/{len(items)} (any hyp {t.any_hyp})"
            f"  first {t.first}/{t.firsts}  median {statistics.median(t.ms):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
