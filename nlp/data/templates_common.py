"""Calls every trade gets: quotes, follow-ups, paperwork, cold calls, the rest."""

# ruff: noqa: E501  (one caller phrasing per line reads better than wrapped strings)

from __future__ import annotations

from nlp.data.templates_urgent import Entry

COMMON: tuple[Entry, ...] = (
    ("devis", False, "*", (
        "je voudrais un devis pour {travaux} {calme}",
        "est-ce que vous pourriez passer faire un devis pour {travaux}",
        "on a un projet pour {travaux} j'aimerais avoir un prix",
        "combien ça coûte à peu près pour {travaux}",
        "je compare plusieurs entreprises pour {travaux} vous faites des devis gratuits",
        "on vient d'acheter une maison et on voudrait {travaux} vous pouvez chiffrer ça",
        "j'aurais besoin d'une estimation pour {travaux} {calme}",
        "je souhaite [faire|envisager] des travaux {travaux} vous pouvez m'envoyer un devis",
    )),
    ("suivi_chantier", False, "*", (
        "c'est au sujet du rendez-vous de {jour} je voudrais le décaler",
        "votre technicien devait passer ce matin il n'est pas venu",
        "je voulais savoir où en est le chantier chez moi",
        "je voulais savoir quand vous commencez les travaux on avait signé le devis",
        "l'artisan est passé {jour} mais il reste des finitions à faire",
        "je vous appelle pour confirmer le rendez-vous de {jour}",
        "vous deviez me recontacter pour fixer la date d'intervention",
        "il manque une pièce pour finir l'installation vous savez quand elle arrive",
    )),
    ("administratif", False, "*", (
        "j'ai reçu votre devis et j'ai une question sur la TVA",
        "je n'ai pas reçu la facture de l'intervention de {jour}",
        "il me faudrait une attestation pour mon assurance",
        "est-ce que je peux payer en plusieurs fois",
        "je crois qu'il y a une erreur sur la facture",
        "j'ai besoin d'une attestation de TVA à dix pour cent pour le devis",
        "vous acceptez les chèques ou seulement les virements",
        "mon syndic demande votre numéro de siret et votre assurance décennale",
    )),
    ("demarchage", False, "*", (
        "bonjour je représente {societe} avez-vous cinq minutes",
        "je vous appelle de la part de {societe} pour vous présenter nos offres",
        "nous proposons aux artisans [un site internet|plus de visibilité|des chantiers] via {societe}",
        "je suis conseiller chez {societe} je voudrais parler au gérant",
        "c'est pour une courte enquête de satisfaction sur vos fournisseurs",
        "nous avons une offre spéciale pour les professionnels du bâtiment ce mois-ci",
        "je voudrais vous proposer nos services de {societe} vous avez un moment",
        "vous êtes bien le responsable je vous appelle pour votre contrat d'électricité professionnel",
    )),
    ("autre", False, "*", (
        "est-ce que vous travaillez le samedi",
        "vous intervenez sur quelle zone",
        "je cherche un apprentissage je voulais savoir si vous prenez des apprentis",
        "je voulais juste un conseil [pour mon installation|sur un produit]",
        "excusez-moi je crois que je me suis trompé de numéro",
        "quels sont vos horaires d'ouverture",
        "c'est pour parler à [monsieur|madame] [martin|durand] c'est personnel",
        "vous vendez des pièces détachées au comptoir",
    )),
)  # fmt: skip
