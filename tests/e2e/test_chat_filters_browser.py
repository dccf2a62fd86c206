"""The chat's Filters panel in a real browser: an outlet filter and a date range restrict which
articles answer, and sources are named "title · outlet · date" with the file as a tooltip.

Needs Debian's Chromium (`make browser`); skipped without it unless CI is set.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_chat_browser import ask

pytestmark = [pytest.mark.integration, pytest.mark.slow]

S000 = "000_b84748c9215d69a7.txt"  # the seed whose outlet is "TASS"


def _open_filters(page) -> None:
    page.locator("#filters").get_by_text("Filters").first.click()
    page.locator("#since input, #since textarea").first.wait_for()


LATEST_TITLES = "#sources-box .src-card:not(details .src-card) .src-title"  # earlier answers fold into <details>


def _source_files(page) -> list[str]:
    return page.locator(LATEST_TITLES).evaluate_all("els => els.map(e => e.title)")


def test_outlet_filter_limits_the_sources(page):
    unfiltered = ask(page, "How did Moscow react to the defence minister's remarks about Ukraine?")
    assert "[1]" in unfiltered
    before = _source_files(page)
    assert before and S000 not in before  # without a filter other articles answer

    _open_filters(page)
    page.locator("#outlets input").click()
    page.get_by_role("option", name="TASS").click()
    page.keyboard.press("Escape")
    # The same question, filtered: only the TASS article may be read, and it does not answer this.
    filtered = ask(page, "How did Moscow react to the defence minister's remarks about Ukraine?")
    assert "S. Korea-Russia ties hit new low" not in filtered  # the article that answered unfiltered is out
    assert "Russian envoy terms arms supplies" in filtered  # the TASS article is what was searched
    answer = ask(page, "What did the Russian ambassador say about arms supplies to Kiev?")
    assert "[1]" in answer
    files = _source_files(page)
    assert files and set(files) == {S000}
    titles = page.locator(LATEST_TITLES).all_inner_texts()
    assert all("TASS" in t for t in titles)
    assert all(".txt" not in t for t in titles)  # the file name is only the tooltip


def test_date_range_with_no_articles_abstains(page):
    _open_filters(page)
    page.locator("#since input, #since textarea").first.fill("2090-01-01")
    answer = ask(page, "What did Peskov say about Yoon's remarks?")
    assert "don't say" in answer
    assert page.locator("#sources-box .src-card:not(details .src-card)").count() == 0
