"""Slot test set: utterances with gold name / street / postcode / city / phone.

    python -m nlp.data.slots_gen    # writes nlp/data/slots_test.jsonl (fixed seed)

Extraction is rule-based (nothing is trained on this), so the whole file is a test set; its
names, streets and phrasings are not the ones used in tests/nlp.
"""

from __future__ import annotations

import json
import random

from nlp.data import speak
from nlp.data.generate import DATA_DIR, expand
from nlp.data.templates_urgent import URGENT
from nlp.numbers import number_words

SEED = 4242
TOWNS = (
    "Lyon",
    "Villeurbanne",
    "Vénissieux",
    "Bron",
    "Caluire-et-Cuire",
    "Saint-Fons",
    "Décines-Charpieu",
    "Oullins",
    "Tassin-la-Demi-Lune",
    "Écully",
    "Rillieux-la-Pape",
    "Meyzieu",
    "Saint-Priest",
    "Vaulx-en-Velin",
    "Francheville",
)
POSTCODES = {
    "Lyon": "69003",
    "Villeurbanne": "69100",
    "Vénissieux": "69200",
    "Bron": "69500",
    "Caluire-et-Cuire": "69300",
    "Saint-Fons": "69190",
    "Décines-Charpieu": "69150",
    "Oullins": "69600",
    "Tassin-la-Demi-Lune": "69160",
    "Écully": "69130",
    "Rillieux-la-Pape": "69140",
    "Meyzieu": "69330",
    "Saint-Priest": "69800",
    "Vaulx-en-Velin": "69120",
    "Francheville": "69340",
}
SERVICE_AREA = TOWNS[:12]  # the last three are heard but outside the configured area
FIRST = (
    "Jean",
    "Marie",
    "Jean-Pierre",
    "Sophie",
    "Nicolas",
    "Hélène",
    "François",
    "Isabelle",
    "Thomas",
    "Camille",
    "Léa",
    "Karim",
    "Fatima",
    "Pierre",
    "Anne-Sophie",
    "Michel",
    "Nathalie",
    "Julien",
    "Céline",
    "Mohamed",
    "Chantal",
    "Éric",
    "Sylvie",
    "Antoine",
)
LAST = (
    "Dupont",
    "Martin",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Nguyen",
    "Garcia",
    "Rousseau",
    "Fontaine",
    "Chevalier",
    "Benali",
    "Lambert",
    "Bonnet",
    "Faure",
    "Mercier",
    "Guérin",
    "Perrin",
    "Morel",
    "Roux",
    "Fournier",
    "Gauthier",
    "Mallet",
    "Barbier",
)
STREET_TYPES = (
    "rue",
    "rue",
    "rue",
    "avenue",
    "boulevard",
    "place",
    "chemin",
    "allée",
    "impasse",
    "route",
    "cours",
    "quai",
)
STREET_NAMES = (
    "des Lilas",
    "Victor Hugo",
    "de la République",
    "Jean Jaurès",
    "du Moulin",
    "des Peupliers",
    "Pasteur",
    "de la Gare",
    "Paul Bert",
    "des Acacias",
    "du Général de Gaulle",
    "Garibaldi",
    "de l'Église",
    "des Tanneurs",
    "Anatole France",
    "du Stade",
    "des Roses",
    "Émile Zola",
    "de Verdun",
    "Voltaire",
)

NAME_FORMS = (
    ("je m'appelle {f} {l}", "full"),
    ("moi c'est {f} {l}", "full"),
    ("c'est {t} {l}", "last"),
    ("je suis {t} {f} {l}", "full"),
    ("mon nom c'est {l} {f}", "full"),
    ("{t} {l} {f}", "full*"),
    ("{l} {f}", "full*"),
    ("{f} {l}", "full*"),
    ("euh {f} {l}", "full*"),
    ("je m'appelle {f} {l} ça s'écrit {s}", "full"),
    ("de la part de {t} {l}", "last"),
    ("oui alors {t} {l} {s}", "last*"),
    ("mon nom de famille c'est {l}", "last"),
)
ADDRESS_FORMS = (
    "j'habite au {n} {st} à {c}",
    "c'est au {n} {st} {p} {c}",
    "{n} {st} {c}",
    "alors c'est {n} {st} euh à {c}",
    "l'adresse c'est {n} {st} code postal {p} {c}",
    "je suis au {n} {st} à {c}",
    "{n} {st} {p} {c}",
    "on habite {n} {st} à {c} voilà",
)
PHONE_FORMS = (
    "mon numéro c'est le {ph}",
    "vous pouvez me rappeler au {ph}",
    "{ph}",
    "c'est le {ph}",
    "mon portable {ph}",
    "alors {ph} voilà",
)


