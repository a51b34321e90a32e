"""Postal addresses as callers say them: '12 bis rue des lilas 69500 bron', 'quinze avenue
jean jaurès à villeurbanne'; towns confirmed against the service area's list."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.numbers import words_to_digits
from nlp.text import FILLERS, capitalize_words, fold, is_common

STREET_TYPES: dict[str, str] = {
    "rue": "rue", "avenue": "avenue", "av": "avenue", "boulevard": "boulevard", "bd": "boulevard",
    "place": "place", "chemin": "chemin", "allée": "allée", "allee": "allée", "impasse": "impasse",
    "route": "route", "cours": "cours", "quai": "quai", "square": "square", "passage": "passage",
    "montée": "montée", "montee": "montée", "faubourg": "faubourg", "voie": "voie",
    "sentier": "sentier", "promenade": "promenade", "lotissement": "lotissement",
    "résidence": "résidence", "residence": "résidence", "hameau": "hameau",
    "esplanade": "esplanade",
}  # fmt: skip
SUFFIXES = ("bis", "ter", "quater")
PARTICLES = frozenset(
    {"de", "du", "des", "la", "le", "les", "l'", "d'", "et", "sur", "en", "aux", "lès", "sous"}
)
# Words that end a street name.
STOP = (
    frozenset(
        [
            "à",
            "a",
            "au",
            "aux",
            "dans",
            "et",
            "c'est",
            "cest",
            "je",
            "j'ai",
            "jai",
            "j",
            "mon",
            "ma",
            "mes",
            "numéro",
            "numero",
            "code",
            "postal",
            "appartement",
            "appart",
            "bâtiment",
            "batiment",
            "étage",
            "etage",
            "escalier",
            "porte",
            "interphone",
            "digicode",
            "chez",
            "près",
            "pres",
            "vers",
            "ville",
            "commune",
            "c",
            "est",
            "il",
            "y",
            "on",
            "vous",
            "merci",
            "voilà",
            "s'il",
            "qui",
        ]
    )
    | FILLERS
)
_STREET_CUES = frozenset({"au", "à", "a", "habite", "adresse", "est", "c'est"})
_CITY_LEAD = frozenset({"à", "a", "sur", "ville", "de", "commune"}) | FILLERS


@dataclass(frozen=True)
class Address:
    street: str | None
    postcode: str | None
    city: str | None
    number: str | None = None
    known_town: bool = False  # the city matched the service area's town list


def _street_at(
    tokens: list[str], i: int, towns: Sequence[str], expecting: bool = False
) -> tuple[str, str | None, int] | None:
    """(street, number, end index) for a street type at tokens[i], number read before it."""
    kind = STREET_TYPES[tokens[i]]
    number: str | None = None
    back = i - 1
    if back >= 0 and tokens[back] in SUFFIXES:
        back -= 1
    if back >= 0 and tokens[back].isdigit() and len(tokens[back]) <= 4:
        number = " ".join(tokens[back:i])
    elif not (expecting or (i > 0 and tokens[i - 1] in _STREET_CUES)):
        return None  # "sur place", "de la place": a street type word, not an address
    name: list[str] = []
    j = i + 1
    while j < len(tokens) and len(name) < 6:
        tok = tokens[j]
        if tok.isdigit() or (tok in STOP and not (tok == "a" and not name)):
            break
        if name and towns and match_town(tokens[j : j + 5], towns):
            break  # "12 allée garibaldi bron": the town ends the street name
        if name and tok.count("-") >= 2:
            break  # "vaulx-en-velin", "rillieux-la-pape": commune names, not street names
        name.append(tok)
        j += 1
    while name and name[-1] in PARTICLES:
        name.pop()
        j -= 1
    head = next((w for w in name if w not in PARTICLES), None)
    if head is None or is_common(head.split("'")[-1]):  # "l'europe" -> "europe"
        return None
    street = capitalize_words(" ".join(name), PARTICLES)
    # A lone "les" / "de" first word stays lowercase ("rue des Lilas").
    first = name[0]
    if first in PARTICLES:
        street = first + street[len(first) :]
    return f"{number + ' ' if number else ''}{kind} {street}", number, j


def match_town(words: Sequence[str], towns: Sequence[str]) -> tuple[str, int] | None:
    """Best town of `towns` said at words[0] (fuzzy for STT slips, any hyphenation) and how
    many words it took."""
    best: tuple[float, str, int] | None = None
    heard = [fold(" ".join(words[:k])) for k in range(1, min(len(words), 5) + 1)]
    for town in towns:
        key = fold(town)
        for k, said in enumerate(heard, start=1):
            if k == 1 and _short_form(said, key):
                ratio = 0.9  # "caluire" for Caluire-et-Cuire
            elif said[:1] != key[:1] or abs(len(said) - len(key)) > 3:
                continue  # STT rarely garbles the first letter; length gates difflib's cost
            else:
                ratio = difflib.SequenceMatcher(None, said, key).ratio()
            if ratio >= 0.82 and (best is None or ratio > best[0]):
                best = (ratio, town, k)
    return (best[1], best[2]) if best else None


_GENERIC_HEADS = frozenset({"saint", "sainte", "la", "le", "les", "villeneuve", "pont"})


def _short_form(said: str, key: str) -> bool:
    """Callers shorten compound town names to their first word ('tassin', 'caluire')."""
    head = key.split()[0]
    return " " in key and said == head and len(head) >= 5 and head not in _GENERIC_HEADS


def _postcode(tokens: list[str], start: int) -> tuple[str, int] | None:
    """A 5-digit postcode at tokens[start], possibly read in pieces ('69 300', '6 9 3 0 0')."""
    if start > 0 and tokens[start - 1].isdigit():
        return None  # inside a longer number (a phone read in pairs)
    digits, j = "", start
    while j < len(tokens) and tokens[j].isdigit():
        digits += tokens[j]
        j += 1
    if len(digits) == 5 and digits[:2] not in ("00", "96", "97", "98", "99"):
        return digits, j
    return None


def _city_after(
    tokens: list[str], i: int, towns: Sequence[str], lead: bool = True
) -> tuple[str, bool] | None:
    """City from tokens[i:] (after the street / postcode): a town of the list (fuzzy) or the
    words heard, flagged unknown, so the dialogue can say it is outside the service area."""
    while i < len(tokens) and tokens[i] in _CITY_LEAD:
        i += 1
    if i >= len(tokens):
        return None
    town = match_town(tokens[i : i + 5], towns) if towns else None
    if town:
        return town[0], True
    if not lead and i > 0 and tokens[i - 1] not in ("à", "a") and not tokens[i - 1].isdigit():
        return None  # free words are a city only right after "à" or a postcode
    words: list[str] = []
    for k, tok in enumerate(tokens[i : i + 4]):
        nxt = tokens[i + k + 1] if i + k + 1 < len(tokens) else "."
        particle = tok in PARTICLES and bool(words) and nxt not in STOP
        if not particle and (tok in STOP or tok.isdigit() or tok in PARTICLES or is_common(tok)):
            break
        words.append(tok)
    while words and words[-1] in PARTICLES:
        words.pop()
    if not words:
        return None
    return capitalize_words(" ".join(words), PARTICLES), False


def _find_town(tokens: list[str], towns: Sequence[str]) -> str | None:
    for i in range(len(tokens)):
        town = match_town(tokens[i : i + 5], towns)
        if town:
            return town[0]
    return None


def extract_address(
    text: str, towns: Sequence[str] = (), expecting_address: bool = False
) -> Address | None:
    """Street (with number), postcode and city heard in `text`; None when there is none."""
    tokens = _join_elisions(words_to_digits(text).split())
    street = number = postcode = city = None
    known = False
    cursor = 0
    for i, tok in enumerate(tokens):
        if tok in STREET_TYPES and i + 1 < len(tokens):
            found = _street_at(tokens, i, towns, expecting_address)
            if found:
                street, number, cursor = found
                break
    for j in range(cursor, len(tokens)):
        code = _postcode(tokens, j)
        # Without a street, five digits are a postcode only when announced or followed by a
        # town: "une facture de 12000 euros" is not an address.
        announced = j > 0 and tokens[j - 1] in ("postal", "code")
        if code and (street or announced or (towns and match_town(tokens[code[1] :], towns))):
            postcode, cursor = code[0], code[1]
            break
    if street or postcode:
        place = _city_after(tokens, cursor, towns)
        if place:
            city, known = place
    if city is None and towns and (street or postcode or expecting_address or _lives(tokens)):
        city = _find_town(tokens[cursor:], towns) or _find_town(tokens, towns)
        known = city is not None
    if city is None and towns:
        city = _town_after_a(tokens, towns)
        known = city is not None
    if city is None and (expecting_address or _lives(tokens)):
        at = next((k + 1 for k, t in enumerate(tokens) if t in ("à", "a") and k >= cursor), None)
        place = _city_after(tokens, at, towns, lead=False) if at is not None else None
        city = place[0] if place else None
    if not (street or postcode or city):
        return None
    return Address(street, postcode, city, number, known)


def _town_after_a(tokens: list[str], towns: Sequence[str]) -> str | None:
    """'ça sent le gaz à bron': a service-area town right after 'à' is the caller's town."""
    for k, tok in enumerate(tokens[:-1]):
        if tok in ("à", "a", "sur"):
            town = match_town(tokens[k + 1 :], towns)
            if town:
                return town[0]
    return None


def _join_elisions(tokens: list[str]) -> list[str]:
    # STT writes "l europe" for "l'europe": glue the elided article back.
    out: list[str] = []
    for k, tok in enumerate(tokens):
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        if tok in ("un", "une") and (nxt in STREET_TYPES or nxt in SUFFIXES):
            tok = "1"  # "au un rue des lilas": the article reading missed a street number
        if out and out[-1] in ("l", "d") and not tok.isdigit():
            out[-1] = out[-1] + "'" + tok
        else:
            out.append(tok)
    return out


def _lives(tokens: list[str]) -> bool:
    text = " ".join(tokens)
    return bool(re.search(r"\b(?:j'?\s?habite|on habite|je (?:vis|réside) à|domicilié)", text))
