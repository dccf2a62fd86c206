"""Load the prompt templates and fill them in, with the sources fenced as data.

The defaults ship inside the package (``assistant/prompts/``, read with importlib.resources,
so a wheel or a non-editable install finds them). An override folder — ``settings.prompts_dir``
(``ASSISTANT_PROMPTS_DIR``), else ``prompts/`` in the working directory when it exists — may
hold any of the template files; each one found there replaces its default, the others stay.

Templates are plain ``str.format`` files so that users can change the wording
without touching code. A user's template may use only the placeholders the
default one uses: a typo such as ``{qestion}`` fails at load time with the file
named, instead of at the first question.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Formatter
from typing import Sequence

from ..types import RetrievedChunk
from ..cite.postprocess import group_sources
from ..errors import AssistantError
from ..types import CANNOT_ANSWER, History

# The one place the prompts folders are named: the packaged defaults and the override folder.
PACKAGED_PROMPTS: Traversable = resources.files("assistant") / "prompts"
OVERRIDE_DIR = Path("prompts")
ANSWER_SYSTEM = "answer_system.txt"
ANSWER_USER = "answer_user.txt"
CONDENSE = "condense.txt"
TEMPLATE_FILES = (ANSWER_SYSTEM, ANSWER_USER, CONDENSE)

# "<source", "</source", "< / history" ...: anything that could open or close a fence.
_FENCE_TAG = re.compile(r"<(?=\s*/?\s*(?:sources?|history)\b)", re.IGNORECASE)
HISTORY_TURNS = 4
HISTORY_ANSWER_CHARS = 600


class PromptTemplateError(AssistantError, ValueError):
    """A prompt template is missing, malformed or uses an unknown placeholder."""


def placeholders(template: str, origin: str = "template") -> set[str]:
    """Names of the ``{placeholders}`` in a template ("" for a positional ``{}``)."""
    try:
        return {field for _, field, _, _ in Formatter().parse(template) if field is not None}
    except ValueError as exc:  # a lone "{" or "}"
        raise PromptTemplateError(f"{origin}: {exc} (write literal braces as '{{{{' and '}}}}').") from exc


def override_dir(prompts_dir: Path | str | None = None) -> Path | None:
    """The folder whose templates replace the defaults: the configured one, else ./prompts if present."""
    if prompts_dir:
        folder = Path(prompts_dir)
        if not folder.is_dir():
            raise PromptTemplateError(f"The prompts folder {folder} does not exist.")
        return folder
    return OVERRIDE_DIR if OVERRIDE_DIR.is_dir() else None


def load_template(name: str, prompts_dir: Path | str | None = None) -> str:
    """Read one template: the override folder's if it has it (checked against the default's
    placeholders), else the packaged default."""
    default = PACKAGED_PROMPTS / name
    if not default.is_file():
        raise PromptTemplateError(f"Unknown prompt template {name}; the templates are {', '.join(TEMPLATE_FILES)}.")
    default_text = default.read_text(encoding="utf-8")
    folder = override_dir(prompts_dir)
    path = folder / name if folder is not None else None
    if path is None or not path.is_file():
        placeholders(default_text, f"packaged {name}")
        return default_text
    text = path.read_text(encoding="utf-8")
    used = placeholders(text, str(path))
    allowed = placeholders(default_text, f"packaged {name}")
    unknown = used - allowed
    if unknown:
        shown = ", ".join("{" + u + "}" for u in sorted(unknown))
        raise PromptTemplateError(
            f"Prompt template {path} uses unknown placeholder(s) {shown}; "
            f"allowed: {', '.join('{' + a + '}' for a in sorted(allowed))}."
        )
    return text


def neutralise(text: str) -> str:
    """Defuse tags inside data so it cannot close (or open) a <source>/<history> fence."""
    return _FENCE_TAG.sub("&lt;", text)


def _attr(value: object) -> str:
    return html.escape(" ".join(str(value).split()), quote=True)


def format_sources(chunks: Sequence[RetrievedChunk]) -> str:
    """Number the articles 1..n (as ``group_sources`` does) and fence each one as data."""
    blocks = []
    for n, group in enumerate(group_sources(chunks), start=1):
        head = group[0]
        attrs = [f'id="{n}"']
        for key in ("title", "outlet", "published"):
            value = getattr(head, key)
            if value:
                attrs.append(f'{key}="{_attr(value)}"')
        attrs.append(f'file="{_attr(head.source)}"')
        parts = [neutralise(c.text.strip()) for c in sorted(group, key=lambda c: c.start) if c.text.strip()]
        body = "\n[...]\n".join(parts)
        blocks.append(f"<source {' '.join(attrs)}>\n{body}\n</source>")
    return "\n\n".join(blocks)


def format_history(history: History | None) -> str:
    """The last few turns as User:/Assistant: lines, answers shortened, fenced tags defused."""
    if not history:
        return "(none)"
    lines = []
    for question, answer in history[-HISTORY_TURNS:]:
        answer = " ".join((answer or "").split())
        if len(answer) > HISTORY_ANSWER_CHARS:
            answer = answer[:HISTORY_ANSWER_CHARS].rsplit(" ", 1)[0] + " ..."
        lines.append(f"User: {' '.join((question or '').split())}")
        lines.append(f"Assistant: {answer}")
    return neutralise("\n".join(lines))


@dataclass(frozen=True)
class Prompts:
    """The three templates, loaded once per generator."""

    answer_system: str
    answer_user: str
    condense: str

    @classmethod
    def load(cls, prompts_dir: Path | str | None = None) -> "Prompts":
        return cls(
            answer_system=load_template(ANSWER_SYSTEM, prompts_dir),
            answer_user=load_template(ANSWER_USER, prompts_dir),
            condense=load_template(CONDENSE, prompts_dir),
        )

    def answer_messages(
        self, question: str, chunks: Sequence[RetrievedChunk], history: History | None = None
    ) -> list[tuple[str, str]]:
        """[("system", ...), ("human", ...)] for one answer."""
        values = {
            "question": " ".join(question.split()),
            "sources": format_sources(chunks),
            "history": format_history(history),
            "cannot_answer": CANNOT_ANSWER,
        }
        return [
            ("system", self.answer_system.format_map(values)),
            ("human", self.answer_user.format_map(values)),
        ]

    def condense_prompt(self, question: str, history: History) -> str:
        return self.condense.format_map({
            "question": " ".join(question.split()),
            "history": format_history(history),
            "cannot_answer": CANNOT_ANSWER,
        })
