"""Non-urgent caller phrasings (same grammar as templates_urgent). Trade letters as there;
'*' means every trade."""

# ruff: noqa: E501  (one caller phrasing per line reads better than wrapped strings)

from __future__ import annotations

from nlp.data.templates_urgent import Entry

ROUTINE: tuple[Entry, ...] = (
    ("fuite", False, "P", (
        "j'ai une petite fuite [au robinet|sous le lavabo|au pied des toilettes] ça goutte un peu {calme}",
        "une petite tache d'humidité au plafond de la {piece} je voudrais qu'on regarde {calme}",
        "le compteur d'eau tourne alors que tout est fermé je pense avoir une petite fuite quelque part {calme}",
        "ma facture d'eau a doublé je voudrais faire une recherche de fuite {calme}",
        "il y a un petit goutte à goutte sous l'évier j'ai mis une bassine {calme}",
        "le joint de la douche laisse passer un peu d'eau [derrière le carrelage|sur le côté] {calme}",
    )),
    ("robinetterie", False, "P", (
        "je voudrais changer [le mitigeur|le robinet] de la {piece} {calme}",
        "mon robinet [goutte un peu|est dur à tourner|fait du bruit] {calme}",
        "je voudrais faire installer un mitigeur thermostatique dans la douche {calme}",
        "le mécanisme de la chasse d'eau est à changer [elle coule un peu|elle se remplit mal] {calme}",
        "pouvez-vous poser un nouveau lavabo avec la robinetterie {calme}",
        "le pommeau de douche et le flexible sont entartrés je voudrais les changer {calme}",
        "installer un robinet extérieur dans le jardin {calme}",
        "la cartouche du mitigeur est usée l'eau est soit froide soit brûlante {calme}",
    )),
    ("debouchage", False, "P", (
        "l'évier de la cuisine se vide très lentement depuis une semaine {calme}",
        "la douche s'écoule mal [l'eau stagne un peu|ça met du temps à partir] {calme}",
        "je voudrais faire un curage des canalisations [de la maison|de l'immeuble] {calme}",
        "ça sent un peu mauvais dans la salle de bain je pense que le siphon est à nettoyer {calme}",
        "le lavabo est un peu bouché j'ai essayé le déboucheur sans succès {calme}",
        "je voudrais un passage caméra dans les canalisations avant d'acheter la maison {calme}",
    )),
    ("chauffe_eau", False, "PC", (
        "je voudrais remplacer mon ballon d'eau chaude qui a {temps} {calme}",
        "installer un chauffe-eau thermodynamique [à la place du vieux cumulus|dans le garage] {calme}",
        "l'eau chaude met longtemps à arriver au robinet {calme}",
        "je voudrais faire détartrer le cumulus {calme}",
        "le ballon chauffe moins bien qu'avant [l'eau est tiède|on manque d'eau chaude le soir] {calme}",
        "je voudrais passer à un chauffe-eau plus grand on a un enfant de plus {calme}",
    )),
    ("entretien", False, "PCK", (
        "je voudrais faire l'entretien annuel de la chaudière {calme}",
        "c'est pour le ramonage [du conduit|de la cheminée] avant l'hiver {calme}",
        "je cherche un contrat d'entretien pour ma pompe à chaleur {calme}",
        "il faudrait nettoyer les gouttières [elles sont pleines de feuilles|elles débordent un peu] {calme}",
        "je voudrais faire démousser le toit {calme}",
        "la révision de la chaudière n'a pas été faite depuis deux ans {calme}",
        "mon propriétaire me demande l'attestation d'entretien de la chaudière {calme}",
        "faire vérifier le circuit de chauffage et purger les radiateurs {calme}",
    )),
    ("panne_chauffage", False, "C", (
        "un radiateur [de la chambre|du salon] ne chauffe plus les autres marchent bien {calme}",
        "le radiateur fait du bruit [quand il chauffe|la nuit] {calme}",
        "le thermostat d'ambiance ne répond plus mais la chaudière marche {calme}",
        "la chaudière se met en sécurité de temps en temps je la relance et ça repart {calme}",
        "le haut des radiateurs reste froid je pense qu'il faut les purger {calme}",
        "la pression de la chaudière baisse un peu chaque semaine {calme}",
    )),
    ("serrure", False, "S", (
        "je voudrais faire poser un verrou supplémentaire sur la porte [du garage|d'entrée] {calme}",
        "je viens d'emménager et je voudrais changer le cylindre {calme}",
        "la serrure est un peu dure à tourner {calme}",
        "je voudrais [faire blinder ma porte|installer une porte blindée] {calme}",
        "la serrure de la boîte aux lettres est cassée {calme}",
        "je voudrais une serrure connectée sur la porte d'entrée {calme}",
        "il faudrait refaire des clés pour la porte sécurisée j'ai la carte de propriété {calme}",
        "la porte frotte et la serrure ferme mal [il faut forcer|il faut pousser] {calme}",
    )),
    ("porte_claquee", False, "S", (
        "la porte de la cave est claquée mais on a une autre entrée {calme}",
        "la porte du garage ne s'ouvre plus on passe par la maison {calme}",
        "j'ai perdu la clé de l'abri de jardin {calme}",
        "la porte de la chambre est fermée à clé et on n'a plus la clé {calme}",
    )),
    ("panne_electrique", False, "E", (
        "une prise ne marche plus dans la {piece} {calme}",
        "l'éclairage du jardin ne fonctionne plus {calme}",
        "l'interrupteur du couloir est cassé {calme}",
        "le disjoncteur a sauté une fois hier mais tout remarche {calme}",
        "le volet roulant électrique ne monte plus {calme}",
        "une ampoule grille tout le temps dans la {piece} {calme}",
        "le four ne chauffe plus je pense que c'est la ligne électrique {calme}",
        "la sonnette ne fonctionne plus {calme}",
    )),
    ("diagnostic", False, "E", (
        "il faudrait faire le diagnostic électrique avant la vente de ma maison {calme}",
        "je voudrais mettre mon installation aux normes {calme}",
        "j'ai besoin de l'attestation consuel pour raccorder la maison {calme}",
        "je voudrais faire vérifier l'installation d'une maison ancienne que j'achète {calme}",
        "l'assurance demande un contrôle de l'installation électrique {calme}",
        "est-ce que vous faites les diagnostics pour la location {calme}",
    )),
    ("toiture", False, "K", (
        "quelques tuiles ont bougé il faudrait les remettre en place {calme}",
        "je voudrais refaire la toiture [du garage|de l'abri] {calme}",
        "je voudrais faire poser un velux dans les combles {calme}",
        "le faîtage est abîmé il faudrait le reprendre {calme}",
        "une tache d'humidité est apparue sous le toit après les dernières pluies {calme}",
        "la gouttière est décrochée sur un côté {calme}",
    )),
    ("vitre_cassee", False, "V", (
        "j'ai une petite fissure sur la vitre de la {piece} {calme}",
        "le double vitrage est embué entre les deux vitres {calme}",
        "la vitre de la porte du garage est fêlée {calme}",
        "un carreau de la véranda est fendu dans le coin {calme}",
        "le miroir de la salle de bain est fendu je voudrais le remplacer {calme}",
        "une vitre de la serre est cassée au fond du jardin {calme}",
    )),
)  # fmt: skip
