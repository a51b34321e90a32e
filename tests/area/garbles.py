"""Garbled street answers, written the way Whisper base returns them through the phone
(homophones, words cut in the wrong places, the street type fused or lost, numbers misheard),
and the precision/recall of the area matcher on them.

Two areas: the shipped demo extract (5 towns, ~300 streets) and a larger, distractor-rich one
(devkit.area.bench's generator: the same common names under many types and first names, plus
common French street names added to one town). `python -m tests.area.garbles` prints the
figures; tests/area/test_garbles.py holds the floor.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.area.index import ensure_index
from agent.area.service import SqliteServiceArea
from agent.area.settings import DEMO_ADDRESSES
from devkit.area.bench import generate_ban
from nlp.street_match import StreetEntry, StreetMatcher
from nlp.types import AddressMatch

DEMO_TOWNS = ("Lyon", "Villeurbanne", "Vénissieux", "Bron", "Caluire-et-Cuire")
V, L, VE, B, C = DEMO_TOWNS[1], DEMO_TOWNS[0], DEMO_TOWNS[2], DEMO_TOWNS[3], DEMO_TOWNS[4]

# (heard, town known before the answer or None, street meant; None: nothing must match)
Case = tuple[str, str | None, str | None]

DEMO: list[Case] = [
    ("40 de cour et mise là.", V, "Cours Émile Zola"),
    ("Au 5, cours tolstoy.", V, "Cours Tolstoï"),
    ("Le 3 rue anatole, France.", V, "Rue Anatole France"),
    ("Sept ru léon blum", V, "Rue Léon Blum"),
    ("Vingt, avenue Henri Barbus.", V, "Avenue Henri Barbusse"),
    ("C'est au 14 rue, Paul Verlaine.", V, "Rue Paul Verlaine"),
    ("Deux, rue racines.", V, "Rue Racine"),
    ("Au 9, rue Gervais, bus si air.", V, "Rue Gervais Bussière"),
    ("Le 31 avenue Albert, un style.", V, "Avenue Albert Einstein"),
    ("Onze rue du château gaillard", V, "Rue du Château Gaillard"),
    ("8 boulevard niels bore", V, "Boulevard Niels Bohr"),
    ("Place Lazare, Goujon.", V, "Place Lazare Goujon"),
    ("Rue Édouard Vayant.", V, "Rue Édouard Vaillant"),
    ("Au 6 rue Alexis Péroncelle", V, "Rue Alexis Perroncel"),
    ("Vingt-deux rue Michel du peuple.", V, "Rue Michel Dupeuble"),
    ("Cent rue de Dieu", V, "Rue Dedieu"),
    ("Le 7 cour du docteur Jean Damido", V, "Cours Docteur Jean Damidot"),
    ("Douze rue Hippolyte Cannes", V, "Rue Hippolyte Kahn"),
    ("15 quais Claude Bernard", L, "Quai Claude Bernard"),
    ("Trois qu'ai Pierre Scise", L, "Quai Pierre Scize"),
    ("Le 10 plasse Bellecour", L, "Place Bellecour"),
    ("Au 4 montée de la grande côte", L, "Montée de la Grande Côte"),
    ("Quarante-deux, Cours Lafayette.", L, "Cours Lafayette"),
    ("Au cinq rue Sainte-Catherine", L, "Rue Sainte-Catherine"),
    ("Le douze rue de la Charité.", L, "Rue de la Charité"),
    ("Dix-sept, cour Gambetta.", L, "Cours Gambetta"),
    ("Au vingt courre Vittone", L, "Cours Vitton"),
    ("Trois, rue du bœuf.", L, "Rue du Bœuf"),
    ("Rue Mercière, au 6", L, "Rue Mercière"),
    ("Six rue Tête d'or", L, "Rue Tête d'Or"),
    ("Le 8 avenue des frères Lumière", L, "Avenue des Frères Lumière"),
    ("Au 2 rue de Marseilles", L, "Rue de Marseille"),
    ("Huit rue pas stœur", L, "Rue Pasteur"),
    ("Douze bout le vard des Belges", L, "Boulevard des Belges"),
    ("Cinq, grand-rue de la Guillotière.", L, "Grande Rue de la Guillotière"),
    ("Vingt-trois rue Victor Hugues", L, "Rue Victor Hugo"),
    ("Le 9 rue du Président et douard et rio", L, "Rue du Président Édouard Herriot"),
    ("Au 3 avenue Jean-Jaurès", VE, "Avenue Jean Jaurès"),
    ("Neuf boulevard Irène, Joliot Curie", VE, "Boulevard Irène Joliot-Curie"),
    ("Place Léon, sous blé.", VE, "Place Léon Sublet"),
    ("Le 4 rue Paul Pique", B, "Rue Paul Pic"),
    ("Douze route de Jeunas", B, "Route de Genas"),
    ("Cinquante avenue Pierre Brosse au lait", B, "Avenue Pierre Brossolette"),
    ("Deux chemin de Crépieux", C, "Chemin de Crépieux"),
    ("Au 7 rue Coste.", C, "Rue Coste"),
    ("Montée des Forts, numéro 3", C, "Montée des Forts"),
    ("Quai Clémenceau, au 12.", C, "Quai Clemenceau"),
    ("18 courremis de la Villeurbanne", None, "Cours Émile Zola"),  # DESIGN §6
    ("Prendre Garibaldi à Lyon", None, "Rue Garibaldi"),  # DESIGN §6
    ("Douze rue Garibaldi à Léon", None, "Rue Garibaldi"),
    ("Trois cour émile zola à Villeurbanne", None, "Cours Émile Zola"),
    ("Vingt avenue Roger Salangro Villeurbanne", None, "Avenue Roger Salengro"),
    ("Le 7 rue Tronchet", None, "Rue Tronchet"),
    # DESIGN §6, said "12 avenue Jean Jaurès à Villeurbanne": nothing of the street is left
    # (and the demo area has no Avenue Jean Jaurès in Villeurbanne): must match nothing.
    ("D'où ça peut-être mieux changer à Villeurbanne ?", None, None),
]

# Heavier, closer to what Whisper base writes through μ-law: the type misheard or lost, the
# name cut into common words, stray particles at the edges.
DEMO_HEAVY: list[Case] = [
    ("Douze, cours le mille Zola.", V, "Cours Émile Zola"),
    ("Le 5 court Tolstoï.", V, "Cours Tolstoï"),
    ("3 avenue Roger sa lent gros", V, "Avenue Roger Salengro"),
    ("Six rue de l'ion blum", V, "Rue Léon Blum"),
    ("Avenue en rien barbuse", V, "Avenue Henri Barbusse"),
    ("Le 11, rue la sine.", V, "Rue Racine"),
    ("Quinze, rue Florient.", V, "Rue Florian"),
    ("C'est au 9, bord de vard Niels Bohr.", V, "Boulevard Niels Bohr"),
    ("12, rue Pierre Bara tant", V, "Rue Pierre Baratin"),
    ("14 rue émile des corps", V, "Rue Émile Decorps"),
    ("Le 3 qu'est Pierre six", L, "Quai Pierre Scize"),
    ("Six plasse Guichard", L, "Place Guichard"),
    ("18, rue de la rêve publique.", L, "Rue de la République"),
    ("7 rue vent dôme", L, "Rue Vendôme"),
    ("Cinq rue Gary Baldi", L, "Rue Garibaldi"),
    ("Au 4, rue Servant.", L, "Rue Servient"),
    ("Deux rue du gai clin", L, "Rue Duguesclin"),
    ("Le 8 grande rue de la croix rouge", L, "Grande Rue de la Croix-Rousse"),
    ("30 cours Albert, tu m'as", L, "Cours Albert Thomas"),
    ("Au 11 rue de bonne elle", L, "Rue de Bonnel"),
    ("3 avenue jean jo res", VE, "Avenue Jean Jaurès"),
    ("Boulevard en Boise croix sa", VE, "Boulevard Ambroise Croizat"),
    ("Avenue Marcel où elle", VE, "Avenue Marcel Houël"),
    ("Route de je n'a", B, "Route de Genas"),
    ("Rue Marcel bras met", B, "Rue Marcel Bramet"),
    ("Le 3 boulevard pin elle", B, "Boulevard Pinel"),
    ("Chemin de va sieur", C, "Chemin de Vassieux"),
    ("Avenue de marre niole", C, "Avenue de Margnolles"),
    ("Grand rue saint clair", C, "Grande Rue de Saint-Clair"),
]

NOT_STREETS: list[str] = [
    "Je ne sais pas.",
    "Oui c'est ça.",
    "J'ai une fuite sous l'évier.",
    "Martin, Sophie Martin.",
    "Pardon, vous pouvez répéter ?",
    "Non.",
    "Attendez, je regarde.",
    "C'est urgent, ça coule partout.",
    "Euh...",
    "Mon numéro c'est le 06 12 34 56 78",
    "Le chauffe-eau ne marche plus.",
    "Jean Dupont",
    "Madame Nguyen.",
    "Au rez-de-chaussée, deuxième porte.",
    "Merci beaucoup, au revoir.",
    "Je suis à Villeurbanne.",
    "Sous-titrage Société Radio-Canada",
]

# Streets that exist in France but not in the town known: nothing must match.
OFF_AREA_DEMO: list[Case] = [
    ("12 rue des Lilas", V, None),
    ("5 avenue de la Libération", V, None),
    ("Au 3 chemin des Vignes", V, None),
    ("Allée des Tilleuls, au 8", L, None),
    ("14 impasse du Moulin", B, None),
    ("Le 2 rue de la Paix", VE, None),
    ("Vingt rue Pablo Picasso", C, None),
    ("9 boulevard Gambetta", V, None),
]

BIG_TOWN = "Saint-Genis-sur-Saône"
COMMON = (
    "Rue du Général de Gaulle", "Allée des Chênes", "Impasse des Bleuets", "Rue Jean Monnet",
    "Rue Georges Clemenceau", "Rue des Peupliers", "Rue du Lavoir", "Rue de la Fontaine",
    "Chemin des Vignes", "Rue Jules Ferry", "Rue Jean Mermoz", "Rue Albert Camus",
    "Rue Jacques Prévert", "Rue Louise Michel", "Rue Aristide Briand", "Rue Marcel Pagnol",
    "Rue Hector Berlioz", "Rue Claude Debussy", "Rue Maurice Ravel", "Rue Guy de Maupassant",
    "Rue Gustave Flaubert", "Rue Lamartine", "Rue Danielle Casanova", "Rue Gabriel Péri",
    "Rue du Colonel Fabien", "Place du Marché", "Quai de la Saône", "Rue des Coquelicots",
    "Rue des Marronniers", "Route de Grenoble", "Rue Saint-Martin", "Avenue de la Libération",
    "Rue du Maréchal Leclerc", "Rue Pierre Curie", "Rue Marie Curie", "Rue de la Mairie",
    "Place de l'Église", "Rue Charles de Gaulle", "Rue de la Poste", "Rue du Pont",
    "Rue de Paris", "Avenue de Lyon", "Rue des Prés", "Rue des Champs", "Rue du Four",
    "Rue de la Forge", "Rue de la Liberté", "Rue Jean de la Fontaine", "Rue Henri Dunant",
    "Rue du 8 Mai 1945", "Rue du 19 Mars 1962", "Rue Alphonse Daudet", "Rue Honoré de Balzac",
    "Rue Montesquieu", "Rue Rabelais", "Rue Diderot", "Rue Jean-Jacques Rousseau", "Rue Danton",
    "Rue Mirabeau", "Rue Kléber", "Rue Hoche", "Rue Marceau", "Rue Jean Macé", "Rue Ampère",
    "Rue Arago", "Rue Lavoisier", "Rue Parmentier", "Rue Denis Papin", "Rue Pierre Brossolette",
    "Rue Lucie Aubrac", "Rue Guy Môquet", "Rue Jean Zay", "Rue Nelson Mandela",
    "Rue des Mimosas", "Rue des Violettes", "Rue des Platanes", "Rue des Cerisiers",
    "Rue des Pommiers", "Rue des Noyers", "Rue des Saules", "Rue des Bouleaux", "Rue des Pins",
    "Rue du Verger", "Rue du Parc", "Rue du Cimetière", "Rue du Collège", "Rue de l'Industrie",
    "Rue de la Croix", "Rue du Calvaire", "Rue du Presbytère", "Rue de la Source",
    "Rue du Ruisseau", "Rue de la Rivière", "Route de Vienne", "Place de la Mairie",
    "Rue Frédéric Mistral", "Rue Paul Éluard", "Rue Edmond Rostand", "Rue Louis Blériot",
)  # fmt: skip

BIG: list[Case] = [
    ("12 rue du général de gaule", BIG_TOWN, "Rue du Général de Gaulle"),
    ("Au 3 allée des chaînes", BIG_TOWN, "Allée des Chênes"),
    ("Cinq aller des chênes", BIG_TOWN, "Allée des Chênes"),
    ("8 un passe des bleus et", BIG_TOWN, "Impasse des Bleuets"),
    ("Quatorze rue jean monet", BIG_TOWN, "Rue Jean Monnet"),
    ("Vingt rue George Clémenceau", BIG_TOWN, "Rue Georges Clemenceau"),
    ("Deux rue des peupliés", BIG_TOWN, "Rue des Peupliers"),
    ("Six rue du la voir", BIG_TOWN, "Rue du Lavoir"),
    ("Trente, rue de la fontaine.", BIG_TOWN, "Rue de la Fontaine"),
    ("Onze chemin des vignes", BIG_TOWN, "Chemin des Vignes"),
    ("Au 4 rue jules ferrie", BIG_TOWN, "Rue Jules Ferry"),
    ("Dix-huit rue jean mer mauze", BIG_TOWN, "Rue Jean Mermoz"),
    ("Sept rue jacques prévère", BIG_TOWN, "Rue Jacques Prévert"),
    ("Au 1 rue louise michelle", BIG_TOWN, "Rue Louise Michel"),
    ("12 rue à riste de briand", BIG_TOWN, "Rue Aristide Briand"),
    ("3 rue marcel panyol", BIG_TOWN, "Rue Marcel Pagnol"),
    ("Vingt rue hector berlios", BIG_TOWN, "Rue Hector Berlioz"),
    ("5 rue claude de bussy", BIG_TOWN, "Rue Claude Debussy"),
    ("Huit rue morice ravelle", BIG_TOWN, "Rue Maurice Ravel"),
    ("Dix rue guy de mope assent", BIG_TOWN, "Rue Guy de Maupassant"),
    ("Au 6 rue gustave flobert", BIG_TOWN, "Rue Gustave Flaubert"),
    ("Quatre rue la martine", BIG_TOWN, "Rue Lamartine"),
    ("Deux rue danielle casa nova", BIG_TOWN, "Rue Danielle Casanova"),
    ("Treize rue gabriel perry", BIG_TOWN, "Rue Gabriel Péri"),
    ("Au 9 rue du colonel fabienne", BIG_TOWN, "Rue du Colonel Fabien"),
    ("Le 10 place du marcher", BIG_TOWN, "Place du Marché"),
    ("Quai de la sonne", BIG_TOWN, "Quai de la Saône"),
    ("Sept rue des coquelicots", BIG_TOWN, "Rue des Coquelicots"),
    ("14 rue des marrons niés", BIG_TOWN, "Rue des Marronniers"),
    ("Route de grène oble", BIG_TOWN, "Route de Grenoble"),
    ("5 ru saint martin", BIG_TOWN, "Rue Saint-Martin"),
    ("21 avenue de la libéra sion", BIG_TOWN, "Avenue de la Libération"),
    ("Rue du maréchal le clerc, au 4", BIG_TOWN, "Rue du Maréchal Leclerc"),
    ("Le 2 rue du huit mai", BIG_TOWN, "Rue du 8 Mai 1945"),
    ("Au 17 rue le vois sier", BIG_TOWN, "Rue Lavoisier"),
    ("11 rue d'haine i papin", BIG_TOWN, "Rue Denis Papin"),
    ("Six rue lucie au brac", BIG_TOWN, "Rue Lucie Aubrac"),
    ("Au 8 rue frédéric mistrale", BIG_TOWN, "Rue Frédéric Mistral"),
]

BIG_HEAVY: list[Case] = [
    ("Le 4 a les des chaînes", BIG_TOWN, "Allée des Chênes"),
    ("Deux, rue du la voire.", BIG_TOWN, "Rue du Lavoir"),
    ("Au 8 qu'ai de la sonne", BIG_TOWN, "Quai de la Saône"),
    ("10 plasse du marché", BIG_TOWN, "Place du Marché"),
    ("3 un passe des bleuets", BIG_TOWN, "Impasse des Bleuets"),
    ("Cinq rue des pots miers", BIG_TOWN, "Rue des Pommiers"),
    ("Au 6 rue du cime tiers", BIG_TOWN, "Rue du Cimetière"),
    ("Vingt rue de l'arrivière", BIG_TOWN, "Rue de la Rivière"),
    ("Rue jean masser", BIG_TOWN, "Rue Jean Macé"),
    ("12 rue des prêts", BIG_TOWN, "Rue des Prés"),
    ("Rue oche au 5", BIG_TOWN, "Rue Hoche"),
    ("14 rue d'en ton", BIG_TOWN, "Rue Danton"),
    ("Au 9 rue mira beau", BIG_TOWN, "Rue Mirabeau"),
    ("Rue de l'inde us tri", BIG_TOWN, "Rue de l'Industrie"),
    ("Rue du pré ce bi terre", BIG_TOWN, "Rue du Presbytère"),
    ("Rue nelson man de la", BIG_TOWN, "Rue Nelson Mandela"),
    ("3 rue jean jacques rousso", BIG_TOWN, "Rue Jean-Jacques Rousseau"),
    ("Le 2 cours lé bouleaux", BIG_TOWN, "Rue des Bouleaux"),
]

OFF_AREA_BIG: list[Case] = [
    ("12 rue des hirondelles", BIG_TOWN, None),
    ("Avenue Pablo Picasso", BIG_TOWN, None),
    ("5 impasse des glycines", BIG_TOWN, None),
    ("Rue de la tuilerie au 3", BIG_TOWN, None),
    ("Chemin de la croix blanche", BIG_TOWN, None),
    ("Au 7 rue Jean Bart", BIG_TOWN, None),
    ("Boulevard Haussmann", BIG_TOWN, None),
    ("Rue des Écureuils", BIG_TOWN, None),
]


class Area:
    """What the dialogue calls: `match_street` with the town known, else `match_address`."""

    def __init__(self, matcher: StreetMatcher | SqliteServiceArea) -> None:
        self.m = matcher

    def answer(self, text: str, town: str | None) -> AddressMatch | None:
        if town is None:
            return self.m.match_address([text])
        if isinstance(self.m, StreetMatcher):
            street = self.m.match_address([text], town, street_only=True)
            return street or self.m.match_address([text], town)
        return self.m.match_street([text], town) or self.m.match_address([text], town)


@dataclass
class Figures:
    cases: int = 0
    meant: int = 0  # cases with a street meant
    right: int = 0
    wrong: int = 0  # a street of the area given that is not the one meant (or none meant)
    low: int = 0  # right, but with a score below 0.72 (re-asked or marked to check)
    misses: list[str] | None = None

    def line(self, name: str) -> str:
        return (
            f"{name:10s} recall {self.right}/{self.meant} ({self.right / max(self.meant, 1):.0%})"
            f"  wrong {self.wrong}/{self.cases}  right-but-low-score {self.low}"
        )


def measure(area: Area, cases: Sequence[Case], verbose: bool = False) -> Figures:
    figures = Figures(misses=[])
    for text, town, street in cases:
        found = area.answer(text, town)
        got = found.street if found and found.in_area and found.street else None
        figures.cases += 1
        figures.meant += street is not None
        if got is not None and got == street:
            figures.right += 1
            figures.low += found is not None and found.score < 0.72
        elif got is not None:
            figures.wrong += 1
            assert figures.misses is not None
            figures.misses.append(f"WRONG {text!r} -> {got}")
        elif street is not None:
            assert figures.misses is not None
            figures.misses.append(f"miss  {text!r} (meant {street})")
        if verbose:
            score = f"{found.score:.2f}" if found else "-"
            print(f"  {text!r:50s} {town or '':22s} -> {got} {score}")
    return figures


def demo_area(cache: Path) -> Area:
    return Area(SqliteServiceArea(DEMO_TOWNS, ensure_index(DEMO_ADDRESSES, cache).path))


def big_area(work: Path) -> Area:
    """Six generated towns (~200 streets each, the same few names under many types and first
    names) plus the common names above in BIG_TOWN."""
    source = work / "ban.csv"
    generate_ban(source, 60000, towns=6)
    streets: dict[tuple[str, str], StreetEntry] = {}
    with source.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            key = (row["nom_voie"], row["nom_commune"])
            if key not in streets:
                streets[key] = StreetEntry(len(streets), *key, row["code_postal"])
    for name in COMMON:
        streets.setdefault((name, BIG_TOWN), StreetEntry(len(streets), name, BIG_TOWN, "69000"))
    towns = sorted({town for _, town in streets})
    assert BIG_TOWN in towns
    return Area(StreetMatcher(streets.values(), towns))


def main(argv: Sequence[str]) -> int:
    verbose = "-v" in argv
    with tempfile.TemporaryDirectory() as tmp:
        demo, big = demo_area(Path(tmp) / "demo"), big_area(Path(tmp))
        towns = (*DEMO_TOWNS[:2], DEMO_TOWNS[3])
        negatives: list[Case] = [(t, town, None) for t in NOT_STREETS for town in towns]
        big_negatives: list[Case] = [(t, BIG_TOWN, None) for t in NOT_STREETS]
        sets = {
            "demo": (demo, DEMO),
            "demo-heavy": (demo, DEMO_HEAVY),
            "demo-off": (demo, OFF_AREA_DEMO),
            "demo-not": (demo, negatives),
            "big": (big, BIG),
            "big-heavy": (big, BIG_HEAVY),
            "big-off": (big, OFF_AREA_BIG),
            "big-not": (big, big_negatives),
        }
        for name, (area, cases) in sets.items():
            figures = measure(area, cases, verbose)
            print(figures.line(name))
            for miss in figures.misses or []:
                print("    " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
