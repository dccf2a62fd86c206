"""`assistant eval`: evaluate the configured generator on a gold file, optionally on another corpus."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from .runner import check_thresholds, load_thresholds, run_eval


def run_from_cli(settings, args) -> int:
    from ..pipeline import Assistant

    if getattr(args, "calibrate", False):
        from .calibrate import calibrate

        print(json.dumps(calibrate(settings, args.gold), indent=2))
        return 0
    if args.corpus:
        corpus = Path(args.corpus)
        # Another corpus gets its own collection, so the default index is left as it is.
        settings = settings.model_copy(update={"corpus_dir": corpus, "collection": f"eval-{corpus.resolve().name}"[:60]})
    out = Path(args.out or Path("eval/reports") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    bot = Assistant(settings)
    if args.corpus:
        print(bot.index([Path(args.corpus)], progress=False).summary(), file=sys.stderr)
    metrics = run_eval(args.gold, out, bot, settings.corpus_dir, progress=sys.stderr.isatty(), k=args.k)
    overall = metrics["overall"]
    keys = ("strict_pass_rate", "fact_recall", "citation_precision", "citation_recall", "groundedness",
            "abstention_accuracy", "false_abstention_rate", "hit_at_k", "mrr", "latency_p50_ms", "latency_p95_ms")
    print(json.dumps({k: overall.get(k) for k in keys}, indent=2))
    print(f"report: {out / 'report.md'}")
    failures = check_thresholds(metrics, load_thresholds())
    for line in failures:
        print(f"below threshold: {line}", file=sys.stderr)
    return 1 if (failures and args.check) else 0
