import json
from pathlib import Path

import pytest

from nlp import UnknownTradeError

SEED = Path("/work/shared/data/nlu-dev.jsonl")


def test_full_transcript(nlu):
    u = nlu.understand(
        "oui bonjour je m'appelle jean dupont j'ai une fuite sous l'évier ça coule partout "
        "j'habite au douze rue des lilas à bron mon numéro c'est le zéro six douze trente "
        "quatre cinquante six soixante dix huit",
        "plombier",
    )
    assert u.urgent and u.category == "fuite"
    assert (u.name, u.street, u.city, u.phone) == (
        "Jean Dupont",
        "12 rue des Lilas",
        "Bron",
        "+33612345678",
    )
    assert u.summary.startswith("URGENT · Fuite : ")
    assert "dupont" not in u.summary and "12" not in u.summary


@pytest.mark.parametrize(
    ("said", "trade", "urgent", "category"),
    [
        (
            "allô euh ya de l eau qui coule du plafon de la salle de bain ça arrete pas",
            "plombier",
            True,
            None,
        ),
        (
            "bonjour jai claquer la porte et mes clefs sont dedans je suis sur le palier",
            "serrurier",
            True,
            "porte_claquee",
        ),
        (
            "oui bonjour je voudrais un devis pour changer ma chaudiere l année prochaine",
            "chauffagiste",
            False,
            "devis",
        ),
        ("ça sent le gars dans la cuisine je sais pas quoi faire", "generique", True, "gaz"),
        (
            "bonjour je suis de la société solaire plus on propose des panneaux",
            "electricien",
            False,
            "demarchage",
        ),
        (
            "euh la tempête a arraché des tuiles et il pleut dans la chambre",
            "couvreur",
            True,
            "toiture",
        ),
    ],
)
def test_stt_like_calls(nlu, said, trade, urgent, category):
    got_urgent, got_category, confidence = nlu.classify(said, trade)
    assert got_urgent is urgent
    if category:
        assert got_category == category
    assert 0.0 <= confidence <= 1.0


def test_safety_rule_overrides_model(nlu):
    u = nlu.understand(
        "bonjour je voulais savoir mon bébé est enfermé dans la voiture", "serrurier"
    )
    assert u.urgent
    assert any("vulnerable person" in r for r in u.reasons)


@pytest.mark.skipif(not SEED.exists(), reason="shared seed not present")
def test_seed_dev_set(nlu):
    rows = [json.loads(line) for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    urgency = sum(nlu.classify(r["text"], r["trade"])[0] == r["urgent"] for r in rows)
    category = sum(nlu.classify(r["text"], r["trade"])[1] == r["category"] for r in rows)
    assert urgency == len(rows)
    assert category >= len(rows) - 3


def test_bare_answers_fill_the_expected_slot(nlu):
    u = nlu.understand("dupont jean-pierre", "plombier", expecting="name")
    assert u.name == "Jean-Pierre Dupont" and not u.urgent and u.category == "autre"
    u = nlu.understand("douze rue des lilas à bron", "plombier", expecting="address")
    assert (u.street, u.city) == ("12 rue des Lilas", "Bron")
    u = nlu.understand(
        "zéro six douze trente quatre cinquante six soixante dix huit", "plombier", "phone"
    )
    assert u.phone == "+33612345678" and u.summary == ""


def test_bare_answer_with_danger_stays_urgent(nlu):
    u = nlu.understand("bron et dépêchez-vous ça sent le gaz", "plombier", expecting="address")
    assert u.urgent and u.city == "Bron"


def test_errors(nlu):
    with pytest.raises(UnknownTradeError):
        nlu.understand("une fuite", "boulanger")
    with pytest.raises(UnknownTradeError):
        nlu.classify("une fuite", "")
    with pytest.raises(ValueError):
        nlu.understand("une fuite", "plombier", expecting="email")


def test_summary_keeps_only_the_problem(nlu):
    u = nlu.understand(
        "allô oui bonjour euh voilà je vous appelle parce que j ai une fuite sous l évier ça "
        "coule partout je suis madame martin au quinze rue des lilas à bron vous pouvez me "
        "rappeler au zéro six douze trente quatre cinquante six soixante dix huit merci",
        "plombier",
    )
    assert u.summary == "URGENT · Fuite : j'ai une fuite sous l'évier ça coule partout"
    u = nlu.understand("je m appelle pierre martin ça s écrit m a r t i n", "serrurier", "name")
    assert u.name == "Pierre Martin" and u.summary == ""


def test_service_area_flag(nlu):
    assert nlu.understand("j'habite au 3 rue pasteur à bron", "plombier").in_service_area is True
    u = nlu.understand("j'habite au 3 rue pasteur à saint-priest", "plombier")
    assert (u.city, u.in_service_area) == ("Saint-Priest", False)
    assert nlu.understand("j'ai une fuite", "plombier").in_service_area is None


def test_missing_model_is_a_clear_error(tmp_path):
    from nlp import ModelNotFoundError, load_understander

    with pytest.raises(ModelNotFoundError, match="make nlp-train"):
        load_understander(model_dir=tmp_path)


@pytest.mark.parametrize("said", ["bonjour", "allô", "oui", "euh", "oui bonjour euh"])
def test_greetings_alone_are_not_a_problem(nlu, said):
    assert nlu.classify(said, "generique") == (False, "autre", 0.0)


def test_summary_keeps_particles_of_slot_words(nlu):
    u = nlu.understand(
        "je m appelle jean dupont des tuiles sont tombées et il pleut dans la chambre "
        "j habite au douze bis rue des lilas à bron",
        "couvreur",
    )
    assert u.summary == "URGENT · Toiture : des tuiles sont tombées et il pleut dans la chambre"


def test_urgency_is_left_to_the_caller_only_when_the_model_alone_is_unsure(nlu) -> None:
    unsure = nlu.understand("j'ai un souci avec mon robinet qui goutte", "plombier", "problem")
    assert unsure.urgency_unsure and "urgency unsure" in " ".join(unsure.reasons)
    for said in (
        "ça sent le gaz dans la cuisine",  # a safety rule decides
        "c'est urgent mon robinet goutte",  # the caller's own words decide
        "je voudrais un devis pour une salle de bain",  # the model is sure
    ):
        assert not nlu.understand(said, "plombier", "problem").urgency_unsure, said
    bare = nlu.understand("Jean Dupont", "plombier", "name")
    assert not bare.urgency_unsure
