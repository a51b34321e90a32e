"""Category keywords: trade vocabulary that names the problem whatever the phrasing. Used
only when the model hesitates (a sentence built unlike any training template)."""

from __future__ import annotations

import re

from nlp.text import fold

# Accent-folded word prefixes; a category scores one point per distinct keyword heard.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "fuite": ("fuit", "fuite", "goutte", "coule", "suinte", "perd de l eau", "flaque"),
    "degat_des_eaux": ("degat des eaux", "degats des eaux", "inond", "sous l eau", "trempe",
                       "aureole", "infiltr"),
    "debouchage": ("bouch", "deborde", "evacu", "ecoule", "refoul", "egout", "canalisation",
                   "siphon", "curage"),
    "robinetterie": ("robinet", "mitigeur", "chasse d eau", "douchette", "pommeau", "lavabo",
                     "colonne de douche", "cartouche"),
    "chauffe_eau": ("chauffe eau", "cumulus", "ballon", "eau chaude", "groupe de securite"),
    "porte_claquee": ("claque", "cles a l interieur", "cles dedans", "enferme", "bloque dehors",
                      "perdu mes cles", "porte s est refermee"),
    "serrure": ("serrure", "verrou", "cylindre", "barillet", "cambriol", "effraction", "force",
                "blind"),
    "panne_chauffage": ("chauffage", "chaudiere", "radiateur", "pompe a chaleur", "bruleur",
                        "thermostat", "froid"),
    "gaz": ("gaz", "monoxyde", "gaziniere"),
    "entretien": ("entretien", "ramonage", "revision", "demouss", "nettoy", "maintenance",
                  "contrat d entretien", "purger"),
    "panne_electrique": ("courant", "disjonct", "prise", "electri", "tableau", "etincel",
                         "interrupteur", "lumiere", "ampoule", "fusible", "compteur"),
    "diagnostic": ("diagnostic", "normes", "consuel", "controle", "conformite", "verifier l"),
    "toiture": ("toit", "tuile", "ardoise", "gouttiere", "velux", "charpente", "cheminee",
                "faitage", "combles", "zinguerie"),
    "vitre_cassee": ("vitre", "vitrage", "fenetre", "carreau", "vitrine", "baie vitree", "verre",
                     "miroir"),
    "devis": ("devis", "prix", "tarif", "combien", "chiffr", "estimation", "projet"),
    "suivi_chantier": ("rendez vous", "technicien", "chantier", "intervention", "decaler",
                       "reporter", "repousser", "passer quand", "pas venu", "travaux commencent"),
    "administratif": ("facture", "tva", "paiement", "payer", "virement", "cheque", "acompte",
                      "attestation", "assurance", "siret", "rib", "regler", "preleve"),
    "demarchage": ("societe", "propos", "offre", "partenaire", "commercial", "referencement",
                   "promotion", "cinq minutes", "deux minutes", "conseiller chez"),
    "autre": ("horaires", "ouvert", "samedi", "dimanche", "apprenti", "candidature",
              "trompe de numero", "zone", "renseigner"),
}  # fmt: skip
_PATTERNS = {
    cat: [re.compile(rf"\b{re.escape(k)}") for k in words] for cat, words in KEYWORDS.items()
}


def keyword_scores(text: str) -> dict[str, int]:
    """Categories whose keywords appear in `text`, with how many distinct keywords."""
    folded = fold(text)
    scores = {cat: sum(1 for p in pats if p.search(folded)) for cat, pats in _PATTERNS.items()}
    return {cat: n for cat, n in scores.items() if n}


# What the caller says about urgency itself, on folded text: the one rule for the NLP's
# urgency and the dialogue's (a claim makes the call urgent, a question about it is answered
# by it). Negated urgency ("pas urgent", "rien d'urgent") is checked first: it contains the
# urgent word; "c'est pas grave" does not contain "c est grave".
_CALM = re.compile(
    r"\b(?:pas|rien|sans|aucune?|non)\b(?: \w+){0,2}? (?:d )?urgen(?:t|ce)"
    r"|\b(?:pas|rien de) presse|\bca peut attendre|\bquand vous (?:aurez le temps|pourrez)"
    r"|\ba votre convenance|\bquand ca vous arrange|\bdans les (?:prochaines|semaines)"
)
_URGENT = re.compile(
    r"\burgen(?:t|te|ce)\b|\bau secours\b|\btout de suite\b|\bpanique\b"
    r"|\b(?:tres|au plus|le plus|venir|venez|viens) vite\b|\bc est grave\b"
)


def said_urgency(text: str) -> bool | None:
    """True when the caller says it is urgent, False when they say it can wait, else None."""
    folded = fold(text)
    if _CALM.search(folded):
        return False
    return True if _URGENT.search(folded) else None
