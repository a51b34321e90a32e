"""`python -m devkit.eval.second_hearing`: street and name answers heard once, heard twice
(agent.speech.narrowing), and heard twice then their house number weighed against the audio
(agent.speech.rescoring), through the real hints of the dialogue.

Answers are spoken by Pico through the μ-law phone channel. Streets are drawn (seeded) from
the sandbox's area file, leaving out every street the personas of eval/personas use, so the
whole-call evaluation stays held out; each is said as the street alone (town known) and as a
whole address (town said in it), in varied phrasings, with a house number of that street in
the area file (a caller lives at one; bis/ter said as such). Names are devkit.eval.name's answers
plus callers whose surnames are not in nlp/data/noms.txt. Scores: the street matched by the
area (and with its house number), the town, the surname inside the name the dialogue would
take; median milliseconds per answer. The variants run back to back on each answer.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import random
import statistics
import time
import tomllib
from dataclasses import dataclass, field

from agent.area.service import load_area
from agent.config_core import PROJECT_ROOT
from agent.dialogue.stages import Stage, hint_for
from agent.speech.hint import Hint
from agent.speech.narrowing import NarrowingTranscriber
from agent.speech.rescoring import RescoringTranscriber
from agent.speech.settings import SttSettings
from agent.speech.stt import Transcriber, WhisperTranscriber
from devkit.eval.name import NAMES, _speak
from devkit.sim.report import sandbox_config
from nlp.names import name_with_confidence
from nlp.text import fold
from nlp.types import AddressMatch, ServiceArea

STREET_FORMS = (
    "{n} {s}.", "Euh, c'est au {n} {s}.", "{s}, au numéro {n}.", "Alors, {n}, {s}.",
    "C'est le {n} {s}.", "Oui, {n} {s}.",
)  # fmt: skip
ADDRESS_FORMS = (
    "{n} {s} à {t}.", "Alors c'est au {n} {s}, à {t}.", "J'habite {n} {s}, {t}.",
    "Euh, {s}, numéro {n}, à {t}.",
)  # fmt: skip
NUMBERS = (2, 3, 5, 7, 8, 11, 14, 17, 23, 36, 48, 52, 61, 75, 90, 104)
# Callers whose surnames are not all in the list: a second hearing must not "correct" them.
MORE_NAMES = (
    ("Oui, c'est Gérard Lemoine.", "Lemoine"), ("Euh, Paul Durand.", "Durand"),
    ("Madame Leroy, Nadine Leroy.", "Leroy"), ("Je m'appelle Yannick Le Bris.", "Le Bris"),
    ("C'est Kevin Oukili.", "Oukili"), ("Monsieur Pereira.", "Pereira"),
    ("Moi c'est Bruno Carpentier.", "Carpentier"), ("Je suis madame Aubry.", "Aubry"),
    ("Alors, Michel Guillot.", "Guillot"), ("Sabrina Zeroual.", "Zeroual"),
)  # fmt: skip


@dataclass
class Tally:
    right: int = 0
    with_number: int = 0
    town: int = 0
    count: int = 0
    ms: list[float] = field(default_factory=list)

    def line(self, label: str) -> str:
        ms = statistics.median(self.ms) if self.ms else 0.0
        places = f"  with number {self.with_number}  town {self.town}"
        detail = "" if label.startswith("name") else places
        return f"{label:14s} right {self.right}/{self.count}{detail}  median {ms:.0f} ms"


def held_out_streets(area: ServiceArea, count: int, seed: int) -> list[tuple[str, str]]:
    used = set()
    for path in glob.glob(str(PROJECT_ROOT / "eval" / "personas" / "*.toml")):
        with open(path, "rb") as f:
            street = tomllib.load(f).get("expect", {}).get("street")
        if street:
            used.add(fold(street))
    pairs = {(s, t) for t in area.towns() for s in area.street_names(t) if fold(s) not in used}
    return random.Random(seed).sample(sorted(pairs), min(count, len(pairs)))


def _house_number(area: ServiceArea, street: str, town: str, rnd: random.Random) -> str:
    """A number of the street in the area file (what a caller living there says: "12 bis"),
    up to 150; one of NUMBERS where the file lists none."""
    listed = [n for n in area.house_numbers(street, town) if int(n.rstrip("bisterqua")) <= 150]
    if not listed:
        return str(rnd.choice(NUMBERS))
    number = rnd.choice(sorted(listed))
    digits = number.rstrip("bisterqua")
    return f"{digits} {number[len(digits) :]}" if number != digits else number


async def _heard(transcriber: Transcriber, said: str, hint: Hint, tally: Tally) -> list[str]:
    started = time.perf_counter()
    transcript = await transcriber.transcribe(_speak(said), hint)
    tally.ms.append((time.perf_counter() - started) * 1000)
    tally.count += 1
    return [transcript.text, *transcript.alternatives]


def _match(area: ServiceArea, hyps: list[str], town: str | None) -> AddressMatch | None:
    if town is None:
        return area.match_address(hyps)
    return area.match_street(hyps, town) or area.match_address(hyps, town=town)


async def streets(
    area: ServiceArea, variants: dict[str, Transcriber], count: int, seed: int, verbose: bool
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    rnd = random.Random(seed)
    for stage, forms in ((Stage.STREET, STREET_FORMS), (Stage.ADDRESS, ADDRESS_FORMS)):
        for street, town in held_out_streets(area, count, seed):
            number = _house_number(area, street, town, rnd)
            said = rnd.choice(forms).format(n=number, s=street, t=town)
            known = town if stage is Stage.STREET else None
            hint = hint_for(stage, area, area.towns(), known)
            for name, transcriber in variants.items():
                tally = tallies.setdefault(f"{stage.value} {name}", Tally())
                match = _match(area, await _heard(transcriber, said, hint, tally), known)
                right = match is not None and fold(match.street) == fold(street)
                tally.right += right
                tally.with_number += right and match is not None and match.number == number
                tally.town += match is not None and match.city == town
                if verbose:
                    got = match.street_line if match else None
                    print(f"  {'+' if right else '-'} [{name}] {said!r} -> {got}")
    return tallies


async def names(variants: dict[str, Transcriber], verbose: bool) -> dict[str, Tally]:
    tallies = {f"name {name}": Tally() for name in variants}
    answers = [(text, surname) for text, _, surname in NAMES] + list(MORE_NAMES)
    hint = hint_for(Stage.NAME, None, (), None)
    for said, surname in answers:
        for name, transcriber in variants.items():
            tally = tallies[f"name {name}"]
            hyps = await _heard(transcriber, said, hint, tally)
            got, _ = name_with_confidence(hyps[0], hyps[1:], expecting_name=True)
            right = fold(surname) in fold(got or "")
            tally.right += right
            if verbose:
                print(f"  {'+' if right else '-'} [{name}] {said!r} -> {got}")
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.second_hearing")
    parser.add_argument("--streets", type=int, default=30, help="held-out streets drawn")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    area = load_area(sandbox_config(None, data_dir=".var/eval/hearing"))
    once = WhisperTranscriber(SttSettings())
    twice = NarrowingTranscriber(once)
    variants: dict[str, Transcriber] = {
        "once": once,
        "twice": twice,
        "weighed": RescoringTranscriber(twice, once),
    }
    tallies = asyncio.run(streets(area, variants, args.streets, args.seed, args.verbose))
    tallies.update(asyncio.run(names(variants, args.verbose)))
    for label, tally in tallies.items():
        print(tally.line(label))
    once.engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
