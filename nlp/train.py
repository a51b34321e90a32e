"""Train the urgency/category classifier, deterministically.

    make nlp-train   # == python -m nlp.train [--regenerate] [--epochs N]

Reads nlp/data/train.jsonl (regenerated from the templates with --regenerate) and writes the
pipeline to nlp/model/. The test split is never read here.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch  # type: ignore[attr-defined]

from nlp.classifier import CATEGORIES, MODEL_DIR, URGENT, build_pipeline, features
from nlp.data import generate

SEED = 7


def load_rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _example(nlp: spacy.language.Language, row: dict[str, object]) -> Example:
    doc = nlp.make_doc(features(str(row["text"]), str(row["trade"])))
    cats = {c: float(c == row["category"]) for c in CATEGORIES}
    cats[URGENT] = float(bool(row["urgent"]))
    return Example.from_dict(doc, {"cats": cats})


def train(rows: list[dict[str, object]], epochs: int, out: Path) -> None:
    fix_random_seed(SEED)
    rng = random.Random(SEED)
    nlp = build_pipeline()
    textcat = nlp.get_pipe("textcat")
    for label in (*CATEGORIES, URGENT):
        textcat.add_label(label)  # type: ignore[attr-defined]
    examples = [_example(nlp, r) for r in rows]
    optimizer = nlp.initialize(lambda: examples)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=32):  # type: ignore[no-untyped-call]
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        print(f"epoch {epoch + 1:2d} " + " ".join(f"{k}={v:.3f}" for k, v in losses.items()))
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out, exclude=["tokenizer"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.train", description=__doc__)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the jsonl splits")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    if args.regenerate or not (generate.DATA_DIR / "train.jsonl").exists():
        generate.write(generate.build())
    rows = load_rows(generate.DATA_DIR / "train.jsonl")
    started = time.perf_counter()
    train(rows, args.epochs, args.out)
    print(f"trained on {len(rows)} examples in {time.perf_counter() - started:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
