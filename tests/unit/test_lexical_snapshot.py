"""BM25 gives bm25s's rankings; corpus snapshots are saved, reloaded and updated incrementally."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.index.indexer import Indexer
from assistant.index.store import open_client
from assistant.ingest.chunk import chunk_article
from assistant.ingest.parse import parse_article
from assistant.retrieve.corpus import LiveCorpus
from assistant.retrieve.lexical import LexicalIndex, Vocabulary, tokenize
from assistant.retrieve.text import expand_terms, terms

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
QUESTIONS = ["What did Peskov say about Yoon's remarks?", "Who is the Russian ambassador to South Korea?",
             "artillery shells ammunition supplies", "Zakharova hostile anti-Russian move", "zzz unknownword"]


def _seed_chunks() -> list[str]:
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        texts += [c.text for c in chunk_article(parse_article(path.name, path.read_text(encoding="utf-8")))]
    return texts


def test_bm25_matches_bm25s_rankings_scores_and_doc_freq():
    bm25s = pytest.importorskip("bm25s")
    texts = _seed_chunks()
    tokenized = [terms(t) or ["_empty_"] for t in texts]
    reference = bm25s.BM25()
    reference.index(tokenized, show_progress=False)
    ours = LexicalIndex(texts)
    assert dict(Counter(t for doc in tokenized for t in set(doc))) == dict(ours.doc_freq.items())
    for question in QUESTIONS:
        query = expand_terms(terms(question))
        rows, scores = reference.retrieve([query], k=min(24, len(texts)), show_progress=False, n_threads=1)
        expected = [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if s > 0]
        assert ours.search(question, 24) == expected
    assert ours.knows("peskov") and not ours.knows("zzz")
    assert ours.idf("zzz") > ours.idf("peskov")


def test_bm25_built_from_term_ids_and_saved_is_the_same(tmp_path):
    texts = _seed_chunks()
    vocab = Vocabulary()
    from_ids = LexicalIndex.from_token_ids(tokenize(texts, vocab), vocab)
    from_ids.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    direct = LexicalIndex(texts)
    for question in QUESTIONS:
        assert from_ids.search(question, 10) == direct.search(question, 10) == loaded.search(question, 10)
    assert LexicalIndex([]).search("anything", 5) == []


@pytest.mark.slow
def test_snapshot_is_saved_reloaded_and_updated_incrementally(settings, seeds_copy, fake_embeddings, monkeypatch):
    Indexer(settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    first = LiveCorpus(open_client(settings.index_dir), settings.collection).snapshot()
    saved = list((Path(settings.index_dir) / "lexical").rglob("READY"))
    assert len(saved) == 1

    again = LiveCorpus(open_client(settings.index_dir), settings.collection).snapshot()  # from the saved files
    assert again.ids == first.ids and again.texts == first.texts and again.metadatas == first.metadatas
    assert again.lexical.search(QUESTIONS[0], 10) == first.lexical.search(QUESTIONS[0], 10)

    # An edited and a deleted article: the update reuses the rest and equals a from-scratch load.
    corpus = LiveCorpus(open_client(settings.index_dir), settings.collection)
    corpus.snapshot()
    edited = sorted(seeds_copy.iterdir())[1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("Russia", "Russia's government"), encoding="utf-8")
    sorted(seeds_copy.iterdir())[3].unlink()
    Indexer(settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    updated = corpus.snapshot()
    monkeypatch.setenv("ASSISTANT_SNAPSHOT_CACHE", "off")
    scratch = LiveCorpus(open_client(settings.index_dir), settings.collection).snapshot()
    assert updated.ids == scratch.ids and updated.texts == scratch.texts
    for question in QUESTIONS:
        assert [(updated.ids[r], round(s, 5)) for r, s in updated.lexical.search(question, 10)] == \
               [(scratch.ids[r], round(s, 5)) for r, s in scratch.lexical.search(question, 10)]
    assert set(updated.by_source) == {p.name for p in seeds_copy.iterdir()}


def test_abbreviations_match_with_or_without_dots_and_capitals_are_no_stopword():
    assert terms("Talks between the U.S. and the U.K. resumed") == terms("Talks between the US and the UK resumed")
    assert "who0" in terms("The WHO said cases fell") and terms("Who said cases fell") == ["cas", "fell"]
    assert terms("U.S.-led forces") == terms("US-led forces")
    # a headline in capitals says nothing by its case: its stopwords stay stopwords
    assert terms("WHO SAID IT") == []
    index = LexicalIndex(["Norland and the U.S. signed the accord.", "Norland signed an accord with Ostmark."])
    assert [row for row, _ in index.search("Did the US sign the Norland accord?", 2)][0] == 0
