"""Process-wide switches that keep the assistant offline and quiet.

Imported first by the package so that no library can reach for the network:
Hugging Face hub lookups, Chroma telemetry and Gradio analytics are all off
before any of those libraries is imported.
"""

import os

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def force_offline() -> None:
    """Set the environment switches unless the user chose otherwise explicitly."""
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    # These two are never negotiable: nothing may download at run time.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


force_offline()
