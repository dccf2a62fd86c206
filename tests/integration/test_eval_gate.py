"""CI gate: the real assistant on eval/gold.jsonl must meet every threshold in eval/thresholds.json.

gold.jsonl is the dev split followed by the test split (each item says which); the thresholds
are scoped: ``test.*`` on the held-out questions (never tuned on, the figures to report) and
``dev.*`` on the tuning questions (a regression floor; no abstention gate there, since the
abstention threshold is calibrated on dev).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.runner import THRESHOLDS_PATH, check_thresholds, load_thresholds, run_eval

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold.jsonl"
SEEDS = ROOT / "seeds"

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_eval_meets_thresholds(tmp_path):
    from assistant import Assistant, Settings

    settings = Settings(index_dir=tmp_path / "index", corpus_dir=SEEDS, data_dir=tmp_path / "data")
    bot = Assistant(settings)
    out = tmp_path / "eval"
    try:
        metrics = run_eval(GOLD, out, bot, SEEDS, progress=False)
    finally:
        close = getattr(bot, "close", None)
        if callable(close):
            close()

    assert set(metrics["by_split"]) == {"dev", "test"}
    failures = check_thresholds(metrics, load_thresholds(THRESHOLDS_PATH))
    if failures:
        rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
        failed = [f"  {r['id']} [{r.get('split')}/{r.get('category')}] {r['question']}\n      -> " + "; ".join(r.get("fail_reasons") or [])
                  for r in rows if not r.get("pass")]
        ungrounded = [f"  {r['id']} citation [{u['n']}] {u['source']}: {u['reason']}"
                      for r in rows for u in r.get("ungrounded") or []]
        message = [f"Eval gate failed ({len(failures)} threshold(s) not met, generator "
                   f"{metrics['config']['generator']!r}, {THRESHOLDS_PATH.name}):"]
        message += [f"- {f}" for f in failures]
        message += ["", f"Failed questions ({len(failed)}):", *failed]
        if ungrounded:
            message += ["", "Ungrounded citations:", *ungrounded]
        message += ["", f"Full report: {out / 'report.md'}"]
        pytest.fail("\n".join(message), pytrace=False)
