"""The built-in backends, by name: where each class lives, imported only when it is built.

Plain data (no imports), so listing the names costs nothing and the registry can read it
without importing any backend. Third-party backends add themselves the same way, as
"module:attribute" entry points in the ``assistant.generators`` group.
"""

BUILTIN_GENERATORS: dict[str, str] = {
    "extractive": "assistant.generate.extractive.generator:ExtractiveGenerator",
    "openai": "assistant.generate.llm.openai_compatible:OpenAICompatibleGenerator",
    "openai-compatible": "assistant.generate.llm.openai_compatible:OpenAICompatibleGenerator",
    "ollama": "assistant.generate.llm.ollama:OllamaGenerator",
    "llamacpp": "assistant.generate.llm.llamacpp:LlamaCppGenerator",
}
