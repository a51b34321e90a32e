import pytest

from nlp.rules import safety_reasons


@pytest.mark.parametrize(
    ("said", "reason"),
    [
        ("ça sent le gaz dans la cuisine", "gas smell"),
        ("ça sent le gars dans l'entrée", "gas smell"),
        ("le détecteur de monoxyde sonne", "carbon monoxide"),
        ("le détecteur d'oxyde de carbone bipe", "carbon monoxide"),  # "monoxyde" misheard
        ("le détecteur près de la chaudière sonne sans arrêt", "carbon monoxide"),
        ("une prise a pris feu", "fire or smoke"),
        ("de la fumée sort du tableau", "fire or smoke"),
        ("il y a des étincelles au compteur", "sparks or electric shock"),
        ("la cave est inondée", "flooding"),
        ("mon bébé est resté à l'intérieur", "vulnerable person locked in"),
        ("ma mère âgée est enfermée chez elle", "vulnerable person locked in"),
        ("l'eau coule sur les prises électriques", "water on electrics"),
        ("le tableau électrique est mouillé", "water on electrics"),
        # Whisper base on "l'eau traverse le plafond ... et goutte sur le tableau électrique".
        (
            "l'autre àvers ce platon de la salle de bain et goûte sur le tableau électrique",
            "water on electrics",
        ),
    ],
)
def test_safety_rules_fire(said, reason):
    assert reason in [r.reason for r in safety_reasons(said)]


@pytest.mark.parametrize(
    "said",
    [
        "il n'y a pas d'odeur de gaz",
        "ça ne sent pas le gaz",
        "je vends des détecteurs de fumée",
        "un cadre de vélo en fibre de carbone",
        "je voudrais un devis pour une chaudière",
        "l'eau est brûlante au robinet",
        "je voudrais changer mon tableau électrique",
        "il n'y a pas d'eau sur le tableau électrique",
    ],
)
def test_safety_rules_stay_quiet(said):
    assert safety_reasons(said) == []


def test_rotten_egg_smell_is_gas():
    fired = safety_reasons("j ai une odeur d oeuf pourri vers la chaudière")
    assert [(r.reason, r.category) for r in fired] == [("gas smell", "gaz")]
