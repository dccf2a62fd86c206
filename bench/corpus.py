"""Deterministic large corpora for the benchmarks, made from the five seed articles.

Each generated article recombines sentences of the seeds (a fixed random draw per
article) under a generated header (outlet, headline, byline, dateline), then swaps the
people, cities, weekdays, dates and numbers for ones drawn from fixed lists, so the text
reads like the seeds but no two articles are the same (every article's content hash is
checked). Nothing is downloaded.

Article ``i`` depends only on the seed and ``i``, so corpora are nested: the 10k-chunk
corpus is the first part of the 100k-chunk one, and a corpus can grow without changing
what it already holds. Every corpus starts with the five seed articles themselves, so
the gold questions have their real answers at every size.

    python -m bench.corpus --chunks 10000 --out bench/corpora/gen-10000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.ingest.chunk import article_sentences, chunk_article
from assistant.ingest.parse import parse_article

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DEFAULT_SEED = 20240510
GENERATOR_VERSION = 1  # bump when the generated text changes (invalidates cached corpora and stores)

# People in the seeds (full name first, so "Dmitry Peskov" is swapped whole) -> role kept.
_PEOPLE = [
    ("Dmitry Peskov", "Peskov"), ("Maria Zakharova", "Zakharova"), ("Andrey Kulik", "Kulik"),
    ("Vladimir Putin", "Putin"), ("Yoon Suk Yeol", "Yoon"), ("Shin Won-sik", "Shin"),
    ("Dmitry Medvedev", "Medvedev"), ("Lee Hyo-jin", "Lee"), ("Kim Jong-un", "Kim"),
]
_FIRST = ["Anton", "Boris", "Elena", "Irina", "Oleg", "Pavel", "Sergei", "Tatiana", "Viktor", "Yulia",
          "Alina", "Denis", "Galina", "Igor", "Kirill", "Larisa", "Mikhail", "Nadia", "Roman", "Vera"]
_LAST = ["Sorokin", "Volkova", "Lebedev", "Morozova", "Novikov", "Fedorova", "Kozlov", "Pavlova", "Sokolov",
         "Orlova", "Belov", "Zaitseva", "Gromov", "Egorova", "Tarasov", "Vlasova", "Frolov", "Kuznetsova"]
_KOREAN_FAMILY = ["Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Kwon"]
_KOREAN_GIVEN = ["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-hyun", "Soo-ah", "Jae-won", "Eun-ji", "Hyun-woo"]
_CITIES = [("Seoul", ["Busan", "Incheon", "Daegu", "Gwangju", "Daejeon", "Ulsan"]),
           ("Moscow", ["Kazan", "Novosibirsk", "Yekaterinburg", "Samara", "Omsk", "Vladivostok"]),
           ("Pyongyang", ["Wonsan", "Hamhung", "Chongjin", "Kaesong"]),
           ("Kyiv", ["Kharkiv", "Odesa", "Dnipro", "Lviv"]), ("Kiev", ["Kharkov", "Odessa", "Lvov"]),
           ("St. Petersburg", ["Sochi", "Kaliningrad", "Murmansk"])]
_OUTLETS = ["The Korea Times", "The Korea Herald", "Yonhap", "TASS", "Interfax", "Reuters", "NK News",
            "The Moscow Times", "Korea JoongAng Daily", "The Chosun Ilbo", "Hankyoreh", "Kyodo"]
_AGENCIES = ["TASS", "Interfax", "Yonhap", "Reuters", "AFP", "Kyodo"]
_DATELINE_CITIES = ["SEOUL", "MOSCOW", "TOKYO", "BEIJING", "WASHINGTON", "BERLIN", "LONDON", "PARIS", "BUSAN"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_TOPICS = ["arms supplies", "bilateral ties", "sanctions", "military cooperation", "the peace talks",
           "grain exports", "energy deals", "the summit", "border security", "a prisoner exchange",
           "missile tests", "trade routes", "the envoy's remarks", "humanitarian aid", "port access"]
_VERBS = ["warns", "rejects", "welcomes", "questions", "slams", "backs", "criticises", "defends", "weighs",
          "downplays"]
_MONTH_RE = "|".join(_MONTHS)
_DATE = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})\b")
_DAY = re.compile(r"\b(" + "|".join(_DAYS) + r")\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
_NUMBER = re.compile(r"(?<![\w.])(\d+)(?![\w.])")


@dataclass(frozen=True)
class GeneratedArticle:
    name: str
    text: str
    chunks: int


@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """Every story sentence of the seed articles (headlines and bylines left out)."""
    pool: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        article = parse_article(path.name, text)
        runs = article_sentences(article)
        for run in runs[1:] if len(runs) > 1 else runs:
            pool.extend(" ".join(text[a:b].split()) for a, b in run if 40 <= b - a <= 600)
    return tuple(dict.fromkeys(pool))


def _person(rng: random.Random, korean: bool) -> tuple[str, str]:
    if korean:
        family = rng.choice(_KOREAN_FAMILY)
        return f"{family} {rng.choice(_KOREAN_GIVEN)}", family
    last = rng.choice(_LAST)
    return f"{rng.choice(_FIRST)} {last}", last


def _swap(text: str, rng: random.Random, people: dict[str, tuple[str, str]], cities: dict[str, str],
          month: str, day: int, year: int) -> str:
    for full, short in _PEOPLE:
        new_full, new_short = people[full]
        text = re.sub(rf"\b{re.escape(short)}\b", new_short, text.replace(full, new_full))
    for old, new in cities.items():
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    text = _DATE.sub(lambda m: f"{month} {day}", text)
    text = _DAY.sub(lambda m: rng.choice(_DAYS), text)
    text = _YEAR.sub(lambda m: str(year - rng.randint(0, 3)), text)

    def number(m: re.Match) -> str:
        digits = m.group(1)
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return digits  # a year already swapped
        low = 1 if len(digits) == 1 else 10 ** (len(digits) - 1)
        return str(rng.randint(low, 10 ** len(digits) - 1))

    return _NUMBER.sub(number, text)


def make_article(index: int, seed: int = DEFAULT_SEED) -> tuple[str, str]:
    """(file name, text) of generated article number `index` (deterministic in seed and index)."""
    rng = random.Random(f"{seed}:{GENERATOR_VERSION}:{index}")
    pool = sentence_pool()
    people = {full: _person(rng, korean=short in ("Yoon", "Shin", "Lee", "Kim")) for full, short in _PEOPLE}
    cities = {old: rng.choice(new) for old, new in _CITIES}
    month, day, year = rng.choice(_MONTHS), rng.randint(1, 28), rng.randint(2019, 2025)
    outlet = rng.choice(_OUTLETS)
    speaker = people[rng.choice(_PEOPLE)[0]][1]
    headline = f"{speaker} {rng.choice(_VERBS)} {rng.choice(_TOPICS)} as {rng.choice(_TOPICS)} stall"
    byline = _person(rng, korean=rng.random() < 0.5)[0]
    picked = rng.sample(range(len(pool)), k=min(len(pool), rng.randint(8, 16)))
    sentences = [_swap(pool[i], rng, people, cities, month, day, year) for i in picked]
    dateline = f"{rng.choice(_DATELINE_CITIES)}, {month} {day}. /{rng.choice(_AGENCIES)}/. "
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i:i + take]))
        i += take
    paragraphs[0] = dateline + paragraphs[0]
    text = "\n\n".join([outlet, headline, f"- By {byline}", *paragraphs]) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"g{index:06d}_{digest}.txt", text


def count_chunks(name: str, text: str, chunk_chars: int = 700, overlap: int = 1) -> int:
    return len(chunk_article(parse_article(name, text), chunk_chars, overlap))


def generate(target_chunks: int, seed: int = DEFAULT_SEED, include_seeds: bool = True) -> tuple[list[GeneratedArticle], int]:
    """Articles (the seeds first, then generated ones) until they hold at least target_chunks
    chunks, and the index of the next generated article."""
    out: list[GeneratedArticle] = []
    hashes: set[str] = set()
    total = 0
    if include_seeds:
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            hashes.add(hashlib.sha256(text.encode()).hexdigest())
            n = count_chunks(path.name, text)
            out.append(GeneratedArticle(path.name, text, n))
            total += n
    index = 0
    while total < target_chunks:
        name, text = make_article(index, seed)
        index += 1
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in hashes:  # never in practice; kept so "no duplicates" is a guarantee
            continue
        hashes.add(digest)
        n = count_chunks(name, text)
        out.append(GeneratedArticle(name, text, n))
        total += n
    return out, index


def write_corpus(target_chunks: int, out_dir: str | Path, seed: int = DEFAULT_SEED) -> dict:
    """Write the corpus for target_chunks into out_dir (reused when already complete); returns its info."""
    out_dir = Path(out_dir)
    info_path = out_dir / "corpus.json"
    if info_path.exists():
        info = json.loads(info_path.read_text())
        if info.get("target_chunks") == target_chunks and info.get("seed") == seed \
                and info.get("generator") == GENERATOR_VERSION:
            return info
    articles, next_index = generate(target_chunks, seed)
    tmp = out_dir.with_name(out_dir.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "articles").mkdir(parents=True)
    for article in articles:
        (tmp / "articles" / article.name).write_text(article.text, encoding="utf-8")
    fingerprint = hashlib.sha1("\n".join(a.name for a in articles).encode()).hexdigest()[:16]
    info = {"target_chunks": target_chunks, "seed": seed, "generator": GENERATOR_VERSION,
            "articles": len(articles), "chunks": sum(a.chunks for a in articles),
            "chars": sum(len(a.text) for a in articles), "fingerprint": fingerprint, "next_index": next_index}
    (tmp / "corpus.json").write_text(json.dumps(info, indent=1))
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)
    return info


def extra_articles(count: int, after: int, seed: int = DEFAULT_SEED) -> list[tuple[str, str]]:
    """`count` further generated articles, numbered after the corpus's last (for incremental runs)."""
    return [make_article(after + i, seed) for i in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    print(json.dumps(write_corpus(args.chunks, args.out, args.seed)))


if __name__ == "__main__":
    main()
