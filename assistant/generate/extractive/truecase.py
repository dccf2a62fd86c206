"""Capitals restored to a question typed all in lower case, as the articles write its words.

Chat users often type 'what did okafor say about valdor'. Retrieval does not mind (the embedding
model and BM25 both ignore case), but the NLP model finds names by their capitals, and so do the
rules that tell a person from a common word. A lower-case word the passages retrieved for the
question nearly always write capitalised in mid-sentence ('Okafor', 'NATO', 'McAllister') is given
that form; a word they also write in lower case ('president', 'court') is left as typed. Nothing
changes in a question that already has capitals beyond its first letter.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from ...retrieve.text import STOPWORDS

_WORD = re.compile(r"[A-Za-z]+(?:[-.][A-Za-z]+)*")
_OPENING_MARKS = " \t\"'“”‘’()[]*–—-"  # may stand between a sentence's end and the next one's first word
_SENTENCE_ENDS = ".!?:;"
_MARKS_REACH = 12  # characters looked back for a sentence's end
_LEFT_WORD = re.compile(r"([A-Za-z]+(?:[-.][A-Za-z]+)*)[ \t]+$")  # the word just before, a space apart
_RIGHT_WORD = re.compile(r"[ \t]+([A-Za-z]+(?:[-.][A-Za-z]+)*)")  # the word just after
_NEIGHBOUR_REACH = 40  # characters looked back for the word before
# the first letter of the question and of each sentence in it (not after an initial's dot: 'u.s. house')
_SENTENCE_FIRST_LETTER = re.compile(r"(?:^|(?<=[A-Za-z0-9]{2}[.!?]\s))\s*[a-z]")
_CAPITALISED_SHARE = 0.8  # at least this share of a word's mid-sentence uses capitalised
_TITLE_LINE_SHARE = 0.6  # a line with this share of capitalised words is a headline in title case
_TITLE_LINE_WORDS = 3
_TITLE_CASE_SMALL_WORDS = 2  # a question in title case shows it in at least this many small words
_POSSESSIVE_STEM = 3  # letters a name must have before a bare possessive 's' ('okafors') is read as one


def case_tells_nothing(question: str) -> bool:
    """Typed without capitals (none after the first letter, except a lone 'I'), all in capitals, or
    in title case (most of its small words capitalised: 'What Did Okafor Say About The Port?'):
    capitals that do not tell names from other words."""
    letters = re.sub(r"\bI\b", "", question.strip())[1:]
    if not any(c.isalpha() for c in letters):
        return False
    if not any(c.isupper() for c in letters) or not any(c.islower() for c in letters):
        return True
    small = [w for w in _WORD.findall(question)[1:] if w.lower() in STOPWORDS]
    return len(small) >= _TITLE_CASE_SMALL_WORDS and \
        sum(w[0].isupper() for w in small) >= _TITLE_LINE_SHARE * len(small)


class WrittenForms:
    """How the texts write some words in mid-sentence, outside title-case headlines (where every word
    is capitalised): each lower-case use with the words right beside it, and each capitalised use with
    the capitalised words beside it ('Council' of 'Security Council' is part of a name, 'Okafor' stands alone)."""

    def __init__(self, texts: Iterable[str], words: set[str]):
        self.lower: dict[str, list[frozenset[str]]] = defaultdict(list)
        self.capitalised: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for text in texts:
            lowered = text.lower()  # same length: offsets carry over
            headline_lines: dict[int, bool] = {}
            for word in words:
                for start in _whole_word_offsets(lowered, word):
                    line_start = text.rfind("\n", 0, start) + 1
                    before = text[max(line_start, start - _MARKS_REACH):start].rstrip(_OPENING_MARKS)
                    if (not before and start - _MARKS_REACH <= line_start) or before.endswith(tuple(_SENTENCE_ENDS)):
                        continue  # a sentence's first word is capitalised whatever it is
                    if line_start not in headline_lines:
                        headline_lines[line_start] = _title_case(text, line_start)
                    if not headline_lines[line_start]:
                        self._note(text, start, start + len(word))

    def _note(self, text: str, start: int, end: int) -> None:
        word = text[start:end]
        left = _LEFT_WORD.search(text, max(0, start - _NEIGHBOUR_REACH), start)
        right = _RIGHT_WORD.match(text, end)
        around = [m.group(1) for m in (left, right) if m]
        if word == word.lower():
            self.lower[word].append(frozenset(w.lower() for w in around))
        else:
            self.capitalised[word.lower()].append((word, frozenset(w.lower() for w in around if w[0].isupper())))

    def form(self, word: str, question_words: set[str], common_noun: Callable[[str], bool]) -> str | None:
        """The capitalised form the texts habitually give `word`: nearly always capitalised ('Okafor
        said', and 'Ada Okafor' unless the word is also a common noun: 'Human Services' is no habit), or
        capitalised within a name whose other words the question has ('security council'), judged against
        the lower-case uses beside those words ('the security council'), not all ('the council')."""
        uses = self.capitalised.get(word, [])
        if uses and (any(not mates for _, mates in uses) or not common_noun(word)):
            if len(uses) >= _CAPITALISED_SHARE * (len(uses) + len(self.lower[word])):
                return Counter(form for form, _ in uses).most_common(1)[0][0]
        in_name = [(form, mates & question_words) for form, mates in uses if mates & question_words]
        if not in_name:
            return None
        mates = frozenset().union(*(m for _, m in in_name))
        against = sum(1 for around in self.lower[word] if around & mates)
        if len(in_name) < _CAPITALISED_SHARE * (len(in_name) + against):
            return None
        return Counter(form for form, _ in in_name).most_common(1)[0][0]


def _whole_word_offsets(lowered: str, word: str):
    """Where `word` occurs in the lower-cased text as a whole word (str.find: far faster than a regex)."""
    start = lowered.find(word)
    while start >= 0:
        end = start + len(word)
        before = lowered[max(0, start - 2):start]
        after = lowered[end:end + 2]
        if not (before[-1:].isalpha() or (before[-1:] in ("-", ".") and before[:1].isalpha())) and \
                not (after[:1].isalpha() or (after[:1] in ("-", ".") and after[1:2].isalpha())):
            yield start
        start = lowered.find(word, end)


def _title_case(text: str, line_start: int) -> bool:
    """Is the line a headline in title case (most of its words capitalised)?"""
    line_end = text.find("\n", line_start)
    words = _WORD.findall(text, line_start, len(text) if line_end < 0 else line_end)
    return len(words) >= _TITLE_LINE_WORDS and sum(w[0].isupper() for w in words) >= _TITLE_LINE_SHARE * len(words)


def restore_case(question: str, texts: Iterable[str], common_noun: Callable[[str], bool] = lambda word: False) -> str:
    """The question in lower case, with each word the texts habitually capitalise written their way (a
    possessive typed without its apostrophe as well: 'okafors' -> "Okafor's"), and a capital at the start
    of each of its sentences. `common_noun`: whether a word is also a common noun."""
    question = question.lower()
    asked = {m.group(0).lower() for m in _WORD.finditer(question)}
    looked_up = {w for w in asked if w.islower() and w not in STOPWORDS}
    forms = WrittenForms(texts, looked_up | {w[:-1] for w in looked_up if len(w) > _POSSESSIVE_STEM and w.endswith("s")})

    def cased(match: re.Match) -> str:
        word = match.group(0)
        if not word.islower():
            return word
        form = forms.form(word, asked, common_noun)
        if form is None and len(word) > _POSSESSIVE_STEM and word.endswith("s") and word not in forms.lower:
            named = forms.form(word[:-1], asked, common_noun)  # 'okafors port': a possessive typed bare
            form = named + "'s" if named else None
        return form or word

    return _SENTENCE_FIRST_LETTER.sub(lambda m: m.group(0).upper(), _WORD.sub(cased, question))


def with_capitals(question: str, words: set[str]) -> str:
    """The question with the given lower-case words capitalised: names the archive does not know
    ('what did marrowdale say'), so that the answer can say the articles do not mention them."""
    return _WORD.sub(lambda m: m.group(0).capitalize() if m.group(0) in words else m.group(0), question)
