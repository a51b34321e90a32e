"""Urgent caller phrasings per category. `[a|b]` picks one option, `{slot}` a vocab entry.

Trades: P plombier, S serrurier, E electricien, C chauffagiste, K couvreur, V vitrier; the
generic trade gets every entry. Phrasing k with k % 4 == 3 is held out for the test split.
"""

# ruff: noqa: E501  (one caller phrasing per line reads better than wrapped strings)

from __future__ import annotations

Entry = tuple[str, bool, str, tuple[str, ...]]

URGENT: tuple[Entry, ...] = (
    ("fuite", True, "P", (
        "j'ai une fuite d'eau [sous l'évier|dans la {piece}|au niveau du tuyau|sous le lavabo] ça coule [partout|sans arrêt|beaucoup] {vite}",
        "il y a de l'eau qui [coule|gicle|jaillit] [du tuyau|du mur|sous l'évier] dans la {piece} [j'arrive pas à|je n'arrive pas à] couper l'eau",
        "un tuyau a [pété|éclaté|cédé] dans la {piece} {quand} [ça coule de partout|il y a de l'eau plein le sol] {vite}",
        "le [flexible|raccord|siphon] de la {piece} a lâché et ça fuit [de partout|énormément] {vite}",
        "j'ai coupé l'eau au compteur mais [ça continue de couler|ça fuit toujours] il me faut un plombier [en urgence|tout de suite]",
        "ça goutte à travers le plafond de la {piece} [ça vient de chez la voisine du dessus|la peinture gonfle] et ça coule de plus en plus {vite}",
        "grosse fuite sur la canalisation [dans la cave|au sous-sol|dans le garage] l'eau monte [vite|à vue d'œil]",
        "la vanne d'arrivée d'eau est cassée je ne peux plus couper l'eau et ça fuit [partout|dans la {piece}] {vite}",
    )),
    ("degat_des_eaux", True, "PK", (
        "j'ai un dégât des eaux [l'appartement est inondé|la {piece} est inondée|tout est trempé] {vite}",
        "il y a [dix|cinq|deux] centimètres d'eau dans la {piece} [je sais pas d'où ça vient|ça monte encore]",
        "le voisin du dessus a inondé mon [appartement|plafond] l'eau coule le long des murs {vite}",
        "la machine à laver a débordé et l'eau passe chez le voisin du dessous [il est furieux|ça coule chez lui]",
        "inondation dans [la cave|le sous-sol|le garage] après l'orage [la pompe ne marche plus|il y a de l'eau partout] {vite}",
        "de l'eau coule [dans le lustre|dans les prises|sur le tableau électrique] du salon c'est un dégât des eaux {vite}",
        "on rentre de vacances et toute la maison est inondée [le parquet flotte|il y a de l'eau partout]",
        "l'eau passe sous la porte et inonde [le couloir|l'entrée|les chambres] {quand}",
    )),
    ("debouchage", True, "P", (
        "les toilettes sont bouchées et [ça déborde|l'eau remonte] [partout|par terre] {vite}",
        "l'eau des égouts remonte par la douche [ça sent très mauvais|c'est une horreur] {vite}",
        "mes wc sont complètement bouchés [on n'a qu'un seul wc|j'ai pas d'autres toilettes] [on est cinq à la maison|avec les enfants] c'est urgent",
        "la canalisation principale est bouchée plus rien ne s'évacue [dans la maison|l'évier et la douche débordent] {vite}",
        "le regard dans le jardin déborde [il y a des eaux usées partout|ça remonte dans la cour] {quand}",
        "chaque fois qu'on tire la chasse ça ressort par la baignoire [c'est dégoûtant|c'est une catastrophe] {vite}",
        "tout est bouché l'évier la douche les toilettes [ça remonte de partout|l'eau sale stagne] {vite}",
        "la colonne d'évacuation de l'immeuble est bouchée et ça déborde chez moi {vite}",
    )),
    ("chauffe_eau", True, "PC", (
        "mon ballon d'eau chaude [fuit|perd de l'eau] par le bas [ça coule dans la {piece}|il y a une flaque énorme] {vite}",
        "le cumulus [a lâché|est percé] et l'eau coule [partout|dans le placard] {vite}",
        "plus d'eau chaude du tout {quand} avec {proche} à la maison {vite}",
        "la soupape du chauffe-eau [crache|coule] [sans arrêt|de l'eau brûlante] [j'ai peur qu'il explose|ça fait un bruit terrible]",
        "le chauffe-eau fait un bruit [d'explosion|énorme] et [il fume|l'eau sort marron et brûlante] {vite}",
        "le ballon s'est décroché du mur et l'eau coule [partout|dans la buanderie] {vite}",
        "on n'a plus d'eau chaude et {proche} doit [se laver|prendre un bain] ce soir {vite}",
        "le chauffe-eau à gaz s'est éteint et [ça sent bizarre|il y a une odeur] à côté {vite}",
    )),
    ("gaz", True, "PC", (
        "ça sent le gaz [dans la cuisine|près de la chaudière|dans l'entrée] [je suis inquiète|j'ai peur]",
        "il y a une [forte|grosse] odeur de gaz [dans l'appartement|dans la maison] {quand}",
        "je crois qu'il y a une fuite de gaz [sur la gazinière|au niveau du compteur|sur le tuyau] {vite}",
        "le détecteur de monoxyde [sonne|s'est déclenché] et [j'ai mal à la tête|toute la famille a mal à la tête]",
        "j'entends un sifflement au niveau du tuyau de gaz et ça sent [fort|l'œuf pourri] {vite}",
        "une odeur de gaz dans la cage d'escalier [on a ouvert les fenêtres|personne ne sait d'où ça vient]",
        "en rentrant ça sentait le gaz partout j'ai [coupé le compteur|ouvert les fenêtres] {vite}",
        "la chaudière sent le gaz quand elle démarre [j'ai peur|c'est dangereux non] {vite}",
    )),
    ("panne_chauffage", True, "C", (
        "[plus de chauffage|la chaudière est en panne] {quand} [il fait douze degrés|on gèle|il fait froid] dans la maison",
        "la chaudière [affiche un code erreur|s'est mise en sécurité|ne redémarre plus] et on n'a [ni chauffage ni eau chaude|plus de chauffage] {vite}",
        "la pompe à chaleur [ne chauffe plus|est en panne] avec {proche} à la maison {vite}",
        "la chaudière fait un bruit [énorme|d'explosion] et [fume|s'est arrêtée] {vite}",
        "le brûleur [ne s'allume plus|s'arrête tout le temps] et il fait [moins cinq|très froid] dehors {vite}",
        "[tous les radiateurs sont froids|la maison est glacée] {quand} [on a mis des couvertures|les enfants ont froid] {vite}",
        "ma chaudière fioul est tombée en panne [en plein hiver|avec ce froid] et plus rien ne chauffe {vite}",
        "la chaudière fuit [de l'eau|par le bas] et s'est coupée plus de chauffage {vite}",
    )),
    ("porte_claquee", True, "S", (
        "j'ai claqué la porte et mes clés sont à l'intérieur [je suis dehors|je suis sur le palier] {vite}",
        "[ma|la] clé s'est cassée dans la serrure [et je peux plus rentrer|je suis bloqué dehors] {vite}",
        "je suis bloqué dehors et {proche} est resté à l'intérieur {vite}",
        "la porte s'est refermée [avec|et] les clés [sur la porte|dedans] et [le gaz est allumé|le four est allumé] {vite}",
        "j'ai perdu mes clés [et je dors dehors|je ne peux pas rentrer chez moi] {vite}",
        "{proche} est enfermé [dans la salle de bain|dans la chambre] et n'arrive pas à ouvrir {vite}",
        "le vent a fermé la porte et je suis [en pyjama sur le palier|dehors sans rien] {vite}",
        "on m'a volé mon sac avec les clés je ne peux plus rentrer [chez moi|dans l'appartement] {vite}",
    )),
    ("serrure", True, "S", (
        "on a été cambriolés [cette nuit|ce matin] la porte est [fracturée|défoncée] [elle ne ferme plus|on ne peut plus fermer] {vite}",
        "la serrure [est bloquée|est coincée] je [suis enfermé à l'intérieur|ne peux plus sortir] {vite}",
        "quelqu'un a essayé de forcer ma porte la serrure est [cassée|abîmée] il faut la changer aujourd'hui",
        "la porte du magasin ne ferme plus [la serrure a lâché|le cylindre tourne dans le vide] et je dois fermer ce soir",
        "après l'effraction la porte d'entrée ne se verrouille plus [je ne peux pas laisser la maison ouverte|il faut sécuriser] {vite}",
        "ma clé tourne dans le vide je ne peux ni ouvrir ni fermer la porte {vite}",
        "des voleurs ont arraché le cylindre [de la porte d'entrée|du garage] {quand} {vite}",
        "la serrure de la porte blindée est cassée [on est coincés dedans|impossible de sortir] {vite}",
    )),
    ("panne_electrique", True, "E", (
        "plus de courant [dans toute la maison|dans l'appartement] {quand} [le disjoncteur saute|je n'arrive pas à réarmer] {vite}",
        "une prise a pris feu [dans la {piece}|derrière le frigo] [j'ai coupé le courant|ça sent le brûlé]",
        "il y a des étincelles [qui sortent|au niveau] du tableau électrique {vite}",
        "ça sent le brûlé [dans le tableau|vers le compteur] et [les lumières clignotent|ça grésille] {vite}",
        "le disjoncteur général saute [sans arrêt|tout le temps] [on n'a plus rien|le congélateur est plein] {vite}",
        "un fil électrique pend du plafond [après la fuite|et ça fait des étincelles] {vite}",
        "mon [fils|mari] a pris une décharge en touchant [l'interrupteur|la prise] {vite}",
        "de la fumée sort [de la prise|du tableau électrique] [dans la {piece}|ça sent le plastique brûlé] {vite}",
    )),
    ("toiture", True, "K", (
        "une partie du toit s'est envolée avec [le vent|la tempête] l'eau rentre dans [le grenier|la chambre] {vite}",
        "des tuiles sont tombées [cette nuit|avec l'orage] et il pleut dans [la maison|le grenier|la chambre] {vite}",
        "[la pluie|l'eau] coule du plafond [il y a une fuite dans le toit|ça vient de la toiture] {vite}",
        "un arbre est tombé sur le toit [avec la tempête|cette nuit] il y a un trou {vite}",
        "la cheminée menace de tomber [dans la rue|sur le trottoir] après [le vent|la tempête] {vite}",
        "le velux [est cassé|s'est arraché] et il pleut dans la chambre {vite}",
        "la bâche sur le toit s'est envolée et il va pleuvoir [ce soir|cette nuit] {vite}",
        "des ardoises sont tombées dans la cour [et il pleut dans les combles|il y a un trou dans le toit] {vite}",
    )),
    ("vitre_cassee", True, "V", (
        "[un ballon|une pierre] a cassé la [fenêtre|vitre] de la {piece} il y a du verre partout [et il fait froid|]",
        "on a été cambriolés ils ont brisé la baie vitrée [on ne peut plus fermer|la maison est ouverte] {vite}",
        "la [vitrine|devanture] de mon magasin est [cassée|brisée] je ne peux pas laisser comme ça ce soir",
        "la porte-fenêtre a explosé [toute seule|avec le vent] il y a des éclats partout {vite}",
        "la vitre de la porte d'entrée est brisée n'importe qui peut rentrer {vite}",
        "la fenêtre de la chambre est cassée et il pleut dedans [on ne peut pas dormir là|avec {proche}] {vite}",
        "quelqu'un a jeté un pavé dans ma vitrine {quand} [c'est grand ouvert|je dois sécuriser] {vite}",
        "la baie vitrée du salon est tombée [en morceaux|d'un coup] il y a du verre partout {vite}",
    )),
)  # fmt: skip
