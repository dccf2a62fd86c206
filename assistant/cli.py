"""Command line: a thin layer that maps flags onto Settings and calls the library."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import offline  # noqa: F401
from .errors import AssistantError
from .settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        key: value for key, value in {
            "index_dir": args.index_dir, "chroma_url": args.chroma_url, "collection": args.collection,
            "k": getattr(args, "k", None), "generator": getattr(args, "generator", None),
            "host": getattr(args, "host", None), "port": getattr(args, "port", None),
            "api_port": getattr(args, "api_port", None),
            "llm_base_url": getattr(args, "llm_base_url", None), "llm_model": getattr(args, "llm_model", None),
            "ollama_url": getattr(args, "ollama_url", None), "llamacpp_model_path": getattr(args, "llamacpp_model", None),
        }.items() if value is not None
    }
    return Settings(**overrides)


def _snapshot_saver(settings: Settings):
    """Saves the readers' corpus snapshot (chunk texts, BM25) after a run that changed the index, so
    the next `ask`, chat or eval process starts without re-reading and tokenising every chunk."""
    def save() -> None:
        from .index.store import open_client
        from .retrieve.corpus import LiveCorpus

        LiveCorpus(open_client(settings.index_dir, settings.chroma_url), settings.collection,
                   settings=settings).prepare()

    return save


def cmd_index(args) -> int:
    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    progress = False if args.quiet else None
    from .errors import IndexBusyError
    from .index.lock import WriterLock

    try:
        with WriterLock(settings, wait=not args.no_wait):  # also covers --rebuild's folder swap
            if args.rebuild:
                from .index.rebuild import rebuild

                report = rebuild(settings, paths, progress=progress)
                _snapshot_saver(settings)()
            else:
                from .index.indexer import Indexer

                report = Indexer(settings, progress=progress, after_write=_snapshot_saver(settings)).index(paths)
    except IndexBusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_ask(args) -> int:
    from .pipeline import Assistant

    history = json.loads(Path(args.history).read_text()) if args.history else None
    result = Assistant(_settings(args)).answer(args.question, history=history, since=args.since, until=args.until,
                                               outlets=args.outlet or None)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(result.text)
    if result.citations:
        print("\nSources:")
        from .cite.labels import heading_of, locator

        for c in result.citations:
            page = f" {locator(c)}," if c.page else ""
            print(f"[{c.n}] {heading_of(c)} ({c.source},{page} chars {c.start}-{c.end})")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def cmd_chat(args) -> int:
    from .present.app import launch

    launch(_settings(args))
    return 0


def cmd_serve(args) -> int:
    from .present.http_api import serve

    try:
        serve(_settings(args))
    except KeyboardInterrupt:  # Ctrl+C is how a server is stopped: not an error
        pass
    return 0


def cmd_eval(args) -> int:
    from .evaluation.cli import run_from_cli

    return run_from_cli(_settings(args), args)


def cmd_status(args) -> int:
    from .pipeline import Assistant

    print(json.dumps(Assistant(_settings(args)).status(), indent=2))
    return 0


def _backend_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--llm-base-url", help="OpenAI-compatible endpoint (for --generator openai)")
    p.add_argument("--llm-model", help="Model name for the OpenAI-compatible endpoint or Ollama")
    p.add_argument("--ollama-url", help="Ollama server URL (for --generator ollama)")
    p.add_argument("--llamacpp-model", help="GGUF file (for --generator llamacpp)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Cited answers from news articles, offline.")
    parser.add_argument("--index-dir", help="Chroma folder (default index/)")
    parser.add_argument("--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--collection", help="Chroma collection name")
    parser.add_argument("-v", "--verbose", action="store_true", help="Log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="(Re)index articles; unchanged files are skipped")
    p.add_argument("paths", nargs="*", help="Files or folders (default: seeds/)")
    p.add_argument("--rebuild", action="store_true", help="Build a fresh index and swap it in (recovers a corrupt one)")
    p.add_argument("--quiet", action="store_true", help="No progress bar")
    p.add_argument("--no-wait", action="store_true",
                   help="Fail (exit code 3) instead of waiting when another indexing run is writing to the store")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="Answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="Print the result object as JSON")
    p.add_argument("--k", type=int, help="Chunks retrieved")
    p.add_argument("--generator", help="Answer generator (extractive, openai, ollama, llamacpp)")
    p.add_argument("--history", help="JSON file of earlier turns [[question, answer], ...]")
    p.add_argument("--since", help="Only articles published on or after this date (YYYY-MM-DD, YYYY-MM, YYYY)")
    p.add_argument("--until", help="Only articles published on or before this date")
    p.add_argument("--outlet", action="append", help="Only articles from this outlet (repeat for several)")
    _backend_flags(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="Start the web chat")
    p.add_argument("--host", help="Address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="Port (default 7860)")
    p.add_argument("--generator", help="Default answer generator")
    p.add_argument("--k", type=int, help="Default chunks retrieved")
    _backend_flags(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", help="Start the HTTP API (REST and OpenAI-compatible, docs at /docs)")
    p.add_argument("--host", help="Address to bind (default 127.0.0.1; any other needs ASSISTANT_API_KEY)")
    p.add_argument("--port", type=int, dest="api_port", metavar="PORT", help="Port (default 8080)")
    p.add_argument("--generator", help="Default answer generator")
    p.add_argument("--k", type=int, help="Default chunks retrieved")
    _backend_flags(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="Check answers against a gold question set")
    p.add_argument("--gold", default="eval/gold.jsonl", help="Gold file (default eval/gold.jsonl)")
    p.add_argument("--out", help="Output folder (default eval/reports/<timestamp>)")
    p.add_argument("--generator", help="Answer generator to evaluate")
    p.add_argument("--k", type=int, help="Chunks retrieved")
    p.add_argument("--corpus", help="Index this corpus in a separate collection first and evaluate on it")
    p.add_argument("--check", action="store_true", help="Exit non-zero when a threshold in eval/thresholds.json is missed")
    p.add_argument("--calibrate", action="store_true",
                   help="Suggest the extractive abstention threshold from dev data (eval/gold-dev.jsonl; test-split items are never used)")
    p.add_argument("--lenient", help="Also score citations against this gold file's broader 'relevant' lists (same ids)")
    p.add_argument("--thresholds", help="Threshold file for the gate (default eval/thresholds.json)")
    p.add_argument("--news-index", help="With --calibrate: also calibrate on news-dev, answered from this index")
    p.add_argument("--news-dev", help="With --news-index: the news-dev folder (default ../shared/news-dev)")
    _backend_flags(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("status", help="Show what the index holds")
    p.set_defaults(func=cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if argv is None and args.func in (cmd_ask, cmd_status):
        _one_shot_gc()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        return args.func(args)
    except AssistantError as exc:
        return _fail(args, str(exc), 2)
    except KeyboardInterrupt:
        return _fail(args, "interrupted: the index keeps its last complete state; run the command again to finish.", 130)


_ONE_SHOT_GC_THRESHOLD = 250_000  # new container objects between collections in a one-shot read command


def _one_shot_gc() -> None:
    """A one-shot read command's process ends right after its answer, and nearly all it allocates lives
    on (~130k objects of loaded modules and models; ~200 become garbage in a seeds `ask`). Yet Python
    collects every 700 new objects, walking the survivors again and again while it starts (~300
    collections, 0.13 s of a 2 s cold `ask`; 0.19 s on news-dev), and walks them all at exit (0.4 s).
    So collections wait for 250k new objects (an index built on first use still collects), and the
    heap is frozen at exit (atexit runs this last, after every other handler), leaving nothing to walk;
    these commands hold no unflushed files whose cleanup a collection would run."""
    import atexit
    import gc

    gc.set_threshold(_ONE_SHOT_GC_THRESHOLD, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)


def _fail(args, message: str, code: int) -> int:
    """Report an error: a line on stderr, or with --json a JSON object on stdout; the exit code is the same."""
    if getattr(args, "json", False):
        print(json.dumps({"error": message, "code": code}, ensure_ascii=False))
    else:
        print(message if message.startswith("interrupted:") else f"error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
