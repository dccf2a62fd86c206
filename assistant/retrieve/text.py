"""Word normalisation shared by BM25 and the answer composer, so both count the same terms."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves s t don ve ll re
d m o y according said say says tell told
""".split())

_WORD = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "«": '"', "»": '"'})


def fold(text: str) -> str:
    """Lower-case, unify quote and dash characters, strip accents."""
    text = text.translate(_FOLD)
    if text.isascii():  # most news text once quotes are unified: no accents to strip (fast path)
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# British spellings folded to the American ones news wires mostly use.
_SPELLING = {"defence": "defense", "offence": "offense", "programme": "program", "criticise": "criticize",
             "criticised": "criticized", "emphasise": "emphasize", "emphasised": "emphasized", "recognise": "recognize",
             "labelled": "labeled", "favour": "favor", "centre": "center", "organisation": "organization",
             "realise": "realize", "analyse": "analyze", "apologise": "apologize", "colour": "color"}

@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'supplies'/'supply', 'remarks'/'remark'. Cached: an
    answer stems the same few thousand words hundreds of thousands of times."""
    word = _SPELLING.get(word, word)
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4:
        for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ings", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix == "s" and word.endswith("ss"):
                    break
                word = word[: -len(suffix)] + repl
                break
        if len(word) > 4 and word.endswith("e"):  # 'invade'/'invaded', 'state'/'stated'
            word = word[:-1]
    return word


# "U.S.", "U.K.": an abbreviation written with dots is the same word as without ("US", "UK"). "WHO", "IT":
# a two- or three-letter word in capitals among lower-case words names something, and is no stopword
# however it reads in lower case ('WHO' -> 'who0'). A text all in capitals says nothing by its case.
_ABBREVIATION = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}(?!\w)|(?<![\w’'.-])[A-Z]{2,3}(?![\w’'-])")
_LOWER_CASE = re.compile(r"[a-z]")
_MAYBE_ABBREVIATION = re.compile(r"[A-Z][A-Z.]")  # a cheap first look: most sentences hold none
_CAPITALS_MARK = "0"  # a word of its own, which the stopword list never holds


def _mark_abbreviations(text: str) -> str:
    """The text with dotted abbreviations undotted and capitalised stopwords kept apart from the stopword."""
    if not _MAYBE_ABBREVIATION.search(text):
        return text
    mixed_case = _LOWER_CASE.search(text) is not None

    def written(match: re.Match) -> str:
        word = match.group(0).replace(".", "")
        return word + _CAPITALS_MARK if mixed_case and word.lower() in STOPWORDS else word

    return _ABBREVIATION.sub(written, text)


def terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """Stemmed content words of a text."""
    words = _WORD.findall(fold(_mark_abbreviations(text)))
    return [stem(w) for w in words if keep_stopwords or w not in STOPWORDS]



def expand_terms(stemmed: list[str]) -> list[str]:
    """The query terms BM25 searches with (no hand thesaurus: meaning is the dense retriever's job)."""
    return list(stemmed)
