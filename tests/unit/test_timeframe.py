"""Which years a text names, and when an article is too old for a question."""

from assistant.generate.extractive.timeframe import latest_year, predates, question_year, years_in
from assistant.types import RetrievedChunk


def chunk(text: str, published: str | None = None) -> RetrievedChunk:
    return RetrievedChunk("a.txt", "a-0", 1.0, text=text, published=published)


def test_years_are_four_digit_years_not_amounts_or_longer_numbers():
    assert years_in("In 2019 and the 2018-19 season, $2020 and 2,019 seats, 20231 and 2023.5") == [2019, 2018]
    assert years_in("1850 and 2150 are out of range") == []


def test_the_question_year_is_the_earliest_it_names():
    assert question_year("Who won between 2021 and 2023?") == 2021
    assert question_year("Who won this week?") is None


def test_an_article_is_as_recent_as_its_date_or_newest_year():
    assert latest_year([chunk("In 2012 the prize began."), chunk("The 2015 round.")]) == 2015
    assert latest_year([chunk("No years here.", published="2024-03-01")]) == 2024
    assert latest_year([chunk("No years at all.")]) is None


def test_only_an_article_plainly_older_than_the_year_predates_it():
    old = [chunk("The 2011 ceremony.")]
    assert predates(old, 2024)
    assert not predates(old, 2011)
    assert not predates([chunk("Undated story.")], 2024)  # nothing shows when it was written
    assert not predates(old, None)


def test_an_earlier_years_story_is_known_by_its_headline():
    from assistant.generate.extractive.timeframe import dated_by_older_headline

    chunks = [RetrievedChunk("old.txt", "old#0", 0.0, "In 2031 the cup went west.", title="2031 Harbour Cup final preview"),
              RetrievedChunk("new.txt", "new#0", 0.0, "Riverton won.", title="Riverton lift 2033 Harbour Cup"),
              RetrievedChunk("plain.txt", "plain#0", 0.0, "A cup was won in 2020.", title="Cup final report")]
    assert dated_by_older_headline(chunks) == {"old.txt"}  # a body's years and undated headlines date nothing
    assert dated_by_older_headline(chunks[2:]) == set()
