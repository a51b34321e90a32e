"""Shared fillers for the dataset templates: `{slot}` picks one of these, `[a|b]` one option."""

# ruff: noqa: E501  (one caller phrasing per line reads better than wrapped strings)

from __future__ import annotations

SLOTS: dict[str, tuple[str, ...]] = {
    "piece": (
        "cuisine", "salle de bain", "salle d'eau", "cellier", "garage", "sous-sol", "cave",
        "buanderie", "entrée", "chambre", "salon", "couloir", "véranda", "chambre du petit",
    ),
    "quand": (
        "depuis ce matin", "depuis hier soir", "depuis cette nuit", "depuis une heure",
        "ce matin", "là maintenant", "depuis tout à l'heure", "depuis deux jours",
        "depuis le week-end", "depuis que je suis rentré",
    ),
    "vite": (
        "vous pouvez venir rapidement", "c'est urgent", "il faut venir vite",
        "vous pouvez passer aujourd'hui", "j'ai besoin de quelqu'un tout de suite",
        "c'est assez urgent là", "le plus vite possible", "quelqu'un peut venir ce soir",
        "c'est la panique", "je sais plus quoi faire", "vous avez quelqu'un de dispo",
        "il me faut quelqu'un en urgence", "",
    ),
    "calme": (
        "ce n'est pas urgent", "quand vous aurez le temps", "dans les prochaines semaines",
        "rien de pressé", "pas pressé", "d'ici le mois prochain", "à votre convenance",
        "ça peut attendre", "pas d'urgence", "quand vous pourrez", "rien d'urgent",
        "quand ça vous arrange", "dans la semaine si possible", "pour un rendez-vous",
        # Most callers with a routine request never say so: without these blanks the model
        # learnt "no calm words" as a sign of urgency.
        "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
    ),
    "proche": (
        "mon bébé", "ma mère qui est âgée", "mon père qui a quatre-vingt-dix ans",
        "ma grand-mère", "des enfants en bas âge", "ma femme enceinte", "un nourrisson",
    ),
    "jour": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "la semaine prochaine"),
    "temps": ("quinze ans", "vingt ans", "dix ans", "trente ans", "longtemps"),
    "societe": (
        "une société de panneaux solaires", "une agence de référencement", "un annuaire pro",
        "une mutuelle pour artisans", "un fournisseur d'énergie", "une plateforme de devis",
        "un cabinet de recrutement", "une société de leasing de véhicules",
        "une entreprise d'isolation", "éco habitat conseil", "une agence de communication",
        "un groupement d'achat", "la chambre des métiers",
    ),
}  # fmt: skip

# `{travaux}` depends on the trade of the call.
TRAVAUX: dict[str, tuple[str, ...]] = {
    "plombier": (
        "refaire la plomberie de la salle de bain", "remplacer la baignoire par une douche",
        "changer les canalisations en plomb", "installer un adoucisseur",
        "déplacer l'évier de la cuisine", "poser des toilettes suspendues",
        "brancher un lave-vaisselle",
    ),
    "serrurier": (
        "une porte blindée", "changer toutes les serrures", "une serrure trois points",
        "un blindage de porte", "des volets roulants sécurisés", "une porte de garage",
        "un digicode",
    ),
    "electricien": (
        "refaire l'électricité de la maison", "changer le tableau électrique",
        "installer une borne de recharge", "ajouter des prises dans le salon",
        "poser des spots dans la cuisine", "la mise aux normes de l'appartement",
        "installer un interphone", "motoriser les volets roulants", "une alarme",
    ),
    "chauffagiste": (
        "remplacer ma chaudière fioul par une pompe à chaleur", "installer une chaudière à granulés",
        "un plancher chauffant", "changer les radiateurs", "une climatisation réversible",
        "une chaudière à condensation", "un thermostat connecté",
    ),
    "couvreur": (
        "refaire la toiture", "changer les gouttières", "isoler la toiture",
        "poser deux velux", "refaire la zinguerie", "un traitement de charpente",
        "des fenêtres de toit",
    ),
    "vitrier": (
        "remplacer mes fenêtres simple vitrage par du double vitrage", "une baie vitrée",
        "une paroi de douche en verre", "des vitres feuilletées pour la véranda",
        "remplacer les vitres de la porte d'entrée", "un miroir sur mesure",
        "un garde-corps en verre",
    ),
}  # fmt: skip
TRAVAUX["generique"] = tuple(t for values in TRAVAUX.values() for t in values[:3])

OPENINGS = (
    "", "", "allô", "oui bonjour", "bonjour monsieur", "bonjour madame", "oui allô bonjour",
    "bonjour excusez-moi de vous déranger", "bonsoir", "bonjour je vous appelle parce que",
    "voilà je vous appelle car", "allô oui bonjour euh", "bonjour c'est pour", "oui alors",
    "bonjour je vous téléphone parce que", "bonjour j'ai eu votre numéro par un voisin",
)  # fmt: skip
CLOSINGS = (
    "", "", "", "merci", "vous pouvez me rappeler", "merci beaucoup", "voilà", "merci au revoir",
    "voilà voilà", "est-ce que c'est possible", "dites-moi", "merci d'avance",
)  # fmt: skip
FILLERS = ("euh", "euh", "ben", "bah", "en fait", "du coup", "voilà", "alors", "enfin", "hein")

# What the STT hears instead (real confusions of French ASR on phone audio).
CONFUSIONS: dict[str, tuple[str, ...]] = {
    "chaudière": ("chaudiere", "chaux dière", "chaudières"), "gaz": ("gars", "gaze"),
    "fuite": ("fuit", "fuites", "suite"), "serrure": ("serrures", "sert rure", "ser rure"),
    "robinet": ("robiné", "robinets"), "disjoncteur": ("disjoncteurs", "dis joncteur"),
    "ballon": ("balon", "ballons"), "cumulus": ("cumulu", "cumulé"), "toilettes": ("toilette",),
    "wc": ("w c", "vécé", "double vé c"), "tuiles": ("tuile", "tu il"), "velux": ("vélux",),
    "vitre": ("vitres", "vite"), "cassée": ("cassé", "casser", "cassés"), "est": ("et", "ai"),
    "et": ("est",), "a": ("à",), "ces": ("ses",), "plafond": ("plat fond",),
    "évier": ("et vier", "évié"), "électrique": ("électrik", "électriques"),
    "tableau": ("tablo",), "étincelles": ("étincelle", "et tincelles"), "odeur": ("odeurs",),
    "clés": ("clefs", "clé", "claie"), "porte": ("portes", "pote"), "courant": ("courants",),
    "radiateur": ("radiateurs", "radio ateur"), "chauffage": ("chauffages", "chauffe âge"),
    "devis": ("de vis", "devi"), "facture": ("factures", "fracture"), "toit": ("toi", "toits"),
    "fenêtre": ("fenêtres", "fenetre"), "inondé": ("inondée", "inonder"), "voisin": ("voisins",),
    "bouchées": ("bouché", "boucher"), "prise": ("prises", "brise"), "urgent": ("urgence",),
    "j'ai": ("j ai", "jai", "g"), "c'est": ("c est", "cest", "s'est"), "l'eau": ("l eau", "lo"),
    "qu'il": ("qu il", "kil"), "n'ai": ("n ai", "nai"), "d'eau": ("d eau", "do"),
}  # fmt: skip
