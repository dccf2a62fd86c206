"""The news-dev subset is deterministic, proportional and made of links; calibration never sees test items."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.calibrate import CalibrationDataError, dev_items
from assistant.evaluation.gold import load_gold
from assistant.evaluation.newsdev import build_subset, missing_reason, select, unique_id_lines


@pytest.fixture()
def news_dev(tmp_path):
    root = tmp_path / "news-dev"
    (root / "corpus").mkdir(parents=True)
    for n in range(40):
        (root / "corpus" / f"{n:03d}.txt").write_text(f"Article {n}\n\nText {n}.\n", encoding="utf-8")
    rows = []
    for n in range(20):
        if n < 16:
            rows.append({"id": f"a{n}", "question": f"Q{n}?", "answerable": True, "must_include": [[f"Text {n}"]],
                         "sources": [f"{n:03d}.txt"], "relevant": [f"{n:03d}.txt"]})
        else:
            rows.append({"id": f"u{n}", "question": f"U{n}?", "answerable": False})
    rows.append({"id": "u19", "question": "Another question under a repeated id?", "answerable": False})
    for name in ("gold.jsonl", "gold-lenient.jsonl"):
        (root / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return root


def test_subset_is_deterministic_proportional_and_linked(news_dev, tmp_path):
    ids, articles = select(news_dev, n_questions=10, n_distractors=5)
    assert (ids, articles) == select(news_dev, n_questions=10, n_distractors=5)
    answerable = [i for i in ids if i.startswith("a")]
    assert len(answerable) == 8 and len(ids) == 10  # 17 of 21 answerable -> 8 of 10
    cited = {f"{int(i[1:]):03d}.txt" for i in answerable}
    assert cited <= set(articles) and len(articles) == len(cited) + 5
    assert select(news_dev, n_questions=10, n_distractors=5, seed="other") != (ids, articles)

    subset = build_subset(news_dev, tmp_path / "subset", n_questions=10, n_distractors=5)
    links = sorted(subset.corpus.iterdir())
    assert [p.name for p in links] == articles and all(p.is_symlink() for p in links)
    assert [i.id for i in load_gold(subset.gold)] == ids == [i.id for i in load_gold(subset.lenient)]


def test_repeated_ids_are_made_unique_and_absence_is_explained(news_dev, tmp_path):
    ids = [d["id"] for d in unique_id_lines(news_dev / "gold.jsonl")]
    assert ids.count("u19") == 1 and "u19-2" in ids
    assert missing_reason(news_dev) is None
    assert "not found" in missing_reason(tmp_path / "nowhere")


def test_calibration_drops_test_split_items(tmp_path):
    rows = [{"id": "d1", "question": "Q?", "answerable": False, "split": "dev"},
            {"id": "t1", "question": "T?", "answerable": False, "split": "test"},
            {"id": "n1", "question": "N?", "answerable": False}]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert [i.id for i in dev_items(mixed)] == ["d1", "n1"]
    only_test = tmp_path / "test.jsonl"
    only_test.write_text(json.dumps(rows[1]) + "\n", encoding="utf-8")
    with pytest.raises(CalibrationDataError, match="only test-split"):
        dev_items(only_test)
