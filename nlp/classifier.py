"""Urgency and category text classifier: a small blank spaCy pipeline with one
bag-of-words multilabel textcat (no vectors, so it loads fast and ships in the repo).

One component scores the 19 categories and URGENT together: two textcat components would
fight over doc.cats. The category is the best-scoring category label."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.text import FILLERS, fold

MODEL_DIR = Path(__file__).resolve().parent / "model"
URGENT = "URGENT"
CATEGORIES: tuple[str, ...] = (
    "fuite", "degat_des_eaux", "debouchage", "robinetterie", "chauffe_eau", "porte_claquee",
    "serrure", "panne_chauffage", "gaz", "entretien", "panne_electrique", "diagnostic",
    "toiture", "vitre_cassee", "devis", "suivi_chantier", "administratif", "demarchage", "autre",
)  # fmt: skip
# 2**15 hashed n-gram buckets: ~2.5 MB of weights for 19 labels, accuracy flat above it.
BOW_LENGTH = 2**15
STEM = 6  # word prefixes absorb STT suffix slips: "cassée/cassé/casser", "fuite/fuit"


class ModelNotFoundError(FileNotFoundError):
    """The trained classifier is missing: run `make nlp-train`."""


def features(text: str, trade: str) -> str:
    """The classifier's view of an utterance: trade marker + folded words and their stems."""
    words = [w for w in fold(text).split() if w not in FILLERS]
    stems = [w[:STEM] for w in words if len(w) > STEM]
    return " ".join([f"metier{trade}", *words, *stems])


class WhitespaceTokenizer:
    """`features` already splits words; spaCy's French tokenizer costs ~4 s to build."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return Doc(self.vocab, words=text.split())


def build_pipeline() -> Language:
    nlp = spacy.blank("xx")
    nlp.tokenizer = WhitespaceTokenizer(nlp.vocab)
    model = {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": BOW_LENGTH,
    }
    nlp.add_pipe("textcat_multilabel", name="textcat", config={"model": model})
    return nlp


class Classifier:
    """Loaded once; `predict` is a single pass of the small pipeline (well under 5 ms)."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        if not (model_dir / "config.cfg").exists():
            raise ModelNotFoundError(f"no trained classifier in {model_dir}: run `make nlp-train`")
        self.nlp = build_pipeline().from_disk(model_dir, exclude=["tokenizer"])

    def predict(self, text: str, trade: str) -> tuple[float, dict[str, float]]:
        """(probability the call is urgent, category scores)."""
        scores = self.nlp(features(text, trade)).cats
        return float(scores.get(URGENT, 0.0)), {c: float(scores[c]) for c in CATEGORIES}
