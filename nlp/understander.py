"""The public entry point: one call turns an utterance into an `Understanding`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
# Between these the model cannot tell (a garbled sentence: "remplacer mes fenêtres en simple
# hiprage par du W-hiprage" p=0.52), and no rule nor the caller's own words decide: the
# dialogue asks the caller whether it is urgent. Measured by devkit.eval.urgency (125
# held-out sentences said by Pico through μ-law, read by Whisper base): without asking, 117
# right and 8 wrong; (0.3, 0.7): 3 wrong, 16 asked ((0.3, 0.6): 3 wrong, 10 asked; (0.2, 0.7):
# 0 wrong, 26 asked). The upper end is 0.7, not 0.6, from a whole call: "refaire la toiture de
# mon garage" heard "recère la toiture" got p=0.68 and rang the artisan for a quote. A
# question costs one turn; a false urgent call rings the artisan's mobile.
UNSURE_BAND = (0.3, 0.7)


@dataclass(frozen=True)
class Urgency:
    urgent: bool
    category: str
    confidence: float
    reasons: tuple[str, ...]
    # Only the model spoke, and it was not sure either way.
    unsure: bool = False


class Understander:
    """Holds the loaded classifier and the service area's towns."""

    def __init__(self, classifier: Classifier, towns: Sequence[str] = ()) -> None:
        self.classifier = classifier
        self.towns = tuple(towns)

    def _check(self, trade: str) -> None:
        if trade not in TRADES:
            raise UnknownTradeError(f"unknown trade {trade!r}; expected one of {', '.join(TRADES)}")

    def scores(self, text: str, trade: str) -> Urgency:
        """Urgency, category and reasons from the model and the safety rules."""
        self._check(trade)
        fired = safety_reasons(text)
        if not problem_words(text):
            # "allô", "oui bonjour", "euh": nothing said about a problem yet.
            said = [f"safety rule: {r.reason}" for r in fired]
            return Urgency(bool(fired), "autre", 0.0, (*said, "no problem stated"))
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
        unsure = not fired and claim is None and UNSURE_BAND[0] <= p_urgent < UNSURE_BAND[1]
        if unsure:
            reasons.append("urgency unsure: the caller is asked")
        return Urgency(urgent, category, round(cats[category], 3), tuple(reasons), unsure)

    def classify(self, text: str, trade: str) -> tuple[bool, str, float]:
        found = self.scores(text, trade)
        return found.urgent, found.category, found.confidence

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
        found = self.scores(" ".join(problem) or text, trade)
        urgent, category, confidence, reasons = (
            found.urgent, found.category, found.confidence, found.reasons)  # fmt: skip
        unsure = found.unsure
        safety = any(r.startswith("safety") for r in reasons)
        bare = expecting in ("name", "address", "phone") and len(problem) < _SLOT_ANSWER_WORDS
        if bare:
            urgent, category, confidence, unsure = safety, "autre", 0.0, False
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
            urgency_unsure=unsure,
        )


def load_understander(towns: Sequence[str] = (), model_dir: Path = MODEL_DIR) -> Understander:
    """Load the classifier once (the slow part) and return a ready `Understander`."""
    return Understander(Classifier(model_dir), towns)
