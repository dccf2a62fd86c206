"""What the HTTP layer costs: the same questions through `Assistant.answer` and through the API.

    .venv/bin/python -m bench.http_overhead [--questions 30] [--rounds 3] [--sse FILE]

Indexes seeds/ into a temp folder, serves it on a loopback port from this process (same
Assistant, so both paths share the warm model and caches), and asks each gold question
directly and through POST /v1/answer and POST /v1/chat/completions, alternating, after one
warm-up of each; GET /health gives the bare round trip. Client and server share this
process (and its GIL), so the numbers are an upper bound on the layer's cost. Prints p50/p95 of each path and of the per-question difference as JSON;
--sse writes the raw server-sent events of one streamed answer to FILE.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx

import assistant  # noqa: F401  (offline switches first)
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]


def _questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (REPO / "eval" / "gold.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")][:n]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> dict:
    from assistant.pipeline import Assistant
    from assistant.present.http_api import serve

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sse", help="Write one streamed response's raw SSE lines here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="http-overhead-") as tmp:
        settings = Settings(index_dir=Path(tmp) / "index", data_dir=Path(tmp) / "data",
                            corpus_dir=REPO / "seeds", api_port=0)
        bot = Assistant(settings)
        bot.index([REPO / "seeds"], progress=False)
        running = serve(settings, bot, block=False)
        questions = _questions(args.questions)
        direct, rest, chat, floor = [], [], [], []
        with httpx.Client(base_url=running.url, timeout=120) as http:
            def via_rest(q):
                http.post("/v1/answer", json={"question": q}).raise_for_status()

            def via_chat(q):
                http.post("/v1/chat/completions", json={
                    "model": settings.api_model_name, "messages": [{"role": "user", "content": q}]}).raise_for_status()

            for q in questions:  # warm-up: caches filled for every path
                bot.answer(q), via_rest(q), via_chat(q)
            for _ in range(args.rounds):
                for q in questions:
                    direct.append(_timed(lambda: bot.answer(q)))
                    rest.append(_timed(lambda: via_rest(q)))
                    chat.append(_timed(lambda: via_chat(q)))
                    floor.append(_timed(lambda: http.get("/health").raise_for_status()))
            if args.sse:
                body = {"model": settings.api_model_name, "stream": True,
                        "messages": [{"role": "user", "content": questions[0]}]}
                with http.stream("POST", "/v1/chat/completions", json=body) as response:
                    Path(args.sse).write_text("".join(f"{line}\n" for line in response.iter_lines()), encoding="utf-8")
        running.close()
    result = {
        "questions": len(questions), "rounds": args.rounds,
        "direct_ms": {"p50": _pct(direct, 0.5), "p95": _pct(direct, 0.95)},
        "rest_ms": {"p50": _pct(rest, 0.5), "p95": _pct(rest, 0.95)},
        "chat_completions_ms": {"p50": _pct(chat, 0.5), "p95": _pct(chat, 0.95)},
        "health_round_trip_ms": {"p50": _pct(floor, 0.5)},  # the transport alone, no answering
        "rest_overhead_ms": {"p50": _pct([r - d for r, d in zip(rest, direct)], 0.5),
                             "p50_of_medians": round(statistics.median(rest) - statistics.median(direct), 2)},
        "chat_overhead_ms": {"p50": _pct([c - d for c, d in zip(chat, direct)], 0.5),
                             "p50_of_medians": round(statistics.median(chat) - statistics.median(direct), 2)},
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
