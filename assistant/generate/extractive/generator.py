"""ExtractiveGenerator: the offline default. Answers only with exact sentences from the
articles, each cited, and says so plainly when the articles do not answer."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Callable, Iterator

from ...types import Answer, RetrievedChunk
from ...retrieve.text import terms
from ...types import StreamEvent
from .attribution import Unit, article_units, follows
from .compose import compose, compose_abstention
from .evidence import (
    same_family,
    ScoredUnit,
    coverage,
    fits_answer_type,
    lexical_score,
    name_words,
    names_a_role,
    names_match,
    reports_body,
    score_units,
    target_bonus,
    target_places,
    unit_terms,
)
from ...language.aliases import shared_aliases
from ...language.demonyms import PlaceAdjectives
from ...language.kinds import KIND_LABEL, shared_kinds
from ...language.nlp import shared_nlp
from ...language.words import NAME_LABELS, QUESTION_FRAME_WORDS, RECENCY_WORDS, ROLE_EQUIVALENTS, VALUE_LABELS
from ...types import CorpusView, Entity, ShortAnswer
from .expected import (ExpectedAnswer, HeadNounLabels, asks_who_someone_is, defined_noun, expected_answer,
                       names_its_kind)
from .doer import another_doer, asked_role, doers_first, same_doer
from .followup import resolve_followup
from .place_kind import CapitalSeats, PlaceKinds, PlaceNames
from .referent import described_subject, referent
from .question import QuestionAnalysis, analyse, asks_who_said, claim_of, kind_modifiers, polar_claim, question_figures, ranking_words, quoted_phrases, not_people_in, person_words, question_bodies, search_text, subject_coverage, subject_entities, uncovered_subjects, distinctive_words
from .short_answer import (Candidate, agreeing_support, located_first, naming_articles, candidates,
                           cited_from_best_retrieved, fullest_form, places_by_adjective, ranked_alike, NER_WEAK_LABELS,
                           title_case_names, title_roles, describing, SPECIFIC_ROLES)
from .framing import asked_directly
from .spelling import respelled
from .truecase import case_tells_nothing, restore_case, with_capitals
from .timeframe import dated_by_older_headline, predates, question_year
from .verdict import confirming
from .vectors import SentenceVectors

_MIN_UNIT_CHARS = 30
# A question naming several things may be answered by a passage naming most of them
# ("which US state ... Kevin McCarthy ... Republican": the passage may not repeat "US").
_MULTI_SUBJECT_COVERAGE = 0.6
# When the expected kind is only a guess by meaning, a candidate must be at least this close to the head noun.
_SOFT_MEANING_FLOOR = 0.25
# A date or figure must sit in a sentence holding this share of what the question asks it about.
_VALUE_COVERAGE = 0.25
# Words that shape the question, not its subject: a date need not sit next to "date".
_META_TERMS = frozenset(terms(QUESTION_FRAME_WORDS))
# Sentences annotated to learn which 'speakers' are places or bodies: enough to see a person's
# name tagged PERSON somewhere before deciding it is not one.
_LEARNING_SENTENCES = 10
# A true-or-false claim is confirmed only by one of the best few sentences.
_VERDICT_SENTENCES = 3
_NO_VERDICT = "The articles neither state this claim nor deny it in so many words. The closest they come:"
# For a question about now, a sentence from an article whose headline names an older year than
# another retrieved headline does counts for this share of its score.
_OLDER_HEADLINE_SHARE = 0.8
# A best sentence whose words are below this (idf-weighted) share new to the question restates it.
_RESTATING_SHARE = 0.35
# A sentence's descriptive subject ('the singer') is a person of the kind asked for at this closeness.
_DESCRIPTION_FIT = 0.42
# The kinds a description may stand for, with the noun it is judged against when the question names none.
_DESCRIBED_LABELS = {"PERSON": "person", "ORG": "organization"}
_KEEP_SAID = 0.7  # a person's quote is kept when it scores this share of their best one
_KEEP_BROAD = 0.6  # broad questions: an article's best passage, relative to the overall best
_KEEP_SECOND = 0.9  # a second passage from the same article
_KEEP_OTHER_ACCOUNT = 0.85  # how/why: another article's best passage, relative to the overall best
_MAX_OTHER_ACCOUNTS = 2  # how/why: at most this many further articles add their part
_ANSWER_NOUN = {"date": "date", "amount": "amount", "number": "figure", "place": "place", "byline": "author",
                "outlet": "news outlet"}


class ExtractiveGenerator:
    """Grounded, extractive, cited answers with no language model."""

    name = "extractive"

    def __init__(self, settings, embeddings):
        self.settings = settings
        self.embeddings = embeddings
        self.vectors = SentenceVectors(embeddings)
        self.nlp = shared_nlp()
        self.head_nouns = HeadNounLabels(embeddings, shared_kinds())
        self.place_adjectives = PlaceAdjectives(embeddings)
        self.place_kinds = PlaceKinds(embeddings)
        self.seats = CapitalSeats(embeddings, self.place_kinds)
        self.place_names = PlaceNames(shared_aliases(), self.place_adjectives, self.seats)

    # -- protocol -----------------------------------------------------------
    def condense(self, question: str, history) -> str:
        return resolve_followup(question, history or [])

    def search_query(self, question: str) -> str:
        return search_text(asked_directly(question, self.nlp.parse))

    def generate(self, question: str, chunks: list[RetrievedChunk], history=None, *,
                 corpus: CorpusView | None = None, **_) -> Answer:
        asked = asked_directly(question, self.nlp.parse)
        texts = [_article_text(source, chunks, corpus) for source in dict.fromkeys(c.source for c in chunks)]
        if case_tells_nothing(asked):
            asked = restore_case(asked, texts, self.head_nouns.kinds.is_noun)
            asked = with_capitals(asked, self._names_new_to_the_archive(asked, corpus))
        readings = []
        if corpus is not None:
            asked, readings = respelled(asked, texts,
                                        lambda word: not terms(word) or any(corpus.knows(t) for t in terms(word)))
        answer = self._answer(asked, chunks, corpus)
        if readings:
            answer.notes.append("Read " + ", ".join(f"“{typed}” as “{name}”" for typed, name in readings)
                                + ", as the articles spell it.")
        return answer if asked == question else replace(answer, question=question)  # the user's own words

    def _names_new_to_the_archive(self, question: str, corpus: CorpusView | None) -> set[str]:
        """The lower-case nouns of a question that the archive never uses, that WordNet does not know as
        common nouns, and that the NLP model, once they are capitalised, reads as (part of) a name: a
        name the archive does not know ('the oscar mayer wienermobile'), not a misspelt or foreign word."""
        if corpus is None:
            return set()
        unknown = {t.text for t in self.nlp.parse(question) if t.pos_ in ("NOUN", "PROPN") and t.text.isalpha()
                   and t.text.islower() and (words := terms(t.text)) and not any(corpus.knows(w) for w in words)
                   and not self.head_nouns.kinds.is_noun(t.text)}
        if not unknown:
            return unknown
        named = self.nlp.parse(with_capitals(question, unknown)).ents
        return {word for word in unknown if any(word.capitalize() in (t.text for t in ent) for ent in named)}

    def _answer(self, question: str, chunks: list[RetrievedChunk], corpus: CorpusView | None) -> Answer:
        """The answer to a question written with its capitals (names are found by them)."""
        doc = self.nlp.parse(question)
        analysis = analyse(question, doc)  # refined by _read once the evidence is annotated
        subjects = subject_entities(doc)
        distinctive = distinctive_words(doc, subjects, _known_idf(corpus))
        expected = self._expected(analysis, doc)
        openings = self._openings(chunks, corpus)
        if not chunks:
            return self._abstain(question, "The index has no articles that match.", chunks, openings)
        missing = self._unknown_names(analysis, subjects, corpus)
        if missing:
            return self._abstain(question, f"They don't mention {missing}.", chunks, openings)
        year = question_year(question)
        chunks_in_time = self._not_older_than(year, chunks, corpus)
        if not chunks_in_time:
            return self._abstain(question, f"The articles that match were all written before {year}.", chunks,
                                 openings)

        chunks_in_time = self._using_quoted_words(quoted_phrases(question), chunks_in_time, corpus)
        idf = corpus.idf if corpus is not None else (lambda t: 1.0)
        analysis, scored = self._read(question, doc, chunks_in_time, corpus, idf)
        if not scored:
            return self._abstain(question, "No passage in the articles addresses this.", chunks, openings)
        keeps = (self._by_described_speaker, self._by_person) if expected else (
            self._of_answer_type, self._by_described_speaker, self._by_person)
        for keep in keeps:
            scored, reason = keep(analysis, scored, idf)
            if reason:
                return self._abstain(question, reason, chunks, openings)
        scored.sort(key=lambda s: -s.score)
        best = scored[0].score if scored else 0.0
        if not analysis.target_people:
            figures = question_figures(question)
            stating = self._stating(figures, {s.unit.source for s in scored}, chunks_in_time, corpus)
            closest = scored[0] if scored else None
            scored = [s for s in scored if s.unit.source in stating and self._covers_subject(subjects, s, distinctive)]
            if not scored:
                missing = uncovered_subjects(subjects, self._subject_scope(closest), self.place_names,
                                             distinctive) \
                    if closest else subjects
                if closest and closest.unit.source not in stating:
                    missing = missing + figures
                named = _and_list((missing or subjects + figures)[:4])
                return self._abstain(question, f"The passages closest to it do not mention {named}." if named else
                                     "None of them is about what the question names.", chunks, openings,
                                     confidence=best)
        strongest = scored[0].score
        claim = claim_of(question)
        polar = polar_claim(question) if claim is None and not analysis.target else None
        claim = claim or polar
        if strongest < self.settings.abstain_threshold:
            agreed = self._agreed_short_answer(question, doc, analysis, expected, scored, idf, chunks, corpus) \
                if expected is not None and claim is None and strongest >= self.settings.agreement_floor else None
            if agreed is None:
                return self._abstain(question, "No passage in the articles answers this closely enough.", chunks,
                                     openings, confidence=strongest)
            return self._typed_answer(question, agreed, chunks, openings)

        if claim is not None:
            confirmed = confirming(claim, scored[:_VERDICT_SENTENCES], idf,
                                   lambda item: not uncovered_subjects(subjects, item.unit.text, self.place_names,
                                                                      distinctive))
            if confirmed is not None and polar and not same_doer(doc, self.nlp.parse(confirmed.unit.text)):
                confirmed = None  # the words agree, the sentence says someone else did it: no 'Yes'
            if confirmed is not None:
                verdict = "Yes" if polar else "True"
                text, citations = compose([confirmed], None, openings, short=verdict, dated=self._wants_dates(question))
                return Answer(text=text, citations=citations, abstained=False, retrieved=list(chunks),
                              question=question, generator=self.name, confidence=confirmed.score,
                              short_answer=ShortAnswer(verdict, "VERDICT", 1, 1))
            expected = None  # no verdict: the closest evidence is quoted for the reader to judge
        if expected is not None:
            typed = self._short_answer(question, doc, analysis, expected, scored, idf, chunks, corpus)
            if typed is not None:
                return self._typed_answer(question, typed, chunks, openings)
            if expected.firm and not self._ner_may_miss(expected, strongest):
                return self._abstain(question, f"They name no {expected.noun} for this.", chunks, openings,
                                     confidence=strongest)
        common = expected is None or expected.labels[0] == KIND_LABEL  # no named thing asked for, or none found
        noun = defined_noun(doc) if common and claim is None and not analysis.target else None
        if noun:
            scored = [s for s in scored if coverage([terms(noun)], unit_terms(s.unit, with_context=True), idf)]
            if not scored:
                return self._abstain(question, f"They don't say what the {noun} is.", chunks, openings,
                                     confidence=strongest)
        person = asks_who_someone_is(doc) if expected is None else None
        if person:
            scored = describing(scored, person)
        selected = self._select(analysis, scored)
        if not analysis.target_people and not analysis.broad:
            selected = self._with_what_follows(question, selected, scored, idf)
        speaker = self._speaker_label(analysis, selected)
        note = _NO_VERDICT if claim is not None and not speaker else None
        text, citations = compose(selected, speaker, openings, dated=self._wants_dates(question), note=note)
        return Answer(text=text, citations=citations, abstained=False, retrieved=list(chunks),
                      question=question, generator=self.name, confidence=scored[0].score)

    def _typed_answer(self, question: str, typed, chunks: list[RetrievedChunk], openings) -> Answer:
        """The short answer in bold, then the quote(s) that hold it."""
        short, selected = typed
        text, citations = compose(selected, None, openings, short=short.text, dated=self._wants_dates(question))
        return Answer(text=text, citations=citations, abstained=False, retrieved=list(chunks),
                      question=question, generator=self.name, confidence=selected[0].score,
                      short_answer=ShortAnswer(short.text, short.label, 1, len(short.sources)))

    def _agreed_short_answer(self, question, doc, analysis, expected, scored, idf, chunks, corpus):
        """Weak evidence still answers when several articles name the same thing of the kind asked for:
        one loose sentence may match by chance, the same name across independent articles rarely does."""
        typed = self._short_answer(question, doc, analysis, expected, scored, idf, chunks, corpus)
        if typed is None:
            return None
        return typed if len(naming_articles(typed[0], chunks)) >= self.settings.agreeing_articles else None

    @staticmethod
    def _not_older_than(year: int | None, chunks: list[RetrievedChunk], corpus) -> list[RetrievedChunk]:
        """The chunks whose article could be about the year the question names."""
        if year is None:
            return chunks
        old = {source for source in {c.source for c in chunks} if predates(_article(source, chunks, corpus), year)}
        return [c for c in chunks if c.source not in old]

    @staticmethod
    def _using_quoted_words(phrases: list[str], chunks: list[RetrievedChunk], corpus) -> list[RetrievedChunk]:
        """The chunks of the articles that use the words the question quotes, when any article does
        (else all: the question may quote loosely). Filtering, not scoring, so no weak passage is lifted."""
        if not phrases:
            return chunks
        using = set()
        for source in {c.source for c in chunks}:
            text = _article_text(source, chunks, corpus).lower().replace("’", "'")
            if all(phrase in text for phrase in phrases):
                using.add(source)
        return [c for c in chunks if c.source in using] if using else chunks

    def _ner_may_miss(self, expected: ExpectedAnswer, strongest: float) -> bool:
        """A name of the expected kind is missing, yet the evidence is strong: the small NER model
        misses brand and title names far more often than dates, figures or people's names, so quote the
        sentence (a 'who' question whose evidence names nobody fitting is not answered)."""
        return expected.labels[0] not in VALUE_LABELS | {"PERSON"} and strongest >= self.settings.firm_type_override

    def _worth_embedding(self, analysis: QuestionAnalysis, units: list[Unit], idf) -> list[Unit]:
        """The sentences the model reads: a person's own words, then the best by the question's words.

        Embedding dominates an answer's cost on long articles; a sentence sharing none of
        the question's words rarely wins on meaning alone.
        """
        limit = self.settings.max_embedded_sentences
        if len(units) <= limit:
            return units
        groups = analysis.groups or [[t] for t in analysis.terms]
        asking = analysis.asking_groups

        def lexical(unit: Unit) -> float:
            own = lexical_score(groups, unit, idf)
            return max(own, lexical_score(asking, unit, idf)) if asking else own

        ranked = sorted(units, key=lambda u: -(lexical(u)
                                               + any(names_match(p, u.speaker or "") for p in analysis.target_people)))
        keep = {id(u) for u in ranked[:limit]}
        return [u for u in units if id(u) in keep]

    def _expected(self, analysis: QuestionAnalysis, doc) -> ExpectedAnswer | None:
        """What kind of short answer to look for; none for 'what did X say' and bylines."""
        if analysis.target or analysis.answer_type == "byline":
            return None
        if analysis.answer_type == "outlet":
            return ExpectedAnswer(("ORG",), head="news agency", firm=False, noun="news outlet")
        return expected_answer(doc, self.head_nouns)

    def _read(self, question: str, doc, chunks, corpus, idf) -> tuple[QuestionAnalysis, list[ScoredUnit]]:
        """Score the sentences; when the NLP model shows a 'speaker' is a place or body, read again.

        The first reading knows only the question's places; the model then annotates the
        best sentences (cached, and reused for the short answer), and any name it finds to
        be a place or an institution, and never a person, is resolved anew.
        """
        learned: frozenset[str] = frozenset()
        # a question about now: a story of an earlier year's edition counts less
        older = dated_by_older_headline(chunks) if self._wants_dates(question) else set()
        analysis = analyse(question, doc)
        scored: list[ScoredUnit] = []
        for _ in range(2):
            units = self._candidate_units(analysis, chunks, corpus, analysis.not_people)
            if not units:
                return analysis, []
            units = self._worth_embedding(analysis, units, idf)
            analysis.place_terms_by_speaker = self._place_terms_by_speaker(analysis, units)
            question_vec, unit_vecs = self.vectors.embed(question, units)
            scored = score_units(analysis, units, question_vec, unit_vecs, idf)
            scored = [replace(s, score=s.score * _OLDER_HEADLINE_SHARE) if s.unit.source in older else s
                      for s in scored]
            names = {w for u in units if u.speaker for w in _name_words(u.speaker)}
            names |= {w for person in analysis.target_people for w in person} | set(analysis.person_names)
            if not names:
                break  # nobody is speaking or asked about: nothing to learn
            # only sentences naming a speaker can show what that 'speaker' is
            top = [s for s in sorted(scored, key=lambda s: -s.score)[:_LEARNING_SENTENCES]
                   if names & _name_words(s.unit.text)]
            if not top:
                break
            entities = self.nlp.entities([s.unit.text for s in top], keys=[self.vectors.key(s.unit) for s in top])
            found = not_people_in([s.unit.text for s in top], entities) - analysis.not_people
            found |= question_bodies(doc) - person_words(entities)
            if not found & names:
                break
            learned |= found
            analysis = analyse(question, doc, learned)
        return analysis, scored

    def _place_terms_by_speaker(self, analysis: QuestionAnalysis, units: list[Unit]) -> dict[str, frozenset[str]]:
        """For "what did Ankara's top diplomat in Tokyo say": the place words of the described speaker that
        each speaker's description names in another form ('the ambassador of turkey to japan')."""
        # only where a role is described: "how did Harbourton react" asks for the body speaking, not any of its people
        places = target_places(analysis.target) if names_a_role(analysis.target) and not analysis.target_people else []
        if not places:
            return {}
        owned = {p: bool(re.search(rf"{re.escape(p)}(?:’s|'s)", analysis.target)) for p in places}  # "X's envoy"
        found = {}
        for described in {u.speaker_desc or u.speaker for u in units if u.speaker}:
            named = frozenset(t for p in places if self.seats.in_description(p, described, as_owner=owned[p])
                              for t in terms(p))
            if named:
                found[described] = named
        return found

    def _short_answer(self, question: str, doc, analysis: QuestionAnalysis, expected: ExpectedAnswer,
                      scored: list[ScoredUnit], idf, chunks: list[RetrievedChunk], corpus):
        """The best typed candidate among the strongest sentences, with the sentences that hold it."""
        floor = self.settings.short_answer_floor * scored[0].score
        head_terms = set(terms(expected.head or ""))
        content = [g for g in self._content_groups(analysis) if not head_terms & set(g)]
        # after a preamble, what the asking sentence names is what the figure measures ('the Final Four')
        asking = [g for g in analysis.asking_groups if not head_terms & set(g) and not set(g) & _META_TERMS]
        if expected.labels[0] not in VALUE_LABELS:
            content = asking = []  # a name is judged by its sentence's score; a date or figure must sit with what it measures
        top = []
        for item in scored[: self.settings.short_answer_sentences]:
            present = unit_terms(item.unit)
            share = max(coverage(content, present, idf), coverage(asking, present, idf)) if content else 1.0
            if item.score >= floor and share >= _VALUE_COVERAGE:
                # a date or figure counts by how much of what it measures its sentence holds
                top.append(item if not content else replace(item, score=item.score * (0.5 + 0.5 * share)))
        top = ranked_alike(top, ranking_words(doc))
        if not top:
            return None
        people = [e.text for e in doc.ents if e.label_ == "PERSON"]
        entities = self._answer_entities(top, doc, expected, chunks, corpus, people)
        places = [e.text for e in doc.ents if e.label_ in ("GPE", "NORP")]
        owners = self._owners(doc, expected)
        found = candidates(expected, top, entities, set(terms(question)), places, people, self.place_names.named_in, owners)
        if expected.wh == "where" and not (found and found[0].located):
            # the best sentences name places only as actors ('X is willing to ...'): the next ones that clear
            # the abstention threshold are read for where it happened ('launched from X', 'held in X')
            wider = [s for s in scored[:2 * self.settings.short_answer_sentences]
                     if s not in top and s.score >= self.settings.abstain_threshold]
            if wider:
                more = candidates(expected, top + wider,
                                  entities + self._answer_entities(wider, doc, expected, chunks, corpus, people),
                                  set(terms(question)), places, people, self.place_names.named_in, owners)
                found = located_first(more, found)
        found = self._fitting(found, doc, expected)
        if not found and analysis.answer_type == "outlet":
            found = _published_by(top[0])  # "which newspaper published the report": the article's own outlet
        if not found:
            return None  # (the sentences themselves already cleared the abstention threshold)
        best = cited_from_best_retrieved(found[0], list(dict.fromkeys(c.source for c in chunks)))
        fuller = fullest_form(best.text, best.label, _article_text(best.best.unit.source, chunks, corpus))
        if fuller != best.text:
            best = replace(best, text=fuller)
        support = agreeing_support(best, cap=1)
        if expected.labels[0] == KIND_LABEL and top[0] not in support:
            support.append(top[0])  # a common noun is a weak answer: the best evidence stays quoted beside it
        return best, support

    def _fitting(self, found: list[Candidate], doc, expected: ExpectedAnswer) -> list[Candidate]:
        """The candidates that fit what the question asks, best first: of the kind of place asked for, of
        the head noun's meaning, of the role asked for, not what someone else did, of the nationality
        the question narrows to, the doer of the asked action first on a close call."""
        actions, role = asked_role(doc)
        kind = self.place_kinds.asked(expected.head, doc) if expected.labels[0] == "GPE" else None
        if kind:
            found = [c for c in found if c.label not in ("GPE", "LOC") or self.place_kinds.fits(c.text, kind)]
        if expected.head and found and expected.labels[0] != KIND_LABEL:
            found = self._by_meaning(expected.head, found, floor=0.0 if expected.firm else _SOFT_MEANING_FLOOR)
        if found and expected.labels[0] == "PERSON" and expected.head in SPECIFIC_ROLES:
            # asked for the foreign minister, 'Foreign Ministry Spokeswoman Ada Roe' is someone else
            found = [c for c in found if self._titled_as(c, expected.head)]
        if found and not actions:
            # the answer is not who acts: 'When did Okafor visit Harbourton?' is not answered by the date of
            # Lind's visit to Marrowdale, 'What did Okafor sign?' not by what Lind signed
            while found and another_doer(doc, self.nlp.parse(found[0].best.unit.text)):
                found = found[1:]  # (only the leading ones are parsed: a parse costs 5-20 ms)
        narrowing = kind_modifiers(doc)
        if narrowing and found:
            found = [c for c in found if self._names_all(narrowing, self._subject_scope(c.best))]
        if found and expected.labels[0] in NAME_LABELS:
            found = doers_first(found, actions, self.nlp.parse, _mention, role)
        return found

    @staticmethod
    def _owners(doc, expected: ExpectedAnswer) -> list[str]:
        """The places the question says the person it asks for is of ('Norland's envoy', 'the Norlandic
        envoy', 'the Norland envoy'), with their other names ('Harbourton' for its country)."""
        if not expected.head:
            return []
        owners = [e.text for e in doc.ents if e.label_ in ("GPE", "NORP") and e.root.dep_ in ("poss", "compound", "amod")
                  and e.root.head.lemma_.lower() == expected.head]
        return owners + [alias for owner in owners for alias in shared_aliases().aliases(owner)]

    def _titled_as(self, candidate: Candidate, role: str) -> bool:
        """Whether no title before the candidate's name gives it another role than the one asked for (an
        equivalent, or one WordNet files above or below it, fits: 'ambassador' for 'diplomat')."""
        kinds = self.head_nouns.kinds
        titles = title_roles(candidate)
        return not titles or any(title == role or title in ROLE_EQUIVALENTS.get(role, ()) or kinds.is_a(title, role)
                                 or kinds.is_a(role, title) for title in titles)

    def _answer_entities(self, top: list[ScoredUnit], doc, expected: ExpectedAnswer, chunks, corpus,
                         people: list[str]) -> list[tuple[Entity, ...]]:
        """The names and values of each sentence that may answer: the NER model's, and what it misses
        (a speaker, a described person, a place named by its adjective, a capitalised title)."""
        texts, keys = [s.unit.text for s in top], [self.vectors.key(s.unit) for s in top]
        if expected.labels[0] == KIND_LABEL:  # a common noun: WordNet names its kinds, the NER model none
            entities = [self.head_nouns.kinds.spans(text, expected.head, runs)
                        for text, runs in zip(texts, self.nlp.noun_runs(texts, keys=keys))]
            if names_its_kind(doc, expected.head):
                # 'the current debt limit': another compound of 'limit' renames it, it does not answer
                kinds = self.head_nouns.kinds
                entities = [tuple(e for e in ents if not kinds.compound_of(e.text, expected.head)) for ents in entities]
        else:
            entities = self.nlp.entities(texts, keys=keys)
        if expected.labels[0] == "PERSON" and asks_who_said(doc):
            entities = [ents + self._speaker_entity(item.unit, ents) for item, ents in zip(top, entities)]
        if expected.labels[0] in _DESCRIBED_LABELS:
            asked_about = [name_words(p) for p in people]
            entities = [ents + self._described(item.unit, ents, expected, chunks, corpus, asked_about)
                        for item, ents in zip(top, entities)]
        if expected.labels[0] == "GPE":
            retrieved = " ".join(c.text for c in chunks)
            known = (lambda word: all(corpus.knows(t) for t in terms(word))) if corpus is not None else None
            entities = [ents + places_by_adjective(
                ents, _article_text(item.unit.source, chunks, corpus) + " " + retrieved, self.place_adjectives.same,
                known) for item, ents in zip(top, entities)]
        if expected.labels[0] in NER_WEAK_LABELS:
            entities = [ents + title_case_names(item.unit.text, ents, expected.labels[0])
                        for item, ents in zip(top, entities)]
        return entities

    def _speaker_entity(self, unit: Unit, ents: tuple[Entity, ...]) -> tuple[Entity, ...]:
        """The person the article shows speaking a sentence that does not name them itself."""
        if not unit.speaker or unit.explicit or any(names_match(sorted(_name_words(e.text)), unit.speaker) for e in ents):
            return ()
        named = self.nlp.entities([unit.speaker])[0]
        if not any(e.label == "PERSON" and len(e.text) >= 0.8 * len(unit.speaker) for e in named):
            return ()  # a ministry or a spokesperson's role, not a name
        return (Entity(unit.speaker, "PERSON", 0, 0),)

    def _described(self, unit: Unit, ents: tuple[Entity, ...], expected: ExpectedAnswer,
                   chunks: list[RetrievedChunk], corpus, asked_about: list[list[str]] = ()) -> tuple[Entity, ...]:
        """'The singer and entrepreneur showed off her baby bump', 'The company said it would cut 10,000
        jobs': a sentence naming no one of the kind asked for, whose subject is a pronoun or a description
        of that kind, speaks of the person or body named most just before it (none when two tie). The
        people the question names (`asked_about`, their name words) do not count: 'Her remarks came after Okafor spoke' asked
        who answered Okafor."""
        label = expected.labels[0]
        named = [e for e in ents if e.label == label
                 and not any(names_match(person, e.text) for person in asked_about)]
        if named:
            return ()
        description = described_subject(unit.text, label)
        if description is None:
            return ()
        if description != "person":
            vectors = self.embeddings.embed_array([expected.head or _DESCRIBED_LABELS[label], description])
            if float(vectors[0] @ vectors[1]) < _DESCRIPTION_FIT:
                return ()  # 'The storm', 'The pregnancy announcement': not of the kind asked for
        found = referent(unit, _article(unit.source, chunks, corpus),
                         lambda text: self.nlp.entities([text])[0], label)
        return (found,) if found else ()

    def _by_meaning(self, head: str, found: list, floor: float = 0.0):
        """Rerank candidates by how well each fits the head noun ('news agency': Reuters over a forum);
        below `floor` a candidate is no such thing at all."""
        vectors = self.embeddings.embed_array([head] + [c.text for c in found])
        kept = []
        for cand, vector in zip(found, vectors[1:]):
            fit = max(0.0, float(vector @ vectors[0]))
            if fit >= floor:
                cand.score *= 0.6 + 0.4 * fit
                kept.append(cand)
        return sorted(kept, key=lambda c: -c.score)

    @staticmethod
    def _stating(figures: list[str], sources: set[str], chunks: list[RetrievedChunk], corpus) -> set[str]:
        """The articles that state every figure the question states ('died at the age of 93' is not
        'died at 81'); anywhere in the article, since 'at 78' and 'for 23 years' may be paragraphs apart."""
        if not figures:
            return sources
        stating = set()
        for source in sources:
            text = _article_text(source, chunks, corpus)
            if all(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", text) for f in figures):
                stating.add(source)
        return stating

    def _names_all(self, nationalities: list[str], text: str) -> bool:
        """Does the text name each nationality, as written or by a place it is formed from?"""
        lower = text.lower()
        places = set(re.findall(r"\b[A-Z][a-z]+", text))
        return all(n.lower() in lower or any(self.place_adjectives.same(n, p) for p in places) for n in nationalities)

    @staticmethod
    def _subject_scope(item: ScoredUnit) -> str:
        """A sentence read with its neighbours, its passage and its headline."""
        unit = item.unit
        chunk = unit.chunk
        return " ".join(filter(None, [unit.text, unit.context, unit.speaker_desc, chunk.text if chunk else "",
                                      chunk.title if chunk else ""]))

    def _covers_subject(self, subjects: list[str], item: ScoredUnit, distinctive: dict[str, str]) -> bool:
        """Does the sentence, read in its passage, name what the question is about?"""
        scope = self._subject_scope(item)
        needed = 0.99 if len(subjects) <= 1 else _MULTI_SUBJECT_COVERAGE
        return subject_coverage(subjects, scope, self.place_names, distinctive) >= needed

    @staticmethod
    def _wants_dates(question: str) -> bool:
        return bool(set(question.lower().replace("?", " ").split()) & RECENCY_WORDS)

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
        """'What did Harbourton / Riverton's diplomats say': only the speakers that fit the description best."""
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
    def _unknown_names(analysis: QuestionAnalysis, subjects: list[str], corpus) -> str | None:
        """A person, place or body the question names that appears nowhere in the corpus."""
        if corpus is None:
            return None
        for entity in list(dict.fromkeys(subjects + analysis.entities)):
            words = terms(entity)
            if words and not any(corpus.knows(w) for w in words):
                return entity
        return None

    @staticmethod
    def _candidate_units(analysis: QuestionAnalysis, chunks: list[RetrievedChunk], corpus: CorpusView | None,
                         not_people: frozenset[str] = frozenset()) -> list[Unit]:
        """Sentences of the retrieved chunks, read in their article's context for attribution."""
        spans_by_source: dict[str, list[tuple[int, int]]] = {}
        for chunk in chunks:
            spans_by_source.setdefault(chunk.source, []).append((chunk.start, chunk.end))
        candidates: list[Unit] = []
        for source, spans in spans_by_source.items():
            whole = _article(source, chunks, corpus)
            # a whole long article only when a person's words are sought
            article = whole if analysis.target_people else _near_retrieved(whole, spans)
            for unit in article_units(article or [c for c in chunks if c.source == source], not_people, whole):
                if len(unit.text) < _MIN_UNIT_CHARS or _asks(unit.text):
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
            # 'what did Okafor and Roe each say': each person's quotes by their own best, taken in turns
            heard = _by_person_asked(analysis.target_people, scored)
            for rank in range(max(len(quotes) for quotes in heard)):
                for quotes in heard:
                    if rank < len(quotes) and quotes[rank].score >= max(threshold, _KEEP_SAID * quotes[0].score):
                        take(quotes[rank], 4)
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
            if analysis.explains:  # how or why: other reports' nearly as strong passages each add their part
                for item in scored[1:]:
                    if len(per_article) > _MAX_OTHER_ACCOUNTS:
                        break
                    if per_article[item.unit.source] == 0 and item.score >= max(threshold, _KEEP_OTHER_ACCOUNT * best):
                        take(item, 1)
        return chosen

    @staticmethod
    def _with_what_follows(question: str, selected: list[ScoredUnit], scored: list[ScoredUnit],
                           idf) -> list[ScoredUnit]:
        """A best sentence that only restates the question ('The list of species X wants to bring back
        is growing.') is followed by the one after it, where the answer usually is ('The latest: the dodo.')."""
        lead = selected[0].unit
        asked = set(terms(question))
        words = set(terms(lead.text))
        total = sum(idf(t) for t in words)
        new = sum(idf(t) for t in words if t not in asked and not any(same_family(t, q) for q in asked))
        if not total or new / total >= _RESTATING_SHARE:
            return selected
        after = next((s for s in scored if follows(s.unit, lead)), None)
        if after is None or after in selected:
            return selected
        return [selected[0], after] + selected[1:]

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
    def _openings(chunks: list[RetrievedChunk], corpus: CorpusView | None) -> dict[str, str]:
        if corpus is None:
            return {}
        out = {}
        for chunk in chunks:
            if chunk.source not in out:
                article = corpus.article_chunks(chunk.source)
                out[chunk.source] = article[0].text if article else chunk.text
        return out

    def _abstain(self, question: str, reason: str, chunks, openings, confidence: float | None = None) -> Answer:
        return Answer(text=compose_abstention(reason, chunks, openings), citations=[], abstained=True,
                      retrieved=list(chunks), question=question, generator=self.name, confidence=confidence)


def _by_person_asked(people: list[list[str]], scored: list[ScoredUnit]) -> list[list[ScoredUnit]]:
    """The scored quotes (best first) of each person asked about, in the question's order; quotes that
    are nobody's own (reports of them) go with the person they name, else with the first person."""
    heard: list[list[ScoredUnit]] = [[] for _ in people]
    for item in scored:
        whose = next((i for i, person in enumerate(people) if names_match(person, item.unit.speaker or "")), None)
        if whose is None:
            named = _name_words(item.unit.text)
            whose = next((i for i, person in enumerate(people) if named & {w.lower() for w in person}), 0)
        heard[whose].append(item)
    return [quotes for quotes in heard if quotes]


def _name_words(text: str) -> set[str]:
    """Lower-cased words as a name is compared ('Okafor's' -> 'okafor'), for speakers and sentences alike."""
    return {w.strip(".,").lower().strip("’'s") for w in text.split()}


def _article(source: str, chunks: list[RetrievedChunk], corpus: CorpusView | None) -> list[RetrievedChunk]:
    """All of an article's chunks when the corpus can say, else the retrieved ones."""
    return corpus.article_chunks(source) if corpus is not None else [c for c in chunks if c.source == source]


def _article_text(source: str, chunks: list[RetrievedChunk], corpus: CorpusView | None) -> str:
    """The article's whole text: where a name it abbreviates in one sentence is written out. Chunks
    overlap; each stretch of the article is read once, so a sentence is not counted twice."""
    parts, covered = [], None
    for chunk in sorted(_article(source, chunks, corpus), key=lambda c: c.start):
        exact = len(chunk.text) == chunk.end - chunk.start  # the text is that stretch of the article
        if covered is not None and exact and chunk.start < covered:
            if chunk.end <= covered:
                continue
            parts.append(chunk.text[covered - chunk.start:])
        else:
            parts.append(chunk.text)
        covered = chunk.end if exact else None
    return " ".join(parts)


def _published_by(item: ScoredUnit) -> list[Candidate]:
    """The outlet that published the article a sentence comes from, as a candidate (none if unknown)."""
    outlet = item.unit.chunk.outlet if item.unit.chunk else None
    if not outlet:
        return []
    return [Candidate(outlet, "ORG", frozenset(terms(outlet)), item.score, [item], {item.unit.source})]


def _mention(candidate: Candidate) -> tuple[str, int, int] | None:
    """The candidate's best sentence and where it names the candidate as shown, if it does."""
    text = candidate.best.unit.text
    at = text.find(candidate.text)
    return (text, at, at + len(candidate.text)) if at >= 0 else None


def _known_idf(corpus) -> Callable[[str], float]:
    """A term's idf in the corpus; 0 for a term it never uses (or with no corpus to ask)."""
    if corpus is None:
        return lambda term: 0.0
    return lambda term: corpus.idf(term) if corpus.knows(term) else 0.0


def _and_list(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def _asks(text: str) -> bool:
    """A sentence that is itself a question (a subheading, a reader's query) answers nothing."""
    return text.rstrip(" \"'”’)»").endswith("?") and not any(q in text for q in "“\"«")


def _near_retrieved(article: list[RetrievedChunk], spans: list[tuple[int, int]]) -> list[RetrievedChunk]:
    """The retrieved chunks and the one before each (where 'he' and 'the company' were named), in order."""
    keep: set[int] = set()
    for i, chunk in enumerate(article):
        if any(a <= chunk.start < b or chunk.start <= a < chunk.end for a, b in spans):
            keep.update({i - 1, i} if i else {i})
    return [article[i] for i in sorted(keep)]


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.75
