"""Calibrate the extractive generator's abstention threshold on development gold data.

Every question is answered with the threshold at 0; the evidence score (Answer.confidence)
of answerable and unanswerable questions is compared, and the threshold is suggested in
the middle of the gap between them (or where the fewest questions are misjudged).

Only dev data is used: items marked ``"split": "test"`` are always dropped, and a file
holding nothing else is refused, so a test split can be reported but never tuned on.
Several (settings, gold file) sets can be pooled: the seed dev split on the seed index
and news-dev on its own index.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AssistantError
from .gold import load_gold


class CalibrationDataError(AssistantError, ValueError):
    """The gold data given for calibration is not development data."""


def dev_items(gold_path) -> list:
    """The gold items calibration may use: every item not marked as the test split."""
    items = [item for item in load_gold(gold_path) if item.split != "test"]
    if not items:
        raise CalibrationDataError(
            f"{gold_path} holds only test-split questions; calibrate on a dev file (eval/gold-dev.jsonl)")
    return items


def evidence_scores(settings, gold_path) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """(answerable, unanswerable) lists of (evidence score, id) with the threshold at 0."""
    from ..pipeline import Assistant

    bot = Assistant(settings.model_copy(update={"abstain_threshold": 0.0, "generator": "extractive"}))
    answerable: list[tuple[float, str]] = []
    unanswerable: list[tuple[float, str]] = []
    try:
        for item in dev_items(gold_path):
            result = bot.answer(item.question, history=[tuple(h) for h in item.history] or None)
            if result.abstained:  # abstained by a rule (unknown name, no date ...), not by the threshold
                continue
            (answerable if item.answerable else unanswerable).append((result.confidence or 0.0, item.id))
    finally:
        close = getattr(bot, "close", None)
        if callable(close):
            close()
    return answerable, unanswerable


def suggest(answerable: list[tuple[float, str]], unanswerable: list[tuple[float, str]]) -> tuple[float, int]:
    """The suggested threshold and how many questions it misjudges."""
    candidates = sorted({round(c, 3) for c, _ in answerable + unanswerable} | {0.0, 1.0})

    def errors(t: float) -> int:
        return sum(c < t for c, _ in answerable) + sum(c >= t for c, _ in unanswerable)

    best = min(errors(t) for t in candidates)
    lowest_ok = min(c for c, _ in answerable) if answerable else 1.0
    highest_bad = max((c for c, _ in unanswerable), default=0.0)
    suggested = round((lowest_ok + highest_bad) / 2, 3) if highest_bad < lowest_ok else min(
        (t for t in candidates if errors(t) == best))
    return suggested, errors(suggested)


def calibrate_sets(sets: list[tuple[object, str | Path]], current: float | None = None) -> dict:
    """Pool the evidence scores of several (settings, gold file) sets and suggest a threshold."""
    answerable: list[tuple[float, str]] = []
    unanswerable: list[tuple[float, str]] = []
    per_set = {}
    for settings, gold_path in sets:
        ok, bad = evidence_scores(settings, gold_path)
        answerable += ok
        unanswerable += bad
        per_set[str(gold_path)] = {"n_answerable_scored": len(ok), "n_unanswerable_scored": len(bad),
                                   "suggested_threshold": suggest(ok, bad)[0]}
    suggested, misjudged = suggest(answerable, unanswerable)
    return {
        "gold_files": [str(g) for _, g in sets],
        "per_file": per_set,
        "weakest_answerable": sorted(answerable)[:5],
        "strongest_unanswerable": sorted(unanswerable, reverse=True)[:5],
        "suggested_threshold": suggested,
        "misjudged_at_suggested": misjudged,
        "current_threshold": current,
    }


def calibrate(settings, gold_path) -> dict:
    """Calibrate on one gold file's dev items with the given settings (index, corpus)."""
    return calibrate_sets([(settings, gold_path)], settings.abstain_threshold)
