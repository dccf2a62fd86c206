"""ExtractiveGenerator: the offline default. Answers only with exact sentences from the
articles, each cited, and says so plainly when the articles do not answer."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ...types import Answer, RetrievedChunk
from ...retrieve.text import terms
from ...types import StreamEvent
from .attribution import Unit, article_units
from .compose import compose, compose_abstention
from .evidence import (
    ScoredUnit,
    coverage,
    fits_answer_type,
    names_match,
    reports_body,
    score_units,
    target_bonus,
    unit_terms,
)
from .followup import resolve_followup
from .question import QuestionAnalysis, analyse, search_text
from .vectors import SentenceVectors

_MIN_UNIT_CHARS = 30
# Words that shape the question, not its subject: a date need not sit next to "date".
_META_TERMS = frozenset(terms("long many much date day year month time when number figure amount report reports "
                              "article story news according place where happen happened take took newspaper "
                              "agency outlet paper publication give gave wrote author"))
_KEEP_SAID = 0.7  # a person's quote is kept when it scores this share of their best one
_KEEP_BROAD = 0.6  # broad questions: an article's best passage, relative to the overall best
_KEEP_SECOND = 0.9  # a second passage from the same article
_ANSWER_NOUN = {"date": "date", "amount": "amount", "number": "figure", "place": "place", "byline": "author",
                "outlet": "news outlet"}


class ExtractiveGenerator:
    """Grounded, extractive, cited answers with no language model."""

    name = "extractive"

    def __init__(self, settings, embeddings):
        self.settings = settings
        self.embeddings = embeddings
        self.vectors = SentenceVectors(embeddings)

    # -- protocol -----------------------------------------------------------
    def condense(self, question: str, history) -> str:
        return resolve_followup(question, history or [])

    def search_query(self, question: str) -> str:
        return search_text(question)

    def generate(self, question: str, chunks: list[RetrievedChunk], history=None, *, snapshot=None, **_) -> Answer:
        analysis = analyse(question)
        openings = self._openings(chunks, snapshot)
        if not chunks:
            return self._abstain(question, "The index has no articles that match.", chunks, openings)
        lexical = getattr(snapshot, "lexical", None)
        missing = self._unknown_names(analysis, lexical)
        if missing:
            return self._abstain(question, f"They don't mention {missing}.", chunks, openings)

        units = self._candidate_units(analysis, chunks, snapshot)
        if not units:
            return self._abstain(question, "No passage in the articles addresses this.", chunks, openings)
        question_vec, unit_vecs = self.vectors.embed(question, units)
        idf = lexical.idf if lexical is not None else (lambda t: 1.0)
        scored = score_units(analysis, units, question_vec, unit_vecs, idf)
        for keep in (self._of_answer_type, self._by_described_speaker, self._by_person):
            scored, reason = keep(analysis, scored, idf)
            if reason:
                return self._abstain(question, reason, chunks, openings)
        scored.sort(key=lambda s: -s.score)
        if not scored or scored[0].score < self.settings.abstain_threshold:
            answer = self._abstain(question, "No passage in the articles answers this closely enough.", chunks, openings)
            answer.confidence = scored[0].score if scored else 0.0
            return answer

        selected = self._select(analysis, scored)
        speaker = self._speaker_label(analysis, selected)
        text, citations = compose(selected, speaker, openings)
        return Answer(text=text, citations=citations, abstained=False, retrieved=list(chunks),
                      question=question, generator=self.name, confidence=scored[0].score)

    # -- filters: each keeps the units that can answer, or says why none can -------------
    def _of_answer_type(self, analysis: QuestionAnalysis, scored: list[ScoredUnit], idf):
        """A date, figure, place, outlet or byline must be there, about the question's subject.

        A date or figure must sit in the same sentence as what it dates; a place or byline
        may lean on the sentences around it.
        """
        if not analysis.answer_type:
            return scored, None
        content = self._content_groups(analysis)
        near = analysis.answer_type in ("place", "byline", "outlet")
        typed = [s for s in scored if fits_answer_type(s.unit, analysis.answer_type)
                 and (not content or coverage(content, unit_terms(s.unit, with_context=near), idf) >= 0.4)]
        return typed, (None if typed else f"They give no {_ANSWER_NOUN[analysis.answer_type]} for this.")

    @staticmethod
    def _by_described_speaker(analysis: QuestionAnalysis, scored: list[ScoredUnit], idf):
        """'What did Moscow / Seoul's diplomats say': only the speakers that fit the description best."""
        if not analysis.target or analysis.target_people:
            return scored, None
        bonus = {id(s): target_bonus(analysis, s.unit) for s in scored}
        top = max(bonus.values(), default=0.0)
        fitting = [s for s in scored if (top >= 0.5 and bonus[id(s)] >= top - 1e-6)
                   or (not s.unit.speaker and reports_body(s.unit, analysis))]
        return fitting, (None if fitting else f"They don't quote {analysis.target} on this.")

    @staticmethod
    def _by_person(analysis: QuestionAnalysis, scored: list[ScoredUnit], idf):
        """Their own words, or reports of them; never another person's words that merely name them."""
        if not analysis.target_people:
            return scored, None
        own = [s for s in scored if s.speaker_match >= 0.5]
        who = analysis.target
        return own, (None if own else f"They mention {who} but do not quote {who} on this.")

    def stream(self, question: str, chunks: list[RetrievedChunk], history=None, **kwargs) -> Iterator[StreamEvent]:
        answer = self.generate(question, chunks, history, **kwargs)
        words = re.split(r"(\s+)", answer.text)
        shown = ""
        for i in range(0, len(words), 6):
            shown += "".join(words[i:i + 6])
            yield StreamEvent("token", text=shown)
        yield StreamEvent("answer", text=answer.text, answer=answer)

    # -- steps --------------------------------------------------------------
    @staticmethod
    def _unknown_names(analysis: QuestionAnalysis, lexical) -> str | None:
        """A person, place or body the question names that appears nowhere in the corpus."""
        if lexical is None:
            return None
        for entity in analysis.entities:
            words = terms(entity)
            if words and not any(lexical.knows(w) for w in words):
                return entity
        return None

    @staticmethod
    def _candidate_units(analysis: QuestionAnalysis, chunks: list[RetrievedChunk], snapshot) -> list[Unit]:
        """Sentences of the retrieved chunks, read in their article's context for attribution."""
        spans_by_source: dict[str, list[tuple[int, int]]] = {}
        for chunk in chunks:
            spans_by_source.setdefault(chunk.source, []).append((chunk.start, chunk.end))
        candidates: list[Unit] = []
        for source, spans in spans_by_source.items():
            article = snapshot.article_chunks(source) if snapshot is not None else [c for c in chunks if c.source == source]
            for unit in article_units(article or [c for c in chunks if c.source == source]):
                if len(unit.text) < _MIN_UNIT_CHARS:
                    continue
                in_retrieved = any(a <= unit.start < b for a, b in spans)
                speaks = unit.speaker is not None and any(
                    names_match(person, unit.speaker) for person in analysis.target_people)
                if in_retrieved or speaks:
                    candidates.append(unit)
        return candidates

    def _select(self, analysis: QuestionAnalysis, scored: list[ScoredUnit]) -> list[ScoredUnit]:
        """Pick the quotes: all of a person's relevant words, or one fact and what backs it up,
        or for a broad question the best passage of each article that answers it."""
        threshold = self.settings.abstain_threshold
        best = scored[0].score
        chosen: list[ScoredUnit] = []
        per_article: Counter[str] = Counter()

        def take(item: ScoredUnit, cap: int) -> None:
            if item in chosen or per_article[item.unit.source] >= cap or len(chosen) >= self.settings.max_quotes:
                return
            if any(_near_duplicate(item.unit.text, c.unit.text) for c in chosen):
                return
            chosen.append(item)
            per_article[item.unit.source] += 1

        if analysis.target_people:  # what a person said: every occasion, each article's relevant quotes
            for item in scored:
                if item.score >= max(threshold, _KEEP_SAID * best):
                    take(item, 4)
        elif analysis.broad:  # a survey: the best passage of each article first, then seconds
            for item in scored:
                if item.score >= max(threshold, _KEEP_BROAD * best) and per_article[item.unit.source] == 0:
                    take(item, 1)
            for item in scored:
                if item.score >= max(threshold, _KEEP_SECOND * best):
                    take(item, 2)
        else:  # one fact: the best passage, and a close second from the same article
            take(scored[0], 2)
            for item in scored[1:]:
                if item.unit.source == scored[0].unit.source and item.score >= max(threshold, _KEEP_SECOND * best):
                    take(item, 2)
        return chosen

    @staticmethod
    def _content_groups(analysis: QuestionAnalysis) -> list[list[str]]:
        """The question's words other than names: what the date or figure must be about."""
        names = {t for e in analysis.entities for t in terms(e)}
        groups = [g for g in analysis.groups if not any(t in names or t in _META_TERMS for t in g)]
        return groups

    @staticmethod
    def _speaker_label(analysis: QuestionAnalysis, selected: list[ScoredUnit]) -> str | None:
        if not analysis.target_people:
            return None
        if len(analysis.target_people) > 1:
            return analysis.target
        names = Counter(s.unit.speaker for s in selected if s.speaker_match == 1.0 and s.unit.speaker)
        if not names:
            return analysis.target
        return max(names, key=lambda n: (names[n], len(n)))

    @staticmethod
    def _openings(chunks: list[RetrievedChunk], snapshot) -> dict[str, str]:
        if snapshot is None:
            return {}
        out = {}
        for chunk in chunks:
            if chunk.source not in out:
                article = snapshot.article_chunks(chunk.source)
                out[chunk.source] = article[0].text if article else chunk.text
        return out

    def _abstain(self, question: str, reason: str, chunks, openings) -> Answer:
        return Answer(text=compose_abstention(reason, chunks, openings), citations=[], abstained=True,
                      retrieved=list(chunks), question=question, generator=self.name)


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.75
