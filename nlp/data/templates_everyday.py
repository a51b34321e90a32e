"""More non-urgent phrasings: everyday equipment that "ne marche plus", "est bloqué" or "coule"
without any danger, planned work (installations, mise aux normes, sale of a home) and quotes.

Such words also describe emergencies, so the model needs routine examples that use them;
without these, an intercom or a roller shutter that "ne marche plus" was scored urgent.
Same grammar and trade letters as templates_urgent; k % 4 == 3 is held out for the test split.
"""

# ruff: noqa: E501  (one caller phrasing per line reads better than wrapped strings)

from __future__ import annotations

from nlp.data.templates_urgent import Entry

EVERYDAY: tuple[Entry, ...] = (
    ("panne_electrique", False, "E", (
        "l'interphone de [l'immeuble|la résidence|la maison] ne marche plus [on n'entend pas les visiteurs|les gens sonnent mais on n'entend rien] {calme}",
        "[l'interphone|le visiophone] sonne mais la gâche ne s'ouvre plus quand on appuie sur le bouton {calme}",
        "je voudrais [remplacer|changer] [l'interphone|le vieux combiné d'interphone] par un visiophone {calme}",
        "le visiophone [n'affiche plus l'image|ne sonne plus|grésille] {calme}",
        "le volet roulant [du salon|de la chambre|de la cuisine] [est bloqué|est coincé|reste bloqué à mi-hauteur|ne descend plus] {calme}",
        "le moteur du volet roulant [fait du bruit|force un peu|ne répond plus] il faudrait le changer {calme}",
        "la télécommande des volets roulants ne marche plus [j'ai changé la pile|même avec une pile neuve] {calme}",
        "le portail électrique [ne s'ouvre plus avec la télécommande|reste bloqué ouvert|s'arrête à moitié] {calme}",
        "je voudrais [rajouter|ajouter|faire poser] [deux prises|une prise|un interrupteur|des prises usb] dans [la {piece}|le bureau] {calme}",
        "c'est pour [poser un lustre|installer des spots|mettre des appliques|poser un plafonnier] dans la {piece} {calme}",
        "la lumière [du couloir|du garage|de l'escalier|de la {piece}] ne s'allume plus pourtant l'ampoule est neuve {calme}",
        "le détecteur de mouvement de l'éclairage extérieur [reste allumé|ne marche plus] {calme}",
        "la vmc [fait du bruit|ne tourne plus|est à changer] {calme}",
        "je voudrais [augmenter la puissance du compteur|passer en triphasé] {calme}",
        "le disjoncteur saute quand le four et la machine tournent en même temps {calme}",
        "la sonnette [ne sonne plus|est cassée] et [l'interphone|le carillon] aussi {calme}",
        "le radiateur électrique de la {piece} ne chauffe plus les autres marchent {calme}",
        "une prise [est descellée|bouge dans le mur|est fendue] il faudrait la refixer {calme}",
        "la minuterie de l'escalier de l'immeuble ne marche plus {calme}",
        "je voudrais faire brancher [la plaque de cuisson|le four|le sèche-serviettes] {calme}",
    )),
    ("diagnostic", False, "E", (
        "je vends [mon appartement|ma maison] et il faut [le diagnostic électrique|mettre l'électricité aux normes] avant [la vente|le compromis|la signature] {calme}",
        "[mise|remise] aux normes du tableau électrique [avant de vendre|avant de louer|pour l'assurance] {calme}",
        "le diagnostiqueur a dit que l'installation n'est pas aux normes il faut [la reprendre|changer le tableau] {calme}",
        "je mets [l'appartement|le studio] en location et il me faut un état de l'installation électrique {calme}",
        "il manque la prise de terre dans [la salle de bain|la cuisine] pour être aux normes {calme}",
        "le tableau est ancien avec des fusibles je voudrais le mettre aux normes {calme}",
        "l'agence immobilière demande [une mise en conformité|un contrôle] de l'électricité {calme}",
        "on achète une maison et on voudrait savoir si l'électricité est aux normes avant de signer {calme}",
    )),
    ("devis", False, "E", (
        "je voudrais faire installer une borne de recharge pour [la voiture électrique|ma voiture hybride] {calme}",
        "vous pourriez me faire un devis pour [un interphone|des volets roulants électriques|une alarme|l'éclairage du jardin] {calme}",
        "on voudrait [motoriser les volets|installer un visiophone|refaire le tableau] combien ça coûterait {calme}",
        "c'est pour [une prise de recharge|une wallbox] dans le garage vous faites ça {calme}",
    )),
    ("fuite", False, "P", (
        "la chasse d'eau coule [en continu|tout le temps] dans la cuvette {calme}",
        "le robinet de la baignoire coule un peu même fermé {calme}",
        "le groupe de sécurité du ballon goutte un peu dans l'entonnoir {calme}",
        "il y a une petite fuite au raccord [de la machine|du lave-vaisselle] on a mis une serpillière {calme}",
    )),
    ("serrure", False, "S", (
        "il faut forcer sur la clé pour fermer [la porte|le verrou] {calme}",
        "la poignée de la porte d'entrée est [desserrée|cassée] {calme}",
        "je voudrais changer la serrure par précaution [après un déménagement|on a prêté les clés] {calme}",
        "je voudrais faire reproduire [une clé|des clés] [de sécurité|du portail] {calme}",
        "la gâche électrique de la porte de l'immeuble ne marche plus {calme}",
        "la porte [frotte|ferme mal] il faut la régler et la serrure accroche {calme}",
    )),
    ("panne_chauffage", False, "C", (
        "je n'arrive pas à programmer le thermostat vous pouvez passer le régler {calme}",
        "je voudrais faire installer un thermostat connecté {calme}",
        "le sèche-serviettes de la salle de bain ne chauffe plus {calme}",
        "la climatisation refroidit moins bien qu'avant {calme}",
        "un radiateur au fond de la maison chauffe moins que les autres {calme}",
    )),
    ("toiture", False, "K", (
        "il manque une tuile [mais ça ne coule pas|pas de fuite pour l'instant|on voit le jour au grenier] {calme}",
        "une ardoise a glissé [il ne pleut pas dedans|rien ne coule] {calme}",
        "la gouttière [déborde quand il pleut fort|fuit un peu au raccord] {calme}",
        "je voudrais [poser des crochets à neige|refaire la souche de la cheminée|changer les descentes d'eau] {calme}",
        "je vends la maison et l'acheteur veut qu'on regarde la toiture {calme}",
    )),
    ("vitre_cassee", False, "V", (
        "le double vitrage [fait de la buée à l'intérieur|a de la condensation entre les vitres|est opaque] {calme}",
        "le joint de la fenêtre est à changer l'air passe {calme}",
        "une vitre est rayée je voudrais la remplacer {calme}",
        "je voudrais un vitrage [anti-bruit|feuilleté|dépoli] pour la fenêtre de la {piece} {calme}",
        "la fenêtre ferme mal et la vitre a une petite fêlure {calme}",
    )),
)  # fmt: skip
