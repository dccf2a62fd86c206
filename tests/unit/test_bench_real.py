"""The real-news benchmark skips cleanly without news-dev; the profile wraps and restores its parts."""

from __future__ import annotations

from bench import profile, real


def test_real_news_is_skipped_with_a_message_when_absent(tmp_path, monkeypatch):
    monkeypatch.setattr(real, "NEWS_DEV", tmp_path / "missing")
    said: list[str] = []
    assert real.run(said.append) is None
    assert any("skipping the real-news benchmarks" in line for line in said)
    assert "Skipped" in "\n".join(real.markdown(None))


def test_real_news_table_shows_the_ratios():
    result = {"corpus": "news-dev", "limit": None,
              "index_ratio": {"articles": 10, "rounds": 1, "loadavg": [1.0], "systems": {
                  "ours": {"median_wall_s": 10.0, "median_cpu_s": 9.0, "chunks": 200, "chunks_per_s": 20.0,
                           "ratio_wall": 3.1, "ratio_cpu": 3.3},
                  "plain": {"median_wall_s": 31.0, "median_cpu_s": 30.0, "chunks": 120, "chunks_per_s": 3.9}}},
              "store": {"articles": 10, "chunks": 200, "seconds": 10.0},
              "query": {"chunks": 200, "n_queries": 5, "answer_p50_ms": 100, "answer_p95_ms": 200,
                        "retrieval_p50_ms": 5, "retrieval_p95_ms": 9,
                        "profile": {"n_answers": 5, "parts": {"answer": {"mean_ms": 100, "p50_ms": 90, "p95_ms": 150,
                                                                         "share": 1.0}}}},
              "cold_start_news": {"median_s": 3.0}, "cold_start_seeds": {"median_s": 1.5}}
    text = "\n".join(real.markdown(result))
    assert "| ours | 10.0 | 9.0 | 200 | 20.0 | 3.1 | 3.3 |" in text
    assert "Latency profile" in text and "| answer | 100.0 |" in text


def test_timed_parts_restores_the_wrapped_functions():
    from assistant.retrieve.lexical import LexicalIndex

    original = LexicalIndex.search
    with profile.timed_parts() as calls:
        assert LexicalIndex.search is not original
        LexicalIndex(["a text about ports", "another text"]).search("ports", 2)
        assert calls["BM25"] > 0
    assert LexicalIndex.search is original
