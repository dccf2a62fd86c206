"""The gold loader's validation, and the project's gold set checked against the articles."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluation.gold import GoldFormatError, GoldItem, load_gold
from assistant.evaluation.metrics import contains_phrase

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold.jsonl"
SEEDS = ROOT / "seeds"
CATEGORIES = {"single_fact", "what_said", "multi_article", "paraphrase", "numbers_dates", "unanswerable", "followup"}


# --------------------------------------------------------------------------- loader

def _write(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "q1", "question": "Who?", "answerable": True, "category": "single_fact",
        "must_include": [["Kulik"]], "sources": ["a.txt"], "relevant": ["a.txt", "b.txt"]}


def test_loads_items_with_defaults_and_ignores_unknown_fields(tmp_path):
    minimal = {"id": "q2", "question": "Weather?", "answerable": False, "whatever": 42}
    follow = {**GOOD, "id": "q3", "history": [["Who?", "Kulik."]], "reference": "r", "extra": {"x": 1}}
    items = load_gold(_write(tmp_path, [GOOD, "", minimal, follow]))
    assert [i.id for i in items] == ["q1", "q2", "q3"]
    assert isinstance(items[0], GoldItem)
    assert items[0].must_include == [["Kulik"]] and items[0].relevant == ["a.txt", "b.txt"]
    assert items[1].category == "uncategorized" and items[1].must_include == [] and items[1].sources == []
    assert items[2].history == [("Who?", "Kulik.")] and items[2].reference == "r"
    assert [i.line for i in items] == [1, 3, 4]


def test_bad_json_names_the_line(tmp_path):
    path = _write(tmp_path, [GOOD, '{"id": "q2", "question": "x", answerable: true}'])
    with pytest.raises(GoldFormatError, match=r"line 2: invalid JSON"):
        load_gold(path)


@pytest.mark.parametrize("change, message", [
    ({"id": None}, "field 'id' must be a string"),
    ({"question": ""}, "field 'question' is empty"),
    ({"answerable": "yes"}, "field 'answerable' must be true or false"),
    ({"must_include": [["ok"], []]}, "must_include group 1"),
    ({"must_include": [[1]]}, "must_include group 0"),
    ({"sources": "a.txt"}, "field 'sources' must be a list of strings"),
    ({"history": [["only the question"]]}, "history turn 0"),
    ({"answerable": False}, "unanswerable question must have empty"),
])
def test_invalid_fields_are_rejected_with_line_number(tmp_path, change, message):
    bad = {**GOOD, "id": "q9", **change}
    with pytest.raises(GoldFormatError, match="line 2") as info:
        load_gold(_write(tmp_path, [GOOD, bad]))
    assert message in str(info.value)


def test_missing_required_field(tmp_path):
    bad = {k: v for k, v in GOOD.items() if k != "answerable"}
    with pytest.raises(GoldFormatError, match="line 1.*missing required field 'answerable'"):
        load_gold(_write(tmp_path, [bad]))


def test_duplicate_ids_rejected(tmp_path):
    with pytest.raises(GoldFormatError, match="line 2: duplicate id 'q1' \\(first on line 1\\)"):
        load_gold(_write(tmp_path, [GOOD, GOOD]))


def test_missing_file_and_empty_file(tmp_path):
    with pytest.raises(GoldFormatError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="no questions"):
        load_gold(tmp_path / "empty.jsonl")


# --------------------------------------------------------------------------- the project's gold set

@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir() if p.is_file()}


def test_gold_size_and_categories(gold):
    counts = Counter(item.category for item in gold)
    assert len(gold) >= 60
    assert sum(not item.answerable for item in gold) >= 12
    assert set(counts) == CATEGORIES, f"unexpected or missing categories: {set(counts) ^ CATEGORIES}"
    assert counts["unanswerable"] >= 12
    assert counts["followup"] >= 6


def test_gold_ids_unique_and_sequential_style(gold):
    ids = [item.id for item in gold]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("q") and i[1:].isdigit() for i in ids)


def test_unanswerable_category_is_unanswerable(gold):
    for item in gold:
        if item.category == "unanswerable":
            assert not item.answerable, item.id
        if not item.answerable:
            assert item.must_include == [] and item.sources == [] and item.relevant == [], item.id


def test_sources_exist_and_are_relevant(gold, articles):
    for item in gold:
        for source in item.sources + item.relevant:
            assert source in articles, f"{item.id}: {source} is not in seeds/"
        assert set(item.sources) <= set(item.relevant), f"{item.id}: sources not a subset of relevant"
        if item.answerable:
            assert item.sources and item.must_include, f"{item.id}: answerable without sources or facts"
            assert 1 <= len(item.must_include) <= 3, f"{item.id}: keep must_include to 1-3 essential groups"


def test_multi_article_questions_need_two_articles(gold):
    for item in gold:
        if item.category == "multi_article":
            assert len(item.sources) >= 2, item.id


def test_every_fact_group_occurs_in_the_articles(gold, articles):
    problems = []
    for item in gold:
        if not item.answerable:
            continue
        texts = [articles[s] for s in item.relevant]
        for group in item.must_include:
            if not any(contains_phrase(text, variant) for text in texts for variant in group):
                problems.append(f"{item.id}: none of {group} occurs in {item.relevant}")
    assert not problems, "\n".join(problems)


def test_followups_carry_history(gold):
    questions = {item.question for item in gold}
    followups = [item for item in gold if item.category == "followup"]
    assert len(followups) >= 6
    for item in followups:
        assert item.history, f"{item.id}: a follow-up needs its earlier turn(s)"
        for question, answer in item.history:
            assert question.strip() and answer.strip(), item.id
        # the first question of each pair is asked on its own line too
        assert item.history[0][0] in questions, f"{item.id}: its first question is not a gold item"
    assert all(not item.history for item in gold if item.category != "followup")


# --------------------------------------------------------------------------- the dev / test split

DEV = ROOT / "eval" / "gold-dev.jsonl"
TEST = ROOT / "eval" / "gold-test.jsonl"
LAST_PRE_SPLIT_ID = 85  # q001-q085 were written (and tuned on) before the split


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_is_the_union_of_dev_and_test():
    """eval/gold.jsonl stays the whole set (older callers); it is dev then test, line for line."""
    assert _lines(GOLD) == _lines(DEV) + _lines(TEST), "regenerate: cat eval/gold-dev.jsonl eval/gold-test.jsonl > eval/gold.jsonl"


def test_splits_are_disjoint_labelled_and_cover_every_category():
    dev, test = load_gold(DEV), load_gold(TEST)
    assert {i.split for i in dev} == {"dev"} and {i.split for i in test} == {"test"}
    assert not {i.id for i in dev} & {i.id for i in test}
    assert {i.question for i in dev}.isdisjoint({i.question for i in test})
    for half in (dev, test):
        counts = Counter(i.category for i in half)
        assert set(counts) == CATEGORIES and min(counts.values()) >= 5, counts
        assert sum(not i.answerable for i in half) >= 10


def test_test_split_is_mostly_new_questions():
    new = [i for i in load_gold(TEST) if int(i.id[1:]) > LAST_PRE_SPLIT_ID]
    assert len(new) >= 25
    assert set(Counter(i.category for i in new)) == CATEGORIES


def test_followups_stay_in_the_split_of_their_first_question():
    for path in (DEV, TEST):
        items = load_gold(path)
        questions = {i.question for i in items}
        for item in items:
            if item.history:
                assert item.history[0][0] in questions, f"{path.name} {item.id}: its first question is in the other split"


def test_short_answers_occur_in_the_articles(gold, articles):
    problems = []
    for item in gold:
        if item.answerable:
            assert item.short_answer is not None, f"{item.id}: say which short answers apply ([] for none)"
        variants = item.short_answer or []  # like a must_include group: one variant verbatim, others restatements
        if variants and not any(contains_phrase(articles[s], v) for s in item.relevant for v in variants):
            problems.append(f"{item.id}: no short answer of {variants} occurs in {item.relevant}")
    assert not problems, "\n".join(problems)


TUNING = ROOT / "eval" / "gold-tuning.jsonl"


def test_the_tuning_questions_follow_the_gold_rules(articles):
    """Extra dev questions written later for tuning (paraphrases, several articles); not gated."""
    tuning = load_gold(TUNING)
    assert tuning and all(item.split == "dev" and item.id.startswith("t") for item in tuning)
    assert not {item.id for item in tuning} & {item.id for item in load_gold(GOLD)}
    test_unanswerable_category_is_unanswerable(tuning)
    test_sources_exist_and_are_relevant(tuning, articles)
    test_multi_article_questions_need_two_articles(tuning)
    test_every_fact_group_occurs_in_the_articles(tuning, articles)
