"""Words callers of each trade use, as written: they bias Whisper (hotwords) towards them.

Whisper base through a phone line hears "fille d'eau" for "fuite d'eau" unless told.
"""

from __future__ import annotations

COMMON: tuple[str, ...] = ("urgent", "devis", "rendez-vous", "intervention", "oui", "non")

TRADE_VOCABULARY: dict[str, tuple[str, ...]] = {
    "plombier": (
        "fuite d'eau",
        "dégât des eaux",
        "chauffe-eau",
        "ballon d'eau chaude",
        "canalisation",
        "robinet",
        "évier",
        "siphon",
        "WC bouché",
        "inondé",
    ),
    "serrurier": (
        "serrure",
        "porte claquée",
        "clés",
        "verrou",
        "cylindre",
        "cambriolage",
        "porte blindée",
        "enfermé dehors",
    ),
    "electricien": (
        "disjoncteur",
        "tableau électrique",
        "court-circuit",
        "prise",
        "étincelles",
        "panne de courant",
        "compteur",
        "fusible",
    ),
    "chauffagiste": (
        "chaudière",
        "chauffage",
        "radiateur",
        "pompe à chaleur",
        "eau chaude",
        "code erreur",
        "odeur de gaz",
        "entretien",
    ),
    "couvreur": (
        "toiture",
        "tuiles",
        "gouttière",
        "infiltration",
        "velux",
        "ardoises",
        "charpente",
        "fuite au plafond",
    ),
    "vitrier": ("vitre cassée", "double vitrage", "fenêtre", "baie vitrée", "vitrine", "carreau"),
    "generique": ("fuite", "panne", "réparation", "dépannage"),
}


def vocabulary_for(trade: str) -> tuple[str, ...]:
    return TRADE_VOCABULARY.get(trade, TRADE_VOCABULARY["generique"]) + COMMON
