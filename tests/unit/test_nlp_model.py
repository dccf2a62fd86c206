"""The spaCy model as the assistant loads it (empty tokenizer refilled from the package, no senter)
reads text exactly as `spacy.load` does."""

from __future__ import annotations

from assistant.language.nlp import MODEL_PACKAGE, _import_spacy, _load_model

TEXTS = [
    "What did Peskov say about Yoon's remarks?",
    "Kremlin spokesperson Dmitry Peskov said, “We oppose this approach.” He added: it's hard to understand.",
    "On Jan. 5th, 2024 at 3:30 p.m. the U.S.-Korea talks (in Seoul) cost $1.2bn; see https://example.org/a?b=1 :)",
    "Don't they'll can't won't e.g. i.e. Mr. Smith's 50% share, 10km north-east of N. Korea's border.",
]


def _reading(nlp) -> list:
    return [[(t.text, t.whitespace_, t.lemma_, t.tag_, t.pos_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
              t.is_sent_start, t.is_stop, t.like_num) for t in doc] for doc in nlp.pipe(TEXTS)]


def test_the_lean_load_reads_like_spacy_load():
    spacy = _import_spacy()
    lean, plain = _load_model(spacy), spacy.load(MODEL_PACKAGE)
    assert lean.tokenizer.to_bytes() == plain.tokenizer.to_bytes()
    assert lean.pipe_names == plain.pipe_names and "senter" not in lean.component_names
    assert _reading(lean) == _reading(plain)
