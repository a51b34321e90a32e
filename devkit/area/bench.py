"""Benchmark of the area: a generated BAN-like file (`decroche area bench --rows N`), its import
time, index size and peak memory, then the latency of matching garbled addresses."""

from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path

from agent.area.index import ensure_index
from agent.area.service import SqliteServiceArea

HEADER = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat"
_KINDS = ("Rue", "Avenue", "Boulevard", "Chemin", "Allée", "Impasse", "Place", "Quai", "Cours")
_NAMES = (
    "Victor Hugo",
    "Jean Jaurès",
    "Pasteur",
    "de la République",
    "Émile Zola",
    "Gambetta",
    "des Lilas",
    "du Moulin",
    "de la Gare",
    "Voltaire",
    "Jean Moulin",
    "Anatole France",
    "des Écoles",
    "de l'Église",
    "du Stade",
    "Paul Bert",
    "des Tilleuls",
    "Carnot",
    "Molière",
    "du Château",
    "Garibaldi",
    "Lafayette",
    "des Acacias",
    "Saint-Exupéry",
    "de Verdun",
)
_FIRST = ("Louis", "Marie", "Pierre", "Jules", "Henri", "Anne", "Paul", "Claude", "Joseph")


_TOWN_HEADS = (
    "Saint-Genis", "Mont", "Ville", "Beau", "Château", "Font", "Roche", "Val", "Bois", "Pont",
    "Marcy", "Chasse", "Brin", "Saint-Priest", "Dar",
)  # fmt: skip
_TOWN_TAILS = (
    "-sur-Saône", "-les-Bains", "neuve", "fort", "-le-Haut", "-d'Azergues", "lieu", "mont",
    "-en-Velin", "-la-Pape", "ville", "-l'Étang", "-le-Sec", "bonne", "-sur-Rhône", "ray",
    "-les-Ollières", "-le-Vieux", "ignieu", "-d'Or",
)  # fmt: skip


def generate_ban(path: Path, rows: int, seed: int = 8, towns: int = 300) -> int:
    """Write a BAN-format file of `rows` addresses (~50 per street) over `towns` towns: the
    shape of a département (~10^6 rows, ~2·10^4 streets, the same street names in many
    towns). Returns the number of streets written."""
    rnd = random.Random(seed)
    names = [f"{h}{t}" for h in _TOWN_HEADS for t in _TOWN_TAILS][:towns]
    used: set[tuple[str, int]] = set()
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        while written < rows:
            town_no = rnd.randrange(len(names))
            first = rnd.choice(_FIRST) + " " if rnd.random() < 0.5 else ""
            name = f"{rnd.choice(_KINDS)} {first}{rnd.choice(_NAMES)}"
            if (name, town_no) in used:
                continue
            used.add((name, town_no))
            postcode = f"{69000 + town_no * 10 % 1000:05d}"
            for number in range(1, min(rnd.randint(10, 90), rows - written) + 1):
                rep = "bis" if rnd.random() < 0.03 else ""
                out.write(f";;{number};{rep};{name};{postcode};;{names[town_no]};4.85;45.75\n")
                written += 1
    return len(used)


def run_bench(rows: int, folder: Path | None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = folder or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        source = work / f"ban-{rows}.csv"
        started = time.perf_counter()
        generate_ban(source, rows)
        print(
            f"generated {rows} rows ({source.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        stats = ensure_index(source, work / "cache", force=True)
        built = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"import: {stats.rows} rows -> {stats.streets} streets in {built:.2f} s, "
            f"index {stats.path.stat().st_size / 1e6:.1f} MB, peak RSS {peak:.0f} MB"
        )
        started = time.perf_counter()
        area = SqliteServiceArea((), stats.path)
        print(
            f"load: {len(area.street_names())} streets, {len(area.towns())} towns "
            f"in {time.perf_counter() - started:.2f} s"
        )
        _bench_match(area)
    return 0


def _bench_match(area: SqliteServiceArea) -> None:
    towns = area.towns()
    heard = [
        (f"euh au douze rue victor hugo à {towns[12].lower()}", None),
        ("quarante-deux avenue jean jaure", towns[42]),
        ("le 7 chemin pierre des lilas", None),
        ("trois bis impasse du moulin", towns[7]),
    ]
    for text, town in heard:
        started = time.perf_counter()
        for _ in range(5):
            found = area.match_address([text, text.replace("rue", "ru")], town)
        ms = (time.perf_counter() - started) / 5 * 1000
        where = f"town {town} given" if town else "town from the words"
        print(
            f"match ({where}, 2 hypotheses) {ms:.1f} ms: {text!r} -> "
            f"{found.street_line + ', ' + str(found.city) if found else None}"
        )
