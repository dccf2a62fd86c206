"""Many questions at once, and indexing while answering: all answered, nothing crosses, nothing half-written.

- 20 threads share one Assistant, each asking about a different invented person: every answer
  cites only that person's article and states that person's fact.
- 20 gradio_client sessions hit the running chat's /ask at once: the same checks per session.
- One thread keeps rewriting and re-indexing articles in the index others are reading: every
  chunk an answer was built from belongs to the manifest snapshot that answer used, every quote
  is verbatim text of the article version that snapshot names, and no answer mixes two versions
  of one article.
"""

from __future__ import annotations

import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.ingest.parse import content_hash
from assistant.pipeline import Assistant
from assistant.settings import Settings
from hardening_support import PESKOV, S002, close_client, copy_seeds

pytestmark = [pytest.mark.slow, pytest.mark.integration]

THREADS = 20


def _check_own(person, sources: set[str], text: str, quotes: str) -> None:
    assert sources == {person.file}, (person.file, sources)
    assert person.fact in text or person.fact in quotes, (person.fact, text[:300])


def test_twenty_threads_share_one_assistant(hardened):
    cast = hardened.people[:THREADS]
    barrier = threading.Barrier(THREADS)

    def ask(person):
        barrier.wait(timeout=60)
        return hardened.bot.answer(person.question)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, cast, timeout=300))
    for person, answer in zip(cast, answers):
        assert not answer.abstained, answer.text
        _check_own(person, {c.source for c in answer.citations}, answer.text,
                   " ".join(c.quote for c in answer.citations))
        assert answer.question == person.question


def test_twenty_threads_mixed_questions_two_rounds(hardened):
    """Person questions interleaved with the Peskov question and a rejected one, twice over."""
    jobs = [p for p in hardened.people[:THREADS]] * 2 + [PESKOV] * 6 + ["?!"] * 4
    random.Random(3).shuffle(jobs)

    def ask(job):
        if job == "?!":
            try:
                hardened.bot.answer(job)
            except Exception as exc:  # noqa: BLE001 - the type is the point
                return exc
            return None
        return hardened.bot.answer(job if isinstance(job, str) else job.question)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(ask, jobs, timeout=300))
    for job, result in zip(jobs, results):
        if job == "?!":
            assert type(result).__name__ == "InvalidQuestionError"
        elif job == PESKOV:
            assert S002 in {c.source for c in result.citations}
        else:
            _check_own(job, {c.source for c in result.citations}, result.text,
                       " ".join(c.quote for c in result.citations))


def test_twenty_simultaneous_chat_sessions(hardened_app):
    from gradio_client import Client

    cast = hardened_app.people[:THREADS]
    clients = [Client(hardened_app.url, verbose=False, download_files=False, analytics_enabled=False)
               for _ in cast]
    barrier = threading.Barrier(THREADS)

    def session(i):
        barrier.wait(timeout=60)
        text, details = clients[i].predict(cast[i].question, [], "", 0, api_name="/ask")
        return text, json.loads(details)

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        replies = list(pool.map(session, range(THREADS), timeout=300))
    elapsed = time.monotonic() - started
    for person, (text, details) in zip(cast, replies):
        assert not details["abstained"], text
        _check_own(person, {c["source"] for c in details["citations"]}, text,
                   " ".join(c["quote"] for c in details["citations"]))
    # The server is still answering afterwards.
    text, details = clients[0].predict(PESKOV, [], "", 0, api_name="/ask")
    assert S002 in {c["source"] for c in json.loads(details)["citations"]}
    print(f"\n{THREADS} chat sessions answered in {elapsed:.1f} s, no cross-talk")


# -- indexing while answering ---------------------------------------------------

ROUNDS = 12
TOPICS = ["grain corridor", "fishing quota", "rail freight", "gas transit", "satellite launch", "port fees"]


