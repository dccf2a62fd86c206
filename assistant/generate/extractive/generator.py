"""ExtractiveGenerator: the offline default. Answers only with exact sentences from the
articles, each cited, and says so plainly when the articles do not answer."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ...cite.models import Answer, RetrievedChunk
from ...retrieve.text import stem, terms
from ..base import StreamEvent
from .followup import resolve_followup
from ..registry import register
from .attribution import Unit, article_units
from .compose import compose, compose_abstention
from .evidence import ScoredUnit, fits_answer_type, score_units
from .question import QuestionAnalysis, analyse

_MIN_UNIT_CHARS = 30
_RELATIVE_KEEP = {"said": 0.7, "fact": 0.78}
_PER_ARTICLE = {"said": 4, "fact": 2}


class ExtractiveGenerator:
    """Grounded, extractive, cited answers with no language model."""

    name = "extractive"

    def __init__(self, settings, embeddings):
        self.settings = settings
        self.embeddings = embeddings

    # -- protocol -----------------------------------------------------------
    def condense(self, question: str, history) -> str:
        return resolve_followup(question, history or [])

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
        vectors = self.embeddings.embed_array([question] + [u.text for u in units])
        idf = lexical.idf if lexical is not None else (lambda t: 1.0)
        scored = score_units(analysis, units, vectors[0], vectors[1:], idf)
        scored = [s for s in scored if fits_answer_type(s.unit, analysis.answer_type)]
        if analysis.target_names:
            if not any(s.speaker_match >= 0.5 for s in scored):
                who = analysis.target
                return self._abstain(question, f"They mention {who} but do not quote {who} on this.", chunks, openings)
            # Their own words, or reports of them; never another person's words that merely name them.
            scored = [s for s in scored if s.speaker_match == 1.0 or (s.speaker_match == 0.5 and not s.unit.speaker)]
            if not scored:
                who = analysis.target
                return self._abstain(question, f"They mention {who} but do not quote {who} on this.", chunks, openings)
        scored.sort(key=lambda s: -s.score)
        if not scored or scored[0].score < self.settings.abstain_threshold:
            return self._abstain(question, "No passage in the articles answers this closely enough.", chunks, openings)

        selected = self._select(analysis, scored)
        speaker = self._speaker_label(analysis, selected)
        text, citations = compose(selected, speaker, openings)
        return Answer(text=text, citations=citations, abstained=False, retrieved=list(chunks),
                      question=question, generator=self.name)

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
        """A person the question names who appears nowhere in the corpus."""
        if lexical is None:
            return None
        names = analysis.target_names or analysis.person_names
        unknown = [n for n in names if not lexical.knows(stem(n))]
        if not unknown:
            return None
        if analysis.target_names and len(unknown) < len(analysis.target_names):
            return None  # "Dmitry Peskov" with an unknown first name is still Peskov
        for entity in analysis.entities:
            if any(n in entity.lower().replace("-", " ").split() for n in unknown):
                return entity
        return unknown[0]

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
                speaks = bool(analysis.target_names) and unit.speaker is not None and any(
                    n in unit.speaker.lower() for n in analysis.target_names)
                if in_retrieved or speaks:
                    candidates.append(unit)
        return candidates

    def _select(self, analysis: QuestionAnalysis, scored: list[ScoredUnit]) -> list[ScoredUnit]:
        kind = "said" if analysis.target_names else "fact"
        best = scored[0].score
        floor = max(self.settings.abstain_threshold, _RELATIVE_KEEP[kind] * best)
        chosen: list[ScoredUnit] = []
        per_article: Counter[str] = Counter()

        def take(item: ScoredUnit) -> None:
            if item in chosen or per_article[item.unit.source] >= _PER_ARTICLE[kind]:
                return
            if any(_near_duplicate(item.unit.text, c.unit.text) for c in chosen):
                return
            chosen.append(item)
            per_article[item.unit.source] += 1

        for item in scored:
            if item.score >= floor and len(chosen) < self.settings.max_quotes:
                take(item)
        if kind == "said":  # every occasion the person spoke on: each article's best quote
            for item in scored:
                if (item.speaker_match == 1.0 and item.score >= self.settings.abstain_threshold
                        and per_article[item.unit.source] == 0 and len(chosen) < self.settings.max_quotes + 2):
                    take(item)
        return chosen

    @staticmethod
    def _speaker_label(analysis: QuestionAnalysis, selected: list[ScoredUnit]) -> str | None:
        if not analysis.target_names:
            return None
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


register("extractive", lambda settings, embeddings=None: ExtractiveGenerator(settings, embeddings))
