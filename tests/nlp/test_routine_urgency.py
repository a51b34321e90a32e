"""Routine requests are not transferred as emergencies; real emergencies still are.

Phrasings written for this test (STT style), not copied from the templates or the held-out
sets; one routine and one urgent pair per trade at least."""

import pytest

from nlp.rules import safety_reasons

ROUTINE = [
    ("electricien", "c est pour l interphone de la copropriété on entend plus rien quand ça sonne"),
    ("electricien", "mon volet roulant du bureau reste coincé en haut"),
    ("electricien", "on vend la maison en mai il faudrait une mise aux normes du tableau"),
    ("electricien", "je voudrais faire installer une borne pour recharger ma voiture"),
    ("electricien", "j aimerais un devis pour ajouter des prises dans la chambre des enfants"),
    ("plombier", "la chasse d eau coule un peu tout le temps c est pas urgent"),
    ("serrurier", "je voudrais un devis pour changer le cylindre de la porte d entrée"),
    ("chauffagiste", "je voudrais prendre rendez vous pour l entretien de ma chaudière"),
    ("couvreur", "je voudrais faire nettoyer les gouttières elles débordent quand il pleut fort"),
    ("vitrier", "je voudrais remplacer le vitrage de la fenêtre du salon par du double"),
]
URGENT = [
    ("electricien", "il y a des étincelles qui sortent de la prise de la cuisine"),
    ("electricien", "plus de courant du tout dans la maison le disjoncteur ne remonte pas"),
    ("plombier", "un tuyau a éclaté sous l évier et l eau coule partout"),
    ("serrurier", "je suis à la porte mes clés sont restées dedans avec mon bébé"),
    ("chauffagiste", "ça sent le gaz dans la cuisine"),
    ("couvreur", "la tempête a arraché des tuiles et il pleut dans la chambre"),
    ("vitrier", "des cambrioleurs ont cassé la baie vitrée on ne peut plus fermer"),
]


@pytest.mark.parametrize(("trade", "said"), ROUTINE)
def test_routine_request_is_not_urgent(nlu, trade, said):
    assert nlu.understand(said, trade).urgent is False


@pytest.mark.parametrize(("trade", "said"), URGENT)
def test_emergency_stays_urgent(nlu, trade, said):
    assert nlu.understand(said, trade).urgent is True


def test_caller_saying_it_can_wait_does_not_hide_a_danger(nlu):
    u = nlu.understand("c est pas urgent mais ça sent le gaz près du compteur", "chauffagiste")
    assert u.urgent


@pytest.mark.parametrize(
    "said",
    [
        "je voudrais faire poser des détecteurs incendie dans le couloir",
        "l ampoule de la cuisine a brûlé",
        "la flamme de la veilleuse s éteint de temps en temps",
        "vous devez être débordé en ce moment",
        "j ai un petit souci le volet est bloqué",
        "mon fils dit que l interphone est coincé",
    ],
)
def test_safety_rules_ignore_routine_words(said):
    assert safety_reasons(said) == []


@pytest.mark.parametrize(
    "said",
    [
        "le petit est enfermé dans la salle de bain",
        "les toilettes débordent dans le couloir",
        "une prise a brûlé derrière le frigo",
    ],
)
def test_safety_rules_still_fire(said):
    assert safety_reasons(said)
