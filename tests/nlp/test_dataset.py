import json
from collections import Counter

from nlp.data import generate
from nlp.train import train
from nlp.types import TRADES


def test_dataset_is_large_balanced_and_honestly_split():
    splits = generate.build()
    train_rows, test_rows = splits["train"], splits["test"]
    assert len(train_rows) + len(test_rows) >= 600
    cells = Counter(
        (r["trade"], r["urgent"]) for r in train_rows if not str(r["template"]).startswith("hand")
    )
    assert set(cells) == {(t, u) for t in TRADES for u in (True, False)}
    assert max(cells.values()) - min(cells.values()) <= 5
    # held out by phrasing: no template id is in both splits
    assert not {r["template"] for r in train_rows} & {r["template"] for r in test_rows}
    assert not {r["text"] for r in train_rows} & {r["text"] for r in test_rows}


def test_dataset_looks_like_stt():
    for row in generate.build()["train"]:
        text = row["text"]
        assert isinstance(text, str)
        assert text == text.lower()
        assert "," not in text and "?" not in text


def test_shipped_splits_match_the_generator():
    shipped = generate.DATA_DIR / "train.jsonl"
    first = json.loads(shipped.read_text("utf-8").splitlines()[0])
    assert first == generate.build()["train"][0]


def test_training_is_deterministic(tmp_path):
    rows = generate.build()["train"][::20]
    train(rows, epochs=2, out=tmp_path / "a")
    train(rows, epochs=2, out=tmp_path / "b")
    a = (tmp_path / "a" / "textcat" / "model").read_bytes()
    b = (tmp_path / "b" / "textcat" / "model").read_bytes()
    assert a == b
