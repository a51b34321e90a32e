"""`python -m devkit.eval.outside_streets`: streets the caller names that the area file does
not list, against streets it lists (the control), through the dialogue's own ear.

The product keeps an address outside the list as heard and flags it; the risk measured here
is the other way round: a street outside the list matched to one of the list (the lead then
names the wrong street, sure of it). OUTSIDE holds real streets of the demo towns left out of
the demo file (any the file comes to list is skipped); the control streets are drawn (seeded)
from the file, leaving out the personas' own. Each is said as the street alone (town known)
and as a whole address, by Pico through the μ-law channel, heard as the calls hear it (twice,
house number weighed), and matched by the area. Verdicts: a listed street (right or wrong),
kept as heard (flagged), the town alone, nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections import Counter

from agent.area.service import load_area
from agent.dialogue.stages import Stage, hint_for
from agent.speech.narrowing import NarrowingTranscriber
from agent.speech.rescoring import RescoringTranscriber
from agent.speech.settings import SttSettings
from agent.speech.stt import Transcriber, WhisperTranscriber
from devkit.eval.second_hearing import (
    ADDRESS_FORMS,
    NUMBERS,
    STREET_FORMS,
    Tally,
    _heard,
    _match,
    held_out_streets,
)
from devkit.sim.report import sandbox_config
from nlp.text import fold
from nlp.types import AddressMatch, ServiceArea

# Real streets of the demo towns that agent/area/data/demo-area.csv does not list.
OUTSIDE: tuple[tuple[str, str], ...] = (
    ("rue Alexandre Boutin", "Villeurbanne"), ("rue Gambetta", "Vénissieux"),
    ("rue Guynemer", "Bron"), ("rue Jean Moulin", "Caluire-et-Cuire"),
    ("rue Marcel Cachin", "Vénissieux"), ("rue des Charmettes", "Lyon"),
    ("rue du Professeur Roux", "Bron"), ("rue Barrême", "Lyon"), ("rue Bodin", "Lyon"),
    ("rue Constantine", "Lyon"), ("rue Crillon", "Lyon"), ("rue Jean-Baptiste Say", "Lyon"),
    ("rue Pizay", "Lyon"), ("rue Sergent Blandan", "Lyon"), ("rue Vauban", "Lyon"),
    ("rue d'Alsace", "Villeurbanne"), ("rue de la Paix", "Bron"),
    ("avenue de la République", "Caluire-et-Cuire"),
)  # fmt: skip


def verdict(match: AddressMatch | None, street: str) -> str:
    if match is None:
        return "nothing"
    if match.in_area and match.street:
        return "listed right" if fold(match.street) == fold(street) else "listed wrong"
    return "as heard" if match.street else "town alone"


def outside_streets(area: ServiceArea) -> list[tuple[str, str]]:
    """OUTSIDE without the streets the area file lists after all."""
    listed = {t: {fold(n) for n in area.street_names(t)} for t in {t for _, t in OUTSIDE}}
    return [(s, t) for s, t in OUTSIDE if fold(s) not in listed[t]]


async def hear_all(
    area: ServiceArea, ear: Transcriber, sets: dict[str, list[tuple[str, str]]], seed: int,
    verbose: bool,
) -> dict[str, Counter[str]]:  # fmt: skip
    rnd = random.Random(seed)
    found: dict[str, Counter[str]] = {name: Counter() for name in sets}
    timing = Tally()
    for name, streets in sets.items():
        for street, town in streets:
            number = str(rnd.choice(NUMBERS[:9]))  # the verdict is on the street alone
            for stage, forms in ((Stage.STREET, STREET_FORMS), (Stage.ADDRESS, ADDRESS_FORMS)):
                said = rnd.choice(forms).format(n=number, s=street, t=town)
                known = town if stage is Stage.STREET else None
                hint = hint_for(stage, area, area.towns(), known)
                match = _match(area, await _heard(ear, said, hint, timing), known)
                found[name][verdict(match, street)] += 1
                if verbose:
                    print(f"  [{name}] {said!r} -> {match.street_line if match else None}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devkit.eval.outside_streets")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    area = load_area(sandbox_config(None, data_dir=".var/eval/hearing"))
    once = WhisperTranscriber(SttSettings())
    ear = RescoringTranscriber(NarrowingTranscriber(once), once)
    outside = outside_streets(area)
    sets = {"outside": outside, "listed": held_out_streets(area, len(outside), args.seed)}
    found = asyncio.run(hear_all(area, ear, sets, args.seed, args.verbose))
    for name, counts in found.items():
        total = sum(counts.values())
        print(f"{name:8s} {total} answers: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    once.engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
