"""Calibrate the extractive generator's abstention threshold on a gold file.

Every question is answered with the threshold at 0; the evidence score (Answer.confidence)
of answerable and unanswerable questions is compared, and the threshold is suggested in
the middle of the gap between them (or where the fewest questions are misjudged).
"""

from __future__ import annotations

from .gold import load_gold


def calibrate(settings, gold_path) -> dict:
    from ..pipeline import Assistant

    bot = Assistant(settings.model_copy(update={"abstain_threshold": 0.0, "generator": "extractive"}))
    answerable: list[tuple[float, str]] = []
    unanswerable: list[tuple[float, str]] = []
    for item in load_gold(gold_path):
        result = bot.answer(item.question, history=[tuple(h) for h in item.history] or None)
        if result.abstained:  # abstained by a rule (unknown name, no date ...), not by the threshold
            continue
        (answerable if item.answerable else unanswerable).append((result.confidence or 0.0, item.id))
    candidates = sorted({round(c, 3) for c, _ in answerable + unanswerable} | {0.0, 1.0})

    def errors(t: float) -> int:
        return sum(c < t for c, _ in answerable) + sum(c >= t for c, _ in unanswerable)

    best = min(errors(t) for t in candidates)
    lowest_ok = min(c for c, _ in answerable) if answerable else 1.0
    highest_bad = max((c for c, _ in unanswerable), default=0.0)
    suggested = round((lowest_ok + highest_bad) / 2, 3) if highest_bad < lowest_ok else min(
        (t for t in candidates if errors(t) == best))
    return {
        "weakest_answerable": sorted(answerable)[:5],
        "strongest_unanswerable": sorted(unanswerable, reverse=True)[:5],
        "suggested_threshold": suggested,
        "misjudged_at_suggested": errors(suggested),
        "current_threshold": settings.abstain_threshold,
    }
