"""`assistant eval`: evaluate the configured generator on a gold file, optionally on another corpus."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from .runner import THRESHOLDS_PATH, check_thresholds, load_thresholds, run_eval

DEFAULT_GOLD = "eval/gold.jsonl"
DEV_GOLD = "eval/gold-dev.jsonl"
SUMMARY_KEYS = ("strict_pass_rate", "answerable_strict_pass_rate", "short_answer_em", "fact_recall",
                "citation_precision", "citation_precision_lenient", "citation_recall", "groundedness",
                "abstention_accuracy", "false_abstention_rate", "hit_at_k", "mrr", "latency_p50_ms", "latency_p95_ms")


def _calibrate(settings, args) -> int:
    """Calibrate on dev data only: the seed dev split, plus news-dev when its index is given."""
    from .calibrate import calibrate_sets

    gold = DEV_GOLD if args.gold == DEFAULT_GOLD else args.gold
    sets = [(settings, gold)]
    news_index = getattr(args, "news_index", None)
    if news_index:
        from .newsdev import missing_reason, news_dev_dir, write_gold

        news_dev = Path(getattr(args, "news_dev", None) or news_dev_dir())
        reason = missing_reason(news_dev)
        if reason:
            print(f"{reason}: calibrating on {gold} only", file=sys.stderr)
        else:
            news_gold = write_gold(news_dev / "gold.jsonl", Path("eval/cache/news-dev-gold/gold.jsonl"))
            sets.append((settings.model_copy(update={"index_dir": Path(news_index), "corpus_dir": news_dev / "corpus"}),
                         news_gold))
    print(json.dumps(calibrate_sets(sets, settings.abstain_threshold), indent=2))
    return 0


def run_from_cli(settings, args) -> int:
    from ..pipeline import Assistant

    if getattr(args, "calibrate", False):
        return _calibrate(settings, args)
    if args.corpus:
        corpus = Path(args.corpus)
        # Another corpus gets its own collection, so the default index is left as it is.
        settings = settings.model_copy(update={"corpus_dir": corpus, "collection": f"eval-{corpus.resolve().name}"[:60]})
    out = Path(args.out or Path("eval/reports") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    thresholds_path = Path(getattr(args, "thresholds", None) or THRESHOLDS_PATH)
    thresholds = load_thresholds(thresholds_path)
    bot = Assistant(settings)
    if args.corpus:
        print(bot.index([Path(args.corpus)], progress=None).summary(), file=sys.stderr)
    metrics = run_eval(args.gold, out, bot, settings.corpus_dir, progress=sys.stderr.isatty(), k=args.k,
                       thresholds=thresholds, lenient=getattr(args, "lenient", None))
    overall = metrics["overall"]
    summary = {k: overall.get(k) for k in SUMMARY_KEYS if k in overall}
    if metrics.get("by_split"):
        summary["by_split"] = {name: {k: block.get(k) for k in SUMMARY_KEYS if k in block}
                               for name, block in metrics["by_split"].items()}
    print(json.dumps(summary, indent=2))
    print(f"report: {out / 'report.md'}")
    failures = check_thresholds(metrics, thresholds)
    for line in failures:
        print(f"below threshold ({thresholds_path.name}): {line}", file=sys.stderr)
    return 1 if (failures and args.check) else 0