def _name(rng: random.Random) -> tuple[str, str, bool]:
    """(spoken, gold, needs expecting='name')."""
    form, kind = rng.choice(NAME_FORMS)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    spelled = " ".join(last.lower().replace("é", "e").replace("è", "e"))
    title = rng.choice(("madame", "monsieur")) if "{t}" in form else ""
    spoken = form.format(f=first, l=last, t=title, s=spelled).lower()
    gold = f"{first} {last}" if kind.startswith("full") else last
    return spoken, gold, kind.endswith("*")


def _address(rng: random.Random) -> tuple[str, dict[str, str | None]]:
    town = rng.choice(TOWNS)
    num = rng.choice((rng.randint(1, 30), rng.randint(1, 30), rng.randint(31, 250)))
    suffix = rng.choice(("", "", "", "", " bis", " ter"))
    street = f"{rng.choice(STREET_TYPES)} {rng.choice(STREET_NAMES)}"
    said_num = (number_words(num) if rng.random() < 0.6 else str(num)) + suffix
    form = rng.choice(ADDRESS_FORMS)
    spoken = form.format(
        n=said_num, st=street.lower(), c=town.lower(), p=speak.postcode(POSTCODES[town], rng)
    )
    gold_post = POSTCODES[town] if "{p}" in form else None
    return spoken, {"street": f"{num}{suffix} {street}", "city": town, "postcode": gold_post}


def _phone(rng: random.Random) -> tuple[str, str]:
    national = rng.choice(("06", "07", "04", "09")) + "".join(rng.choices("0123456789", k=8))
    return rng.choice(PHONE_FORMS).format(ph=speak.phone(national, rng)), "+33" + national[1:]


def _row(rng: random.Random) -> dict[str, object]:
    kind = rng.choice(("name", "address", "phone", "full", "full"))
    gold: dict[str, str | None] = {
        "name": None,
        "street": None,
        "postcode": None,
        "city": None,
        "phone": None,
    }
    expecting: str | None = None
    parts: list[str] = []
    if kind in ("name", "full"):
        spoken, gold["name"], bare = _name(rng)
        parts.append(spoken)
        expecting = "name" if bare and kind == "name" else None
        if bare and kind == "full":
            parts[-1], gold["name"] = f"je m'appelle {spoken}", gold["name"]
    if kind == "full":
        entry = rng.choice(URGENT)
        parts.append(expand(rng.choice(entry[3]), "generique", rng))
    if kind in ("address", "full"):
        spoken, fields = _address(rng)
        parts.append(spoken)
        gold.update(fields)
        expecting = "address" if kind == "address" else expecting
    if kind in ("phone", "full"):
        spoken, gold["phone"] = _phone(rng)
        cued = kind == "phone" or any(w in spoken for w in ("numéro", "rappeler", "portable"))
        parts.append(spoken if cued else f"mon numéro c'est le {spoken}")
        expecting = "phone" if kind == "phone" else expecting
    return {"text": _join(parts, rng), "expecting": expecting, **gold}


def _join(parts: list[str], rng: random.Random) -> str:
    # Fillers between the pieces and dropped apostrophes, as STT writes them; the slot values
    # themselves are not garbled (a misheard surname cannot be recovered by any extractor).
    text = parts[0]
    for part in parts[1:]:
        text += f" {rng.choice(('', '', 'euh', 'et', 'voilà', 'alors', 'donc'))} {part}"
    if rng.random() < 0.4:
        text = text.replace("'", " ")
    return " ".join(text.split())


def build(n: int = 400, seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [_row(rng) for _ in range(n)]


def main() -> None:
    rows = build()
    lines = (json.dumps(r, ensure_ascii=False) for r in rows)
    (DATA_DIR / "slots_test.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"slots_test={len(rows)}")


if __name__ == "__main__":
    main()