def _version_text(topic: str, version: int) -> str:
    figure = 100 + 37 * version
    filler = " ".join(f"Delegates from the {topic} committee met for session {version}.{k} and took notes."
                      for k in range(6))
    return (f"{topic.title()} report, version {version}\n\n"
            f"GENEVA, June {1 + version % 28}. The {topic} report, version {version}, says the agreed figure "
            f"is {figure} units.\n\n{filler}\n\n"
            f"Officials said version {version} of the {topic} report replaces all earlier versions.\n")


def test_indexing_while_answering_never_serves_a_half_written_article(tmp_path, real_embeddings):
    corpus = copy_seeds(tmp_path / "corpus")
    versions: dict[str, str] = {}  # article hash -> text of that version

    def write(topic_index: int, version: int) -> None:
        text = _version_text(TOPICS[topic_index], version)
        versions[content_hash(text)] = text
        (corpus / f"report_{topic_index}.txt").write_text(text, encoding="utf-8")

    for i in range(len(TOPICS)):
        write(i, 0)
    for path in corpus.glob("0*.txt"):
        versions[content_hash(path.read_text(encoding="utf-8"))] = path.read_text(encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=corpus, data_dir=tmp_path / "data", chroma_url=None)
    bot = Assistant(settings)
    bot._embeddings = real_embeddings
    bot.index([corpus], progress=False)

    used = threading.local()
    original = bot._retrieve

    def recording_retrieve(request):
        result = original(request)
        used.snapshot = result.corpus
        return result

    bot._retrieve = recording_retrieve
    bot.chain = bot._build_chain()
    stop = threading.Event()
    errors: list[BaseException] = []
    checked = {"answers": 0, "chunks": 0, "citations": 0, "index_runs": 0}
    lock = threading.Lock()

    def writer():
        rng = random.Random(11)
        try:
            for round_ in range(1, ROUNDS + 1):
                for i in rng.sample(range(len(TOPICS)), 3):
                    write(i, round_)
                if round_ % 3 == 0:  # an article deleted, then back in the next round
                    (corpus / "report_5.txt").unlink(missing_ok=True)
                bot.index([corpus], progress=False)
                with lock:
                    checked["index_runs"] += 1
                deadline = time.monotonic() + 20  # pace the writer: readers answer between runs, however slow
                while time.monotonic() < deadline and not errors:
                    with lock:
                        if checked["answers"] >= round_:
                            break
                    time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            stop.set()

    def reader(seed: int):
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                topic = rng.choice(TOPICS)
                answer = bot.answer(f"What figure does the {topic} report give?")
                _check_snapshot(answer, used.snapshot, versions)
                with lock:
                    checked["answers"] += 1
                    checked["chunks"] += len(answer.retrieved)
                    checked["citations"] += len(answer.citations)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    close_client(bot)
    assert not errors, errors[0]
    assert checked["index_runs"] == ROUNDS and checked["answers"] >= ROUNDS, checked
    print(f"\nindexing while answering: {checked}")


def _check_snapshot(answer, snapshot, versions: dict[str, str]) -> None:
    manifest = snapshot.manifest
    hashes: dict[str, set[str]] = {}
    for chunk in answer.retrieved:
        row = snapshot.position.get(chunk.chunk_id)
        assert row is not None, f"{chunk.chunk_id} is not in the snapshot the answer used"
        meta = snapshot.metadatas[row]
        assert manifest.is_live(meta["source"], meta["article_hash"]), chunk.chunk_id
        assert chunk.text == snapshot.texts[row]
        assert versions[meta["article_hash"]][chunk.start:chunk.start + len(chunk.text)] == chunk.text
        hashes.setdefault(chunk.source, set()).add(meta["article_hash"])
    assert all(len(h) == 1 for h in hashes.values()), f"two versions of one article: {hashes}"
    for c in answer.citations:
        digest = manifest.articles[c.source].hash
        assert versions[digest][c.start:c.end] == c.quote, c
