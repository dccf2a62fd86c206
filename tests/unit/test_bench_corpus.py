"""The benchmark corpus generator: deterministic, nested, duplicate-free, parseable articles."""

from __future__ import annotations

import hashlib
import json

from assistant.ingest.chunk import chunk_article
from assistant.ingest.parse import parse_article
from bench.corpus import extra_articles, generate, make_article, sentence_pool, write_corpus

SEED_NAMES = {"000_b84748c9215d69a7.txt", "001_445fc04b6ebb3d77.txt", "002_82abdcb3608312cc.txt",
              "003_ccf18b69091e7c81.txt", "004_32c6785b4f59bc36.txt"}


def test_articles_are_deterministic_per_index_and_seed():
    assert make_article(7) == make_article(7)
    assert make_article(7) != make_article(8)
    assert make_article(7, seed=1) != make_article(7, seed=2)


def test_generated_articles_read_like_news():
    assert len(sentence_pool()) > 30
    for i in range(20):
        name, text = make_article(i)
        article = parse_article(name, text)
        assert article.title and article.outlet and article.byline
        assert article.dateline  # its "MONTH DAY" has no year, so no publication date is claimed
        chunks = chunk_article(article)
        assert len(chunks) >= 2
        assert all(text[c.start:c.end] == c.text for c in chunks)
        assert name.startswith(f"g{i:06d}_")


def test_corpus_holds_the_seeds_then_unique_articles_and_is_nested():
    small, next_small = generate(300)
    large, _ = generate(900)
    assert {a.name for a in small[:5]} == SEED_NAMES
    assert sum(a.chunks for a in small) >= 300
    assert [a.name for a in large[:len(small)]] == [a.name for a in small]  # nested: a prefix
    hashes = [hashlib.sha256(a.text.encode()).hexdigest() for a in large]
    assert len(set(hashes)) == len(hashes)
    extra = extra_articles(3, next_small)
    assert not {n for n, _ in extra} & {a.name for a in small}


def test_write_corpus_is_reused_when_complete(tmp_path):
    out = tmp_path / "gen"
    info = write_corpus(200, out)
    files = sorted((out / "articles").glob("*.txt"))
    assert len(files) == info["articles"] and info["chunks"] >= 200
    assert json.loads((out / "corpus.json").read_text())["fingerprint"] == info["fingerprint"]
    marker = files[-1].stat().st_mtime_ns
    assert write_corpus(200, out) == info
    assert files[-1].stat().st_mtime_ns == marker  # not rewritten
