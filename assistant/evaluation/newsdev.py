"""The news-dev set (``../shared/news-dev``, real news) and its deterministic CI subset.

news-dev is read where it lies and never copied into the project. A subset is a folder of
symlinks to some of its articles (under a git-ignored or temporary path) plus gold files
restricted to the chosen questions:

- questions: ``n_questions`` picked by a seeded hash of their ids, answerable and
  unanswerable in the proportion of the whole gold file;
- articles: every ``sources``/``relevant`` article of the chosen questions, plus
  ``n_distractors`` other articles picked by a seeded hash of their file names.

news-dev's gold files repeat one id for two different questions; :func:`write_gold` writes
copies whose later duplicates get a ``-2``, ``-3`` ... suffix (the same in both files, keyed by
the question), since results are matched to questions by id.

Same inputs, same subset: the CI gate (``tests/integration/test_news_dev_gate.py``) and
``python -m assistant.evaluation.newsdev subset DIR`` build exactly the same one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .gold import parse_gold_item

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NEWS_DEV = ROOT.parent / "shared" / "news-dev"
SEED = "news-dev-ci-1"
N_QUESTIONS = 60
N_DISTRACTORS = 300


def news_dev_dir() -> Path:
    """Where news-dev is read from: ``$NEWS_DEV``, else ``../shared/news-dev`` beside the project."""
    return Path(os.environ.get("NEWS_DEV") or DEFAULT_NEWS_DEV)


def missing_reason(news_dev: Path) -> str | None:
    """Why news-dev cannot be used here (None when it can)."""
    for part in ("corpus", "gold.jsonl", "gold-lenient.jsonl"):
        if not (news_dev / part).exists():
            return f"news-dev not found: {news_dev / part} is missing (set NEWS_DEV to its folder)"
    return None


def _rank(name: str, seed: str) -> str:
    return hashlib.sha1(f"{seed}:{name}".encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Subset:
    folder: Path
    corpus: Path
    gold: Path
    lenient: Path
    question_ids: list[str]
    articles: list[str]


def select(news_dev: Path, n_questions: int = N_QUESTIONS, n_distractors: int = N_DISTRACTORS,
           seed: str = SEED) -> tuple[list[str], list[str]]:
    """(question ids in gold order, article file names sorted) of the subset."""
    items = [parse_gold_item(d, f"{news_dev / 'gold.jsonl'} item {n}")
             for n, d in enumerate(unique_id_lines(news_dev / "gold.jsonl"), start=1)]
    n_questions = min(n_questions, len(items))
    n_answerable = round(n_questions * sum(i.answerable for i in items) / len(items))
    pools = {True: [i for i in items if i.answerable], False: [i for i in items if not i.answerable]}
    chosen: set[str] = set()
    for answerable, want in ((True, n_answerable), (False, n_questions - n_answerable)):
        ranked = sorted(pools[answerable], key=lambda i: _rank(i.id, seed))
        chosen |= {i.id for i in ranked[:want]}
    ids = [i.id for i in items if i.id in chosen]
    names = sorted(p.name for p in (news_dev / "corpus").iterdir() if p.is_file())
    needed = {s for i in items if i.id in chosen for s in i.allowed_sources} & set(names)
    others = sorted((n for n in names if n not in needed), key=lambda n: _rank(n, seed))
    return ids, sorted(needed | set(others[:n_distractors]))


def unique_id_lines(src: Path) -> list[dict]:
    """The gold file's objects, later questions that reuse an id renamed ``id-2``, ``id-3`` ..."""
    seen: dict[str, list[str]] = {}
    out = []
    for line in src.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        questions = seen.setdefault(data["id"], [])
        if data["question"] not in questions:
            questions.append(data["question"])
        n = questions.index(data["question"]) + 1
        if n > 1:
            data["id"] = f"{data['id']}-{n}"
        out.append(data)
    return out


def write_gold(src: Path, dst: Path, ids: set[str] | None = None) -> Path:
    """Copy a news-dev gold file with unique ids (optionally only the given ids) to dst."""
    rows = [d for d in unique_id_lines(src) if ids is None or d["id"] in ids]
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in rows), encoding="utf-8")
    return dst


def build_subset(news_dev: Path, folder: Path, n_questions: int = N_QUESTIONS,
                 n_distractors: int = N_DISTRACTORS, seed: str = SEED) -> Subset:
    """Write ``folder/corpus`` (symlinks), ``folder/gold.jsonl`` and ``folder/gold-lenient.jsonl``."""
    news_dev = Path(news_dev).absolute()
    folder = Path(folder)
    ids, articles = select(news_dev, n_questions, n_distractors, seed)
    corpus = folder / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    for name in articles:
        (corpus / name).symlink_to(news_dev / "corpus" / name)
    write_gold(news_dev / "gold.jsonl", folder / "gold.jsonl", set(ids))
    write_gold(news_dev / "gold-lenient.jsonl", folder / "gold-lenient.jsonl", set(ids))
    return Subset(folder, corpus, folder / "gold.jsonl", folder / "gold-lenient.jsonl", ids, articles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.evaluation.newsdev",
                                     description="Build the deterministic news-dev subset (symlinks, gold files).")
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("gold", help="Write DIR/gold.jsonl and DIR/gold-lenient.jsonl: all questions, ids made unique")
    g.add_argument("folder")
    g.add_argument("--news-dev", default=None, help="news-dev folder (default $NEWS_DEV or ../shared/news-dev)")
    p = sub.add_parser("subset", help="Write DIR/corpus (symlinks), DIR/gold.jsonl, DIR/gold-lenient.jsonl")
    p.add_argument("folder")
    p.add_argument("--news-dev", default=None, help="news-dev folder (default $NEWS_DEV or ../shared/news-dev)")
    p.add_argument("--questions", type=int, default=N_QUESTIONS)
    p.add_argument("--distractors", type=int, default=N_DISTRACTORS)
    args = parser.parse_args(argv)
    news_dev = Path(args.news_dev) if args.news_dev else news_dev_dir()
    reason = missing_reason(news_dev)
    if reason:
        print(f"skipped: {reason}", file=sys.stderr)
        return 0
    if args.command == "gold":
        for name in ("gold.jsonl", "gold-lenient.jsonl"):
            write_gold(news_dev / name, Path(args.folder) / name)
        print(f"gold files with unique ids in {args.folder}")
        return 0
    subset = build_subset(news_dev, Path(args.folder), args.questions, args.distractors)
    print(f"{len(subset.question_ids)} questions, {len(subset.articles)} articles in {subset.corpus}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
