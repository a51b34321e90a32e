from nlp.keywords import keyword_scores


def test_keywords_name_the_trade_problem():
    assert keyword_scores("la facture et la tva")["administratif"] == 2
    assert "toiture" in keyword_scores("des tuiles sont tombées")
    assert "chauffe_eau" in keyword_scores("le chauffe-eau ne marche plus")
    assert keyword_scores("bonjour merci au revoir") == {}
