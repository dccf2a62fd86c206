"""CI gate on real news: a deterministic news-dev subset must meet eval/thresholds-news.json.

The subset (assistant/evaluation/newsdev.py): 60 questions (answerable and unanswerable in
news-dev's proportion), the articles they cite plus 300 distractor articles, linked into a
temporary folder (news-dev is never copied), indexed from scratch with the real model and
answered by the configured generator. Skipped, saying why, where ../shared/news-dev (or
$NEWS_DEV) is absent. The report is kept in test-artifacts/news-dev-subset/.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from assistant.evaluation.newsdev import build_subset, missing_reason, news_dev_dir
from assistant.evaluation.runner import NEWS_THRESHOLDS_PATH, check_thresholds, load_thresholds, run_eval

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "news-dev-subset"
NEWS_DEV = news_dev_dir()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    # ~5 min on 2 dedicated cores (about 10k chunks to embed); more where the cores are shared.
    pytest.mark.timeout(1800),
    pytest.mark.skipif(missing_reason(NEWS_DEV) is not None, reason=f"news-dev gate skipped: {missing_reason(NEWS_DEV)}"),
]


def test_news_dev_subset_meets_thresholds(tmp_path):
    from assistant import Assistant, Settings

    started = time.perf_counter()
    subset = build_subset(NEWS_DEV, tmp_path / "subset")
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=subset.corpus, data_dir=tmp_path / "data")
    bot = Assistant(settings)
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    try:
        report = bot.index([subset.corpus], progress=False)
        indexed = time.perf_counter()
        metrics = run_eval(subset.gold, ARTIFACTS, bot, subset.corpus, progress=False,
                           lenient=subset.lenient, thresholds=load_thresholds(NEWS_THRESHOLDS_PATH))
    finally:
        close = getattr(bot, "close", None)
        if callable(close):
            close()
    timing = {"articles": len(subset.articles), "questions": len(subset.question_ids),
              "chunks": getattr(report, "chunks", None), "index_s": round(indexed - started, 1),
              "total_s": round(time.perf_counter() - started, 1)}
    (ARTIFACTS / "timing.json").write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
    print(f"news-dev subset: {timing}")

    failures = check_thresholds(metrics, load_thresholds(NEWS_THRESHOLDS_PATH))
    assert metrics["overall"]["n"] == len(subset.question_ids)
    if failures:
        pytest.fail("\n".join([f"news-dev subset gate failed ({NEWS_THRESHOLDS_PATH.name}, "
                               f"generator {metrics['config']['generator']!r}):"]
                              + [f"- {f}" for f in failures]
                              + [f"Full report: {ARTIFACTS / 'report.md'}"]), pytrace=False)
