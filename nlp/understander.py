"""The public entry point: one call turns an utterance into an `Understanding`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nlp.address import extract_address
from nlp.classifier import MODEL_DIR, Classifier
from nlp.keywords import keyword_scores, said_urgency
from nlp.names import extract_name
from nlp.phone import extract_phone
from nlp.rules import safety_reasons
from nlp.summary import problem_words, summarize
from nlp.types import TRADES, Understanding, UnknownTradeError

# Urgent when the model gives >= 0.4: a missed emergency costs far more than a false alarm.
URGENT_THRESHOLD = 0.4
EXPECTING = (None, "problem", "name", "address", "phone")
_SLOT_ANSWER_WORDS = 6  # a bare slot answer this short says nothing about the problem
# Weight of one category keyword against the model's probability (chosen on a validation
# split of training phrasings, never on the test split).
KEYWORD_WEIGHT = 0.3
KEYWORD_BELOW = 0.5  # only when the model's best category is below this
# A caller who says it can wait ("pas urgent", "quand vous aurez le temps") is taken at their
# word unless the model is this sure or a safety rule fires.
CALM_THRESHOLD = 0.8


class Understander:
    """Holds the loaded classifier and the service area's towns."""

    def __init__(self, classifier: Classifier, towns: Sequence[str] = ()) -> None:
        self.classifier = classifier
        self.towns = tuple(towns)

    def _check(self, trade: str) -> None:
        if trade not in TRADES:
            raise UnknownTradeError(f"unknown trade {trade!r}; expected one of {', '.join(TRADES)}")

    def scores(self, text: str, trade: str) -> tuple[bool, str, float, tuple[str, ...]]:
        """(urgent, category, confidence, reasons) from the model and the safety rules."""
        self._check(trade)
        fired = safety_reasons(text)
        if not problem_words(text):
            # "allô", "oui bonjour", "euh": nothing said about a problem yet.
            said = [f"safety rule: {r.reason}" for r in fired]
            return bool(fired), "autre", 0.0, (*said, "no problem stated")
        p_urgent, cats = self.classifier.predict(text, trade)
        best = max(cats, key=lambda c: cats[c])
        reasons = [f"model: urgent p={p_urgent:.2f}", f"model: {best} p={cats[best]:.2f}"]
        # Trade keywords steer the category when the phrasing is unlike any training one.
        keywords = keyword_scores(text) if cats[best] < KEYWORD_BELOW else {}
        category = max(cats, key=lambda c: cats[c] + KEYWORD_WEIGHT * keywords.get(c, 0))
        if category != best:
            reasons.append(f"keywords: {category} ({keywords[category]} heard)")
        for rule in fired:
            reasons.append(f"safety rule: {rule.reason}")
            if rule.category and rule.category != category:
                category = rule.category
                reasons.append(f"category set to {category} by the {rule.reason} rule")
        claim = said_urgency(text)
        threshold = CALM_THRESHOLD if claim is False else URGENT_THRESHOLD
        if claim is not None:
            reasons.append(f"caller says {'it is urgent' if claim else 'it can wait'}")
        urgent = bool(fired) or bool(claim) or p_urgent >= threshold
        return urgent, category, round(cats[category], 3), tuple(reasons)

    def classify(self, text: str, trade: str) -> tuple[bool, str, float]:
        urgent, category, confidence, _ = self.scores(text, trade)
        return urgent, category, confidence

    def understand(self, text: str, trade: str, expecting: str | None = None) -> Understanding:
        """Classify and extract every slot; `expecting` is the question just asked, so a bare
        answer ("dupont jean-pierre", "douze rue des lilas à bron") fills that slot."""
        if expecting not in EXPECTING:
            raise ValueError(f"expecting must be one of {EXPECTING}, not {expecting!r}")
        self._check(trade)
        name = extract_name(text, expecting_name=expecting == "name")
        address = extract_address(text, self.towns, expecting_address=expecting == "address")
        street, postcode, city = (address.street, address.postcode, address.city) if address else (
            None, None, None)  # fmt: skip
        slots = (name, street, city)
        problem = problem_words(text, slots)
        # The model reads the problem without the contact details around it.
        urgent, category, confidence, reasons = self.scores(" ".join(problem) or text, trade)
        safety = any(r.startswith("safety") for r in reasons)
        bare = expecting in ("name", "address", "phone") and len(problem) < _SLOT_ANSWER_WORDS
        if bare:
            urgent, category, confidence = safety, "autre", 0.0
            reasons += (f"short answer to the {expecting} question: not a problem description",)
        in_area = address.known_town if (address and address.city and self.towns) else None
        if in_area is False:
            reasons += (f"{city} is not in the service area",)
        return Understanding(
            urgent=urgent,
            category=category,
            confidence=confidence,
            name=name,
            street=street,
            postcode=postcode,
            city=city,
            phone=extract_phone(text, expecting=expecting == "phone"),
            summary="" if bare or not problem else summarize(text, category, urgent, slots),
            reasons=reasons,
            in_service_area=in_area,
        )


def load_understander(towns: Sequence[str] = (), model_dir: Path = MODEL_DIR) -> Understander:
    """Load the classifier once (the slow part) and return a ready `Understander`."""
    return Understander(Classifier(model_dir), towns)
