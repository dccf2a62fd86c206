"""Deterministic synthetic articles for indexing tests: seed sentences recombined, names and numbers swapped.

Shared by the interrupted-indexing and kill -9 suites, so both exercise the same corpus shape.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
NAMES = [("Peskov", ["Lavrov", "Ushakov", "Shoigu", "Nebenzya"]),
         ("Zakharova", ["Ivanova", "Petrova", "Smirnova"]),
         ("Yoon", ["Han", "Choi", "Park", "Moon"]),
         ("Kulik", ["Orlov", "Belov", "Sokolov"]),
         ("Putin", ["the premier", "the chairman"]),
         ("Seoul", ["Busan", "Incheon", "Daegu"]),
         ("Kiev", ["Lviv", "Odesa"]), ("Kyiv", ["Kharkiv", "Dnipro"])]
CITIES = ["SEOUL", "MOSCOW", "TOKYO", "BEIJING", "WASHINGTON", "BERLIN", "LONDON", "PARIS"]


def sentence_pool() -> list[str]:
    from assistant.ingest.chunk import article_sentences
    from assistant.ingest.parse import parse_article

    pool = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for run in article_sentences(parse_article(path.name, text)):
            pool.extend(text[a:b] for a, b in run if 40 < b - a < 400)
    return pool


def synthetic_articles(n: int, seed: int = 1000) -> dict[str, str]:
    """n distinct, deterministic articles (file name -> text)."""
    pool = sentence_pool()
    articles = {}
    for i in range(n):
        rng = random.Random(seed + i)
        swaps = {old: rng.choice(new) for old, new in NAMES}

        def rewrite(sentence: str) -> str:
            for old, new in swaps.items():
                sentence = sentence.replace(old, new)
            return re.sub(r"\d+", lambda m: str(int(m.group()) + i + 1), sentence)

        city = CITIES[i % len(CITIES)]
        lead = (f"{city}, May {1 + i % 28}. Report number {i} from the {city.title()} bureau covers "
                f"talks between {swaps['Seoul']} and {swaps['Kiev']} delegations.")
        body = [lead] + [rewrite(s) for s in rng.sample(pool, rng.randint(7, 11))]
        paragraphs = [" ".join(body[k:k + 3]) for k in range(0, len(body), 3)]
        title = f"Synthetic dispatch {i}: {swaps['Yoon']} and {swaps['Peskov']} trade words"
        articles[f"syn_{i:03d}.txt"] = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return articles
